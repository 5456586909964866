import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Ae } from '../../src/models/ae';
import { snapshotTensors } from '../../src/models/snapshot';
import { Vae } from '../../src/models/vae';
import { useCpuBackend } from './helpers/tf';

/** Trains like the worker does (step, read the loss, now and then inspect + snapshot + samples) and counts tensors. */
async function tensorsAfter(model: Vae | Ae, steps: number): Promise<number> {
  const x = tf.randomUniform([16, 64], 0, 1, 'float32', 1) as tf.Tensor2D;
  for (let s = 0; s < steps; s++) {
    const { loss, terms } = model.trainStep(x);
    await loss.data();
    tf.dispose([loss, ...Object.values(terms)]);
    if (s % 20 === 0) {
      const named = model.inspect(x);
      await snapshotTensors(named, model.kind, s, [8, 8]);
      tf.dispose(Object.values(named));
      tf.dispose([model.sampleImages(4, s), model.reconstruct(x)]);
      const enc = model.encode(x);
      tf.dispose(Object.values(enc));
      if (model instanceof Vae) model.heldOutNegElbo(x).dispose();
    }
  }
  x.dispose();
  return tf.memory().numTensors;
}

describe('no tensor leaks', () => {
  before(useCpuBackend);

  const models: [string, () => Vae | Ae][] = [
    ['VAE', () => new Vae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 1 })],
    ['AE', () => new Ae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 1 })],
  ];
  for (const [label, make] of models) {
    it(`${label}: tensor count stable over 200 training steps with inspect and snapshots`, async () => {
      const empty = tf.memory().numTensors;
      const model = make();
      const warm = await tensorsAfter(model, 5);
      const after = await tensorsAfter(model, 200);
      assert.equal(after, warm, `warm-up ${warm}, after 200 steps ${after}`);
      model.dispose();
      assert.equal(tf.memory().numTensors, empty, 'dispose frees weights and Adam slots');
    });
  }
});
