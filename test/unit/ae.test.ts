import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { TENSOR_NAMES } from '../../src/domain/tensors';
import { Ae } from '../../src/models/ae';
import { loadDataset } from './helpers/sheets';
import { relativeError, scalarOf, useCpuBackend } from './helpers/tf';

/** The AE loss written independently with plain tf ops on the model's variables (for autodiff). */
function referenceLoss(ae: Ae, x: tf.Tensor2D): tf.Scalar {
  const w = ae.weights();
  const dense = (name: string, input: tf.Tensor2D) => tf.add(tf.matMul(input, w.get(`${name}/W`)!), w.get(`${name}/b`)!) as tf.Tensor2D;
  const z = dense('z', tf.relu(dense('enc', x)));
  const p = tf.sigmoid(dense('out', tf.relu(dense('dec', z))));
  const logLik = tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))));
  return tf.neg(tf.mean(tf.sum(logLik, 1))) as tf.Scalar;
}

describe('AE', () => {
  before(useCpuBackend);

  it('hand-written gradients equal autodiff for every parameter', () => {
    const ae = new Ae({ inputDim: 10, hiddenDim: 7, latentDim: 3, seed: 2 });
    const x = tf.randomUniform([5, 10], 0, 1, 'float32', 3) as tf.Tensor2D;
    const ours = ae.lossAndGrads(x);
    const params = [...ae.weights().values()];
    const auto = tf.variableGrads(() => referenceLoss(ae, x), params);
    assert.ok(Math.abs(scalarOf(ours.loss) - scalarOf(auto.value)) < 1e-4 * scalarOf(auto.value));
    assert.equal(ours.grads.size, 8);
    for (const [name, v] of ae.weights()) {
      const err = relativeError(ours.grads.get(name)!.dataSync(), auto.grads[v.name].dataSync());
      assert.ok(err < 1e-4, `${name}: relative error ${err}`);
    }
    ae.dispose();
  });

  it('inspect returns every published tensor; encode/decode/reconstruct/sampleImages agree', () => {
    const ae = new Ae({ inputDim: 64, hiddenDim: 16, latentDim: 2, seed: 1 });
    const x = tf.randomUniform([3, 64], 0, 1, 'float32', 1) as tf.Tensor2D;
    const named = ae.inspect(x);
    assert.deepEqual(Object.keys(named).sort(), [...TENSOR_NAMES.ae].sort());
    assert.deepEqual(named.z.shape, [3, 2]);
    assert.deepEqual(named.h_enc.shape, [3, 16]);
    assert.deepEqual(named.x_hat.shape, [3, 64]);
    assert.deepEqual(named.recon.shape, [3]);
    const { mu } = ae.encode(x);
    assert.deepEqual(mu.dataSync(), named.z.dataSync());
    assert.deepEqual(ae.reconstruct(x).dataSync(), named.x_hat.dataSync());
    assert.deepEqual(ae.decode(mu).dataSync(), named.x_hat.dataSync());
    const s = ae.sampleImages(4, 9);
    assert.deepEqual(s.shape, [4, 64]);
    assert.deepEqual(s.dataSync(), ae.sampleImages(4, 9).dataSync());
    const recon = named.recon.dataSync();
    assert.ok(Math.abs(scalarOf(ae.heldOutRecon(x)) - (recon[0] + recon[1] + recon[2]) / 3) < 1e-3);
    ae.dispose();
  });

  it('trains: loss falls on MNIST, same seed same losses', function () {
    this.timeout(120_000);
    const data = loadDataset('mnist');
    const run = (seed: number, steps: number) => {
      const ae = new Ae({ inputDim: 784, hiddenDim: 32, latentDim: 2, seed });
      const batches = data.batches(64, seed);
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) {
        const b = batches.next();
        const x = tf.tensor2d(b.x, [b.size, 784]);
        const { loss, terms } = ae.trainStep(x);
        losses.push(scalarOf(loss));
        tf.dispose([x, loss, terms.recon]);
      }
      ae.dispose();
      return losses;
    };
    const losses = run(1, 60);
    const last = losses.slice(-10).reduce((p, q) => p + q) / 10;
    assert.ok(last < 0.6 * losses[0], `first ${losses[0]}, last ten ${last}`);
    assert.deepEqual(run(3, 3), run(3, 3));
  });
});
