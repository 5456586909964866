import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Dense, denseBackward } from '../../src/models/layers';
import { relativeError, useCpuBackend } from './helpers/tf';

describe('Dense layer', () => {
  before(useCpuBackend);

  it("apply()'s custom gradient equals autodiff of x W + b", () => {
    const layer = new Dense('t', 7, 5, 1);
    // a non-zero bias so b's gradient path is exercised with realistic values
    layer.b.assign(tf.randomNormal([5], 0, 1, 'float32', 2));
    const x = tf.randomNormal([4, 7], 0, 1, 'float32', 3) as tf.Tensor2D;
    const upstream = tf.randomNormal([4, 5], 0, 1, 'float32', 4);
    // a weighted sum makes every output element's gradient distinct
    const ours = tf.grads((xi: tf.Tensor, _W: tf.Tensor, _b: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi as tf.Tensor2D), upstream)))([x, layer.W, layer.b]);
    // the same function of plain tensors, through TF.js's own matMul/add gradients
    const ref = tf.grads((xi: tf.Tensor, W: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.matMul(xi, W), b), upstream)))([
      x,
      layer.W.clone(),
      layer.b.clone(),
    ]);
    const names = ['dx', 'dW', 'db'];
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(ours[i].shape, ref[i].shape, names[i]);
      const err = relativeError(ours[i].dataSync(), ref[i].dataSync());
      assert.ok(err < 1e-5, `${names[i]}: ${err}`);
    }
    layer.dispose();
  });

  it('forward() matches x W + b and backward()/paramGrads() match the custom gradient', () => {
    const layer = new Dense('u', 6, 3, 5);
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 6) as tf.Tensor2D;
    const dy = tf.randomNormal([5, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
    assert.ok(relativeError(layer.forward(x).dataSync(), tf.add(tf.matMul(x, layer.W), layer.b).dataSync()) < 1e-6);
    const g = layer.backward(x, dy);
    const p = layer.paramGrads(x, dy);
    const d = denseBackward(x, layer.W, dy);
    // the closed forms: dx = dy W^T, dW = x^T dy, db = column sums of dy
    assert.ok(relativeError(g.dx.dataSync(), tf.matMul(dy, layer.W, false, true).dataSync()) < 1e-6);
    assert.ok(relativeError(g.dW.dataSync(), tf.matMul(x, dy, true, false).dataSync()) < 1e-6);
    assert.ok(relativeError(g.db.dataSync(), tf.sum(dy, 0).dataSync()) < 1e-6);
    assert.deepEqual(p.dW.dataSync(), g.dW.dataSync());
    assert.deepEqual(p.db.dataSync(), g.db.dataSync());
    assert.deepEqual(d.dx.dataSync(), g.dx.dataSync());
    layer.dispose();
  });

  it('two layers with the same name can coexist (TF.js variable names are global)', () => {
    const a = new Dense('same', 2, 2, 1);
    const b = new Dense('same', 2, 2, 1);
    assert.notEqual(a.W.name, b.W.name);
    assert.deepEqual(a.W.dataSync(), b.W.dataSync(), 'same seed, same init');
    a.dispose();
    b.dispose();
  });
});
