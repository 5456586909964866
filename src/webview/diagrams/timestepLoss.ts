// The denoising loss split by timestep bucket: which noise levels the network finds hard.
import * as d3 from 'd3';
import type { DiffusionView } from '../../domain/views';
import { formatDigits, LABEL_DIGITS } from '../../domain/tensorFormat';
import { containerWidth, createRoot, observeWidth } from './resize';
import { t } from '../i18n';

const HEIGHT = 150;
const M = { top: 14, right: 10, bottom: 30, left: 44 };

interface Bar {
  index: number;
  from: number;
  to: number;
  loss: number;
}

export class TimestepLoss {
  private readonly root: HTMLDivElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly stopObserving: () => void;
  private view: DiffusionView | null = null;
  private width: number;

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'timestep-loss-panel', 'll-timestep-loss');
    this.width = containerWidth(container);
    this.svg = d3.select(this.root).append('svg').attr('data-testid', 'timestep-loss').attr('role', 'img').attr('aria-label', t('Loss by timestep'));
    this.svg.append('g').attr('class', 'll-grid');
    this.svg.append('g').attr('class', 'll-bars');
    this.svg.append('g').attr('class', 'll-axis ll-axis-x');
    this.svg.append('g').attr('class', 'll-axis ll-axis-y');
    this.svg.append('text').attr('class', 'll-axis-title').attr('text-anchor', 'end').text('t');
    this.svg.append('text').attr('class', 'll-muted ll-empty-text').attr('text-anchor', 'middle').text(t('Waiting for training steps…'));
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.render();
  }

  update(view: DiffusionView): void {
    this.view = view;
    this.render();
  }

  dispose(): void {
    this.stopObserving();
    this.root.remove();
  }

  private render(): void {
    const view = this.view;
    const innerW = Math.max(40, this.width - M.left - M.right);
    const innerH = HEIGHT - M.top - M.bottom;
    this.svg.attr('width', this.width).attr('height', HEIGHT).attr('viewBox', `0 0 ${this.width} ${HEIGHT}`);
    const T = view?.T ?? 1000;
    const B = view?.lossByBucket.buckets ?? 0;
    const bars: Bar[] = (view?.lossByBucket.loss ?? []).map((loss, index) => ({
      index,
      loss,
      from: Math.round((index * T) / B),
      to: Math.round(((index + 1) * T) / B) - 1,
    }));
    // Buckets no training step has landed in yet are NaN: the others are drawn, these get a mark on the axis.
    // A view from before the first step (sent at start) has only NaN.
    const seen = bars.filter((b) => Number.isFinite(b.loss));
    this.svg
      .select('.ll-empty-text')
      .attr('x', M.left + innerW / 2)
      .attr('y', M.top + innerH / 2)
      .attr('display', seen.length ? 'none' : null)
      .text(view ? t('No loss per timestep yet (view of step {0})', view.step) : t('Waiting for training steps…'));
    const x = d3
      .scaleLinear()
      .domain([0, T])
      .range([M.left, M.left + innerW]);
    const y = d3
      .scaleLinear()
      .domain([0, d3.max(bars, (b) => (Number.isFinite(b.loss) ? b.loss : 0)) || 1])
      .range([M.top + innerH, M.top])
      .nice();
    this.svg
      .select<SVGGElement>('.ll-axis-x')
      .attr('transform', `translate(0,${M.top + innerH})`)
      .call(
        d3
          .axisBottom(x)
          .ticks(Math.max(2, Math.floor(innerW / 60)))
          .tickSizeOuter(0),
      );
    this.svg.select<SVGGElement>('.ll-axis-y').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(4, '~g').tickSizeOuter(0));
    this.svg
      .select<SVGGElement>('.ll-grid')
      .attr('transform', `translate(${M.left},0)`)
      .call(
        d3
          .axisLeft(y)
          .ticks(4)
          .tickSize(-innerW)
          .tickFormat(() => ''),
      );
    this.svg
      .select('.ll-axis-title')
      .attr('x', M.left + innerW)
      .attr('y', HEIGHT - 2);
    const rects = this.svg
      .select('.ll-bars')
      .selectAll<SVGRectElement, Bar>('rect.ll-bar')
      .data(seen, (d) => String(d.index));
    rects.exit().remove();
    const merged = rects
      .enter()
      .append('rect')
      .attr('class', 'll-bar')
      .call((s) => s.append('title'))
      .merge(rects)
      .attr('data-bucket', (d) => d.index)
      .attr('x', (d) => x(d.from) + 1)
      .attr('width', (d) => Math.max(1, x(d.to + 1) - x(d.from) - 2))
      .attr('y', (d) => y(d.loss))
      .attr('height', (d) => Math.max(0, y(0) - y(d.loss)));
    merged.select('title').text((d) => t('t {0}–{1}: loss {2}', d.from, d.to, formatDigits(d.loss, LABEL_DIGITS)));
    const unseen = this.svg
      .select('.ll-bars')
      .selectAll<SVGRectElement, Bar>('rect.ll-bar-unseen')
      .data(seen.length ? bars.filter((b) => !Number.isFinite(b.loss)) : [], (d) => String(d.index));
    unseen.exit().remove();
    unseen
      .enter()
      .append('rect')
      .attr('class', 'll-bar-unseen')
      .call((s) => s.append('title'))
      .merge(unseen)
      .attr('data-bucket', (d) => d.index)
      .attr('x', (d) => x(d.from) + 1)
      .attr('width', (d) => Math.max(1, x(d.to + 1) - x(d.from) - 2))
      .attr('y', y(0) - 2)
      .attr('height', 2)
      .select('title')
      .text((d) => t('t {0}–{1}: no training step has landed here yet', d.from, d.to));
  }
}
