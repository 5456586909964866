// A square 2D plot for point clouds: a canvas for many points (cheap to redraw every animation frame) under an
// SVG for axes and annotations. The extent is symmetric about 0 and set by the caller, so clouds drawn at
// different timesteps share one scale.
import * as d3 from 'd3';
import { cssColor } from './colors';

const M = { top: 6, right: 8, bottom: 22, left: 30 };

export interface CloudLayer {
  points: readonly (readonly [number, number])[];
  /** A CSS custom property name, e.g. '--vscode-charts-blue'. */
  colorVar: string;
  fallback: string;
  alpha: number;
  radius: number;
}

export class PointCloudPlot {
  readonly el: HTMLDivElement;
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  /** Annotation layer over the points, in plot coordinates. */
  readonly overlay: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly canvas: HTMLCanvasElement;
  x = d3.scaleLinear();
  y = d3.scaleLinear();
  private size = 100;
  private half = 3;
  private layers: CloudLayer[] = [];

  constructor(parent: HTMLElement, testId: string) {
    this.el = document.createElement('div');
    this.el.className = 'll-cloud';
    this.canvas = document.createElement('canvas');
    this.el.appendChild(this.canvas);
    parent.appendChild(this.el);
    this.svg = d3.select(this.el).append('svg').attr('data-testid', testId);
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('g').attr('class', 'll-axis ll-axis-y');
    this.overlay = this.svg.append('g').attr('class', 'll-cloud-overlay');
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
    this.x = d3.scaleLinear().domain([-half, half]).range([M.left, M.left + this.size]);
    this.y = d3.scaleLinear().domain([-half, half]).range([M.top + this.size, M.top]);
    this.svg.select<SVGGElement>('.ll-axis-x').attr('transform', `translate(0,${M.top + this.size})`).call(d3.axisBottom(this.x).ticks(5).tickSizeOuter(0));
    this.svg.select<SVGGElement>('.ll-axis-y').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(this.y).ticks(5).tickSizeOuter(0));
    this.draw(this.layers);
  }

  get extent(): number {
    return this.half;
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
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.left, M.top, this.size, this.size);
    ctx.clip();
    for (const layer of layers) {
      ctx.fillStyle = cssColor(this.el, layer.colorVar, layer.fallback);
      ctx.globalAlpha = layer.alpha;
      for (const [px, py] of layer.points) {
        ctx.beginPath();
        ctx.arc(this.x(px), this.y(py), layer.radius, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.restore();
    this.canvas.dataset.points = String(layers.reduce((n, l) => n + l.points.length, 0));
  }
}

/** Half-width of a symmetric extent that holds the data and a unit Gaussian's bulk, rounded up to 0.5. */
export function cloudExtent(...clouds: (readonly (readonly [number, number])[] | undefined)[]): number {
  let m = 3;
  for (const c of clouds) for (const [a, b] of c ?? []) m = Math.max(m, Math.abs(a), Math.abs(b));
  return Math.ceil(m * 1.05 * 2) / 2;
}
