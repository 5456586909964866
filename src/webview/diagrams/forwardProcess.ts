// The forward (noising) process: the data at a scrubbed timestep t, beside the closed form
// q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) with its live coefficients. For 2D data the cloud at t over a faint
// x_0 cloud; for images a strip x_0 → x_t over the view's ladder of timesteps.
import type { DiffusionView } from '../../domain/views';
import { ImageStrip } from './imageGrid';
import { cloudDomain, PointCloudPlot } from './pointCloud';
import { containerWidth, createRoot, observeWidth } from './resize';
import { alphaBarAt } from './tensorPreview';
import { t } from '../i18n';

const SCRUB_THROTTLE_MS = 50;

/** Index of the value in `ts` nearest to `t`. */
export function nearestIndex(ts: readonly number[], t: number): number {
  let best = 0;
  ts.forEach((v, i) => {
    if (Math.abs(v - t) < Math.abs(ts[best] - t)) best = i;
  });
  return best;
}

export class ForwardProcess {
  private readonly root: HTMLDivElement;
  private readonly scrubber: HTMLInputElement;
  private readonly tValue: HTMLSpanElement;
  private readonly meanCoef: HTMLSpanElement;
  private readonly stdCoef: HTMLSpanElement;
  private readonly alphaBar: HTMLSpanElement;
  private readonly cloud: PointCloudPlot;
  private readonly strip: ImageStrip;
  private readonly atT: ImageStrip;
  private readonly stopObserving: () => void;
  private readonly scrubListeners: ((t: number) => void)[] = [];
  private view: DiffusionView | null = null;
  private t = 0;
  private exactAtT: { t: number; points?: [number, number][]; images?: number[][] } | null = null;
  private width: number;
  private lastScrubAt = 0;
  private pendingScrub = 0;

  constructor(private readonly container: HTMLElement) {
    this.root = createRoot(container, 'forward-process', 'll-forward');
    this.width = containerWidth(container);
    const toolbar = document.createElement('div');
    toolbar.className = 'll-toolbar';
    const label = document.createElement('label');
    label.textContent = 't';
    this.scrubber = document.createElement('input');
    this.scrubber.type = 'range';
    this.scrubber.className = 'll-range';
    this.scrubber.min = '0';
    this.scrubber.max = '999';
    this.scrubber.step = '1';
    this.scrubber.value = '0';
    this.scrubber.dataset.testid = 't-scrubber';
    this.scrubber.setAttribute('aria-label', t('Timestep t'));
    label.htmlFor = this.scrubber.id = `ll-t-${Math.random().toString(36).slice(2, 8)}`;
    this.tValue = document.createElement('span');
    this.tValue.className = 'll-t-value';
    this.tValue.dataset.testid = 't-value';
    toolbar.append(label, this.scrubber, this.tValue);
    this.root.appendChild(toolbar);

    const formula = document.createElement('div');
    formula.className = 'll-formula';
    formula.dataset.testid = 'forward-formula';
    const line1 = document.createElement('div');
    line1.textContent = 'q(xₜ | x₀) = N(√ᾱₜ · x₀, (1 − ᾱₜ) I)';
    const line2 = document.createElement('div');
    this.meanCoef = num('sqrt-alpha-bar');
    this.stdCoef = num('sqrt-one-minus-alpha-bar');
    this.alphaBar = num('alpha-bar');
    line2.append('√ᾱₜ = ', this.meanCoef, ' · √(1 − ᾱₜ) = ', this.stdCoef);
    const line3 = document.createElement('div');
    line3.className = 'll-muted';
    line3.append('ᾱₜ = ', this.alphaBar, t(' of the signal’s variance is left'));
    formula.append(line1, line2, line3);
    this.root.appendChild(formula);

    this.cloud = new PointCloudPlot(this.root, 'forward-cloud');
    this.strip = new ImageStrip(this.root, 'forward-strip');
    this.atT = new ImageStrip(this.root, 'forward-at-t');
    this.scrubber.addEventListener('input', () => this.onInput());
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
    this.render();
  }

  update(view: DiffusionView): void {
    this.view = view;
    this.scrubber.max = String(view.T);
    if (this.t > view.T) this.t = view.T;
    this.render();
  }

  onScrub(cb: (t: number) => void): void {
    this.scrubListeners.push(cb);
  }

  setT(t: number): void {
    this.t = Math.round(t);
    this.scrubber.value = String(this.t);
    this.render();
  }

  /** The worker's exact samples of x_t at `t` (replacing the nearest ladder frame while t stays there). */
  showForwardAt(t: number, points?: [number, number][], images?: number[][]): void {
    this.exactAtT = { t, points, images };
    this.render();
  }

  dispose(): void {
    window.clearTimeout(this.pendingScrub);
    this.stopObserving();
    this.root.remove();
  }

  private onInput(): void {
    this.t = Number(this.scrubber.value);
    this.render();
    const t = this.t;
    const wait = SCRUB_THROTTLE_MS - (performance.now() - this.lastScrubAt);
    window.clearTimeout(this.pendingScrub);
    const fire = () => {
      this.lastScrubAt = performance.now();
      this.scrubListeners.forEach((cb) => cb(this.t));
    };
    if (wait <= 0 || t === 0 || t === Number(this.scrubber.max)) fire();
    else this.pendingScrub = window.setTimeout(fire, wait);
  }

  private render(): void {
    const view = this.view;
    const t = this.t;
    this.tValue.textContent = view ? `${t} / ${view.T}` : String(t);
    const ab = view ? alphaBarAt(view.schedule.alphaBars, t) : undefined;
    this.meanCoef.textContent = ab === undefined ? '–' : Math.sqrt(ab).toFixed(4);
    this.stdCoef.textContent = ab === undefined ? '–' : Math.sqrt(1 - ab).toFixed(4);
    this.alphaBar.textContent = ab === undefined ? '–' : ab.toFixed(4);
    this.root.dataset.t = String(t);
    const fw = view?.forward;
    const exact = this.exactAtT && this.exactAtT.t === t ? this.exactAtT : null;
    const is2d = !!(fw?.points?.length || exact?.points);
    this.cloud.el.hidden = !is2d;
    this.strip.el.hidden = is2d || !fw?.images?.length;
    this.atT.el.hidden = is2d || !exact?.images?.length;
    if (!view || !fw) return;
    if (is2d) {
      const frames = fw.points ?? [];
      const x0 = view.data ?? frames[0];
      const current = exact?.points ?? frames[nearestIndex(fw.ts, t)];
      this.cloud.layout(this.width, cloudDomain(x0));
      this.cloud.draw([
        { points: x0 ?? [], colorVar: '--vscode-descriptionForeground', fallback: '#888', alpha: 0.25, radius: 1.6 },
        { points: current ?? [], colorVar: '--vscode-charts-blue', fallback: '#3794ff', alpha: 0.75, radius: 1.8 },
      ]);
      return;
    }
    if (fw.images?.length && fw.imageSize) {
      // images[k] holds the data items at ts[k]: the strip follows the first item through the ladder.
      this.strip.update(
        fw.images.map((items) => items[0] ?? []),
        fw.imageSize,
        fw.ts.map((v) => `t=${v}`),
      );
      this.strip.markCurrent(nearestIndex(fw.ts, t));
    }
    if (exact?.images?.length && fw.imageSize) {
      const items = exact.images.slice(0, 8);
      this.atT.update(
        items,
        fw.imageSize,
        items.map(() => `t=${t}`),
      );
    }
  }
}

function num(testId: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = 'll-num';
  s.dataset.testid = testId;
  return s;
}
