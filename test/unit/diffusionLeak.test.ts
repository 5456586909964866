import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { Ddpm2d } from '../../src/models/ddpm2d';
import { DdpmImages } from '../../src/models/ddpmImages';
import { Ldm, type LatentAutoencoder } from '../../src/models/ldm';

/** Runs `round` a few times and checks the live tensor count never changes after the first (warm-up) round. */
async function assertStable(label: string, round: () => void | Promise<void>, rounds = 3): Promise<void> {
  await round();
  const start = tf.memory().numTensors;
  for (let i = 0; i < rounds; i++) {
    await round();
    assert.equal(tf.memory().numTensors, start, `${label}: ${tf.memory().numTensors - start} tensors leaked after round ${i + 1}`);
  }
}

function train(model: { trainStep(b: tf.Tensor2D): { loss: tf.Scalar; terms: Record<string, tf.Scalar> } }, batch: tf.Tensor2D, steps: number): void {
  for (let i = 0; i < steps; i++) {
    const s = model.trainStep(batch);
    tf.dispose([s.loss, ...Object.values(s.terms)]);
  }
}

describe('diffusion models leak no tensors', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('2D DDPM: training, inspect, sampling (sync, async, stepped), forwardAt, loss curve; dispose frees all', async () => {
    const baseline = tf.memory().numTensors;
    const model = new Ddpm2d({ dataset: 'two-moons', seed: 1, hiddenDim: 32, batchSize: 64, T: 100 });
    await assertStable('2D DDPM', async () => {
      const batch = model.nextBatch();
      train(model, batch, 5);
      tf.dispose(Object.values(model.inspect(batch)));
      tf.dispose(Object.values(model.inspect(batch, 37)));
      batch.dispose();
      model.sample({ n: 16, sampler: 'ddpm', frames: 4 });
      model.sample({ n: 16, sampler: 'ddim', steps: 10, eta: 0.5, frames: 4, useEma: false });
      await model.sampleAsync({ n: 16, sampler: 'ddim', steps: 10, frames: 3 });
      const proc = model.reverseProcess({ n: 16, sampler: 'ddim', steps: 5 });
      while (!proc.done) proc.step();
      proc.dispose();
      model.forwardAt(
        [
          [0, 1],
          [1, 0],
        ],
        500,
      );
      model.lossByBucket();
      await model.lossByBucketAsync();
    });
    model.dispose();
    assert.equal(tf.memory().numTensors, baseline, 'dispose() frees every tensor the model made');
  });

  it('image DDPM (U-Net): training, inspect and sampling', async () => {
    const baseline = tf.memory().numTensors;
    const model = new DdpmImages({ seed: 2, channels: 4, imageSize: 8, T: 50 });
    const batch = tf.randomUniform([2, 64], 0, 1, 'float32', 1) as tf.Tensor2D;
    await assertStable(
      'image DDPM',
      () => {
        train(model, batch, 2);
        tf.dispose(Object.values(model.inspect(batch, 10)));
        model.sample({ n: 2, sampler: 'ddim', steps: 3, frames: 2 });
      },
      2,
    );
    batch.dispose();
    model.dispose();
    assert.equal(tf.memory().numTensors, baseline);
  });

  it('latent diffusion: training, inspect and decoded sampling, without touching the autoencoder', async () => {
    const W = tf.randomNormal([8, 2], 0, 1, 'float32', 3);
    const ae: LatentAutoencoder = {
      latentDim: 2,
      encode: (x) => ({ mu: tf.matMul(x, W), logvar: tf.zeros([x.shape[0], 2]) }) as { mu: tf.Tensor2D },
      decode: (z) => tf.sigmoid(tf.matMul(z, W, false, true)) as tf.Tensor2D,
    };
    const baseline = tf.memory().numTensors;
    const ldm = new Ldm({ autoencoder: ae, seed: 3, hiddenDim: 16, T: 50 });
    const batch = tf.randomUniform([16, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    await assertStable('LDM', async () => {
      train(ldm, batch, 3);
      tf.dispose(Object.values(ldm.inspect(batch)));
      ldm.sample({ n: 4, sampler: 'ddim', steps: 5, frames: 3 });
      await ldm.sampleAsync({ n: 4, sampler: 'ddpm', frames: 2 });
    });
    batch.dispose();
    ldm.dispose();
    assert.equal(tf.memory().numTensors, baseline);
    W.dispose();
  });
});
