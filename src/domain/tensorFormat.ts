// How a tensor snapshot reads wherever it is shown (the sidebar's cards and the editor hovers): its shape,
// its numbers, its statistics, its step, and which kind of picture draws its preview. Pure: no DOM, no vscode.
import type { TensorSnapshot, TensorStats } from './tensors';

/** Significant digits of a tensor's numbers where there is room for them (hover, tensor card). */
export const NUMBER_DIGITS = 4;
/** Significant digits where room is short: chart labels and the pipeline's cards. */
export const LABEL_DIGITS = 3;

/** `[128, 784]`: the notation of TF.js and NumPy, so a shape reads as it prints in code. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A number with NUMBER_DIGITS significant digits (see formatDigits). */
export function formatNumber(v: number): string {
  return formatDigits(v, NUMBER_DIGITS);
}

/**
 * A number with `digits` significant digits, trailing zeros dropped; exponent form when it rounds to 1e5 or more
 * or is below 1e-3, with at most 3 significant digits (the exponent already costs 3 or 4 characters).
 */
export function formatDigits(v: number, digits: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const rounded = Number(v.toPrecision(Math.max(1, digits)));
  const a = Math.abs(rounded);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, Math.min(digits, 3) - 1)).replace(/\.?0+e/, 'e');
  return String(rounded);
}

/** A training step with thousands separators, the same in every language: `step 12,400`. */
export function formatStep(step: number): string {
  return step.toLocaleString('en-US');
}

export const STAT_KEYS = ['mean', 'std', 'min', 'max'] as const;
export type StatKey = (typeof STAT_KEYS)[number];

/** The statistics in the order they are shown, each formatted; the caller adds the (localised) labels. */
export function formatStats(stats: TensorStats, digits = NUMBER_DIGITS): Array<[StatKey, string]> {
  return STAT_KEYS.map((k) => [k, formatDigits(stats[k], digits)]);
}

/**
 * How a preview is drawn: a grey image, a signed heatmap of a matrix, a scatter of rows of two, a histogram
 * of the values (vectors, and whatever has no better picture), or one number.
 */
export type PictureKind = 'image' | 'matrix' | 'points' | 'histogram' | 'scalar';

/** Tensors that hold pictures (of data, reconstructions or noise on images) rather than activations. */
const IMAGE_TENSORS = new Set(['x', 'x_hat', 'x_0', 'x_t', 'eps', 'eps_theta', 'posterior_mean']);

export function pictureKind(s: TensorSnapshot): PictureKind {
  const { shape, data } = s.preview;
  if (data.length <= 1) return 'scalar';
  if (shape.length !== 2) return 'histogram';
  const [rows, cols] = shape;
  if (cols === 2 && rows > 2) return 'points';
  // A row or a column is a vector: its histogram says more than a one-pixel strip.
  if (rows < 2 || cols < 2 || data.length < rows * cols) return 'histogram';
  return IMAGE_TENSORS.has(s.name) && rows > 2 && cols > 2 ? 'image' : 'matrix';
}

/** The one number of a scalar snapshot. */
export function scalarValue(s: TensorSnapshot): number {
  return s.preview.data.length > 0 ? s.preview.data[0] : s.stats.mean;
}

/** An image preview as grey levels in [0, 1]: images in [-1, 1] (the diffusion convention) are mapped to [0, 1]. */
export function greyLevels(s: TensorSnapshot): number[] {
  const signed = s.stats.min < -0.01;
  return s.preview.data.map((v) => Math.min(1, Math.max(0, signed ? (v + 1) / 2 : v)));
}
