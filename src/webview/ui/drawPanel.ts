// "Draw your own data": the learner sketches a 2D distribution with the pointer and trains the DDPM on it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h } from './dom';
import { t } from '../i18n';

/** Data coordinates covered by the canvas: the toy sets live within about ±2. */
const EXTENT = 2.5;
const MIN_POINTS = 20;

export class DrawPanel {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', {
    class: 'lab-draw-canvas',
    'data-testid': 'draw-canvas',
    width: '280',
    height: '280',
    'aria-label': t('Drawing area: drag to add data points'),
  });
  private readonly count = h('span', { class: 'lab-hint', 'data-testid': 'draw-count' }, t('{0} points', 0));
  private readonly train: HTMLElement;
  private points: [number, number][] = [];
  private drawing = false;

  constructor(onTrain: (points: [number, number][]) => void) {
    this.train = h('vscode-button', { 'data-testid': 'draw-train', disabled: '' }, t('Train on my drawing'));
    this.train.addEventListener('click', () => this.points.length >= MIN_POINTS && onTrain(this.points.slice()));
    const clear = h('vscode-button', { secondary: '', 'data-testid': 'draw-clear' }, t('Clear'));
    clear.addEventListener('click', () => this.set([]));
    this.el = h(
      'div',
      { class: 'lab-draw' },
      h('p', { class: 'lab-hint' }, t('Drag to paint points (at least {0}); the DDPM then learns to sample your shape.', MIN_POINTS)),
      this.canvas,
      h('div', { class: 'lab-buttons' }, this.train, clear, this.count),
    );
    this.canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.add(e);
    });
    this.canvas.addEventListener('pointermove', (e) => this.drawing && this.add(e));
    this.canvas.addEventListener('pointerup', () => (this.drawing = false));
    this.render();
  }

  private add(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * 2 * EXTENT - EXTENT;
    const y = EXTENT - ((e.clientY - r.top) / r.height) * 2 * EXTENT;
    const last = this.points[this.points.length - 1];
    if (last && Math.hypot(last[0] - x, last[1] - y) < 0.04) return;
    this.set([...this.points, [x, y]]);
  }

  set(points: [number, number][]): void {
    this.points = points;
    this.count.textContent = t('{0} points', points.length);
    this.train.toggleAttribute('disabled', points.length < MIN_POINTS);
    this.render();
  }

  private render(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: w, height: hgt } = this.canvas;
    const style = getComputedStyle(this.canvas);
    ctx.clearRect(0, 0, w, hgt);
    ctx.strokeStyle = style.getPropertyValue('--vscode-panel-border') || 'rgba(128,128,128,0.4)';
    ctx.beginPath();
    ctx.moveTo(w / 2, 0);
    ctx.lineTo(w / 2, hgt);
    ctx.moveTo(0, hgt / 2);
    ctx.lineTo(w, hgt / 2);
    ctx.stroke();
    ctx.fillStyle = style.getPropertyValue('--vscode-charts-blue') || '#3794ff';
    for (const [x, y] of this.points) {
      ctx.beginPath();
      ctx.arc(((x + EXTENT) / (2 * EXTENT)) * w, ((EXTENT - y) / (2 * EXTENT)) * hgt, 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
