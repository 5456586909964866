// Loss over training steps, one line per term (VAE: recon, KL and their total, each in its own panel on a shared
// step axis; DDPM: mse), with axes, a legend and each line's latest value at its end. Keeps at most MAX_POINTS by
// halving the resolution of old history. Beside the training loss: the same loss on the held-out images (AE/VAE,
// evaluated every few seconds by the worker) and, where the run matches it, the held-out figure a PyTorch
// implementation of the same VAE reaches after so many epochs (design.md 3b), as a dotted reference.
import * as d3 from 'd3';
import type { TrainConfig } from '../../domain/config';
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
/** The held-out series and the reference: one colour on every panel (the reference dotted). */
const HELD_OUT_COLOR = 'var(--vscode-charts-green)';
/** Held-out points get a dot each while there are at most this many (they come every few seconds). */
const MAX_DOTS = 80;

/** The loss and its terms on the held-out images at a step, averaged per image (protocol 'heldOut'). */
export interface HeldOutPoint {
  step: number;
  loss: number;
  terms: Record<string, number>;
}

/** A reference figure: the held-out loss per image reached after `epoch` epochs, i.e. at training step `step`. */
export interface ReferenceMark {
  epoch: number;
  step: number;
  value: number;
}

/**
 * design.md 3b: PyTorch VAE 784-512-z-512-784, Bernoulli/BCE + KL, Adam 1e-3, batch 128, MNIST test-10k split 9,000
 * train / 1,000 held-out: held-out negative ELBO per image (mean of 3 seeds) after these epochs, by latent size.
 */
const PYTORCH_REFERENCE: Readonly<Record<number, readonly (readonly [epoch: number, negElbo: number])[]>> = {
  2: [
    [1, 213.1],
    [2, 196.5],
    [5, 182.0],
    [10, 174.3],
    [20, 168.4],
    [50, 162.7],
  ],
  16: [[20, 116.3]],
};
/** MNIST's training images in the lab's split (10,000 less 1,000 held out): an epoch is this / batch size steps. */
const MNIST_TRAIN_IMAGES = 9000;

/** The PyTorch reference's figures for a run, by latent size; null where the run is not the one they were measured on. */
export interface Reference {
  latentDim: number;
  marks: ReferenceMark[];
}

export function pytorchReference(config: TrainConfig): Reference | null {
  const a = config.autoencoder;
  const figures = PYTORCH_REFERENCE[a.latentDim];
  const same =
    config.model === 'vae' && a.dataset === 'mnist' && a.hiddenDim === 512 && a.beta === 1 && Math.abs(a.learningRate - 1e-3) < 1e-12 && a.batchSize === 128;
  if (!same || !figures) return null;
  return { latentDim: a.latentDim, marks: figures.map(([epoch, value]) => ({ epoch, step: (epoch * MNIST_TRAIN_IMAGES) / a.batchSize, value })) };
}

/**
 * The reference as a polyline over the steps [x0, x1]: straight between its epochs, level after the last, nothing
 * before the first; ends that fall between two epochs are interpolated.
 */
export function referenceLine(marks: readonly ReferenceMark[], x0: number, x1: number): [number, number][] {
  if (!marks.length || x1 < marks[0].step) return [];
  const pts: [number, number][] = marks.map((m) => [m.step, m.value]);
  const last = pts[pts.length - 1];
  if (x1 > last[0]) pts.push([x1, last[1]]);
  const at = (x: number): number => {
    const i = pts.findIndex((p) => p[0] >= x);
    if (i <= 0) return pts[Math.max(0, i)][1];
    const [a, b] = [pts[i - 1], pts[i]];
    return a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]);
  };
  const lo = Math.max(x0, pts[0][0]);
  if (lo > x1) return [];
  return [[lo, at(lo)], ...pts.filter((p) => p[0] > lo && p[0] < x1), [x1, at(x1)]];
}

/** A loss term's name as shown (terms without one show their key). */
function termLabel(term: string): string {
  const labels: Record<string, string> = { loss: t('total'), recon: t('reconstruction'), kl: 'KL', mse: 'mse', elbo: '−ELBO' };
  return labels[term] ?? term;
}

interface Series {
  term: string;
  color: string;
  values: [number, number][];
  /** The same term on the held-out images. */
  heldOut: [number, number][];
  /** The reference polyline (the total's panel of a run the reference applies to). */
  reference: [number, number][];
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
  private heldOutPoints: HeldOutPoint[] = [];
  private reference: Reference | null = null;
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
      if (last && p.step <= last.step) {
        this.points = [];
        this.heldOutPoints = [];
      }
      this.points.push(p);
    }
    this.points = thin(this.points);
    this.scheduleRender();
  }

  /** Appends a held-out evaluation (one at an earlier step starts the series again; one at the same step replaces it). */
  addHeldOut(p: HeldOutPoint): void {
    const last = this.heldOutPoints[this.heldOutPoints.length - 1];
    if (last && p.step < last.step) this.heldOutPoints = [];
    else if (last && p.step === last.step) this.heldOutPoints.pop();
    this.heldOutPoints.push(p);
    this.heldOutPoints = thin(this.heldOutPoints);
    this.scheduleRender();
  }

  /** The run's settings: they decide whether the PyTorch reference applies (see pytorchReference). */
  showConfig(config: TrainConfig): void {
    this.reference = pytorchReference(config);
    this.scheduleRender();
  }

  /** Clears the history (a new run). */
  reset(): void {
    this.points = [];
    this.heldOutPoints = [];
    this.render();
  }

  private scheduleRender(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
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
    const shown = ([, v]: [number, number]) => Number.isFinite(v) && (!this.logScale || v > 0);
    const of = (p: LossPoint | HeldOutPoint, term: string) => (term === 'loss' ? p.loss : p.terms[term]);
    return names.map((term, i) => ({
      term,
      color: seriesColor(term, i),
      values: this.points.map((p): [number, number] => [p.step, of(p, term)]).filter(shown),
      heldOut: this.heldOutPoints.map((p): [number, number] => [p.step, of(p, term)]).filter(shown),
      reference: [],
    }));
  }

  private render(): void {
    const w = this.width;
    const series = this.series();
    const ref = this.reference;
    const refPanel = ref ? series.find((s) => s.term === 'loss') : undefined;
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
    // The held-out points share the step axis; the reference does not stretch it (it shows up to the latest step).
    const xs = d3.extent(all.concat(series.flatMap((s) => s.heldOut)), (d) => d[0]) as [number, number] | [undefined, undefined];
    const x = d3
      .scaleLinear()
      .domain(xs[0] === undefined ? [0, 1] : xs[0] === xs[1] ? [xs[0], xs[0] + 1] : xs)
      .range([0, innerW]);
    if (ref && refPanel && xs[0] !== undefined) {
      refPanel.reference = referenceLine(ref.marks, xs[0], xs[1]!).filter(([, v]) => !this.logScale || v > 0);
    }
    const refMarks = refPanel?.reference.length ? ref!.marks.filter((m) => m.step >= x.domain()[0] && m.step <= x.domain()[1]) : [];
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
      return { ...s, top: y0, height: panelH, y: this.yScale([...s.values, ...s.heldOut, ...s.reference], y0 + panelH, y0, split ? 3 : 4) };
    });
    const groups = this.plot.selectAll<SVGGElement, Panel>('g.ll-loss-panel').data(laid, (d) => d.term);
    groups.exit().remove();
    const enter = groups.enter().append('g').attr('class', 'll-loss-panel');
    enter.append('g').attr('class', 'll-grid ll-grid-y');
    enter.append('g').attr('class', 'll-axis ll-axis-y');
    enter.append('path').attr('class', 'll-reference-line');
    enter.append('g').attr('class', 'll-reference-marks');
    enter.append('path').attr('class', 'll-line');
    enter.append('path').attr('class', 'll-heldout-line');
    enter.append('g').attr('class', 'll-heldout-dots');
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
      g.select('path.ll-heldout-line')
        .attr('data-heldout', d.term)
        .style('stroke', HELD_OUT_COLOR)
        .attr('d', d.heldOut.length ? line(d.heldOut) : null);
      g.select('g.ll-heldout-dots')
        .selectAll('circle')
        .data(d.heldOut.length <= MAX_DOTS ? d.heldOut : d.heldOut.slice(-1))
        .join('circle')
        .attr('r', 2)
        .attr('cx', (p) => x(p[0]))
        .attr('cy', (p) => d.y(p[1]))
        .style('fill', HELD_OUT_COLOR);
      g.select('path.ll-reference-line')
        .style('stroke', HELD_OUT_COLOR)
        .attr('d', d.reference.length ? line(d.reference) : null);
      const marks = g
        .select('g.ll-reference-marks')
        .selectAll<SVGCircleElement, ReferenceMark>('circle')
        .data(d.reference.length ? refMarks : [])
        .join((e) => {
          const c = e.append('circle').attr('r', 3);
          c.append('title');
          return c;
        })
        .attr('data-epoch', (m) => m.epoch)
        .attr('cx', (m) => x(m.step))
        .attr('cy', (m) => d.y(m.value))
        .style('stroke', HELD_OUT_COLOR);
      marks.select('title').text((m) => `${t('PyTorch reference (held-out)')}: ${t('{0} after {1} epochs', m.value.toFixed(1), m.epoch)}`);
      g.select('.ll-panel-title')
        .attr('display', split ? null : 'none')
        .attr('x', 0)
        .attr('y', d.top - 4);
      g.select('.ll-swatch-text').style('fill', d.color);
      g.select('.ll-panel-title-text').text(termLabel(d.term));
    });

    const endLabel = (s: Panel, values: [number, number][], heldOut: boolean) => {
      const last = values[values.length - 1];
      // Kept inside its own panel, so a panel's label never reads as another's.
      const yPx = Math.max(s.top + 6, Math.min(s.top + s.height - 2, s.y(last[1])));
      return { key: heldOut ? `heldout:${s.term}` : s.term, term: s.term, heldOut, value: last[1], x: x(last[0]), y: yPx };
    };
    const labels = placeLabels(
      laid.flatMap((s) => [...(s.values.length ? [endLabel(s, s.values, false)] : []), ...(s.heldOut.length ? [endLabel(s, s.heldOut, true)] : [])]),
      12,
      innerH,
    );
    const texts = this.plot.selectAll<SVGTextElement, (typeof labels)[number]>('text.ll-last-value').data(labels, (d) => d.key);
    texts.exit().remove();
    texts
      .enter()
      .append('text')
      .attr('class', 'll-last-value')
      .merge(texts)
      .attr('x', innerW + 5)
      .attr('y', (d) => d.labelY + 4)
      .each(function (d) {
        const text = d3.select(this);
        const value = formatDigits(d.value, LABEL_DIGITS);
        if (!d.heldOut) {
          text.attr('data-term', d.term).text(value);
          return;
        }
        // A held-out value carries the held-out colour's mark, so it reads apart from the training value beside it.
        text.classed('ll-heldout-value', true).attr('data-heldout', d.term).text(null);
        text.append('tspan').attr('class', 'll-swatch-text').style('fill', HELD_OUT_COLOR).text('━');
        text.append('tspan').text(` ${value}`);
      });

    this.renderLegend(series, refPanel?.reference.length ? refMarks : []);
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

  private renderLegend(series: Series[], refMarks: ReferenceMark[]): void {
    // The held-out entry carries its latest value: the loss (for the VAE the negative ELBO when beta is 1).
    const held = this.heldOutPoints[this.heldOutPoints.length - 1];
    const heldValue = held && series.length ? formatDigits(held.loss, 4) : '';
    const key = [series.map((s) => s.term).join(','), heldValue !== '', refMarks.length > 0].join('|');
    if (this.legend.dataset.terms !== key) {
      this.legend.dataset.terms = key;
      // The training terms are ll-legend-entry; the held-out series and the reference, which evaluate the model
      // rather than split its loss, are ll-legend-eval (same look).
      const entry = (entryClass: string, swatchClass: string, color: string, label: string, data: Record<string, string>) => {
        const e = document.createElement('span');
        e.className = entryClass;
        Object.assign(e.dataset, data);
        const swatch = document.createElement('span');
        swatch.className = swatchClass;
        swatch.style.borderColor = color;
        e.append(swatch, label);
        return e;
      };
      const entries = series.map((s) => entry('ll-legend-entry', 'll-swatch-line', s.color, termLabel(s.term), { term: s.term }));
      if (heldValue) {
        const e = entry('ll-legend-eval', 'll-swatch-line', HELD_OUT_COLOR, t('held-out'), { series: 'heldOut' });
        const value = document.createElement('span');
        value.className = 'll-legend-value';
        e.append(value);
        entries.push(e);
      }
      if (refMarks.length)
        entries.push(entry('ll-legend-eval', 'll-swatch-line ll-swatch-dotted', HELD_OUT_COLOR, t('PyTorch reference (held-out)'), { series: 'reference' }));
      this.legend.replaceChildren(...entries);
    }
    const value = this.legend.querySelector<HTMLElement>('.ll-legend-value');
    if (value) value.textContent = heldValue;
    const refEntry = this.legend.querySelector<HTMLElement>('[data-series=reference]');
    if (refEntry && this.reference) {
      const { latentDim, marks } = this.reference;
      const figures = marks.map((m) => t('{0} after {1} epochs', m.value.toFixed(1), m.epoch)).join(', ');
      refEntry.title = `PyTorch VAE 784-512-${latentDim}-512-784, Adam 1e-3, batch 128: ${figures}`;
    }
  }
}

/** Keeps at most MAX_POINTS, halving the resolution of all but the newest quarter. */
function thin<T>(points: T[]): T[] {
  while (points.length > MAX_POINTS) {
    const keepTail = Math.floor(MAX_POINTS / 4);
    const head = points.slice(0, points.length - keepTail).filter((_, i) => i % 2 === 0);
    points = head.concat(points.slice(points.length - keepTail));
  }
  return points;
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
