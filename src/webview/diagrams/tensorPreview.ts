// Draws a tensor snapshot's preview on a canvas as the picture kind tensorFormat decides: a grey image, a signed
// heatmap, a point cloud, a histogram or one number.
import { formatNumber, greyLevels, pictureKind, scalarValue, type PictureKind } from '../../domain/tensorFormat';
import type { TensorSnapshot } from '../../domain/tensors';
import { cssColor } from './colors';
import { drawDiverging, drawGrey } from './imageCanvas';

/**
 * Draws the snapshot's preview on `canvas`, which is shown at `cssW`×`cssH` pixels. Pixel data (images,
 * heatmaps) is drawn at its own resolution and scaled by CSS; vector drawings (points, histograms) at device
 * resolution.
 */
export function drawPreview(canvas: HTMLCanvasElement, s: TensorSnapshot, cssW: number, cssH: number): PictureKind {
  const kind = pictureKind(s);
  const { shape, data } = s.preview;
  canvas.classList.toggle('ll-pixelated', kind === 'image' || kind === 'matrix');
  canvas.dataset.kind = kind;
  if (kind === 'image' || kind === 'matrix') {
    const size: [number, number] = [shape[0], shape[1]];
    if (kind === 'image') drawGrey(canvas, greyLevels(s), size);
    else drawDiverging(canvas, data, size);
    const scale = Math.min(cssW / size[1], cssH / size[0]);
    canvas.style.width = `${Math.max(1, Math.round(size[1] * scale))}px`;
    canvas.style.height = `${Math.max(1, Math.round(size[0] * scale))}px`;
    return kind;
  }
  const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return kind;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  const accent = cssColor(canvas, '--vscode-charts-blue', '#3794ff');
  const faint = cssColor(canvas, '--vscode-descriptionForeground', '#888888');
  if (kind === 'points') drawPoints(ctx, data, shape[0], cssW, cssH, accent, faint);
  else if (kind === 'histogram') drawHistogram(ctx, s.histogram.counts, cssW, cssH, accent, faint);
  else drawScalar(ctx, scalarValue(s), cssW, cssH, cssColor(canvas, '--vscode-foreground', '#cccccc'), canvas);
  return kind;
}

function drawPoints(ctx: CanvasRenderingContext2D, data: readonly number[], n: number, w: number, h: number, color: string, axis: string): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const half = Math.max(1e-6, Math.max(Math.abs(lo), Math.abs(hi))) * 1.1;
  const sx = (v: number) => w / 2 + (v / half) * (w / 2);
  const sy = (v: number) => h / 2 - (v / half) * (h / 2);
  ctx.strokeStyle = axis;
  ctx.globalAlpha = 0.35;
  ctx.beginPath();
  ctx.moveTo(0, h / 2);
  ctx.lineTo(w, h / 2);
  ctx.moveTo(w / 2, 0);
  ctx.lineTo(w / 2, h);
  ctx.stroke();
  ctx.globalAlpha = 0.8;
  ctx.fillStyle = color;
  for (let i = 0; i < n; i++) {
    ctx.beginPath();
    ctx.arc(sx(data[2 * i]), sy(data[2 * i + 1]), 1.4, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

function drawHistogram(ctx: CanvasRenderingContext2D, counts: readonly number[], w: number, h: number, color: string, axis: string): void {
  const max = Math.max(1, ...counts);
  const bw = w / Math.max(1, counts.length);
  ctx.fillStyle = color;
  counts.forEach((c, i) => {
    const bh = (c / max) * (h - 2);
    ctx.fillRect(i * bw + 0.5, h - 1 - bh, Math.max(1, bw - 1), bh);
  });
  ctx.fillStyle = axis;
  ctx.fillRect(0, h - 1, w, 1);
}

function drawScalar(ctx: CanvasRenderingContext2D, v: number, w: number, h: number, color: string, el: Element): void {
  const family = getComputedStyle(el).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  ctx.fillStyle = color;
  ctx.font = `600 ${Math.min(16, Math.round(h / 2.2))}px ${family}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(formatNumber(v), w / 2, h / 2);
}

/**
 * ᾱ_t in the paper's convention, t = 0 (the data, ᾱ = 1) to T, from the schedule's arrays (index i holds t = i + 1).
 */
export function alphaBarAt(alphaBars: readonly number[], t: number): number | undefined {
  return t <= 0 ? 1 : alphaBars[t - 1];
}
