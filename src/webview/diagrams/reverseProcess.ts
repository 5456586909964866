// The reverse (sampling) process, played back: 2D, the cloud of the current frame with the trajectories of a
// few points from noise to sample; images, the current frame's samples and a strip of one sample's frames.
import * as d3 from 'd3';
import type { DiffusionView } from '../../domain/views';
import { ImageGrid, ImageStrip } from './imageGrid';
import { cloudDomain, PointCloudPlot } from './pointCloud';
import { containerWidth, createRoot, observeWidth } from './resize';
import { t } from '../i18n';

const FRAME_MS = 90;
const TRAJECTORIES = 8;
const STRIP_CELLS = 8;

export class ReverseProcess {
  private readonly root: HTMLDivElement;
  private readonly playButton: HTMLButtonElement;
  private readonly scrubber: HTMLInputElement;
  private readonly frameLabel: HTMLSpanElement;
  private readonly cloud: PointCloudPlot;
  private readonly frameGrid: ImageGrid;
  private readonly strip: ImageStrip;
  private readonly stopObserving: () => void;
  private view: DiffusionView | null = null;
  private frame = 0;
  private timer = 0;
  private width: number;

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'reverse', 'll-reverse');
    this.width = containerWidth(container);
    const toolbar = document.createElement('div');
    toolbar.className = 'll-toolbar';
    this.playButton = document.createElement('button');
    this.playButton.className = 'll-button';
    this.playButton.dataset.testid = 'reverse-play';
    this.playButton.addEventListener('click', () => (this.timer ? this.pause() : this.play()));
    this.scrubber = document.createElement('input');
    this.scrubber.type = 'range';
    this.scrubber.className = 'll-range';
    this.scrubber.min = '0';
    this.scrubber.max = '0';
    this.scrubber.value = '0';
    this.scrubber.dataset.testid = 'reverse-scrubber';
    this.scrubber.setAttribute('aria-label', t('Sampling frame'));
    this.scrubber.addEventListener('input', () => {
      this.pause();
      this.showFrame(Number(this.scrubber.value));
    });
    this.frameLabel = document.createElement('span');
    this.frameLabel.className = 'll-t-value';
    this.frameLabel.dataset.testid = 'reverse-frame';
    toolbar.append(this.playButton, this.scrubber, this.frameLabel);
    this.root.appendChild(toolbar);
    this.cloud = new PointCloudPlot(this.root, 'reverse-cloud');
    this.frameGrid = new ImageGrid(this.root, 'reverse-frame-images');
    this.strip = new ImageStrip(this.root, 'reverse-strip');
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.updateButton();
    this.render();
  }

  update(view: DiffusionView): void {
    const fresh = !this.view || this.view.reverse !== view.reverse;
    this.view = view;
    const frames = this.frameCount();
    this.scrubber.max = String(Math.max(0, frames - 1));
    // A new sample run is shown at its end (the samples); play replays it from noise.
    if (fresh) this.frame = Math.max(0, frames - 1);
    this.frame = Math.min(this.frame, Math.max(0, frames - 1));
    this.scrubber.value = String(this.frame);
    this.render();
  }

  play(): void {
    if (this.frameCount() < 2) return;
    if (this.frame >= this.frameCount() - 1) this.frame = 0;
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => {
      if (this.frame >= this.frameCount() - 1) this.pause();
      else this.showFrame(this.frame + 1);
    }, FRAME_MS);
    this.updateButton();
    this.render();
  }

  pause(): void {
    window.clearInterval(this.timer);
    this.timer = 0;
    this.updateButton();
  }

  showFrame(index: number): void {
    this.frame = Math.max(0, Math.min(index, this.frameCount() - 1));
    this.scrubber.value = String(this.frame);
    this.render();
  }

  dispose(): void {
    this.pause();
    this.stopObserving();
    this.root.remove();
  }

  private frameCount(): number {
    const r = this.view?.reverse;
    return r?.points?.length ?? r?.images?.length ?? 0;
  }

  private updateButton(): void {
    const playing = this.timer !== 0;
    this.playButton.textContent = playing ? t('❚❚ pause') : t('▶ play');
    this.playButton.setAttribute('aria-pressed', String(playing));
  }

  private render(): void {
    const r = this.view?.reverse;
    const frames = this.frameCount();
    const k = this.frame;
    this.root.dataset.frame = String(k);
    this.frameLabel.textContent = r && frames ? `t=${r.ts[k] ?? '?'} · ${k + 1}/${frames}` : t('no samples yet');
    this.playButton.disabled = frames < 2;
    const is2d = !!r?.points?.length;
    this.cloud.el.hidden = !is2d;
    this.frameGrid.el.hidden = is2d || !r?.images?.length;
    this.strip.el.hidden = is2d || !r?.images?.length;
    if (!r || !frames) return;
    if (is2d && r.points) {
      const pts = r.points;
      // Fixed by the data, not the samples: an untrained model's samples land far outside and show on the border.
      this.cloud.layout(this.width, cloudDomain(this.view?.data));
      this.cloud.draw([
        { points: this.view?.data ?? [], colorVar: '--vscode-descriptionForeground', fallback: '#888', alpha: 0.2, radius: 1.5 },
        { points: pts[k], colorVar: '--vscode-charts-green', fallback: '#89d185', alpha: 0.8, radius: 1.8 },
      ]);
      this.drawTrajectories(pts, k);
      return;
    }
    if (r.images && r.imageSize) {
      const items = r.images[k].slice(0, 16);
      this.frameGrid.update(items, r.imageSize, Math.max(6, Math.min(8, items.length)));
      const picks = pickFrames(frames, STRIP_CELLS);
      this.strip.update(
        picks.map((f) => r.images?.[f][0] ?? []),
        r.imageSize,
        picks.map((f) => `t=${r.ts[f]}`),
      );
      this.strip.markCurrent(picks.reduce((best, f, i) => (Math.abs(f - k) < Math.abs(picks[best] - k) ? i : best), 0));
    }
  }

  private drawTrajectories(frames: [number, number][][], upTo: number): void {
    const n = Math.min(TRAJECTORIES, frames[0]?.length ?? 0);
    const cloud = this.cloud;
    const { x, y } = cloud;
    // Non-finite samples (a diverged model) are left out of the lines: SVG rejects NaN coordinates.
    const lines = Array.from({ length: n }, (_, i) =>
      frames
        .slice(0, upTo + 1)
        .map((f) => [x(f[i][0]), y(f[i][1])] as [number, number])
        .filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py)),
    );
    const paths = this.cloud.overlay.selectAll<SVGPathElement, [number, number][]>('path.ll-trajectory').data(lines);
    paths.exit().remove();
    paths
      .enter()
      .append('path')
      .attr('class', 'll-trajectory')
      .merge(paths)
      .attr('d', (d) => (d.length ? `M${d.map((p) => p.join(',')).join('L')}` : null));
    const ends = this.cloud.overlay.selectAll<SVGCircleElement, [number, number][]>('circle.ll-trajectory-end').data(lines);
    ends.exit().remove();
    ends
      .enter()
      .append('circle')
      .attr('class', 'll-trajectory-end')
      .attr('r', 2.6)
      .merge(ends)
      .each(function (d) {
        const end = d[d.length - 1];
        const onBorder = end ? cloud.clampToBorder(end[0], end[1]) : null;
        d3.select(this)
          .attr('display', end ? null : 'none')
          .classed('ll-outside', !!onBorder)
          .attr('cx', (onBorder ?? end ?? [0, 0])[0])
          .attr('cy', (onBorder ?? end ?? [0, 0])[1]);
      });
  }
}

/** `count` frame indices spread evenly from the first to the last of `frames`. */
export function pickFrames(frames: number, count: number): number[] {
  if (frames <= count) return Array.from({ length: frames }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (frames - 1)) / (count - 1)));
}
