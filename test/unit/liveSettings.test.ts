// Live settings change what the models' next training step does: the learning rate Adam steps with, the VAE's
// beta, the rows of a batch. Real models on the cpu backend, compared with a twin that kept the old value.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { Ae } from '../../src/models/ae';
import { Ddpm2d } from '../../src/models/ddpm2d';
import { Ldm } from '../../src/models/ldm';
import type { StepTensors } from '../../src/models/types';
import { Vae } from '../../src/models/vae';
import { ImageBatches } from '../../src/webview/worker/imageBatches';
import { loadDataset } from './helpers/sheets';
import { scalarOf, useCpuBackend } from './helpers/tf';

interface Trainable {
  weights(): Map<string, tf.Variable>;
  trainStep(batch: tf.Tensor2D): StepTensors;
}

function values(model: Trainable): Map<string, Float32Array> {
  return new Map([...model.weights()].map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}

/** How far one training step on `batch` moves every weight of `model`. */
function stepMoves(model: Trainable, batch: tf.Tensor2D): Map<string, Float32Array> {
  const before = values(model);
  const { loss, terms } = model.trainStep(batch);
  tf.dispose([loss, ...Object.values(terms)]);
  const after = values(model);
  return new Map([...before].map(([name, b]) => [name, b.map((v, i) => after.get(name)![i] - v)]));
}

/** Asserts that every weight moved `ratio` times as far in `a` as in `b` (the same first step of twin models). */
function assertScaled(a: Map<string, Float32Array>, b: Map<string, Float32Array>, ratio: number): void {
  let largest = 0;
  for (const [name, da] of a) {
    const db = b.get(name)!;
    da.forEach((v, i) => {
      largest = Math.max(largest, Math.abs(v));
      assert.ok(Math.abs(v - ratio * db[i]) <= 2e-3 * Math.abs(v) + 1e-6, `${name}[${i}]: ${v} vs ${ratio} x ${db[i]}`);
    });
  }
  assert.ok(largest > 0, 'the step moved the weights');
}

const images = (rows: number, dim: number, seed: number) => tf.randomUniform([rows, dim], 0, 1, 'float32', seed) as tf.Tensor2D;

describe('live settings reach the models', () => {
  before(useCpuBackend);

  it("DDPM: a new learning rate scales Adam's next step, and a new batch size the rows of the next batch", () => {
    const opts = { dataset: 'swiss-roll' as const, T: 100, learningRate: 1e-3, batchSize: 256, seed: 3, dataSize: 1024, hiddenDim: 16 };
    const kept = new Ddpm2d(opts),
      changed = new Ddpm2d(opts);
    try {
      changed.setLearningRate(1e-2);
      assert.equal(changed.learningRate, 1e-2);
      changed.batchSize = 64;
      const [a, b] = [changed.nextBatch(), kept.nextBatch()];
      assert.deepEqual(
        [a.shape, b.shape],
        [
          [64, 2],
          [256, 2],
        ],
      );
      // The same step on the same batch: only the learning rate differs.
      const moved = stepMoves(changed, b),
        keptMoved = stepMoves(kept, b);
      assertScaled(moved, keptMoved, 10);
      tf.dispose([a, b]);
      const next = changed.nextBatch();
      assert.equal(next.shape[0], 64, 'the size holds for later batches');
      next.dispose();
      assert.throws(() => (changed.batchSize = 0), RangeError);
      assert.throws(() => changed.setLearningRate(0), RangeError);
    } finally {
      kept.dispose();
      changed.dispose();
    }
  });

  it('VAE: a new learning rate scales the next step, and a new beta weighs the KL term of the next loss', () => {
    const opts = { inputDim: 16, hiddenDim: 12, latentDim: 2, learningRate: 1e-3, seed: 5, beta: 1 };
    const kept = new Vae(opts),
      changed = new Vae(opts);
    const x = images(8, 16, 1);
    try {
      changed.setLearningRate(3e-3);
      assert.equal(changed.learningRate, 3e-3);
      assertScaled(stepMoves(changed, x), stepMoves(kept, x), 3);
      changed.beta = 4;
      const { loss, terms } = changed.trainStep(x);
      assert.ok(Math.abs(scalarOf(loss) - (scalarOf(terms.recon) + 4 * scalarOf(terms.kl))) < 1e-4, 'loss = recon + 4 kl');
      tf.dispose([loss, ...Object.values(terms)]);
    } finally {
      x.dispose();
      kept.dispose();
      changed.dispose();
    }
  });

  it('AE: a new learning rate scales the next step', () => {
    const opts = { inputDim: 16, hiddenDim: 12, latentDim: 2, learningRate: 1e-3, seed: 6 };
    const kept = new Ae(opts),
      changed = new Ae(opts);
    const x = images(8, 16, 2);
    try {
      changed.setLearningRate(5e-4);
      assertScaled(stepMoves(changed, x), stepMoves(kept, x), 0.5);
    } finally {
      x.dispose();
      kept.dispose();
      changed.dispose();
    }
  });

  it("latent diffusion: a new learning rate scales its denoiser's next step and leaves the VAE's alone", () => {
    const vae = new Vae({ inputDim: 16, hiddenDim: 12, latentDim: 2, learningRate: 1e-3, seed: 7 });
    const opts = { autoencoder: vae, T: 50, learningRate: 1e-3, seed: 8, hiddenDim: 16, latentScale: 1 };
    const kept = new Ldm(opts),
      changed = new Ldm(opts);
    const x = images(8, 16, 3);
    try {
      changed.setLearningRate(1e-2);
      assert.equal(changed.learningRate, 1e-2);
      assert.equal(vae.learningRate, 1e-3);
      assertScaled(stepMoves(changed, x), stepMoves(kept, x), 10);
    } finally {
      x.dispose();
      kept.dispose();
      changed.dispose();
      vae.dispose();
    }
  });

  it('image batches (AE, VAE, latent diffusion, U-Net DDPM): a new batch size gives the next batch its rows, from the same place', () => {
    const data = loadDataset('digits-8x8');
    const batches = new ImageBatches(data, 32, 1, 0);
    tf.dispose([batches.next(), batches.next()]);
    batches.resize(10);
    assert.equal(batches.batchSize, 10);
    const b = batches.next();
    assert.deepEqual(b.shape, [10, data.dim]);
    assert.equal(batches.epoch, 0);
    b.dispose();
  });
});
