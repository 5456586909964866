// VAE rows: train a VAE 784-512-2 at batch 128, ours (hand-written backward pass) against stock TF.js autodiff.
import * as tf from '@tensorflow/tfjs';
import { Vae } from '../src/models/vae';
import { benchTraining, trainOurs, type BenchOptions, type BenchRow, type Trainable } from './benchCore';
import { StockVae } from './stockVae';

export const VAE_BATCH = 128;

/** A training set as one Float32Array of `count` rows of `dim`, pixels in [0, 1]. */
export interface BenchData {
  images: Float32Array;
  count: number;
  dim: number;
  source: string;
}

export function randomData(count = 1024, dim = 784): BenchData {
  const images = new Float32Array(count * dim);
  let s = 12345;
  for (let i = 0; i < images.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    images[i] = (s >>> 8) / 16777216 < 0.13 ? 1 : 0; // MNIST-like ink density
  }
  return { images, count, dim, source: 'random binary images' };
}

/** Uploads consecutive batches of `batchSize` rows, cycling through the data. */
export function batcher(data: BenchData, batchSize: number): () => tf.Tensor2D {
  const batches = Math.floor(data.count / batchSize);
  let cursor = 0;
  return () => {
    const start = (cursor++ % batches) * batchSize * data.dim;
    return tf.tensor2d(data.images.subarray(start, start + batchSize * data.dim), [batchSize, data.dim]);
  };
}

function oursVae(data: BenchData): Trainable {
  return trainOurs(new Vae({ inputDim: data.dim, hiddenDim: 512, latentDim: 2, seed: 1 }), batcher(data, VAE_BATCH));
}

function stockVae(data: BenchData): Trainable {
  const model = new StockVae(data.dim, 512, 2, 1);
  const next = batcher(data, VAE_BATCH);
  return {
    step: () => {
      const x = next();
      try {
        return model.trainStep(x);
      } finally {
        x.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

export async function benchVae(environment: string, data: BenchData, opts: BenchOptions): Promise<BenchRow[]> {
  const rows = await benchTraining(
    'vae-train',
    environment,
    [
      { variant: 'ours', batchSize: VAE_BATCH, make: () => oursVae(data) },
      { variant: 'stock', batchSize: VAE_BATCH, make: () => stockVae(data) },
    ],
    opts,
  );
  for (const r of rows) r.detail = [r.detail, data.source].filter(Boolean).join('; ');
  return rows;
}
