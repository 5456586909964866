// The latent map: encoded held-out points coloured by class over the images decoded on a grid of the same
// axes. Hovering asks (through onHover) for the image decoded at the cursor, shown in an inset.
//
// Grid convention (LatentView.grid): images are row-major, row 0 at the top (largest z2), column 0 at the left
// (smallest z1); cell (i, j) covers 1/n of each axis' extent and is decoded at that cell's centre.
import * as d3 from 'd3';
import type { LatentView } from '../../domain/views';
import { classColor } from './colors';
import { drawGrey, setDisplaySize } from './imageCanvas';
import { containerWidth, createRoot, observeWidth } from './resize';
import { t } from '../i18n';

const M = { top: 6, right: 8, bottom: 30, left: 38 };
const HOVER_THROTTLE_MS = 60;
const INSET_PX = 64;

export class LatentSpace {
  private readonly root: HTMLDivElement;
  private readonly plotBox: HTMLDivElement;
  private readonly manifold: HTMLCanvasElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly pointsLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly crosshair: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly overlay: d3.Selection<SVGRectElement, unknown, null, undefined>;
  private readonly inset: HTMLDivElement;
  private readonly insetCanvas: HTMLCanvasElement;
  private readonly legend: HTMLDivElement;
  private readonly pointsButton: HTMLButtonElement;
  private readonly gridButton: HTMLButtonElement;
  private readonly stopObserving: () => void;
  private readonly hoverListeners: ((z: [number, number]) => void)[] = [];
  private view: LatentView | null = null;
  private width: number;
  private showPoints = true;
  private showGrid = true;
  private cursor: [number, number] | null = null;
  private lastHoverAt = 0;
  private pendingHover = 0;
  private x = d3.scaleLinear();
  private y = d3.scaleLinear();

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'latent-panel', 'll-latent');
    this.width = containerWidth(container);
    const toolbar = document.createElement('div');
    toolbar.className = 'll-toolbar';
    this.pointsButton = this.toggle(toolbar, t('encoded points'), () => (this.showPoints = !this.showPoints));
    this.gridButton = this.toggle(toolbar, t('decoded grid'), () => (this.showGrid = !this.showGrid));
    this.root.appendChild(toolbar);
    this.plotBox = document.createElement('div');
    this.plotBox.className = 'll-latent-plot';
    this.manifold = document.createElement('canvas');
    this.manifold.className = 'll-manifold ll-pixelated';
    this.plotBox.appendChild(this.manifold);
    this.root.appendChild(this.plotBox);
    this.svg = d3.select(this.plotBox).append('svg').attr('data-testid', 'latent').attr('role', 'img');
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('g').attr('class', 'll-axis ll-axis-y');
    this.svg.append('text').attr('class', 'll-axis-title ll-axis-title-x').attr('text-anchor', 'middle');
    this.svg.append('text').attr('class', 'll-axis-title ll-axis-title-y').attr('text-anchor', 'middle');
    this.pointsLayer = this.svg.append('g').attr('class', 'll-latent-points');
    this.crosshair = this.svg.append('g').attr('class', 'll-crosshair-group').attr('display', 'none');
    this.crosshair.append('line').attr('class', 'll-crosshair ll-crosshair-v');
    this.crosshair.append('line').attr('class', 'll-crosshair ll-crosshair-h');
    this.svg.append('text').attr('class', 'll-muted ll-empty-text').attr('text-anchor', 'middle').text(t('Waiting for encoded points…'));
    this.overlay = this.svg
      .append('rect')
      .attr('class', 'll-hover-target')
      .attr('fill', 'transparent')
      .on('mousemove', (e: MouseEvent) => this.onMove(e))
      .on('mouseleave', () => this.onLeave());
    this.inset = document.createElement('div');
    this.inset.className = 'll-inset';
    this.inset.dataset.testid = 'latent-inset';
    this.inset.hidden = true;
    this.insetCanvas = document.createElement('canvas');
    this.insetCanvas.className = 'll-pixelated';
    this.inset.appendChild(this.insetCanvas);
    this.plotBox.appendChild(this.inset);
    this.legend = document.createElement('div');
    this.legend.className = 'll-legend-row';
    this.legend.dataset.testid = 'latent-legend';
    this.root.appendChild(this.legend);
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.render();
  }

  update(view: LatentView): void {
    this.view = view;
    this.render();
  }

  /** `cb` gets the latent coordinates under the cursor (throttled), to ask the worker for a decode. */
  onHover(cb: (z: [number, number]) => void): void {
    this.hoverListeners.push(cb);
  }

  /** Shows a decoded image next to the cursor; ignored when the cursor has left the plot. */
  showDecoded(image: readonly number[], imageSize: [number, number]): void {
    if (!this.cursor) return;
    drawGrey(this.insetCanvas, image, imageSize);
    setDisplaySize(this.insetCanvas, INSET_PX, imageSize);
    const [cx, cy] = this.cursor;
    const size = this.plotSize();
    const left = cx + 14 + INSET_PX > M.left + size ? cx - 14 - INSET_PX : cx + 14;
    const top = cy + 14 + INSET_PX > M.top + size ? cy - 14 - INSET_PX : cy + 14;
    this.inset.style.left = `${left}px`;
    this.inset.style.top = `${top}px`;
    this.inset.hidden = false;
  }

  dispose(): void {
    window.clearTimeout(this.pendingHover);
    this.stopObserving();
    this.root.remove();
  }

  private toggle(parent: HTMLElement, label: string, flip: () => boolean): HTMLButtonElement {
    const b = document.createElement('button');
    b.className = 'll-button';
    b.textContent = label;
    b.setAttribute('aria-pressed', 'true');
    b.addEventListener('click', () => {
      b.setAttribute('aria-pressed', String(flip()));
      this.render();
    });
    parent.appendChild(b);
    return b;
  }

  private plotSize(): number {
    return Math.max(80, Math.min(this.width, 480) - M.left - M.right);
  }

  private render(): void {
    const size = this.plotSize();
    const w = M.left + size + M.right;
    const h = M.top + size + M.bottom;
    this.plotBox.style.width = `${w}px`;
    this.plotBox.style.height = `${h}px`;
    this.svg.attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    const view = this.view;
    this.x = d3
      .scaleLinear()
      .domain(view?.extent.x ?? [-3, 3])
      .range([M.left, M.left + size]);
    this.y = d3
      .scaleLinear()
      .domain(view?.extent.y ?? [-3, 3])
      .range([M.top + size, M.top]);
    const [a1, a2] = view?.projection === 'pca' ? ['PC1', 'PC2'] : ['z1', 'z2'];
    this.svg.attr('aria-label', t('Latent space, {0} against {1}', a1, a2));
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(0,${M.top + size})`)
      .call(d3.axisBottom(this.x).ticks(5).tickSizeOuter(0));
    this.svg.select<SVGGElement>('.ll-axis-y').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(this.y).ticks(5).tickSizeOuter(0));
    this.svg
      .select('.ll-axis-title-x')
      .attr('x', M.left + size / 2)
      .attr('y', h - 2)
      .text(a1);
    this.svg
      .select('.ll-axis-title-y')
      .attr('transform', `translate(11,${M.top + size / 2}) rotate(-90)`)
      .text(a2);
    this.svg
      .select('.ll-empty-text')
      .attr('x', M.left + size / 2)
      .attr('y', M.top + size / 2)
      .attr('display', view ? 'none' : null);
    this.overlay.attr('x', M.left).attr('y', M.top).attr('width', size).attr('height', size);
    this.crosshair
      .select('.ll-crosshair-v')
      .attr('y1', M.top)
      .attr('y2', M.top + size);
    this.crosshair
      .select('.ll-crosshair-h')
      .attr('x1', M.left)
      .attr('x2', M.left + size);
    this.renderManifold(size);
    const points = view && this.showPoints ? view.points : [];
    const circles = this.pointsLayer.selectAll<SVGCircleElement, LatentView['points'][number]>('circle').data(points);
    circles.exit().remove();
    circles
      .enter()
      .append('circle')
      .attr('class', 'll-latent-point')
      .attr('r', 2.6)
      .merge(circles)
      .attr('cx', (d) => this.x(d.x))
      .attr('cy', (d) => this.y(d.y))
      .attr('fill', (d) => classColor(d.label))
      .attr('data-label', (d) => d.label)
      .attr('fill-opacity', this.showGrid ? 0.9 : 0.8);
    this.renderLegend();
  }

  private renderManifold(size: number): void {
    const grid = this.view?.grid;
    const visible = !!grid && grid.n > 0 && grid.images.length >= grid.n * grid.n && this.showGrid;
    this.manifold.hidden = !visible;
    if (!visible || !grid) return;
    const [ih, iw] = grid.imageSize;
    const n = grid.n;
    const pixels = new Float32Array(n * ih * n * iw);
    const rowLen = n * iw;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const img = grid.images[i * n + j];
        for (let r = 0; r < ih; r++) {
          for (let c = 0; c < iw; c++) pixels[(i * ih + r) * rowLen + j * iw + c] = img[r * iw + c];
        }
      }
    }
    drawGrey(this.manifold, pixels, [n * ih, n * iw]);
    this.manifold.style.left = `${M.left}px`;
    this.manifold.style.top = `${M.top}px`;
    this.manifold.style.width = `${size}px`;
    this.manifold.style.height = `${size}px`;
    // Behind the points the decoded grid is dimmed so the classes stay readable.
    this.manifold.style.opacity = this.showPoints ? '0.45' : '1';
  }

  private renderLegend(): void {
    const view = this.view;
    const present = new Set(view?.points.map((p) => p.label) ?? []);
    const key = view ? `${view.classNames.join('|')}:${[...present].sort().join(',')}` : '';
    if (this.legend.dataset.key === key) return;
    this.legend.dataset.key = key;
    const entries = (view?.classNames ?? []).map((name, label) => ({ name, label })).filter((e) => present.has(e.label));
    this.legend.replaceChildren(
      ...entries.map(({ name, label }) => {
        const entry = document.createElement('span');
        entry.className = 'll-legend-entry';
        entry.dataset.label = String(label);
        const swatch = document.createElement('span');
        swatch.className = 'll-swatch';
        swatch.style.background = classColor(label);
        entry.append(swatch, name);
        return entry;
      }),
    );
  }

  private onMove(e: MouseEvent): void {
    const [px, py] = d3.pointer(e, this.svg.node());
    this.cursor = [px, py];
    this.crosshair.attr('display', null);
    this.crosshair.select('.ll-crosshair-v').attr('x1', px).attr('x2', px);
    this.crosshair.select('.ll-crosshair-h').attr('y1', py).attr('y2', py);
    const z: [number, number] = [this.x.invert(px), this.y.invert(py)];
    const wait = HOVER_THROTTLE_MS - (performance.now() - this.lastHoverAt);
    window.clearTimeout(this.pendingHover);
    const fire = () => {
      this.lastHoverAt = performance.now();
      this.hoverListeners.forEach((cb) => cb(z));
    };
    if (wait <= 0) fire();
    else this.pendingHover = window.setTimeout(fire, wait);
  }

  private onLeave(): void {
    window.clearTimeout(this.pendingHover);
    this.cursor = null;
    this.crosshair.attr('display', 'none');
    this.inset.hidden = true;
  }
}
