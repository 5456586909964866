import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Ae } from '../../src/models/ae';
import { Vae } from '../../src/models/vae';
import { useCpuBackend } from './helpers/tf';

const D = 20;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('latent interpolation between two inputs', () => {
  before(useCpuBackend);

  const makers = {
    vae: () => new Vae({ inputDim: D, hiddenDim: 12, latentDim: 3, seed: 4 }),
    ae: () => new Ae({ inputDim: D, hiddenDim: 12, latentDim: 3, seed: 4 }),
  };
  for (const [kind, make] of Object.entries(makers)) {
    let model: Vae | Ae;
    before(() => (model = make()));
    after(() => model.dispose());

    it(`${kind}: row i decodes (1 - i/(n-1)) mu(x_a) + (i/(n-1)) mu(x_b), so the ends are the inputs' reconstructions`, () => {
      const xa = tf.randomUniform([1, D], 0, 1, 'float32', 1) as tf.Tensor2D;
      const xb = tf.randomUniform([1, D], 0, 1, 'float32', 2) as tf.Tensor2D;
      const n = 5;
      const out = model.interpolate(xa, xb, n);
      assert.deepEqual(out.shape, [n, D]);
      const rows = out.arraySync();
      // Reference: the codes read back and mixed in plain JS, then decoded one by one.
      const enc = model.encode(tf.concat([xa, xb]) as tf.Tensor2D);
      const [ma, mb] = enc.mu.arraySync();
      for (let i = 0; i < n; i++) {
        const a = i / (n - 1);
        const z = tf.tensor2d([ma.map((v, k) => (1 - a) * v + a * mb[k])]);
        const want = model.decode(z);
        assert.ok(maxAbsDiff(rows[i], want.dataSync()) < 1e-5, `row ${i} (alpha ${a})`);
        tf.dispose([z, want]);
      }
      const [ra, rb] = [model.reconstruct(xa), model.reconstruct(xb)];
      assert.ok(maxAbsDiff(rows[0], ra.dataSync()) < 1e-5, 'alpha = 0 is the reconstruction of x_a');
      assert.ok(maxAbsDiff(rows[n - 1], rb.dataSync()) < 1e-5, 'alpha = 1 is the reconstruction of x_b');
      tf.dispose([xa, xb, out, ra, rb, ...Object.values(enc)]);
    });

    it(`${kind}: leaks no tensor, and asks for at least two points`, () => {
      const x = tf.randomUniform([1, D], 0, 1, 'float32', 3) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      model.interpolate(x, x, 8).dispose();
      assert.equal(tf.memory().numTensors, before);
      assert.throws(() => model.interpolate(x, x, 1), /at least 2 points/);
      x.dispose();
    });
  }
});
