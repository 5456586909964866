// Inputs above their reconstructions (column by column), a grid of samples decoded from the prior, and the images
// decoded along a straight line between two inputs' codes.
import type { Gallery } from '../../domain/views';
import { ImageGrid } from './imageGrid';
import { createRoot } from './resize';
import { t } from '../i18n';

const MAX_ROW = 8;
const SAMPLE_COLUMNS = 8;

export class GalleryView {
  private readonly root: HTMLDivElement;
  private readonly inputs: ImageGrid;
  private readonly reconstructions: ImageGrid;
  private readonly samplesLabel: HTMLDivElement;
  private readonly samples: ImageGrid;
  private readonly pathLabel: HTMLDivElement;
  private readonly path: ImageGrid;
  private readonly empty: HTMLDivElement;

  constructor(container: HTMLElement) {
    this.root = createRoot(container, 'gallery', 'll-gallery');
    this.empty = this.label(t('Waiting for the first reconstructions…'), 'll-empty');
    this.label(t('Inputs x'));
    this.inputs = new ImageGrid(this.root, 'gallery-inputs');
    this.label(t('Reconstructions x̂'));
    this.reconstructions = new ImageGrid(this.root, 'gallery-reconstructions');
    this.samplesLabel = this.label(t('Samples: decoder(z), z ~ N(0, I)'));
    this.samples = new ImageGrid(this.root, 'gallery-samples');
    this.pathLabel = this.label('');
    this.pathLabel.dataset.testid = 'gallery-interpolation-label';
    this.path = new ImageGrid(this.root, 'gallery-interpolation');
  }

  update(g: Gallery): void {
    this.empty.hidden = true;
    const n = Math.min(MAX_ROW, g.inputs.length, g.reconstructions.length || Infinity);
    this.inputs.update(g.inputs.slice(0, n), g.imageSize, n);
    this.reconstructions.update(g.reconstructions.slice(0, n), g.imageSize, n);
    const hasSamples = g.samples.length > 0;
    this.samplesLabel.hidden = !hasSamples;
    this.samples.el.hidden = !hasSamples;
    this.samples.update(g.samples, g.imageSize, Math.min(SAMPLE_COLUMNS, g.samples.length));
    const path = g.interpolation;
    this.pathLabel.hidden = this.path.el.hidden = !path;
    if (path) {
      this.pathLabel.textContent = t('Interpolation: decoder((1−α) z_a + α z_b), {0} → {1}', path.from, path.to);
      const last = path.images.length - 1;
      this.path.update(
        path.images,
        g.imageSize,
        path.images.length,
        path.images.map((_, i) => `α = ${(i / last).toFixed(2)}`),
      );
    }
    this.root.dataset.step = String(g.step);
  }

  dispose(): void {
    this.root.remove();
  }

  private label(text: string, className = 'll-row-label'): HTMLDivElement {
    const d = document.createElement('div');
    d.className = className;
    d.textContent = text;
    this.root.appendChild(d);
    return d;
  }
}
