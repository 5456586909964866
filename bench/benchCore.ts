// The timing machinery every training row shares: warm up, then time a few windows of whole steps (each window
// ends by reading the loss, so GPU backends are measured to completion), with the windows of the candidates
// interleaved so a change in machine load hits all of them alike.
import * as tf from '@tensorflow/tfjs';
import { useStockSlice } from '../src/models/kernels/wasmSlice';
import type { StepTensors } from '../src/models/types';

export type Variant = 'ours' | 'stock';

/** Which benchmark a row belongs to. */
export type BenchKind = 'vae-train' | 'ddpm2d-train' | 'ddpm2d-sample-ancestral' | 'ddpm2d-sample-ddim' | 'unet-train' | 'unet8-train' | 'hover';

export interface BenchOptions {
  warmupSteps: number;
  windows: number;
  /** A window runs whole steps until it has lasted at least this long. */
  windowMs: number;
}

export interface BenchRow {
  bench: BenchKind;
  environment: string;
  backend: string;
  variant: string;
  ok: boolean;
  samplesPerSec?: number;
  stepsPerSec?: number;
  /** Wall time of one whole run (sampling rows). */
  wallMs?: number;
  /** Median ms per step over the timed windows (training rows); ms per reverse step (sampling rows). */
  stepMs?: number;
  /** First training step, or first reverse step of a one-step warm-up sample (kernel compilation, wasm start). */
  firstStepMs?: number;
  steps?: number;
  finalLoss?: number;
  /** Tensors the model held after the run (weights + optimizer slots), freed by its dispose(). */
  tensorsAlive?: number;
  /** Change in tf.memory().numTensors over the timed part (all candidates): a leak shows here. */
  tensorGrowth?: number;
  /** Tensors left once every model of the row's group is disposed. */
  tensorsAfterDispose?: number;
  /** Hover rows: latency percentiles. */
  p50Ms?: number;
  p95Ms?: number;
  detail?: string;
}

/** A model being benchmarked: one training step returns the loss scalar (the caller reads and disposes it). */
export interface Trainable {
  step(): tf.Scalar;
  dispose(): void;
}

/** One of our models as a Trainable: each step trains on a fresh batch from `next`, then frees it and the loss terms. */
export function trainOurs(model: { trainStep(batch: tf.Tensor2D): StepTensors; dispose(): void }, next: () => tf.Tensor2D): Trainable {
  return {
    step: () => {
      const x = next();
      try {
        const s = model.trainStep(x);
        tf.dispose(Object.values(s.terms));
        return s.loss;
      } finally {
        x.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

export interface Candidate {
  variant: Variant;
  make: () => Trainable;
  /** Samples per step (the batch size). */
  batchSize: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const now = (): number => performance.now();

class Runner {
  readonly perStep: number[] = [];
  firstStepMs = NaN;
  steps = 0;
  lastLoss = NaN;
  error: string | null = null;

  constructor(
    readonly candidate: Candidate,
    readonly model: Trainable,
  ) {}

  private step(): tf.Scalar {
    useStockSlice(this.candidate.variant === 'stock');
    this.steps++;
    return this.model.step();
  }

  private async finish(loss: tf.Scalar): Promise<void> {
    this.lastLoss = (await loss.data())[0];
    loss.dispose();
  }

  async warmUp(steps: number): Promise<void> {
    const t0 = now();
    await this.finish(this.step());
    this.firstStepMs = now() - t0;
    for (let i = 1; i < steps; i++) await this.finish(this.step());
  }

  /**
   * Whole steps until `ms` have passed. At most two steps are in flight: GPU backends queue work
   * asynchronously, and an unbounded queue would make the window run far past `ms`.
   */
  async window(ms: number): Promise<void> {
    const t0 = now();
    let n = 0;
    const inFlight: { loss: tf.Scalar; read: Promise<unknown> }[] = [];
    do {
      const loss = this.step();
      inFlight.push({ loss, read: loss.data() });
      n++;
      if (inFlight.length > 2) await this.finishQueued(inFlight.shift()!);
    } while (now() - t0 < ms);
    while (inFlight.length) await this.finishQueued(inFlight.shift()!);
    this.perStep.push((now() - t0) / n);
  }

  private async finishQueued(q: { loss: tf.Scalar; read: Promise<unknown> }): Promise<void> {
    this.lastLoss = ((await q.read) as Float32Array)[0];
    q.loss.dispose();
  }
}

/**
 * Benchmarks the candidates on the active backend with their timed windows interleaved (ours, stock, ours,
 * stock...), then disposes the models, counting the tensors each held.
 */
export async function benchTraining(bench: BenchKind, environment: string, candidates: Candidate[], opts: BenchOptions): Promise<BenchRow[]> {
  const backend = tf.getBackend();
  const empty = tf.memory().numTensors;
  const runners: Runner[] = [];
  const rows: BenchRow[] = [];
  for (const c of candidates) {
    try {
      runners.push(new Runner(c, c.make()));
    } catch (e) {
      rows.push({ bench, environment, backend, variant: c.variant, ok: false, detail: `model failed: ${firstLine(e)}` });
    }
  }
  const guard = async (r: Runner, f: () => Promise<void>) => {
    if (r.error) return;
    try {
      await f();
    } catch (e) {
      r.error = `training failed: ${firstLine(e)}`;
    }
  };
  for (const r of runners) await guard(r, () => r.warmUp(opts.warmupSteps));
  const countAfterWarmUp = tf.memory().numTensors;
  for (let w = 0; w < opts.windows; w++) for (const r of runners) await guard(r, () => r.window(opts.windowMs));
  const tensorGrowth = tf.memory().numTensors - countAfterWarmUp;
  for (const r of runners) {
    const { variant, batchSize } = r.candidate;
    const row: BenchRow = { bench, environment, backend, variant, ok: false, steps: r.steps };
    const before = tf.memory().numTensors;
    r.model.dispose();
    row.tensorsAlive = before - tf.memory().numTensors;
    row.tensorGrowth = tensorGrowth;
    if (r.error) row.detail = r.error;
    else if (!Number.isFinite(r.lastLoss)) row.detail = `loss is ${r.lastLoss}`;
    else {
      row.ok = true;
      row.firstStepMs = r.firstStepMs;
      row.stepMs = median(r.perStep);
      row.stepsPerSec = 1000 / row.stepMs;
      row.samplesPerSec = (1000 * batchSize) / row.stepMs;
      row.finalLoss = r.lastLoss;
    }
    rows.push(row);
  }
  for (const row of rows) row.tensorsAfterDispose = tf.memory().numTensors - empty;
  return rows;
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
