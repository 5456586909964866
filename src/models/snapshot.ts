// Turns a tensor's values into a TensorSnapshot: stats, a histogram and a small preview (an image, a
// block-averaged matrix, a vector or a scalar), cheap to post to the UI and to the extension.
import type * as tf from '@tensorflow/tfjs';
import type { Histogram, TensorSnapshot, TensorStats } from '../domain/tensors';
import type { ModelKind } from '../domain/config';

export const HISTOGRAM_BINS = 24;
export const MAX_MATRIX_PREVIEW = 16;
export const MAX_VECTOR_PREVIEW = 64;
/** 2D points (rows of two: 2D latents, 2D data) keep their first rows unaveraged, to be drawn as a cloud. */
export const MAX_POINTS_PREVIEW = 128;

export interface SnapshotOptions {
  /** [h, w] of one image: a [B, h*w] tensor previews its first row as an image. 784 is taken as 28x28 unless told. */
  imageSize?: [number, number];
  bins?: number;
}

type Values = Float32Array | Int32Array | Uint8Array | number[];

/** Mean, population std, min and max; all NaN when any value is NaN. */
export function statsOf(values: Values): TensorStats {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return { mean: NaN, std: NaN, min: NaN, max: NaN };
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2; // two passes: no cancellation for large means
  return { mean, std: Math.sqrt(sq / n), min, max };
}

/** Equal-width bins over [min, max] of the finite values; a constant tensor puts everything in the first bin. */
export function histogramOf(values: Values, bins = HISTOGRAM_BINS): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, counts };
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0;
    counts[b]++;
  }
  return { min, max, counts };
}

/** Averages a rows x cols matrix into at most maxRows x maxCols blocks (block edges at floor(k * n / out)). */
export function blockAverage(values: Values, rows: number, cols: number, maxRows: number, maxCols: number): { shape: [number, number]; data: number[] } {
  const outR = Math.min(rows, maxRows);
  const outC = Math.min(cols, maxCols);
  const data = new Array<number>(outR * outC);
  for (let r = 0; r < outR; r++) {
    const r0 = Math.floor((r * rows) / outR);
    const r1 = Math.floor(((r + 1) * rows) / outR);
    for (let c = 0; c < outC; c++) {
      const c0 = Math.floor((c * cols) / outC);
      const c1 = Math.floor(((c + 1) * cols) / outC);
      let s = 0;
      for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) s += values[i * cols + j];
      data[r * outC + c] = s / ((r1 - r0) * (c1 - c0));
    }
  }
  return { shape: [outR, outC], data };
}

/** The preview rules: scalar -> [1]; vector -> at most 64 entries; [B, h*w] images -> first image; [B, 2] -> up to 128 points; else a <= 16x16 matrix. */
export function previewOf(values: Values, shape: readonly number[], imageSize?: [number, number]): { shape: number[]; data: number[] } {
  const size = values.length;
  if (shape.length === 0 || size === 1) return { shape: [1], data: [Number(values[0] ?? NaN)] };
  if (shape.length === 1) {
    const { data } = blockAverage(values, 1, size, 1, MAX_VECTOR_PREVIEW);
    return { shape: [data.length], data };
  }
  const rowLen = shape.slice(1).reduce((p, q) => p * q, 1);
  const image = imageSize ?? (rowLen === 784 ? ([28, 28] as [number, number]) : undefined);
  if (image && image[0] * image[1] === rowLen) {
    return { shape: [image[0], image[1]], data: Array.from(values.slice(0, rowLen), Number) };
  }
  if (rowLen === 2) {
    const n = Math.min(shape[0], MAX_POINTS_PREVIEW);
    return { shape: [n, 2], data: Array.from(values.slice(0, 2 * n), Number) };
  }
  return blockAverage(values, shape[0], rowLen, MAX_MATRIX_PREVIEW, MAX_MATRIX_PREVIEW);
}

export function snapshotOf(
  name: string,
  model: ModelKind,
  step: number,
  values: Values,
  shape: readonly number[],
  dtype: 'float32' | 'int32',
  opts: SnapshotOptions = {},
): TensorSnapshot {
  return {
    name,
    model,
    step,
    shape: [...shape],
    dtype,
    stats: statsOf(values),
    histogram: histogramOf(values, opts.bins),
    preview: previewOf(values, shape, opts.imageSize),
  };
}

/**
 * Snapshots of every tensor in `named`, reading each once with `await data()` (WebGPU has no dataSync),
 * all reads in flight together. Disposes nothing: the caller owns the tensors.
 */
export async function snapshotTensors(
  named: Record<string, tf.Tensor>,
  model: ModelKind,
  step: number,
  imageSize?: [number, number],
): Promise<TensorSnapshot[]> {
  const entries = Object.entries(named);
  const arrays = await Promise.all(entries.map(([, t]) => t.data()));
  return entries.map(([name, t], i) => {
    const values = arrays[i] as Float32Array | Int32Array | Uint8Array;
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    return snapshotOf(name, model, step, values, t.shape, dtype, { imageSize });
  });
}
