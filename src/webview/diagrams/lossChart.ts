// Loss over training steps, one line per term (VAE: recon, KL and their total, each in its own panel on a shared
// step axis; DDPM: mse), with axes, a legend and each line's latest value at its end. Keeps at most MAX_POINTS by
// halving the resolution of old history.
import * as d3 from 'd3';
import type { LossPoint } from '../../domain/run';
import { formatDigits, LABEL_DIGITS } from '../../domain/tensorFormat';
import { seriesColor } from './colors';
import { containerWidth, createRoot, observeWidth } from './resize';
import { t } from '../i18n';

export const MAX_POINTS = 2000;
const HEIGHT = 180;
const M = { top: 10, right: 56, bottom: 26, left: 44 };
/** Height of each term's panel when several terms are stacked, the gap between panels and the top margin. */
const PANEL_H = 64;
const PANEL_GAP = 18;
const M_SPLIT_TOP = 16;

/** A loss term's name as shown (terms without one show their key). */
function termLabel(term: string): string {
  const labels: Record<string, string> = { loss: t('total'), recon: t('reconstruction'), kl: 'KL', mse: 'mse', elbo: '−ELBO' };
  return labels[term] ?? term;
}

interface Series {
  term: string;
  color: string;
  values: [number, number][];
}

interface Panel extends Series {
  top: number;
  height: number;
  y: d3.ScaleContinuousNumeric<number, number>;
}

const SI_TICK = d3.format('.3~s');
const PLAIN_TICK = d3.format(',~g');

/** Axis labels in plain numbers (0.8, 400, 1,200); SI suffixes only from 100k up, where "m" cannot mean milli. */
export function formatTick(v: number): string {
  return Math.abs(v) >= 1e5 ? SI_TICK(v) : PLAIN_TICK(v);
}

export class LossChart {
  private readonly root: HTMLDivElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly legend: HTMLDivElement;
  private readonly logButton: HTMLButtonElement;
  private readonly stopObserving: () => void;
  private points: LossPoint[] = [];
  private width: number;
  private logScale = false;
  private frame = 0;

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'loss-chart-panel');
    this.width = containerWidth(container);
    const toolbar = document.createElement('div');
    toolbar.className = 'll-toolbar';
    this.logButton = document.createElement('button');
    this.logButton.className = 'll-button';
    this.logButton.textContent = t('log scale');
    this.logButton.setAttribute('aria-pressed', 'false');
    this.logButton.addEventListener('click', () => {
      this.logScale = !this.logScale;
      this.logButton.setAttribute('aria-pressed', String(this.logScale));
      this.render();
    });
    toolbar.appendChild(this.logButton);
    this.root.appendChild(toolbar);
    this.svg = d3.select(this.root).append('svg').attr('data-testid', 'loss-chart').attr('role', 'img').attr('aria-label', t('Loss over training steps'));
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('text').attr('class', 'll-axis-title ll-axis-title-x').attr('text-anchor', 'end').text(t('step'));
    this.plot = this.svg.append('g').attr('class', 'll-plot');
    this.svg.append('text').attr('class', 'll-muted ll-empty-text').attr('text-anchor', 'middle').text(t('Waiting for the first training steps…'));
    this.legend = document.createElement('div');
    this.legend.className = 'll-legend-row';
    this.root.appendChild(this.legend);
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.render();
  }

  /** Appends points (a step not after the last one starts a new run: the history is replaced). */
  update(points: readonly LossPoint[]): void {
    for (const p of points) {
      const last = this.points[this.points.length - 1];
      if (last && p.step <= last.step) this.points = [];
      this.points.push(p);
    }
    while (this.points.length > MAX_POINTS) {
      const keepTail = Math.floor(MAX_POINTS / 4);
      const head = this.points.slice(0, this.points.length - keepTail).filter((_, i) => i % 2 === 0);
      this.points = head.concat(this.points.slice(this.points.length - keepTail));
    }
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  /** Clears the history (a new run). */
  reset(): void {
    this.points = [];
    this.render();
  }

  get pointCount(): number {
    return this.points.length;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.stopObserving();
    this.root.remove();
  }

  private series(): Series[] {
    const first = this.points[0];
    if (!first) return [];
    const terms = Object.keys(first.terms);
    const names = terms.length > 1 || terms.length === 0 ? [...terms, 'loss'] : terms;
    return names.map((term, i) => ({
      term,
      color: seriesColor(term, i),
      values: this.points
        .map((p): [number, number] => [p.step, term === 'loss' ? p.loss : p.terms[term]])
        .filter(([, v]) => Number.isFinite(v) && (!this.logScale || v > 0)),
    }));
  }

  private render(): void {
    const w = this.width;
    const series = this.series();
    // Several terms (the VAE's reconstruction, KL and total) get one panel each, stacked on a shared step axis:
    // on one axis the KL term (units) lies flat under a reconstruction term in the hundreds.
    const split = series.length > 1;
    const top = split ? M_SPLIT_TOP : M.top;
    const panelH = split ? PANEL_H : HEIGHT - M.top - M.bottom;
    const panels = Math.max(1, series.length);
    const innerH = panels * panelH + (panels - 1) * (split ? PANEL_GAP : 0);
    const height = top + innerH + M.bottom;
    const innerW = Math.max(40, w - M.left - M.right);
    this.svg.attr('width', w).attr('height', height).attr('viewBox', `0 0 ${w} ${height}`);
    this.svg.attr('data-layout', split ? 'panels' : 'single');
    const all = series.flatMap((s) => s.values);
    this.svg
      .select('.ll-empty-text')
      .attr('x', M.left + innerW / 2)
      .attr('y', top + innerH / 2)
      .attr('display', all.length ? 'none' : null);
    const xs = d3.extent(all, (d) => d[0]) as [number, number] | [undefined, undefined];
    const x = d3
      .scaleLinear()
      .domain(xs[0] === undefined ? [0, 1] : xs[0] === xs[1] ? [xs[0], xs[0] + 1] : xs)
      .range([0, innerW]);
    const xTicks = Math.max(2, Math.floor(innerW / 70));
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(${M.left},${top + innerH})`)
      .call(d3.axisBottom(x).ticks(xTicks, '~s').tickSizeOuter(0));
    this.svg
      .select('.ll-axis-title-x')
      .attr('x', M.left + innerW)
      .attr('y', height - 2);
    this.plot.attr('transform', `translate(${M.left},${top})`);

    const laid: Panel[] = series.map((s, i) => {
      const y0 = i * (panelH + PANEL_GAP);
      return { ...s, top: y0, height: panelH, y: this.yScale(s.values, y0 + panelH, y0, split ? 3 : 4) };
    });
    const groups = this.plot.selectAll<SVGGElement, Panel>('g.ll-loss-panel').data(laid, (d) => d.term);
    groups.exit().remove();
    const enter = groups.enter().append('g').attr('class', 'll-loss-panel');
    enter.append('g').attr('class', 'll-grid ll-grid-y');
    enter.append('g').attr('class', 'll-axis ll-axis-y');
    enter.append('path').attr('class', 'll-line');
    const title = enter.append('text').attr('class', 'll-panel-title');
    title.append('tspan').attr('class', 'll-swatch-text').text('━ ');
    title.append('tspan').attr('class', 'll-panel-title-text');
    const all2 = enter.merge(groups).attr('data-term', (d) => d.term);
    const logScale = this.logScale;
    all2.each(function (d) {
      const g = d3.select(this);
      const ticks = split ? 3 : 4;
      const axis = d3.axisLeft(d.y).tickSizeOuter(0);
      if (logScale) axis.ticks(ticks, ',~g');
      else axis.ticks(ticks).tickFormat((v) => formatTick(Number(v)));
      g.select<SVGGElement>('.ll-axis-y').call(axis);
      g.select<SVGGElement>('.ll-grid-y').call(
        d3
          .axisLeft(d.y)
          .ticks(ticks)
          .tickSize(-innerW)
          .tickFormat(() => ''),
      );
      const line = d3
        .line<[number, number]>()
        .x((p) => x(p[0]))
        .y((p) => d.y(p[1]));
      g.select('path.ll-line')
        .attr('data-term', d.term)
        .style('stroke', d.color)
        .attr('d', d.values.length ? line(d.values) : null);
      g.select('.ll-panel-title')
        .attr('display', split ? null : 'none')
        .attr('x', 0)
        .attr('y', d.top - 4);
      g.select('.ll-swatch-text').style('fill', d.color);
      g.select('.ll-panel-title-text').text(termLabel(d.term));
    });

    const labels = placeLabels(
      laid
        .filter((s) => s.values.length)
        .map((s) => {
          const last = s.values[s.values.length - 1];
          // Kept inside its own panel, so a panel's label never reads as another's.
          const yPx = Math.max(s.top + 6, Math.min(s.top + s.height - 2, s.y(last[1])));
          return { term: s.term, color: s.color, value: last[1], x: x(last[0]), y: yPx };
        }),
      12,
      innerH,
    );
    const texts = this.plot.selectAll<SVGTextElement, (typeof labels)[number]>('text.ll-last-value').data(labels, (d) => d.term);
    texts.exit().remove();
    texts
      .enter()
      .append('text')
      .attr('class', 'll-last-value')
      .merge(texts)
      .attr('data-term', (d) => d.term)
      .attr('x', innerW + 5)
      .attr('y', (d) => d.labelY + 4)
      .text((d) => formatDigits(d.value, LABEL_DIGITS));

    this.renderLegend(series);
  }

  private yScale(values: [number, number][], bottom: number, top: number, ticks: number): d3.ScaleContinuousNumeric<number, number> {
    const ys = d3.extent(values, (d) => d[1]) as [number, number] | [undefined, undefined];
    if (this.logScale) {
      const lo = ys[0] ?? 1;
      const hi = ys[1] ?? 10;
      return d3
        .scaleLog()
        .domain([lo, hi === lo ? lo * 10 : hi])
        .range([bottom, top])
        .nice();
    }
    const hi = ys[1] ?? 1;
    return d3
      .scaleLinear()
      .domain([Math.min(0, ys[0] ?? 0), hi === 0 ? 1 : hi])
      .range([bottom, top])
      .nice(ticks);
  }

  private renderLegend(series: Series[]): void {
    const key = series.map((s) => s.term).join(',');
    if (this.legend.dataset.terms === key) return;
    this.legend.dataset.terms = key;
    this.legend.replaceChildren(
      ...series.map((s) => {
        const entry = document.createElement('span');
        entry.className = 'll-legend-entry';
        entry.dataset.term = s.term;
        const swatch = document.createElement('span');
        swatch.className = 'll-swatch-line';
        swatch.style.borderColor = s.color;
        entry.append(swatch, termLabel(s.term));
        return entry;
      }),
    );
  }
}

/** Spreads end-of-line labels vertically so none overlaps another (at least `gap` pixels apart). */
export function placeLabels<T extends { y: number }>(items: T[], gap: number, height: number): (T & { labelY: number })[] {
  const sorted = items.map((d) => ({ ...d, labelY: d.y })).sort((a, b) => a.labelY - b.labelY);
  for (let i = 1; i < sorted.length; i++) sorted[i].labelY = Math.max(sorted[i].labelY, sorted[i - 1].labelY + gap);
  const overflow = (sorted[sorted.length - 1]?.labelY ?? 0) - height;
  if (overflow > 0) {
    for (let i = sorted.length - 1; i >= 0; i--) {
      sorted[i].labelY = Math.min(sorted[i].labelY, (sorted[i + 1]?.labelY ?? height + gap) - gap);
    }
  }
  return sorted;
}
