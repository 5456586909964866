// One tensor snapshot as a card: name, shape, step, statistics, histogram and preview. Used for hover
// inspection next to the pipeline.
import { formatShape, formatStats, formatStep } from '../../domain/tensorFormat';
import type { TensorSnapshot } from '../../domain/tensors';
import { drawPreview } from './tensorPreview';
import { t } from '../i18n';

const PREVIEW_PX = 72;

export class TensorPanel {
  private readonly root: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly shape: HTMLSpanElement;
  private readonly stats: HTMLDivElement;
  private readonly preview: HTMLCanvasElement;
  private readonly histogram: HTMLCanvasElement;

  constructor(container: HTMLElement) {
    this.root = document.createElement('div');
    this.root.className = 'll-tensor-panel';
    this.root.dataset.testid = 'tensor-panel';
    this.root.hidden = true;
    const head = document.createElement('div');
    head.className = 'll-tensor-panel-head';
    this.title = document.createElement('span');
    this.title.className = 'll-tensor-name';
    this.shape = document.createElement('span');
    this.shape.className = 'll-tensor-shape';
    head.append(this.title, this.shape);
    const body = document.createElement('div');
    body.className = 'll-tensor-panel-body';
    this.preview = document.createElement('canvas');
    this.preview.className = 'll-tensor-preview';
    const right = document.createElement('div');
    this.stats = document.createElement('div');
    this.stats.className = 'll-tensor-stats';
    this.histogram = document.createElement('canvas');
    this.histogram.className = 'll-tensor-histogram';
    right.append(this.stats, this.histogram);
    body.append(this.preview, right);
    this.root.append(head, body);
    container.appendChild(this.root);
  }

  update(s: TensorSnapshot | undefined): void {
    this.root.hidden = !s;
    if (!s) return;
    this.root.dataset.tensor = s.name;
    this.title.textContent = s.name;
    this.shape.textContent = `${formatShape(s.shape)} · ${t('step {0}', formatStep(s.step))}`;
    const labels = { mean: t('mean'), std: t('std'), min: t('min'), max: t('max') };
    this.stats.replaceChildren(
      ...formatStats(s.stats).map(([key, text]) => {
        const row = document.createElement('div');
        const l = document.createElement('span');
        l.className = 'll-stat-label';
        l.textContent = labels[key];
        const value = document.createElement('span');
        value.className = 'll-stat-value';
        value.textContent = text;
        row.append(l, value);
        return row;
      }),
    );
    drawPreview(this.preview, s, PREVIEW_PX, PREVIEW_PX);
    drawPreview(this.histogram, { ...s, preview: { shape: [s.histogram.counts.length], data: s.histogram.counts } }, 110, 28);
  }

  dispose(): void {
    this.root.remove();
  }
}
