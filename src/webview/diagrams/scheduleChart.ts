// The noise schedule: β_t, ᾱ_t and the signal-to-noise ratio ᾱ_t / (1 − ᾱ_t) (log scale) in three panels on
// one shared t axis, with the scrubbed t marked by a vertical rule across all three.
import * as d3 from 'd3';
import type { DiffusionView } from '../../domain/views';
import { formatDigits, LABEL_DIGITS } from '../../domain/tensorFormat';
import { containerWidth, createRoot, observeWidth } from './resize';
import { alphaBarAt } from './tensorPreview';
import { t } from '../i18n';

const PANEL_H = 62;
const PANEL_GAP = 22;
const M = { top: 34, right: 12, bottom: 24, left: 44 };

interface Panel {
  key: 'beta' | 'alphaBar' | 'snr';
  label: string;
  colorVar: string;
  log: boolean;
}

const PANELS: Panel[] = [
  { key: 'beta', label: 'βₜ', colorVar: 'var(--vscode-charts-orange)', log: false },
  { key: 'alphaBar', label: 'ᾱₜ', colorVar: 'var(--vscode-charts-blue)', log: false },
  { key: 'snr', label: t('SNR = ᾱₜ/(1−ᾱₜ), log'), colorVar: 'var(--vscode-charts-green)', log: true },
];

export class ScheduleChart {
  private readonly root: HTMLDivElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly stopObserving: () => void;
  private view: DiffusionView | null = null;
  private t = 0;
  private width: number;
  private x = d3.scaleLinear();

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'schedule-panel', 'll-schedule');
    this.width = containerWidth(container);
    this.svg = d3.select(this.root).append('svg').attr('data-testid', 'schedule').attr('role', 'img').attr('aria-label', t('Noise schedule'));
    this.svg.append('g').attr('class', 'll-panels');
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('text').attr('class', 'll-axis-title').attr('text-anchor', 'end').text('t');
    const rule = this.svg.append('g').attr('class', 'll-t-marker').attr('data-testid', 't-rule');
    rule.append('line').attr('class', 'll-t-rule');
    rule.append('text').attr('class', 'll-t-label');
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
  }

  update(view: DiffusionView): void {
    this.view = view;
    this.t = Math.min(this.t, view.T - 1);
    this.render();
  }

  setT(t: number): void {
    this.t = Math.round(t);
    this.renderRule();
  }

  dispose(): void {
    this.stopObserving();
    this.root.remove();
  }

  private series(key: Panel['key']): number[] {
    const s = this.view?.schedule;
    if (!s) return [];
    if (key === 'beta') return s.betas;
    if (key === 'alphaBar') return s.alphaBars;
    return s.alphaBars.map((a) => a / Math.max(1e-12, 1 - a));
  }

  private render(): void {
    const view = this.view;
    if (!view) return;
    const innerW = Math.max(40, this.width - M.left - M.right);
    const height = M.top + PANELS.length * (PANEL_H + PANEL_GAP) - PANEL_GAP + M.bottom;
    this.svg.attr('width', this.width).attr('height', height).attr('viewBox', `0 0 ${this.width} ${height}`);
    this.x = d3
      .scaleLinear()
      .domain([0, view.T])
      .range([M.left, M.left + innerW]);
    const panels = this.svg
      .select('.ll-panels')
      .selectAll<SVGGElement, Panel>('g.ll-schedule-panel')
      .data(PANELS, (d) => d.key);
    const enter = panels.enter().append('g').attr('class', 'll-schedule-panel');
    enter.append('g').attr('class', 'll-grid');
    enter.append('g').attr('class', 'll-axis ll-axis-y');
    enter.append('path').attr('class', 'll-line');
    // Label text in the foreground colour (chart colours are too faint for text on light themes), keyed to its
    // line by a swatch.
    const label = enter.append('text').attr('class', 'll-panel-label');
    label.append('tspan').attr('class', 'll-swatch-text').text('━ ');
    label.append('tspan').attr('class', 'll-panel-label-text');
    enter.merge(panels).each((panel, i, nodes) => {
      const g = d3
        .select(nodes[i])
        .attr('data-series', panel.key)
        .attr('transform', `translate(0,${M.top + i * (PANEL_H + PANEL_GAP)})`);
      const values = this.series(panel.key);
      const positive = values.filter((v) => v > 0);
      const y = panel.log
        ? d3
            .scaleLog()
            .domain(d3.extent(positive) as [number, number])
            .range([PANEL_H, 0])
            .nice()
        : d3
            .scaleLinear()
            .domain([0, d3.max(values) ?? 1])
            .range([PANEL_H, 0])
            .nice();
      g.select<SVGGElement>('.ll-axis-y')
        .attr('transform', `translate(${M.left},0)`)
        .call(
          panel.log
            ? d3
                .axisLeft(y)
                .tickValues(powerTicks(y.domain() as [number, number]))
                .tickFormat((v) => powerLabel(Number(v)))
                .tickSizeOuter(0)
            : d3.axisLeft(y).ticks(3, '~g').tickSizeOuter(0),
        );
      g.select<SVGGElement>('.ll-grid')
        .attr('transform', `translate(${M.left},0)`)
        .call(
          (panel.log ? d3.axisLeft(y).tickValues(powerTicks(y.domain() as [number, number])) : d3.axisLeft(y).ticks(3)).tickSize(-innerW).tickFormat(() => ''),
        );
      // Array index i holds the paper's timestep t = i + 1.
      const line = d3
        .line<number>()
        .defined((v) => !panel.log || v > 0)
        .x((_v, i) => this.x(i + 1))
        .y((v) => y(v));
      g.select('.ll-line').attr('d', line(values)).style('stroke', panel.colorVar);
      g.select('.ll-panel-label')
        .attr('x', M.left + 8)
        .attr('y', -6);
      g.select('.ll-swatch-text').style('fill', panel.colorVar);
      g.select('.ll-panel-label-text').text(panel.label);
    });
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(0,${height - M.bottom})`)
      .call(
        d3
          .axisBottom(this.x)
          .ticks(Math.max(2, Math.floor(innerW / 60)))
          .tickSizeOuter(0),
      );
    this.svg
      .select('.ll-axis-title')
      .attr('x', M.left + innerW)
      .attr('y', height - 2);
    this.renderRule();
  }

  private renderRule(): void {
    const view = this.view;
    const marker = this.svg
      .select('.ll-t-marker')
      .attr('display', view ? null : 'none')
      .attr('data-t', this.t);
    if (!view) return;
    const height = Number(this.svg.attr('height'));
    const px = this.x(this.t);
    marker
      .select('.ll-t-rule')
      .attr('x1', px)
      .attr('x2', px)
      .attr('y1', 14)
      .attr('y2', height - M.bottom);
    const ab = alphaBarAt(view.schedule.alphaBars, this.t);
    const text = `t=${this.t}  ᾱ=${ab === undefined ? '–' : formatDigits(ab, LABEL_DIGITS)}`;
    const right = px > M.left + (this.width - M.left - M.right) * 0.5;
    marker
      .select('.ll-t-label')
      .attr('x', right ? px - 5 : px + 5)
      .attr('y', 10)
      .attr('text-anchor', right ? 'end' : 'start')
      .text(text);
  }
}

/** At most four powers of ten spanning `domain`. */
function powerTicks([lo, hi]: [number, number]): number[] {
  const a = Math.ceil(Math.log10(Math.min(lo, hi)));
  const b = Math.floor(Math.log10(Math.max(lo, hi)));
  const stride = Math.max(1, Math.ceil((b - a + 1) / 4));
  const out: number[] = [];
  for (let e = b; e >= a; e -= stride) out.push(10 ** e);
  return out;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

function powerLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e === 0) return '1';
  return `10${String(e)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('')}`;
}
