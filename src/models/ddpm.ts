// Denoising diffusion probabilistic model (Ho et al. 2020), epsilon-prediction with the simple loss
// ||eps - eps_theta(sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, t)||^2, t uniform. Generic over the denoiser:
// an MLP for 2D points (ddpm2d.ts) and VAE latents (ldm.ts), a small U-Net for 28x28 images (ddpmImages.ts).
import * as tf from '@tensorflow/tfjs';
import type { ModelKind, SamplerKind } from '../domain/config';
import { Adam } from './adam';
import { Ema } from './ema';
import { deriveSeed, mulberry32, normalSamples } from './random';
import { ReverseProcess, runSampler, runSamplerAsync, type EpsFn, type SampleResult } from './samplers';
import { forwardCoefficients, type Schedule } from './schedules';
import type { StepTensors, TrainableModel } from './types';

/** A network eps_theta(x_t, t). */
export interface Denoiser {
  readonly dataDim: number;
  /** x_t: [B, dataDim]; t: [B] 0-based timestep indices (paper t - 1) as floats. Recordable by autodiff. */
  predict(xt: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D;
  /** Trainable variables by stable name (the same names for every copy of the network). */
  variables(): Map<string, tf.Variable>;
  /** Optional hand-written loss and gradients (same result as autodiff, faster); keys as in variables(). */
  lossAndGrads?(xt: tf.Tensor2D, t: tf.Tensor1D, eps: tf.Tensor2D): LossAndGrads;
  dispose(): void;
}

/** The simple loss per row and averaged, and its gradients by parameter name (a record: tf.tidy keeps those). */
export type LossAndGrads = {
  perRow: tf.Tensor1D;
  loss: tf.Scalar;
  grads: Record<string, tf.Tensor>;
};

export interface DdpmOptions {
  schedule: Schedule;
  /** Builds one copy of the network; called twice (raw weights and their EMA) with a unique name prefix. */
  makeDenoiser: (seed: number, namePrefix: string) => Denoiser;
  learningRate: number;
  seed: number;
  emaDecay?: number;
  /** Number of timestep buckets of the running loss-per-timestep curve. */
  lossBuckets?: number;
  /** Clip predicted x_0 while sampling (1 for images in [-1, 1]). */
  clipX0?: number;
}

export interface SampleOptions {
  n: number;
  sampler: SamplerKind;
  /** DDIM steps (ignored by DDPM, which takes all T). */
  steps?: number;
  eta?: number;
  /** Frames to keep, start noise and final sample included. */
  frames?: number;
  seed?: number;
  /** Sample with the EMA weights (default) or the raw ones. */
  useEma?: boolean;
}

export interface SavedArray {
  shape: number[];
  values: Float32Array;
}

let instances = 0;

/**
 * The generic DDPM. The worker calls `trainStep(batch)` in its loop (batch: [B, dataDim] data x_0), `inspect(batch)`
 * for the named tensors, `sample(...)`/`sampleAsync(...)` (or `reverseProcess(...)` to step it itself) for the
 * reverse process, `lossByBucket()` for the loss-per-timestep curve and `extraState()`/`restoreExtra()` with the
 * checkpoint's `extra` field (EMA weights, loss curve). Timesteps in the public API are the paper's t (1..T).
 */
export class Ddpm implements TrainableModel {
  readonly kind: ModelKind = 'ddpm';
  readonly schedule: Schedule;
  readonly denoiser: Denoiser;
  /** Second copy of the network holding the exponential moving average of the weights. */
  readonly emaDenoiser: Denoiser;
  readonly lossBuckets: number;
  /** Optimisation steps taken (also the seed stream position, so a resumed run continues the same stream). */
  stepCount = 0;
  protected readonly seed: number;
  private readonly adam: Adam;
  private readonly ema: Ema;
  private readonly bucketLoss: tf.Variable<tf.Rank.R1>;
  private readonly bucketSeen: boolean[];
  private readonly clipX0: number | undefined;
  private readonly coef: Record<'betas' | 'alphas' | 'alphaBars' | 'sqrtAlphaBars' | 'sqrtOneMinusAlphaBars' | 'postVar' | 'postX0' | 'postXt', tf.Tensor1D>;

  constructor(opts: DdpmOptions) {
    const id = ++instances;
    this.schedule = opts.schedule;
    this.seed = opts.seed;
    this.clipX0 = opts.clipX0;
    this.denoiser = opts.makeDenoiser(opts.seed, `ddpm${id}`);
    this.emaDenoiser = opts.makeDenoiser(opts.seed, `ddpm${id}-ema`);
    this.adam = new Adam(this.denoiser.variables(), { learningRate: opts.learningRate, epsilon: 1e-7 });
    this.ema = new Ema(this.denoiser.variables(), this.emaDenoiser.variables(), opts.emaDecay ?? 0.999);
    this.lossBuckets = opts.lossBuckets ?? 10;
    // The initial zeros are disposed at once: a variable keeps its own reference to the data.
    const zeros = tf.zeros([this.lossBuckets]) as tf.Tensor1D;
    this.bucketLoss = tf.variable(zeros, false, `ddpm${id}/lossByBucket`);
    zeros.dispose();
    this.bucketSeen = new Array<boolean>(this.lossBuckets).fill(false);
    const s = this.schedule;
    this.coef = {
      betas: tf.tensor1d(s.betas),
      alphas: tf.tensor1d(s.alphas),
      alphaBars: tf.tensor1d(s.alphaBars),
      sqrtAlphaBars: tf.tensor1d(s.sqrtAlphaBars),
      sqrtOneMinusAlphaBars: tf.tensor1d(s.sqrtOneMinusAlphaBars),
      postVar: tf.tensor1d(s.posteriorVariance),
      postX0: tf.tensor1d(s.posteriorMeanCoefX0),
      postXt: tf.tensor1d(s.posteriorMeanCoefXt),
    };
  }

  get T(): number {
    return this.schedule.T;
  }

  get dataDim(): number {
    return this.denoiser.dataDim;
  }

  /** q(x_t | x_0) in closed form: sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, per row; tIndex: [B] int32 0-based. */
  qSample(x0: tf.Tensor2D, tIndex: tf.Tensor1D, eps: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const a = tf.reshape(tf.gather(this.coef.sqrtAlphaBars, tIndex), [-1, 1]);
      const b = tf.reshape(tf.gather(this.coef.sqrtOneMinusAlphaBars, tIndex), [-1, 1]);
      return tf.add(tf.mul(a, x0), tf.mul(b, eps)) as tf.Tensor2D;
    });
  }

  /** Mean and variance of q(x_{t-1} | x_t, x_0) per row. */
  posterior(x0: tf.Tensor2D, xt: tf.Tensor2D, tIndex: tf.Tensor1D): { mean: tf.Tensor2D; variance: tf.Tensor1D } {
    return tf.tidy(() => {
      const c0 = tf.reshape(tf.gather(this.coef.postX0, tIndex), [-1, 1]);
      const ct = tf.reshape(tf.gather(this.coef.postXt, tIndex), [-1, 1]);
      return { mean: tf.add(tf.mul(c0, x0), tf.mul(ct, xt)) as tf.Tensor2D, variance: tf.gather(this.coef.postVar, tIndex) as tf.Tensor1D };
    });
  }

  /** Per-row timesteps and noise of one step, drawn from the run seed and a salt (reproducible on resume). */
  private draw(batch: number, salt: number): { tIdx: Int32Array; eps: Float32Array } {
    const rand = mulberry32(deriveSeed(this.seed, salt));
    const tIdx = new Int32Array(batch);
    for (let i = 0; i < batch; i++) tIdx[i] = Math.min(this.T - 1, Math.floor(rand() * this.T));
    return { tIdx, eps: normalSamples(batch * this.dataDim, rand) };
  }

  trainStep(batch: tf.Tensor2D): StepTensors {
    const B = batch.shape[0];
    const { tIdx, eps: epsValues } = this.draw(B, this.stepCount + 1);
    const { onehot, weights } = this.bucketUpdateWeights(tIdx);
    const params = this.denoiser.variables();
    const loss = tf.tidy(() => {
      const t = tf.tensor1d(tIdx, 'int32');
      const eps = tf.tensor2d(epsValues, [B, this.dataDim]);
      const { loss: value, perRow, grads } = this.lossAndGrads(batch, t, eps, params);
      this.adam.apply(new Map(Object.entries(grads)));
      this.ema.update();
      // Running mean of the loss per timestep bucket: batch mean of each bucket blended in by `weights`.
      const sums = tf.matMul(tf.reshape(perRow, [1, B]), tf.tensor2d(onehot, [B, this.lossBuckets]));
      const counts = new Float32Array(this.lossBuckets);
      for (let i = 0; i < B; i++) counts[this.bucketOf(tIdx[i])]++;
      const means = tf.div(tf.reshape(sums, [this.lossBuckets]), tf.maximum(tf.tensor1d(counts), 1));
      this.bucketLoss.assign(tf.add(this.bucketLoss, tf.mul(tf.tensor1d(weights), tf.sub(means, this.bucketLoss))) as tf.Tensor1D);
      return value;
    });
    this.stepCount++;
    return { loss, terms: { mse: loss.clone() } };
  }

  /**
   * The simple loss on x_t = q_sample(x_0, t, eps), per row and averaged, with its gradients by parameter name:
   * the denoiser's hand-written backward pass when it has one, autodiff otherwise (`autodiff` forces it).
   */
  lossAndGrads(x0: tf.Tensor2D, t: tf.Tensor1D, eps: tf.Tensor2D, params = this.denoiser.variables(), autodiff = false): LossAndGrads {
    return tf.tidy((): LossAndGrads => {
      const tFloat = tf.cast(t, 'float32') as tf.Tensor1D;
      if (this.denoiser.lossAndGrads && !autodiff) return this.denoiser.lossAndGrads(this.qSample(x0, t, eps), tFloat, eps);
      let perRow: tf.Tensor1D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const pred = this.denoiser.predict(this.qSample(x0, t, eps), tFloat);
        perRow = tf.keep(tf.mean(tf.square(tf.sub(pred, eps)), 1) as tf.Tensor1D);
        return tf.mean(perRow) as tf.Scalar;
      }, [...params.values()]);
      const byName: Record<string, tf.Tensor> = {};
      for (const [name, v] of params) byName[name] = grads[v.name];
      // perRow was kept past variableGrads' own scope; hand back a tracked copy so no kept tensor outlives this call.
      const rows = perRow!.clone();
      perRow!.dispose();
      return { loss: value, perRow: rows, grads: byName };
    });
  }

  private bucketOf(tIndex: number): number {
    return Math.min(this.lossBuckets - 1, Math.floor((tIndex * this.lossBuckets) / this.T));
  }

  /** One-hot bucket matrix of the batch, and per-bucket blend weights (1 the first time a bucket is seen). */
  private bucketUpdateWeights(tIdx: Int32Array): { onehot: Float32Array; weights: Float32Array } {
    const nb = this.lossBuckets;
    const onehot = new Float32Array(tIdx.length * nb);
    const weights = new Float32Array(nb);
    tIdx.forEach((t, i) => {
      const b = this.bucketOf(t);
      onehot[i * nb + b] = 1;
      weights[b] = this.bucketSeen[b] ? 0.05 : 1;
    });
    tIdx.forEach((t) => (this.bucketSeen[this.bucketOf(t)] = true));
    return { onehot, weights };
  }

  /**
   * Every named tensor of the DDPM (protocol TENSOR_NAMES.ddpm) on a batch of data: random t per row, or paper
   * timestep `t` (1..T) for every row when given. t, beta_t, alpha_t, alpha_bar_t, posterior_var are [B].
   */
  inspect(batch: tf.Tensor2D, t?: number): Record<string, tf.Tensor> {
    const B = batch.shape[0];
    const { tIdx, eps: epsValues } = this.draw(B, 0x40000000 + this.stepCount);
    if (t !== undefined) tIdx.fill(Math.max(1, Math.min(this.T, Math.round(t))) - 1);
    return tf.tidy(() => {
      const tI = tf.tensor1d(tIdx, 'int32');
      const x0 = batch.clone();
      const eps = tf.tensor2d(epsValues, [B, this.dataDim]);
      const xt = this.qSample(x0, tI, eps);
      const epsTheta = this.denoiser.predict(xt, tf.cast(tI, 'float32') as tf.Tensor1D);
      const post = this.posterior(x0, xt, tI);
      return {
        x_0: x0,
        eps,
        t: tf.add(tf.cast(tI, 'float32'), 1),
        beta_t: tf.gather(this.coef.betas, tI),
        alpha_t: tf.gather(this.coef.alphas, tI),
        alpha_bar_t: tf.gather(this.coef.alphaBars, tI),
        x_t: xt,
        eps_theta: epsTheta,
        posterior_mean: post.mean,
        posterior_var: post.variance,
        loss: tf.mean(tf.square(tf.sub(epsTheta, eps))),
      };
    });
  }

  /** Forward-process picture: x_t of the given rows at paper timestep t (0 = the data itself), seeded noise. */
  forwardAt(x0: number[][], t: number, seed = 0): number[][] {
    const { meanCoef, std } = forwardCoefficients(this.schedule, t);
    const dim = x0[0]?.length ?? 0;
    const noise = normalSamples(x0.length * dim, mulberry32(deriveSeed(this.seed ^ seed, 0x3000 + t)));
    return x0.map((row, i) => row.map((v, j) => meanCoef * v + std * noise[i * dim + j]));
  }

  /** eps_theta of the EMA (default) or raw network, as the samplers call it. */
  epsFn(useEma = true): EpsFn {
    const net = useEma ? this.emaDenoiser : this.denoiser;
    return (xt, tIndex) => net.predict(xt, tIndex);
  }

  /** A reverse process the caller steps itself (call `dispose()` on it when done). */
  reverseProcess(opts: SampleOptions): ReverseProcess {
    const seed = opts.seed ?? deriveSeed(this.seed, 0x50000000 + this.stepCount);
    return new ReverseProcess(this.epsFn(opts.useEma ?? true), this.schedule, ReverseProcess.noise(opts.n, this.dataDim, seed), {
      sampler: opts.sampler,
      steps: opts.steps,
      eta: opts.eta,
      seed,
      clipX0: this.clipX0,
    });
  }

  /** Runs a reverse process to the end and returns its frames (pure noise first, samples last). Sync read-back. */
  sample(opts: SampleOptions): SampleResult {
    return runSampler(this.epsFn(opts.useEma ?? true), this.schedule, this.runOptions(opts));
  }

  /** As `sample`, reading back with `await data()` (WebGPU). */
  sampleAsync(opts: SampleOptions): Promise<SampleResult> {
    return runSamplerAsync(this.epsFn(opts.useEma ?? true), this.schedule, this.runOptions(opts));
  }

  private runOptions(opts: SampleOptions) {
    return {
      n: opts.n,
      dim: this.dataDim,
      sampler: opts.sampler,
      steps: opts.steps,
      eta: opts.eta,
      frames: opts.frames,
      seed: opts.seed ?? deriveSeed(this.seed, 0x50000000 + this.stepCount),
      clipX0: this.clipX0,
    };
  }

  /** Running mean of the loss in each of `buckets` equal ranges of t (NaN where no step has landed yet). */
  lossByBucket(): { buckets: number; loss: number[] } {
    const values = Array.from(this.bucketLoss.dataSync());
    return { buckets: this.lossBuckets, loss: values.map((v, i) => (this.bucketSeen[i] ? v : NaN)) };
  }

  async lossByBucketAsync(): Promise<{ buckets: number; loss: number[] }> {
    const values = Array.from(await this.bucketLoss.data());
    return { buckets: this.lossBuckets, loss: values.map((v, i) => (this.bucketSeen[i] ? v : NaN)) };
  }

  weights(): Map<string, tf.Variable> {
    return this.denoiser.variables();
  }

  optimizerState(): Map<string, tf.Variable> {
    return this.adam.state();
  }

  /** State a checkpoint keeps besides weights and optimizer: the EMA weights (`ema/<name>`) and `lossByBucket`. */
  extraState(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, v] of this.ema.state()) out.set(`ema/${name}`, v);
    out.set('lossByBucket', this.bucketLoss);
    return out;
  }

  /** The counters behind the extra state; a checkpoint does not keep them: `restoreExtra` derives them from the step. */
  counters(): { step: number; emaUpdates: number; bucketSeen: boolean[] } {
    return { step: this.stepCount, emaUpdates: this.ema.updates, bucketSeen: [...this.bucketSeen] };
  }

  restore(weights: Map<string, SavedArray>, optimizer: Map<string, SavedArray>): void {
    assignAll('weights', this.denoiser.variables(), weights);
    assignAll('optimizer', this.adam.state(), optimizer);
  }

  /** Restores extraState() arrays; counters default to what `step` implies when not given. */
  restoreExtra(extra: Map<string, SavedArray>, counters?: Partial<{ step: number; emaUpdates: number; bucketSeen: boolean[] }>): void {
    const ema = new Map<string, tf.Variable>();
    for (const [name, v] of this.ema.state()) ema.set(`ema/${name}`, v);
    assignAll('extra', ema, extra);
    const loss = extra.get('lossByBucket');
    if (loss) assignAll('extra', new Map([['lossByBucket', this.bucketLoss as tf.Variable]]), extra);
    if (counters?.step !== undefined) this.stepCount = counters.step;
    this.ema.updates = counters?.emaUpdates ?? this.stepCount;
    const seen = counters?.bucketSeen ?? new Array<boolean>(this.lossBuckets).fill(loss !== undefined);
    seen.forEach((s, i) => (this.bucketSeen[i] = s));
  }

  /** The learning rate Adam steps with. */
  get learningRate(): number {
    return this.adam.learningRate;
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`learning rate must be positive, got ${lr}`);
    this.adam.learningRate = lr;
  }

  dispose(): void {
    this.denoiser.dispose();
    this.emaDenoiser.dispose();
    this.adam.dispose();
    this.bucketLoss.dispose();
    tf.dispose(Object.values(this.coef));
  }
}

/** Assigns saved arrays to variables by name; throws a clear Error on a missing name or a shape mismatch. */
export function assignAll(what: string, vars: Map<string, tf.Variable>, saved: Map<string, SavedArray>): void {
  for (const [name, v] of vars) {
    const s = saved.get(name);
    if (!s) throw new Error(`checkpoint ${what}: missing '${name}'`);
    if (s.shape.join('x') !== v.shape.join('x')) throw new Error(`checkpoint ${what}: '${name}' has shape [${s.shape}], the model needs [${v.shape}]`);
  }
  for (const [name, v] of vars) {
    const s = saved.get(name)!;
    tf.tidy(() => v.assign(tf.tensor(s.values, s.shape)));
  }
}
