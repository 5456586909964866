// A square 2D plot for point clouds: a canvas for many points (cheap to redraw every animation frame) under an
// SVG for axes and annotations. The extent is symmetric about 0 and fixed by the caller from the data, not from
// the cloud: a barely trained model samples at ±1000, and a scale that followed it would hide the data. Points
// beyond the extent are drawn as small triangles on the border, pointing out, and counted.
import * as d3 from 'd3';
import { cssColor } from './colors';
import { t } from '../i18n';

const M = { top: 6, right: 8, bottom: 22, left: 30 };
const MARKER = 3.2;

export interface CloudLayer {
  points: readonly (readonly [number, number])[];
  /** A CSS custom property name, e.g. '--vscode-charts-blue'. */
  colorVar: string;
  fallback: string;
  alpha: number;
  radius: number;
}

let clipCounter = 0;

export class PointCloudPlot {
  readonly el: HTMLDivElement;
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  /** Annotation layer over the points, in plot coordinates, clipped to the plot square. */
  readonly overlay: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly canvas: HTMLCanvasElement;
  private readonly clipRect: d3.Selection<SVGRectElement, unknown, null, undefined>;
  private readonly outsideText: d3.Selection<SVGTextElement, unknown, null, undefined>;
  x = d3.scaleLinear();
  y = d3.scaleLinear();
  private size = 100;
  private half = 3;
  private layers: CloudLayer[] = [];
  private outside = 0;

  constructor(parent: HTMLElement, testId: string) {
    this.el = document.createElement('div');
    this.el.className = 'll-cloud';
    this.canvas = document.createElement('canvas');
    this.el.appendChild(this.canvas);
    parent.appendChild(this.el);
    this.svg = d3.select(this.el).append('svg').attr('data-testid', testId);
    const clipId = `ll-cloud-clip-${++clipCounter}`;
    this.clipRect = this.svg.append('defs').append('clipPath').attr('id', clipId).append('rect');
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('g').attr('class', 'll-axis ll-axis-y');
    this.overlay = this.svg.append('g').attr('class', 'll-cloud-overlay').attr('clip-path', `url(#${clipId})`);
    this.outsideText = this.svg.append('text').attr('class', 'll-outside-count').attr('data-testid', `${testId}-outside`).attr('text-anchor', 'end');
  }

  /** Lays the plot out for a container `width` wide, showing [-half, half] on both axes. */
  layout(width: number, half: number): void {
    this.size = Math.max(80, Math.min(width, 420) - M.left - M.right);
    this.half = half;
    const w = M.left + this.size + M.right;
    const h = M.top + this.size + M.bottom;
    this.el.style.width = `${w}px`;
    this.el.style.height = `${h}px`;
    this.svg.attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    this.x = d3
      .scaleLinear()
      .domain([-half, half])
      .range([M.left, M.left + this.size]);
    this.y = d3
      .scaleLinear()
      .domain([-half, half])
      .range([M.top + this.size, M.top]);
    this.clipRect.attr('x', M.left).attr('y', M.top).attr('width', this.size).attr('height', this.size);
    // Clear of the border markers along the top and right edges.
    this.outsideText.attr('x', M.left + this.size - 12).attr('y', M.top + 22);
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(0,${M.top + this.size})`)
      .call(d3.axisBottom(this.x).ticks(5).tickSizeOuter(0));
    this.svg.select<SVGGElement>('.ll-axis-y').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(this.y).ticks(5).tickSizeOuter(0));
    this.draw(this.layers);
  }

  get extent(): number {
    return this.half;
  }

  /** Points of the last draw that lay beyond the extent (drawn as border markers). */
  get outsideCount(): number {
    return this.outside;
  }

  /** `p` moved onto the plot square's border, in pixels, when it lies beyond the extent; null when inside. */
  clampToBorder(px: number, py: number): [number, number] | null {
    const [x0, x1] = [M.left, M.left + this.size];
    const [y0, y1] = [M.top, M.top + this.size];
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) return null;
    // Along the ray from the centre, so the marker sits where the point's direction leaves the square.
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const dx = px - cx;
    const dy = py - cy;
    const k = this.size / 2 / Math.max(Math.abs(dx), Math.abs(dy));
    return [cx + dx * k, cy + dy * k];
  }

  draw(layers: CloudLayer[]): void {
    this.layers = layers;
    const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
    const w = M.left + this.size + M.right;
    const h = M.top + this.size;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const ctx = this.canvas.getContext('2d');
    let outside = 0;
    let notFinite = 0;
    if (ctx) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const cx = M.left + this.size / 2;
      const cy = M.top + this.size / 2;
      for (const layer of layers) {
        ctx.fillStyle = cssColor(this.el, layer.colorVar, layer.fallback);
        for (const [dx, dy] of layer.points) {
          // ±Infinity still has a direction; NaN has none and is only counted.
          const px = this.x(clampFinite(dx));
          const py = this.y(clampFinite(dy));
          if (Number.isNaN(px) || Number.isNaN(py)) {
            notFinite++;
            continue;
          }
          const border = this.clampToBorder(px, py);
          ctx.beginPath();
          if (border) {
            outside++;
            ctx.globalAlpha = Math.min(1, layer.alpha + 0.15);
            // A triangle inside the square, its tip on the border, pointing the way the point lies.
            const a = Math.atan2(py - cy, px - cx);
            const [ux, uy] = [Math.cos(a), Math.sin(a)];
            const [bx, by] = [border[0] - ux * MARKER * 1.8, border[1] - uy * MARKER * 1.8];
            ctx.moveTo(border[0], border[1]);
            ctx.lineTo(bx - uy * MARKER, by + ux * MARKER);
            ctx.lineTo(bx + uy * MARKER, by - ux * MARKER);
            ctx.closePath();
          } else {
            ctx.globalAlpha = layer.alpha;
            ctx.arc(px, py, layer.radius, 0, 2 * Math.PI);
          }
          ctx.fill();
        }
      }
      ctx.globalAlpha = 1;
    }
    this.outside = outside;
    this.canvas.dataset.points = String(layers.reduce((n, l) => n + l.points.length, 0));
    this.canvas.dataset.outside = String(outside);
    const parts = [outside ? t('{0} outside ▸', outside) : '', notFinite ? t('{0} NaN', notFinite) : ''].filter(Boolean);
    this.outsideText.text(parts.join(' · ')).attr('display', parts.length ? null : 'none');
  }
}

function clampFinite(v: number): number {
  return v === Infinity ? 1e30 : v === -Infinity ? -1e30 : v;
}

/**
 * Half-width of the symmetric extent for clouds over `data`: its largest coordinate padded by 30%, rounded up to
 * 0.5; ±3 (a unit Gaussian's bulk) when there is no data.
 */
export function cloudDomain(data: readonly (readonly [number, number])[] | undefined, pad = 1.3): number {
  let m = 0;
  for (const [a, b] of data ?? []) if (Number.isFinite(a) && Number.isFinite(b)) m = Math.max(m, Math.abs(a), Math.abs(b));
  return m > 0 ? Math.ceil(m * pad * 2) / 2 : 3;
}
