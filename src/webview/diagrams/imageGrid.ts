// A grid of small grey images, one canvas each, reused across updates (a gallery refresh only redraws pixels).
import { drawGrey, type Size } from './imageCanvas';

export class ImageGrid {
  readonly el: HTMLDivElement;

  constructor(parent: HTMLElement, testId: string, className = 'll-image-row') {
    this.el = document.createElement('div');
    this.el.className = className;
    this.el.dataset.testid = testId;
    parent.appendChild(this.el);
  }

  /** Draws `images` in `columns` columns; `titles[i]`, when given, becomes image i's tooltip. */
  update(images: readonly (readonly number[])[], imageSize: Size, columns: number, titles?: readonly string[]): void {
    this.el.style.gridTemplateColumns = `repeat(${Math.max(1, columns)}, minmax(0, 1fr))`;
    while (this.el.children.length > images.length) this.el.lastElementChild?.remove();
    while (this.el.children.length < images.length) {
      const c = document.createElement('canvas');
      c.className = 'll-pixelated';
      this.el.appendChild(c);
    }
    images.forEach((img, i) => {
      const canvas = this.el.children[i] as HTMLCanvasElement;
      drawGrey(canvas, img, imageSize);
      canvas.title = titles?.[i] ?? '';
    });
  }
}

/** A row of labelled images (e.g. x_t at a ladder of t) with one cell marked as current. */
export class ImageStrip {
  readonly el: HTMLDivElement;

  constructor(parent: HTMLElement, testId: string) {
    this.el = document.createElement('div');
    this.el.className = 'll-strip';
    this.el.dataset.testid = testId;
    parent.appendChild(this.el);
  }

  update(images: readonly (readonly number[])[], imageSize: Size, labels: readonly string[]): void {
    this.el.style.gridTemplateColumns = `repeat(${Math.max(1, images.length)}, minmax(0, 1fr))`;
    while (this.el.children.length > images.length) this.el.lastElementChild?.remove();
    while (this.el.children.length < images.length) {
      const cell = document.createElement('div');
      cell.className = 'll-strip-cell';
      const c = document.createElement('canvas');
      c.className = 'll-pixelated';
      cell.append(c, document.createElement('span'));
      this.el.appendChild(cell);
    }
    images.forEach((img, i) => {
      const cell = this.el.children[i] as HTMLDivElement;
      drawGrey(cell.querySelector('canvas') as HTMLCanvasElement, img, imageSize);
      (cell.querySelector('span') as HTMLSpanElement).textContent = labels[i] ?? '';
    });
  }

  markCurrent(index: number): void {
    Array.from(this.el.children).forEach((c, i) => c.classList.toggle('ll-current', i === index));
  }
}
