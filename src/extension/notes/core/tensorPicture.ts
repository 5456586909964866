// A small picture of a tensor snapshot as an SVG data URI for a hover, of the kind the sidebar draws too
// (src/domain/tensorFormat.ts decides): a grey image, a signed heatmap, a scatter or a histogram.
import { greyLevels, pictureKind } from '../../../domain/tensorFormat';
import type { TensorSnapshot } from '../../../domain/tensors';
import { svgDataUri } from './render';

export interface TensorPicture {
  kind: 'heatmap' | 'histogram' | 'scatter';
  dataUri: string;
  width: number;
  height: number;
}

export interface PictureOptions {
  /** Bar colour of histograms (the theme's foreground suits). */
  color?: string;
  maxSide?: number;
}

type Rgb = [number, number, number];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

const hex = (c: Rgb): string => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const BLUE: Rgb = [59, 111, 212];
const RED: Rgb = [212, 85, 59];
const MID: Rgb = [136, 136, 136];

const LEVELS = 32;

/** Grey ramp over [0, 1] (an image's grey levels), in LEVELS steps so runs of one colour can merge. */
function greyScale(v: number): string {
  if (!Number.isFinite(v)) return hex(BLACK);
  return hex(mix(BLACK, WHITE, Math.round(Math.min(1, Math.max(0, v)) * LEVELS) / LEVELS));
}

/** Blue below 0, red above, scaled by the largest magnitude: the sidebar's reading of a matrix. */
function divergingScale(data: readonly number[]): (v: number) => string {
  let m = 1e-12;
  for (const v of data) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return (v) => {
    if (!Number.isFinite(v)) return hex(MID);
    const t = Math.round((Math.max(-1, Math.min(1, v / m)) * LEVELS) / 2) / (LEVELS / 2);
    return hex(t < 0 ? mix(MID, BLUE, -t) : mix(MID, RED, t));
  };
}

function heatmap(rows: number, cols: number, data: readonly number[], colour: (v: number) => string, maxSide: number): TensorPicture {
  const cell = Math.max(1, Math.min(16, Math.floor(maxSide / Math.max(rows, cols))));
  const width = cols * cell;
  const height = rows * cell;
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    // Runs of one colour become one rect: image backgrounds cost nearly nothing.
    let c = 0;
    while (c < cols) {
      const fill = colour(data[r * cols + c] ?? 0);
      let end = c + 1;
      while (end < cols && colour(data[r * cols + end] ?? 0) === fill) end++;
      parts.push(`<rect x="${c}" y="${r}" width="${end - c}" height="1" fill="${fill}"/>`);
      c = end;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${cols} ${rows}" ` +
    `shape-rendering="crispEdges">${parts.join('')}</svg>`;
  return { kind: 'heatmap', dataUri: svgDataUri(svg), width, height };
}

function histogram(counts: readonly number[], color: string): TensorPicture | undefined {
  const peak = Math.max(0, ...counts);
  if (!counts.length || peak <= 0) return undefined;
  const width = 160;
  const height = 40;
  const bar = width / counts.length;
  const rects = counts
    .map((n, i) => {
      const h = (n / peak) * (height - 1);
      return n > 0
        ? `<rect x="${(i * bar).toFixed(2)}" y="${(height - 1 - h).toFixed(2)}" width="${Math.max(0.5, bar - 0.5).toFixed(2)}" height="${h.toFixed(2)}"/>`
        : '';
    })
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<g fill="${color}" fill-opacity="0.8">${rects}</g>` +
    `<line x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}" stroke="${color}" stroke-opacity="0.5"/></svg>`;
  return { kind: 'histogram', dataUri: svgDataUri(svg), width, height };
}

/** Rows of two numbers as a scatter plot on square axes through the origin (latent codes, 2D data). */
function scatter(points: readonly number[], color: string): TensorPicture {
  const size = 112;
  const pad = 6;
  let m = 1e-6;
  for (const v of points) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  const at = (v: number) => (pad + ((v + m) / (2 * m)) * (size - 2 * pad)).toFixed(1);
  const dots: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    if (Number.isFinite(points[i]) && Number.isFinite(points[i + 1])) dots.push(`<circle cx="${at(points[i])}" cy="${at(-points[i + 1])}" r="1.8"/>`);
  }
  const mid = (size / 2).toFixed(1);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
    `<g stroke="${color}" stroke-opacity="0.35"><line x1="0" y1="${mid}" x2="${size}" y2="${mid}"/><line x1="${mid}" y1="0" x2="${mid}" y2="${size}"/></g>` +
    `<g fill="${color}" fill-opacity="0.75">${dots.join('')}</g></svg>`;
  return { kind: 'scatter', dataUri: svgDataUri(svg), width: size, height: size };
}

/** The picture of a snapshot, of the kind tensorFormat decides; undefined for a scalar (its number says it all) or an empty histogram. */
export function tensorPicture(s: TensorSnapshot, options: PictureOptions = {}): TensorPicture | undefined {
  const { shape, data } = s.preview;
  const color = options.color ?? '#888888';
  const maxSide = options.maxSide ?? 112;
  switch (pictureKind(s)) {
    case 'points':
      return scatter(data, color);
    case 'image':
      return heatmap(shape[0], shape[1], greyLevels(s), greyScale, maxSide);
    case 'matrix':
      return heatmap(shape[0], shape[1], data, divergingScale(data), maxSide);
    case 'histogram':
      return histogram(s.histogram.counts, color);
    case 'scalar':
      return undefined;
  }
}
