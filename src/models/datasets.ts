// The bundled image datasets: PNG sprite sheets (8-bit gray) with JSON sidecars, decoded by the caller
// (canvas in the webview, fast-png in tests) and sliced here into normalised images. No DOM.
import type { ImageDatasetName } from '../domain/config';
import { deriveSeed, mulberry32, shuffleInPlace } from './random';

/** The JSON sidecar of a sprite sheet (media/data/<set>/<name>.json); keys not used here are optional. */
export interface SheetMeta {
  name: string;
  title?: string;
  image?: string;
  count: number;
  width: number;
  height: number;
  channels: number;
  layout: {
    type: 'grid';
    tileOrder: 'row-major';
    columns: number;
    rows: number;
    sheetWidth: number;
    sheetHeight: number;
    paddingTiles: number;
  };
  /** Digits only: the 17 gray levels the 0..16 counts were rescaled to. */
  pixel?: { storedLevels?: number[] };
  classNames: string[];
  labels: number[];
  labelCounts?: number[];
  attribution?: string;
  license?: unknown;
}

/** Sheet files per dataset, relative to media/data/. */
export const IMAGE_DATASETS: Record<ImageDatasetName, { png: string; json: string; heldOut: number }> = {
  mnist: { png: 'mnist/mnist-test-10k.png', json: 'mnist/mnist-test-10k.json', heldOut: 1000 },
  'fashion-mnist': { png: 'fashion-mnist/fashion-mnist-test-10k.png', json: 'fashion-mnist/fashion-mnist-test-10k.json', heldOut: 1000 },
  'digits-8x8': { png: 'sklearn-digits/digits-8x8-1797.png', json: 'sklearn-digits/digits-8x8-1797.json', heldOut: 180 },
};

/** Throws a clear Error when the sidecar does not describe the sheet it came with. */
export function checkSheet(sheet: Uint8Array, meta: SheetMeta): void {
  const { columns, rows, sheetWidth, sheetHeight } = meta.layout;
  if (sheet.length !== sheetWidth * sheetHeight) {
    throw new Error(`${meta.name}: sheet has ${sheet.length} gray values, expected ${sheetWidth}x${sheetHeight}`);
  }
  if (columns * meta.width !== sheetWidth || rows * meta.height !== sheetHeight) {
    throw new Error(`${meta.name}: ${columns}x${rows} tiles of ${meta.width}x${meta.height} do not fill ${sheetWidth}x${sheetHeight}`);
  }
  if (meta.count > columns * rows) throw new Error(`${meta.name}: ${meta.count} images do not fit ${columns * rows} tiles`);
  if (meta.labels.length !== meta.count) throw new Error(`${meta.name}: ${meta.labels.length} labels for ${meta.count} images`);
}

/** Image i of the sheet, row-major, normalised to [0, 1]. */
export function tileOf(sheet: Uint8Array, meta: SheetMeta, i: number): Float32Array {
  const out = new Float32Array(meta.width * meta.height);
  copyTile(sheet, meta, i, (p, v) => (out[p] = v / 255));
  return out;
}

function copyTile(sheet: Uint8Array, meta: SheetMeta, i: number, put: (pixel: number, value: number) => void): void {
  if (!Number.isInteger(i) || i < 0 || i >= meta.count) throw new RangeError(`${meta.name}: no image ${i} (count ${meta.count})`);
  const { width: w, height: h } = meta;
  const { columns, sheetWidth } = meta.layout;
  const x0 = (i % columns) * w;
  const y0 = Math.floor(i / columns) * h;
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * sheetWidth + x0;
    for (let x = 0; x < w; x++) put(y * w + x, sheet[row + x]);
  }
}

export interface SplitOptions {
  /** Images kept out of training, taken from the end of the file order (default: IMAGE_DATASETS' figure or 10%). */
  heldOut?: number;
}

/**
 * A dataset in memory as one contiguous byte array of images. The split is deterministic: the first
 * `trainCount` images in file order train, the rest are held out (MNIST: 9,000 / 1,000, as the reference figures).
 */
export class ImageDataset {
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly dim: number;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  readonly name: string;
  readonly trainIndices: Int32Array;
  readonly heldOutIndices: Int32Array;
  /** Raw gray bytes, image after image (count * dim). */
  private readonly pixels: Uint8Array;

  constructor(sheet: Uint8Array, meta: SheetMeta, opts: SplitOptions = {}) {
    checkSheet(sheet, meta);
    this.name = meta.name;
    this.count = meta.count;
    this.width = meta.width;
    this.height = meta.height;
    this.dim = meta.width * meta.height;
    this.labels = Int32Array.from(meta.labels);
    this.classNames = [...meta.classNames];
    this.pixels = new Uint8Array(this.count * this.dim);
    for (let i = 0; i < this.count; i++) {
      const base = i * this.dim;
      copyTile(sheet, meta, i, (p, v) => (this.pixels[base + p] = v));
    }
    const heldOut = opts.heldOut ?? Math.round(this.count / 10);
    if (!(heldOut >= 0 && heldOut < this.count)) throw new RangeError(`${meta.name}: held-out count ${heldOut} out of range`);
    const trainCount = this.count - heldOut;
    this.trainIndices = Int32Array.from({ length: trainCount }, (_, i) => i);
    this.heldOutIndices = Int32Array.from({ length: heldOut }, (_, i) => trainCount + i);
  }

  get trainCount(): number {
    return this.trainIndices.length;
  }

  /** Images at `indices`, row after row, normalised to [0, 1]: shape [indices.length, dim]. */
  batch(indices: ArrayLike<number>): Float32Array {
    const out = new Float32Array(indices.length * this.dim);
    const inv = 1 / 255;
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r];
      if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`${this.name}: no image ${i}`);
      const src = i * this.dim;
      const dst = r * this.dim;
      for (let p = 0; p < this.dim; p++) out[dst + p] = this.pixels[src + p] * inv;
    }
    return out;
  }

  image(i: number): Float32Array {
    return this.batch([i]);
  }

  /** The first `n` held-out images (all by default) and their labels. */
  heldOut(n = this.heldOutIndices.length): { x: Float32Array; labels: Int32Array; indices: Int32Array } {
    const indices = this.heldOutIndices.slice(0, n);
    return { x: this.batch(indices), labels: Int32Array.from(indices, (i) => this.labels[i]), indices };
  }

  /** The order of the training images in a given epoch: a shuffle seeded by (seed, epoch). */
  epochOrder(seed: number, epoch: number): Int32Array {
    const order = this.trainIndices.slice();
    shuffleInPlace(order, mulberry32(deriveSeed(seed, epoch)));
    return order;
  }

  /** A batch iterator that can resume from (epoch, position) after a checkpoint. */
  batches(batchSize: number, seed: number, start: BatchCursor = { epoch: 0, position: 0 }): BatchIterator {
    return new BatchIterator(this, batchSize, seed, start);
  }
}

export interface BatchCursor {
  epoch: number;
  /** Index into the epoch's order of the next image. */
  position: number;
}

export interface Batch {
  x: Float32Array;
  indices: Int32Array;
  size: number;
  /** Epoch this batch belongs to (0-based). */
  epoch: number;
}

/**
 * Walks the training images in a new seeded order every epoch. The last batch of an epoch is shorter
 * when the batch size does not divide the training set (as a PyTorch DataLoader without drop_last).
 */
export class BatchIterator {
  private order: Int32Array;
  private orderEpoch: number;
  private cursor: BatchCursor;

  constructor(
    private readonly data: ImageDataset,
    readonly batchSize: number,
    readonly seed: number,
    start: BatchCursor,
  ) {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size ${batchSize} must be a positive integer`);
    this.cursor = { ...start };
    this.orderEpoch = start.epoch;
    this.order = data.epochOrder(seed, start.epoch);
  }

  /** Where the next batch starts. */
  get position(): BatchCursor {
    return { ...this.cursor };
  }

  next(): Batch {
    if (this.cursor.position >= this.order.length) this.cursor = { epoch: this.cursor.epoch + 1, position: 0 };
    if (this.orderEpoch !== this.cursor.epoch) {
      this.order = this.data.epochOrder(this.seed, this.cursor.epoch);
      this.orderEpoch = this.cursor.epoch;
    }
    const end = Math.min(this.cursor.position + this.batchSize, this.order.length);
    const indices = this.order.slice(this.cursor.position, end);
    const epoch = this.cursor.epoch;
    this.cursor = { epoch, position: end };
    return { x: this.data.batch(indices), indices, size: indices.length, epoch };
  }
}
