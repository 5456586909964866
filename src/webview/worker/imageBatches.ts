// Training batches of an image dataset as tensors, remembering the latest so that snapshots show the very
// batch the model just trained on.
import * as tf from '@tensorflow/tfjs';
import type { BatchIterator, ImageDataset } from '../../models/datasets';

export class ImageBatches {
  private it: BatchIterator;
  private last: { x: Float32Array; size: number } | null = null;

  constructor(
    private readonly data: ImageDataset,
    batchSize: number,
    private readonly seed: number,
    epoch: number,
  ) {
    this.it = data.batches(batchSize, seed, { epoch, position: 0 });
  }

  get batchSize(): number {
    return this.it.batchSize;
  }

  get epoch(): number {
    return this.it.position.epoch;
  }

  /** The next batch [size, dim]; the caller disposes it. */
  next(): tf.Tensor2D {
    const b = this.it.next();
    this.last = { x: b.x, size: b.size };
    return tf.tensor2d(b.x, [b.size, this.data.dim]);
  }

  /** The latest batch again, or null before the first step; the caller disposes it. */
  latest(): tf.Tensor2D | null {
    return this.last && tf.tensor2d(this.last.x, [this.last.size, this.data.dim]);
  }

  /** Continues from the same place with another batch size. */
  resize(batchSize: number): void {
    if (batchSize !== this.it.batchSize) this.it = this.data.batches(batchSize, this.seed, this.it.position);
  }
}
