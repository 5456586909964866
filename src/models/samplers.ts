// Reverse processes of a diffusion model: DDPM ancestral sampling and DDIM (any step count, any eta).
// A ReverseProcess advances one step per `step()` call and holds the current x as its only live tensor,
// so a worker can interleave steps with messages and read frames whenever it likes; `runSampler` and
// `runSamplerAsync` drive one to the end and return the frames as plain arrays.
import * as tf from '@tensorflow/tfjs';
import type { SamplerKind } from '../domain/config';
import { deriveSeed, mulberry32, normalSamples } from './random';
import type { Schedule } from './schedules';

/** eps_theta(x_t, t) with t the 0-based timestep index (paper t minus 1), as a [B] float tensor. */
export type EpsFn = (xt: tf.Tensor2D, tIndex: tf.Tensor1D) => tf.Tensor2D;

export interface SamplerOptions {
  sampler: SamplerKind;
  /** DDIM step count (DDPM always takes all T). */
  steps?: number;
  /** DDIM noise scale: 0 deterministic, 1 DDPM's posterior variance. */
  eta?: number;
  /** Seed of the start noise and of every step's noise. */
  seed?: number;
  /** Clip the predicted x_0 to [-clipX0, clipX0] (images live in [-1, 1]); undefined: no clipping. */
  clipX0?: number;
}

/** Timestep indices visited, from T-1 down to 0: all of them for DDPM, `steps` evenly spaced for DDIM. */
export function samplingTimesteps(schedule: Schedule, sampler: SamplerKind, steps?: number): number[] {
  const T = schedule.T;
  const n = sampler === 'ddpm' ? T : Math.max(1, Math.min(T, Math.round(steps ?? 50)));
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.floor((i * T) / n));
  // Evenly spaced from 0 with the last one at T-1, so sampling always starts from the noisiest level.
  const shift = T - 1 - out[n - 1];
  return out.map((t) => t + shift).reverse();
}

/** alphaBar at index t, with alphaBar = 1 for t < 0 (the clean data). */
function alphaBarAt(schedule: Schedule, t: number): number {
  return t < 0 ? 1 : schedule.alphaBars[t];
}

/**
 * DDIM's per-step noise std for the jump from index t to tPrev (tPrev = -1 at the end):
 * sigma = eta sqrt((1 - aPrev) / (1 - a)) sqrt(1 - a / aPrev). With eta = 1 and tPrev = t - 1, sigma^2 = beta~_t.
 */
export function ddimSigma(schedule: Schedule, t: number, tPrev: number, eta: number): number {
  // 1 - alphaBar from its stored square root: accurate when tiny, where 1 minus a float32 alphaBar near 1
  // would lose most digits.
  const oneMinusA = schedule.sqrtOneMinusAlphaBars[t] ** 2;
  const oneMinusAPrev = tPrev < 0 ? 0 : schedule.sqrtOneMinusAlphaBars[tPrev] ** 2;
  // 1 - a / aPrev = 1 - prod (1 - beta_s) over the skipped steps, accumulated from the betas themselves.
  let oneMinusRatio = 0;
  for (let s = tPrev + 1; s <= t; s++) oneMinusRatio += schedule.betas[s] * (1 - oneMinusRatio);
  return eta * Math.sqrt((oneMinusAPrev / oneMinusA) * oneMinusRatio);
}

export class ReverseProcess {
  readonly timesteps: number[];
  /** Steps taken so far (0 .. timesteps.length). */
  stepsDone = 0;
  private xCurrent: tf.Tensor2D;
  private readonly eta: number;
  private readonly seed: number;

  /** Takes ownership of xT (pure noise, [n, dim]) and disposes it as the process moves on. */
  constructor(
    private readonly eps: EpsFn,
    readonly schedule: Schedule,
    xT: tf.Tensor2D,
    private readonly opts: SamplerOptions,
  ) {
    this.timesteps = samplingTimesteps(schedule, opts.sampler, opts.steps);
    this.eta = opts.sampler === 'ddpm' ? 1 : (opts.eta ?? 0);
    this.seed = opts.seed ?? 0;
    this.xCurrent = xT;
  }

  /** Start noise x_T ~ N(0, I) from a seed. */
  static noise(n: number, dim: number, seed: number): tf.Tensor2D {
    return tf.tensor2d(normalSamples(n * dim, mulberry32(deriveSeed(seed, 0x7fffffff))), [n, dim]);
  }

  get totalSteps(): number {
    return this.timesteps.length;
  }

  get done(): boolean {
    return this.stepsDone >= this.timesteps.length;
  }

  /** Current sample (owned by the process: clone it to keep it past the next step). */
  get x(): tf.Tensor2D {
    return this.xCurrent;
  }

  /** Paper timestep of the current x: T at the start, 0 once done. */
  get t(): number {
    return this.done ? 0 : this.timesteps[this.stepsDone] + 1;
  }

  step(): void {
    if (this.done) return;
    const i = this.stepsDone;
    const t = this.timesteps[i];
    const tPrev = i + 1 < this.timesteps.length ? this.timesteps[i + 1] : -1;
    const [n, dim] = this.xCurrent.shape;
    const next = tf.tidy(() => {
      const x = this.xCurrent;
      const epsHat = this.eps(x, tf.fill([n], t) as tf.Tensor1D);
      const a = alphaBarAt(this.schedule, t),
        aPrev = alphaBarAt(this.schedule, tPrev);
      // x_0 predicted from x_t and eps_theta by inverting q(x_t | x_0).
      let x0 = tf.div(tf.sub(x, tf.mul(epsHat, Math.sqrt(1 - a))), Math.sqrt(a));
      if (this.opts.clipX0 !== undefined) x0 = tf.clipByValue(x0, -this.opts.clipX0, this.opts.clipX0);
      const sigma = tPrev < 0 ? 0 : ddimSigma(this.schedule, t, tPrev, this.eta);
      let xPrev: tf.Tensor;
      if (this.opts.sampler === 'ddpm') {
        // Mean of q(x_{t-1} | x_t, x_0 = x0_hat); its variance beta~_t equals DDIM's sigma^2 at eta = 1.
        xPrev = tf.add(tf.mul(x0, this.schedule.posteriorMeanCoefX0[t]), tf.mul(x, this.schedule.posteriorMeanCoefXt[t]));
      } else {
        // Re-derive eps from the (possibly clipped) x0 so the direction term agrees with it.
        const epsDir = this.opts.clipX0 === undefined ? epsHat : tf.div(tf.sub(x, tf.mul(x0, Math.sqrt(a))), Math.sqrt(1 - a));
        xPrev = tf.add(tf.mul(x0, Math.sqrt(aPrev)), tf.mul(epsDir, Math.sqrt(Math.max(0, 1 - aPrev - sigma * sigma))));
      }
      if (sigma > 0) {
        const z = tf.tensor2d(normalSamples(n * dim, mulberry32(deriveSeed(this.seed, i + 1))), [n, dim]);
        xPrev = tf.add(xPrev, tf.mul(z, sigma));
      }
      return xPrev as tf.Tensor2D;
    });
    this.xCurrent.dispose();
    this.xCurrent = next;
    this.stepsDone++;
  }

  dispose(): void {
    this.xCurrent.dispose();
  }
}

/** Step counts (0 = start noise, total = final sample) at which `frames` evenly spaced frames are taken. */
export function frameSteps(totalSteps: number, frames: number): number[] {
  const f = Math.max(2, Math.min(frames, totalSteps + 1));
  const out = new Set<number>();
  for (let k = 0; k < f; k++) out.add(Math.round((k * totalSteps) / (f - 1)));
  return [...out].sort((a, b) => a - b);
}

export interface SampleResult {
  /** Paper timestep of each frame: T (pure noise) down to 0 (the sample). */
  ts: number[];
  /** frames[k][i] is item i at frame k, as a plain array of dim numbers. */
  frames: number[][][];
}

export interface RunSamplerOptions extends SamplerOptions {
  n: number;
  dim: number;
  /** Number of frames to keep, start and end included (default 2: the noise and the sample). */
  frames?: number;
  /** Start noise; a seeded N(0, I) when not given (it is not disposed here). */
  xT?: tf.Tensor2D;
}

function startProcess(eps: EpsFn, schedule: Schedule, opts: RunSamplerOptions): ReverseProcess {
  const xT = opts.xT ? opts.xT.clone() : ReverseProcess.noise(opts.n, opts.dim, opts.seed ?? 0);
  return new ReverseProcess(eps, schedule, xT, opts);
}

/** Steps a reverse process to its end, yielding its state at the `frames` kept steps (the caller reads each). */
function* keptStates(proc: ReverseProcess, frames: number): Generator<{ t: number; x: tf.Tensor2D }> {
  const keep = new Set(frameSteps(proc.totalSteps, frames));
  for (;;) {
    if (keep.has(proc.stepsDone)) yield { t: proc.t, x: proc.x };
    if (proc.done) return;
    proc.step();
  }
}

/** Runs a whole reverse process, reading frames synchronously (cpu, wasm, webgl). */
export function runSampler(eps: EpsFn, schedule: Schedule, opts: RunSamplerOptions): SampleResult {
  const proc = startProcess(eps, schedule, opts);
  const result: SampleResult = { ts: [], frames: [] };
  try {
    for (const { t, x } of keptStates(proc, opts.frames ?? 2)) {
      result.ts.push(t);
      result.frames.push(x.arraySync());
    }
  } finally {
    proc.dispose();
  }
  return result;
}

/** As runSampler, reading frames with `await array()` (needed on WebGPU) and so yielding to the event loop per frame. */
export async function runSamplerAsync(eps: EpsFn, schedule: Schedule, opts: RunSamplerOptions): Promise<SampleResult> {
  const proc = startProcess(eps, schedule, opts);
  const result: SampleResult = { ts: [], frames: [] };
  try {
    for (const { t, x } of keptStates(proc, opts.frames ?? 2)) {
      result.ts.push(t);
      result.frames.push((await x.array()) as number[][]);
    }
  } finally {
    proc.dispose();
  }
  return result;
}
