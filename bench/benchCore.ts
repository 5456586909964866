// One benchmark row: train a VAE 784-512-2 at batch 128 on the active backend, warm up, then time a few
// windows of steps (each window ends by reading the loss, so GPU backends are measured to completion).
import * as tf from '@tensorflow/tfjs';
import { Vae } from '../src/models/vae';
import { StockVae } from './stockVae';

export type Variant = 'ours' | 'stock';

export interface BenchOptions {
  batchSize: number;
  warmupSteps: number;
  windows: number;
  /** A window runs whole steps until it has lasted at least this long. */
  windowMs: number;
}

export const FULL: BenchOptions = { batchSize: 128, warmupSteps: 2, windows: 3, windowMs: 1500 };
export const QUICK: BenchOptions = { batchSize: 128, warmupSteps: 1, windows: 2, windowMs: 300 };

export interface BenchRow {
  environment: string;
  backend: string;
  variant: Variant;
  ok: boolean;
  samplesPerSec?: number;
  firstStepMs?: number;
  /** Median ms per step over the timed windows. */
  stepMs?: number;
  steps?: number;
  finalLoss?: number;
  /** Tensors the model held after the run (weights + optimizer slots), freed by its dispose(). */
  tensorsAlive?: number;
  /** Change in tf.memory().numTensors over the timed windows (both models): a leak shows here. */
  tensorGrowth?: number;
  /** Tensors left once both models are disposed. */
  tensorsAfterDispose?: number;
  detail?: string;
}

/** Batches of images: a training set as one Float32Array of `count` rows of `dim`. */
export interface BenchData {
  images: Float32Array;
  count: number;
  dim: number;
  source: string;
}

export function randomData(count = 1024, dim = 784): BenchData {
  const images = new Float32Array(count * dim);
  let s = 12345;
  for (let i = 0; i < images.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    images[i] = (s >>> 8) / 16777216 < 0.13 ? 1 : 0; // MNIST-like ink density
  }
  return { images, count, dim, source: 'random binary images' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const now = () => performance.now();

/** One model being benchmarked: a step that uploads a batch, trains, and returns the loss scalar. */
class Runner {
  readonly model: Vae | StockVae;
  readonly perStep: number[] = [];
  firstStepMs = NaN;
  steps = 0;
  lastLoss = NaN;
  error: string | null = null;
  private cursor = 0;

  constructor(readonly variant: Variant, private readonly data: BenchData, private readonly batchSize: number) {
    this.model = variant === 'ours' ? new Vae({ inputDim: data.dim, hiddenDim: 512, latentDim: 2, seed: 1 }) : new StockVae(data.dim, 512, 2, 1);
  }

  private step(): tf.Scalar {
    const batches = Math.floor(this.data.count / this.batchSize);
    const start = (this.cursor++ % batches) * this.batchSize * this.data.dim;
    const x = tf.tensor2d(this.data.images.subarray(start, start + this.batchSize * this.data.dim), [this.batchSize, this.data.dim]);
    let loss: tf.Scalar;
    try {
      if (this.model instanceof Vae) {
        const out = this.model.trainStep(x);
        tf.dispose(Object.values(out.terms));
        loss = out.loss;
      } else {
        loss = this.model.trainStep(x);
      }
    } finally {
      x.dispose();
    }
    this.steps++;
    return loss;
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
 * Benchmarks ours and stock on the active backend with their timed windows interleaved
 * (ours, stock, ours, stock...), so a change in machine load hits both and their ratio stays fair.
 */
export async function benchBackend(environment: string, data: BenchData, opts: BenchOptions): Promise<BenchRow[]> {
  const backend = tf.getBackend();
  const empty = tf.memory().numTensors;
  const runners = (['ours', 'stock'] as const).map((v) => new Runner(v, data, opts.batchSize));
  const guard = async (r: Runner, f: () => Promise<void>) => {
    if (r.error) return;
    try {
      await f();
    } catch (e) {
      r.error = `training failed: ${(e as Error).message.split('\n')[0]}`;
    }
  };
  for (const r of runners) await guard(r, () => r.warmUp(opts.warmupSteps));
  const countAfterWarmUp = tf.memory().numTensors;
  for (let w = 0; w < opts.windows; w++) for (const r of runners) await guard(r, () => r.window(opts.windowMs));
  const tensorGrowth = tf.memory().numTensors - countAfterWarmUp;
  const rows: BenchRow[] = [];
  for (const r of runners) {
    const row: BenchRow = { environment, backend, variant: r.variant, ok: false, steps: r.steps };
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
      row.samplesPerSec = (1000 * opts.batchSize) / row.stepMs;
      row.finalLoss = r.lastLoss;
    }
    rows.push(row);
  }
  for (const row of rows) row.tensorsAfterDispose = tf.memory().numTensors - empty;
  return rows;
}
