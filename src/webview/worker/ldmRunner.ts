// Latent diffusion: a DDPM trained in the latent space of a VAE and sampled through its decoder. The VAE is
// the one trained by "Train VAE" when its checkpoint fits (the extension passes it as `base`); otherwise this
// runner trains one first (phase 1), then freezes it and trains the latent DDPM (phase 2).
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderConfig, DiffusionConfig, TrainConfig } from '../../domain/config';
import type { Checkpoint } from '../../domain/run';
import type { DiffusionView } from '../../domain/views';
import type { FromWorker } from '../../protocol';
import type { TensorSnapshot } from '../../domain/tensors';
import type { ImageDataset } from '../../models/datasets';
import { decodeNamed } from '../../models/checkpointCodec';
import { assignAll } from '../../models/ddpm';
import { Ldm } from '../../models/ldm';
import { forwardCoefficients } from '../../models/schedules';
import type { StepTensors, TrainableModel } from '../../models/types';
import { Vae } from '../../models/vae';
import { DiffusionRunnerBase, type ReverseOptions } from './diffusionRunnerBase';
import type { WorkerNotice } from '../../domain/notices';
import { clampT, forwardLadder, pairs, reverseSteps, scheduleArrays } from './diffusionViews';
import { ImageBatches } from './imageBatches';
import { trainOn, type Runner } from './runner';
import { inspectSnapshots } from './snapshots';

/** Steps of the VAE's own training when no trained VAE is at hand (about two epochs of MNIST at batch 128). */
export const VAE_PHASE_STEPS = 150;
const SHOWN_POINTS = 400;
const SAMPLES = 8;
const REVERSE_FRAMES = 12;

export class LdmRunner extends DiffusionRunnerBase implements Runner {
  readonly kind = 'ldm' as const;
  private readonly vae: Vae;
  private ldm: Ldm | null = null;
  private readonly batches: ImageBatches;
  private readonly imageSize: [number, number];
  private vaeSteps = 0;
  private phaseChanged = false;
  private shownLatents: number[][] = [];
  /** Set when the diffusion model must be built (or its pictures' latents read) before the next step. */
  private pending: 'start' | 'latents' | null = null;
  private scaleTensor: tf.Tensor | null = null;

  constructor(
    private readonly data: ImageDataset,
    ae: AutoencoderConfig,
    cfg: DiffusionConfig,
    base: Checkpoint | null,
    epoch: number,
  ) {
    super(cfg);
    this.vae = new Vae({ inputDim: data.dim, hiddenDim: ae.hiddenDim, latentDim: ae.latentDim, learningRate: ae.learningRate, beta: ae.beta, seed: ae.seed });
    this.batches = new ImageBatches(data, ae.batchSize, ae.seed, epoch);
    this.imageSize = [data.height, data.width];
    if (base) {
      // Shapes are checked again here: a mismatch means training our own VAE after all.
      try {
        this.vae.restore(decodeNamed(base.weights), decodeNamed(base.optimizer));
        this.pending = 'start';
      } catch {
        this.vaeSteps = 0;
      }
    }
  }

  /** The model being trained now: the VAE in phase 1, the latent DDPM in phase 2. */
  get model(): TrainableModel {
    return this.ldm ?? this.vae;
  }

  protected get T(): number {
    return this.ldm?.schedule.T ?? this.cfg.timesteps;
  }

  protected override get ready(): boolean {
    return this.ldm !== null;
  }

  get batchSize(): number {
    return this.batches.batchSize;
  }

  get epoch(): number {
    return this.batches.epoch;
  }

  get notice(): WorkerNotice | undefined {
    return this.ldm ? undefined : { code: 'ldmVaePhase', steps: this.vaeSteps, of: VAE_PHASE_STEPS };
  }

  get checkpointable(): boolean {
    return this.ldm !== null;
  }

  consumePhaseChange(): boolean {
    const changed = this.phaseChanged;
    this.phaseChanged = false;
    return changed;
  }

  private buildDiffusion(latentScale: number | undefined): Ldm {
    this.ldm = new Ldm({
      autoencoder: this.vae,
      schedule: this.cfg.schedule,
      T: this.cfg.timesteps,
      learningRate: this.cfg.learningRate,
      seed: this.cfg.seed,
      latentScale,
    });
    return this.ldm;
  }

  /** Builds the diffusion model and reads the latents it draws, with asynchronous reads only (WebGPU has no sync ones). */
  async prepare(): Promise<void> {
    if (!this.pending) return;
    const held = this.data.heldOut(Math.min(SHOWN_POINTS, this.data.heldOutIndices.length));
    const x = tf.tensor2d(held.x, [held.indices.length, this.data.dim]);
    try {
      if (this.pending === 'start') {
        await this.buildDiffusion(undefined).measureLatentScale(x);
        this.phaseChanged = this.vaeSteps > 0;
      }
      const z = this.ldm!.latents(x);
      this.shownLatents = (await z.array()) as number[][];
      z.dispose();
    } finally {
      x.dispose();
      this.pending = null;
    }
  }

  step(): StepTensors {
    return trainOn(this.batches.next(), (x) => {
      if (this.ldm) return this.ldm.trainStep(x);
      if (++this.vaeSteps >= VAE_PHASE_STEPS && !this.pending) this.pending = 'start';
      return this.vae.trainStep(x);
    });
  }

  snapshots(step: number): Promise<TensorSnapshot[]> {
    const ldm = this.ldm;
    return ldm ? inspectSnapshots(this.batches.latest(), (b) => ldm.inspect(b), 'ldm', step, this.imageSize) : Promise.resolve([]);
  }

  protected async runReverse(opts: ReverseOptions): Promise<DiffusionView['reverse']> {
    const ldm = this.ldm!;
    const { sampler, steps } = reverseSteps(this.cfg, this.T, opts);
    const r = await ldm.sampleAsync({
      n: SAMPLES,
      sampler,
      steps,
      eta: opts.eta ?? this.cfg.eta,
      frames: REVERSE_FRAMES,
      seed: this.cfg.seed,
      useEma: this.useEma,
    });
    // Frames in the model's scaled latent units, like the forward picture and the data overlay.
    const scale = ldm.latentScale ?? 1;
    return {
      ts: r.ts,
      images: r.images,
      imageSize: this.imageSize,
      points: r.latents.map((f) => pairs(f.map((v) => v.map((c) => c * scale)))),
      sampler,
      steps,
    };
  }

  protected async view(step: number, reverse: DiffusionView['reverse'] | null): Promise<DiffusionView> {
    const ldm = this.ldm!;
    const ts = forwardLadder(this.T);
    return {
      step,
      T: this.T,
      schedule: scheduleArrays(ldm.schedule),
      forward: { ts, points: ts.map((t) => pairs(ldm.ddpm.forwardAt(this.shownLatents, t))) },
      reverse: reverse ?? this.emptyReverse(),
      data: pairs(this.shownLatents),
      lossByBucket: await ldm.ddpm.lossByBucketAsync(),
    };
  }

  async forwardAt(t: number): Promise<FromWorker> {
    const tt = clampT(t, this.T);
    if (!this.ldm) return { type: 'forwardAt', t: tt, points: [], meanCoef: 1, std: 0 };
    return { type: 'forwardAt', t: tt, points: pairs(this.ldm.ddpm.forwardAt(this.shownLatents, tt)), ...forwardCoefficients(this.ldm.schedule, tt) };
  }

  /** The VAE takes the autoencoder's live settings (its own phase), the latent DDPM the diffusion ones; both train on these batches. */
  configure(config: TrainConfig): void {
    const d = this.applySettings(config);
    this.ldm?.setLearningRate(d.learningRate);
    const a = config.autoencoder;
    this.vae.setLearningRate(a.learningRate);
    this.vae.beta = a.beta;
    this.batches.resize(a.batchSize);
  }

  /** The latent DDPM's learning rate only once it exists (phase 2). */
  applied(): Record<string, number | string> {
    const values: Record<string, number | string> = {
      ...this.samplingApplied(),
      learningRate: this.vae.learningRate,
      beta: this.vae.beta,
      batchSize: this.batches.batchSize,
    };
    if (this.ldm) values['diffusion.learningRate'] = this.ldm.learningRate;
    return values;
  }

  /** The frozen VAE and the latent scale travel in the checkpoint's extra state. */
  extraState(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    if (!this.ldm) return out;
    for (const [k, v] of this.ldm.extraState()) out.set(k, v);
    for (const [k, v] of this.vae.weights()) out.set(`vae/${k}`, v);
    this.scaleTensor?.dispose();
    this.scaleTensor = tf.tensor1d([this.ldm.latentScale ?? 1]);
    out.set('counters/latentScale', this.scaleTensor);
    return out;
  }

  restoreExtra(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void {
    const vaeWeights = new Map([...saved].filter(([k]) => k.startsWith('vae/')).map(([k, v]) => [k.slice('vae/'.length), v]));
    assignAll('VAE weights', this.vae.weights(), vaeWeights);
    this.ldm?.dispose();
    this.buildDiffusion(saved.get('counters/latentScale')?.values[0] ?? 1);
    this.pending = 'latents';
    this.ldm!.restoreExtra(new Map([...saved].filter(([k]) => !k.startsWith('vae/') && !k.startsWith('counters/'))), { step });
  }

  dispose(): void {
    this.scaleTensor?.dispose();
    this.ldm?.dispose();
    this.vae.dispose();
  }
}
