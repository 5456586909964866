// Sample quality over training (2D): the sliced Wasserstein distance of fresh samples to the data, drawn with the
// moving average of the weights and with the raw weights, above the distance between two draws of the data.
// The raw curve jumps from step to step; the averaged one settles (lower is better).
import * as d3 from 'd3';
import type { DiffusionView } from '../../domain/views';
import { formatDigits, LABEL_DIGITS } from '../../domain/tensorFormat';
import { containerWidth, createRoot, observeWidth } from './resize';
import { t } from '../i18n';

const HEIGHT = 160;
const M = { top: 12, right: 12, bottom: 30, left: 44 };
type Quality = NonNullable<DiffusionView['quality']>;
const SERIES = [
  { key: 'ema', label: () => t('EMA weights'), colorVar: 'var(--vscode-charts-blue)' },
  { key: 'raw', label: () => t('raw weights'), colorVar: 'var(--vscode-charts-orange)' },
] as const;

export class QualityChart {
  private readonly root: HTMLDivElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly legend: HTMLDivElement;
  /** Which samples the distances score, against what. */
  private readonly method: HTMLDivElement;
  private readonly stopObserving: () => void;
  private quality: Quality | null = null;
  private width: number;

  constructor(container: HTMLElement) {
    this.root = createRoot(container, 'quality-panel', 'll-quality');
    this.width = containerWidth(container);
    this.svg = d3.select(this.root).append('svg').attr('data-testid', 'quality').attr('role', 'img').attr('aria-label', t('Sample quality'));
    for (const cls of ['ll-grid', 'll-axis ll-axis-x', 'll-axis ll-axis-y', 'll-floor', 'll-lines']) this.svg.append('g').attr('class', cls);
    this.svg.append('text').attr('class', 'll-axis-title').attr('text-anchor', 'end').text(t('step'));
    this.svg.append('text').attr('class', 'll-muted ll-empty-text').attr('text-anchor', 'middle').text(t('Waiting for training steps…'));
    this.legend = d3.select(this.root).append('div').attr('class', 'll-legend-row').node()!;
    this.method = d3.select(this.root).append('div').attr('class', 'll-muted ll-caption').attr('data-testid', 'quality-method').node()!;
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.render();
  }

  update(view: DiffusionView): void {
    this.quality = view.quality ?? null;
    this.root.hidden = !view.quality;
    const m = view.quality?.method;
    this.method.textContent = m ? t('{0} samples drawn with {1} in {2} steps, against {0} held-out points', m.samples, m.sampler.toUpperCase(), m.steps) : '';
    this.render();
  }

  dispose(): void {
    this.stopObserving();
    this.root.remove();
  }

  private render(): void {
    const q = this.quality;
    const points = q?.points ?? [];
    const innerW = Math.max(40, this.width - M.left - M.right);
    const innerH = HEIGHT - M.top - M.bottom;
    this.svg.attr('width', this.width).attr('height', HEIGHT).attr('viewBox', `0 0 ${this.width} ${HEIGHT}`);
    this.svg
      .select('.ll-empty-text')
      .attr('x', M.left + innerW / 2)
      .attr('y', M.top + innerH / 2)
      .attr('display', points.length ? 'none' : null);
    const values = points
      .flatMap((p) => [p.ema, p.raw])
      .concat(q ? [q.floor] : [])
      .filter((v) => v > 0 && Number.isFinite(v));
    const [lo, hi] = values.length ? (d3.extent(values) as [number, number]) : [0.01, 1];
    // Distances fall by orders of magnitude while the model learns: a log scale keeps both ends readable.
    const y = d3
      .scaleLog()
      .domain([lo * 0.8, Math.max(hi * 1.25, lo * 2)])
      .range([M.top + innerH, M.top]);
    const x = d3
      .scaleLinear()
      .domain(points.length > 1 ? [points[0].step, points[points.length - 1].step] : [0, 1])
      .range([M.left, M.left + innerW]);
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(0,${M.top + innerH})`)
      .call(
        d3
          .axisBottom(x)
          .ticks(Math.max(2, Math.floor(innerW / 70)), '~s')
          .tickSizeOuter(0),
      );
    this.svg.select<SVGGElement>('.ll-axis-y').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(3, '~g').tickSizeOuter(0));
    this.svg
      .select<SVGGElement>('.ll-grid')
      .attr('transform', `translate(${M.left},0)`)
      .call(
        d3
          .axisLeft(y)
          .ticks(3)
          .tickSize(-innerW)
          .tickFormat(() => ''),
      );
    this.svg
      .select('.ll-axis-title')
      .attr('x', M.left + innerW)
      .attr('y', HEIGHT - 2);
    const floor = this.svg
      .select('.ll-floor')
      .selectAll<SVGLineElement, number>('line')
      .data(q ? [q.floor] : []);
    floor.exit().remove();
    floor
      .enter()
      .append('line')
      .attr('class', 'll-floor-line')
      .attr('data-testid', 'quality-floor')
      .merge(floor)
      .attr('x1', M.left)
      .attr('x2', M.left + innerW)
      .attr('y1', (d) => y(d))
      .attr('y2', (d) => y(d))
      .style('stroke', 'var(--vscode-descriptionForeground)')
      .style('stroke-dasharray', '3 3');
    const line = (key: 'ema' | 'raw') =>
      d3
        .line<Quality['points'][number]>()
        .defined((p) => p[key] > 0)
        .x((p) => x(p.step))
        .y((p) => y(p[key]))(points) ?? '';
    const paths = this.svg
      .select('.ll-lines')
      .selectAll<SVGPathElement, (typeof SERIES)[number]>('path')
      .data(points.length > 1 ? SERIES : [], (d) => d.key);
    paths.exit().remove();
    paths
      .enter()
      .append('path')
      .attr('class', 'll-line')
      .attr('data-series', (d) => d.key)
      .merge(paths)
      .attr('d', (d) => line(d.key))
      .style('stroke', (d) => d.colorVar)
      .style('fill', 'none')
      .style('stroke-width', '1.5px');
    const last = points.at(-1);
    d3.select(this.legend)
      .selectAll('span')
      .data([
        ...SERIES.map((s) => ({ ...s, value: last?.[s.key] })),
        { key: 'floor', label: () => t('data vs data'), colorVar: 'var(--vscode-descriptionForeground)', value: q?.floor },
      ])
      .join('span')
      .attr('class', 'll-legend-item')
      .text((d) => `━ ${d.label()} ${d.value === undefined ? '' : formatDigits(d.value, LABEL_DIGITS)}`)
      .style('color', 'var(--vscode-foreground)');
  }
}
