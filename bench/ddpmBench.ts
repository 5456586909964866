// Diffusion rows: 2D DDPM training (ours against stock TF.js), sampling 512 points with 1,000 ancestral steps and
// with DDIM 50, and U-Net image DDPM training at batch 32.
import * as tf from '@tensorflow/tfjs';
import { Ddpm2d } from '../src/models/ddpm2d';
import { DdpmImages } from '../src/models/ddpmImages';
import { useStockSlice } from '../src/models/kernels/wasmSlice';
import { benchTraining, firstLine, trainOurs, median, now, type BenchKind, type BenchOptions, type BenchRow, type Trainable, type Variant } from './benchCore';
import { StockDdpm2d } from './stockDdpm';
import { batcher, type BenchData } from './vaeBench';

export const DDPM_BATCH = 512;
export const UNET_BATCH = 32;
export const SAMPLE_POINTS = 512;
export const DDIM_STEPS = 50;
const T = 1000;

/** The stock comparator's activation: the same network on both sides (the lab's 2D default is ReLU). */
const STOCK_ACTIVATION = 'silu';

function oursDdpm2d(): Trainable {
  const m = new Ddpm2d({ dataset: 'swiss-roll', T, batchSize: DDPM_BATCH, seed: 1, activation: STOCK_ACTIVATION });
  return trainOurs(m, () => m.nextBatch());
}

function stockDdpm2d(): Trainable {
  const m = new StockDdpm2d(DDPM_BATCH, 1, T);
  return { step: () => m.trainStep(), dispose: () => m.dispose() };
}

export async function benchDdpm2dTraining(environment: string, opts: BenchOptions): Promise<BenchRow[]> {
  const rows = await benchTraining(
    'ddpm2d-train',
    environment,
    [
      { variant: 'ours', batchSize: DDPM_BATCH, make: oursDdpm2d },
      { variant: 'stock', batchSize: DDPM_BATCH, make: stockDdpm2d },
    ],
    opts,
  );
  for (const r of rows) r.detail = [r.detail, 'swiss roll, MLP 3x128 SiLU, T=1000, batch 512, EMA'].filter(Boolean).join('; ');
  return rows;
}

export interface SampleBenchOptions {
  /** At most this many DDIM runs per variant (median taken), fewer once `ddimBudgetMs` is spent. */
  ddimRuns: number;
  ddimBudgetMs: number;
  /** Also time the stock sampler. */
  stock: boolean;
  /** Ancestral runs per variant (mean taken). */
  ancestralRuns: number;
  /**
   * Time budget of the ancestral runs of one variant. When DDIM's time per step says the 1,000 steps would take
   * longer, only a prefix of them that fits is timed and scaled up (the row says so).
   */
  ancestralBudgetMs: number;
}

/** What a sampler needs from a model: one whole sample run. */
interface Sampler {
  variant: Variant;
  run(kind: 'ddpm' | 'ddim', steps: number): void;
  /** The first `steps` reverse steps of the ancestral sampler (for a slow backend). */
  runPrefix(steps: number): void;
  dispose(): void;
}

function oursSampler(): Sampler {
  const m = new Ddpm2d({ dataset: 'swiss-roll', T, batchSize: DDPM_BATCH, seed: 1, activation: STOCK_ACTIVATION });
  return {
    variant: 'ours',
    run: (kind, steps) => void m.sample({ n: SAMPLE_POINTS, sampler: kind, steps, frames: 2 }),
    runPrefix: (steps) => {
      const proc = m.reverseProcess({ n: SAMPLE_POINTS, sampler: 'ddpm' });
      try {
        for (let i = 0; i < steps; i++) proc.step();
        proc.x.dataSync();
      } finally {
        proc.dispose();
      }
    },
    dispose: () => m.dispose(),
  };
}

function stockSampler(): Sampler {
  const m = new StockDdpm2d(DDPM_BATCH, 1, T);
  return {
    variant: 'stock',
    run: (kind, steps) => void m.sample(SAMPLE_POINTS, kind, steps),
    runPrefix: (steps) => void m.sample(SAMPLE_POINTS, 'ddpm', 0, undefined, steps),
    dispose: () => m.dispose(),
  };
}

/**
 * Wall time of sampling 512 points with untrained weights (the cost does not depend on them): a one-step DDIM
 * run first (its time is the first-step figure: kernel compilation), then DDIM 50 (median of a few runs), then
 * ancestral over all 1,000 steps (or a prefix on a slow backend), ours and stock interleaved in ABBA order.
 */
export async function benchDdpm2dSampling(environment: string, opts: SampleBenchOptions): Promise<BenchRow[]> {
  const backend = tf.getBackend();
  const empty = tf.memory().numTensors;
  const makers = opts.stock ? [oursSampler, stockSampler] : [oursSampler];
  const samplers: Sampler[] = [];
  const rows: BenchRow[] = [];
  const row = (bench: BenchKind, variant: Variant): BenchRow => {
    let r = rows.find((x) => x.bench === bench && x.variant === variant);
    if (!r) rows.push((r = { bench, environment, backend, variant, ok: false }));
    return r;
  };
  const errors = new Map<Variant, string>();
  const timed = (s: Sampler, bench: BenchKind, f: () => void): number => {
    if (errors.has(s.variant)) return NaN;
    const before = tf.memory().numTensors;
    useStockSlice(s.variant === 'stock');
    const t0 = now();
    try {
      f();
    } catch (e) {
      errors.set(s.variant, `sampling failed: ${firstLine(e)}`);
      return NaN;
    }
    const ms = now() - t0;
    const r = row(bench, s.variant);
    r.tensorGrowth = (r.tensorGrowth ?? 0) + tf.memory().numTensors - before;
    return ms;
  };
  for (const make of makers) {
    try {
      samplers.push(make());
    } catch (e) {
      const variant: Variant = make === oursSampler ? 'ours' : 'stock';
      errors.set(variant, `model failed: ${firstLine(e)}`);
    }
  }
  const first = new Map<Variant, number>();
  for (const s of samplers)
    first.set(
      s.variant,
      timed(s, 'ddpm2d-sample-ddim', () => s.run('ddim', 1)),
    );

  // Runs alternate in ABBA order (ours, stock, stock, ours...), so a steady drift of the machine's load cancels.
  const inTurn = (k: number) => (k % 2 ? [...samplers].reverse() : samplers);
  const ddim = new Map<Variant, number[]>(samplers.map((s) => [s.variant, []]));
  const ddimStart = now();
  for (let k = 0; k < opts.ddimRuns && (k === 0 || now() - ddimStart < opts.ddimBudgetMs); k++) {
    for (const s of inTurn(k)) ddim.get(s.variant)!.push(timed(s, 'ddpm2d-sample-ddim', () => s.run('ddim', DDIM_STEPS)));
  }

  const runs = new Map<Variant, { ms: number[]; steps: number }>();
  for (const s of samplers) {
    const d = ddim.get(s.variant)!.filter(Number.isFinite);
    const perStep = d.length ? median(d) / DDIM_STEPS : 0;
    const budget = opts.ancestralBudgetMs / opts.ancestralRuns;
    runs.set(s.variant, { ms: [], steps: perStep * T > budget ? Math.max(20, Math.min(T, Math.round(budget / perStep))) : T });
  }
  for (let k = 0; k < opts.ancestralRuns; k++) {
    for (const s of inTurn(k)) {
      const r = runs.get(s.variant)!;
      r.ms.push(timed(s, 'ddpm2d-sample-ancestral', () => (r.steps < T ? s.runPrefix(r.steps) : s.run('ddpm', T))));
    }
  }
  const ancestral = new Map<Variant, { ms: number; steps: number; runs: number }>();
  for (const [variant, r] of runs) ancestral.set(variant, { ms: (median(r.ms) * T) / r.steps, steps: r.steps, runs: r.ms.length });

  for (const s of samplers) {
    const before = tf.memory().numTensors;
    s.dispose();
    const alive = before - tf.memory().numTensors;
    const fill = (bench: BenchKind, ms: number, steps: number, note: string) => {
      const r = row(bench, s.variant);
      r.tensorsAlive = alive;
      r.firstStepMs = first.get(s.variant);
      if (errors.has(s.variant) || !Number.isFinite(ms)) {
        r.detail = errors.get(s.variant) ?? 'not run';
        return;
      }
      r.ok = true;
      r.wallMs = ms;
      r.steps = steps;
      r.stepMs = ms / (bench === 'ddpm2d-sample-ancestral' ? T : DDIM_STEPS);
      r.samplesPerSec = (1000 * SAMPLE_POINTS) / ms;
      r.detail = note;
    };
    const a = ancestral.get(s.variant);
    if (a) {
      const what = a.steps < T ? `extrapolated from the first ${a.steps} steps` : 'all steps';
      fill('ddpm2d-sample-ancestral', a.ms, a.steps * a.runs, `512 points x 1000 steps, ${what}, mean of ${a.runs} run(s)`);
    }
    const d = ddim.get(s.variant)!;
    fill('ddpm2d-sample-ddim', d.length ? median(d) : NaN, d.length * DDIM_STEPS, `512 points x ${DDIM_STEPS} steps, median of ${d.length} run(s)`);
  }
  for (const [variant, why] of errors) if (!rows.some((r) => r.variant === variant)) row('ddpm2d-sample-ancestral', variant).detail = why;
  for (const r of rows) r.tensorsAfterDispose = tf.memory().numTensors - empty;
  return rows;
}

function oursUnet(data: BenchData, imageSize: number): Trainable {
  return trainOurs(new DdpmImages({ seed: 1, imageSize }), batcher(data, UNET_BATCH));
}

/** 28x28 images at 8x8, the 8x8 digits' size: the centre 24x24, mean-pooled 3x3. */
function pooledTo8x8(data: BenchData): BenchData {
  if (data.dim !== 784) throw new Error(`expected 28x28 images, got ${data.dim} pixels`);
  const images = new Float32Array(data.count * 64);
  for (let n = 0; n < data.count; n++) {
    for (let i = 0; i < 64; i++) {
      const y0 = 2 + 3 * (i >> 3),
        x0 = 2 + 3 * (i & 7);
      let sum = 0;
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) sum += data.images[n * 784 + (y0 + dy) * 28 + x0 + dx];
      images[n * 64 + i] = sum / 9;
    }
  }
  return { images, count: data.count, dim: 64, source: `${data.source}, pooled to 8x8` };
}

/** U-Net DDPM training at 28x28 (MNIST), or at 8x8 (the lab's fast image DDPM). */
export async function benchUnet(environment: string, data: BenchData, opts: BenchOptions, imageSize: 28 | 8 = 28): Promise<BenchRow[]> {
  const kind = imageSize === 28 ? 'unet-train' : 'unet8-train';
  const images = imageSize === 28 ? data : pooledTo8x8(data);
  // The U-Net is autodiff of plain TF.js ops either way: 'stock' is the same model on TF.js's own wasm Slice
  // and SplitV kernels, so the ratio is what the in-place kernels (src/models/kernels/wasmSlice.ts) bring.
  const make = () => oursUnet(images, imageSize);
  const variants: Variant[] = tf.getBackend() === 'wasm' ? ['ours', 'stock'] : ['ours'];
  const candidates = variants.map((variant) => ({ variant, batchSize: UNET_BATCH, make }));
  const rows = await benchTraining(kind, environment, candidates, opts);
  for (const r of rows) {
    const kernels = r.variant === 'stock' ? "the same U-Net on TF.js's stock Slice/SplitV kernels" : '';
    r.detail = [r.detail, kernels, `U-Net 16/32 channels, ${imageSize}x${imageSize}, batch ${UNET_BATCH}`, images.source].filter(Boolean).join('; ');
  }
  return rows;
}
