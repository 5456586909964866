// Pixel drawing on <canvas>: grey images and signed heatmaps. Canvases are drawn at the
// data's own resolution and scaled up by CSS with `image-rendering: pixelated` (class ll-pixelated).
import { interpolateRdBu, rgb } from 'd3';

export type Size = [number, number];

function fill(canvas: HTMLCanvasElement, w: number, h: number, pixel: (i: number) => [number, number, number]): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = pixel(i);
    img.data[4 * i] = r;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** Draws a grey image in [0, 1] (values outside are clipped); `imageSize` is [height, width]. */
export function drawGrey(canvas: HTMLCanvasElement, data: ArrayLike<number>, imageSize: Size): void {
  const [h, w] = imageSize;
  fill(canvas, w, h, (i) => {
    const v = Math.round(255 * Math.min(1, Math.max(0, data[i] ?? 0)));
    return [v, v, v];
  });
}

const RDBU_LUT: [number, number, number][] = Array.from({ length: 256 }, (_, i) => {
  // Reversed so negative is blue and positive is red, the usual reading of signed weights and activations.
  const c = rgb(interpolateRdBu(1 - i / 255));
  return [c.r, c.g, c.b];
});

/** Draws a signed matrix as a blue-white-red heatmap centred on 0, scaled by the largest magnitude. */
export function drawDiverging(canvas: HTMLCanvasElement, data: ArrayLike<number>, size: Size): void {
  const [h, w] = size;
  let maxAbs = 1e-12;
  for (let i = 0; i < h * w; i++) maxAbs = Math.max(maxAbs, Math.abs(data[i] ?? 0));
  fill(canvas, w, h, (i) => RDBU_LUT[Math.round(127.5 + 127.5 * ((data[i] ?? 0) / maxAbs))]);
}

/** A new canvas showing a grey image, displayed at `displayPx` CSS pixels wide (height keeps the aspect). */
export function greyImageCanvas(data: ArrayLike<number>, imageSize: Size, displayPx: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'll-pixelated';
  drawGrey(canvas, data, imageSize);
  setDisplaySize(canvas, displayPx, imageSize);
  return canvas;
}

export function setDisplaySize(canvas: HTMLCanvasElement, displayPx: number, imageSize: Size): void {
  const [h, w] = imageSize;
  canvas.style.width = `${displayPx}px`;
  canvas.style.height = `${Math.round((displayPx * h) / Math.max(1, w))}px`;
}

/** Fraction of pixels of a canvas that are not black: lets tests (and callers) tell a blank image from a drawn one. */
export function litFraction(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let lit = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
  return lit / (d.length / 4);
}
