import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { copyBox, installWasmSlice, useStockSlice } from '../../src/models/kernels/wasmSlice';
import { mulberry32 } from '../../src/models/random';

/**
 * Runs `f` on the wasm backend with the in-place kernels (or the stock ones), then back to cpu. IS_TEST's
 * per-kernel data-id check misfires on wasm kernels that keep scratch buffers: `f` counts tensors itself.
 */
async function onWasm<T>(f: () => T, stock = false): Promise<T> {
  installWasmSlice();
  useStockSlice(stock);
  const isTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', false);
  await tf.setBackend('wasm');
  try {
    return f();
  } finally {
    useStockSlice(false);
    await tf.setBackend('cpu');
    tf.env().set('IS_TEST', isTest);
  }
}

interface Case {
  shape: number[];
  begin: number[];
  size: number[];
}

/** Random boxes inside random shapes of rank 1 to 5, contiguous or not, some empty. */
function cases(n: number, seed: number): Case[] {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  return Array.from({ length: n }, () => {
    const shape = Array.from({ length: int(1, 5) }, () => int(1, 6));
    const begin = shape.map((d) => int(0, d - 1));
    const size = shape.map((d, i) => int(i === 0 && rand() < 0.1 ? 0 : 1, d - begin[i]));
    return { shape, begin, size };
  });
}

describe('in-place Slice and SplitV for the wasm backend', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('copyBox copies exactly the box, row by row, against an index-by-index reference', () => {
    for (const c of cases(200, 1)) {
      const src = Float32Array.from({ length: c.shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const out = new Float32Array(c.size.reduce((a, b) => a * b, 1));
      copyBox(src, c.shape, c.begin, c.size, out);
      const strides = tf.util.computeStrides(c.shape);
      const expected = Array.from(out, (_, flat) => {
        let rest = flat,
          offset = 0;
        for (let d = c.shape.length - 1; d >= 0; d--) {
          offset += (c.begin[d] + (rest % c.size[d])) * (d === c.shape.length - 1 ? 1 : strides[d]);
          rest = Math.floor(rest / c.size[d]);
        }
        return offset;
      });
      assert.deepEqual(Array.from(out), expected, JSON.stringify(c));
    }
  });

  it('tf.slice on wasm equals the cpu backend for float32, int32 and bool, contiguous or not', async () => {
    for (const c of cases(150, 2)) {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const values = Array.from({ length: c.shape.reduce((a, b) => a * b, 1) }, (_, i) =>
          dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i * 7 - 5 : i * 0.5 - 3,
        ) as number[];
        const want = tf.tidy(() => tf.slice(tf.tensor(values, c.shape, dtype), c.begin, c.size).arraySync());
        const got = await onWasm(() => tf.tidy(() => tf.slice(tf.tensor(values, c.shape, dtype), c.begin, c.size).arraySync()));
        assert.deepEqual(got, want, `${dtype} ${JSON.stringify(c)}`);
      }
    }
  });

  it('tf.split on wasm equals the cpu backend on every axis, and so does the gradient of a concat', async () => {
    const x = Array.from({ length: 3 * 4 * 6 }, (_, i) => Math.sin(i));
    for (const axis of [0, 1, 2]) {
      const sizes = axis === 2 ? [1, 2, 3] : axis === 1 ? [3, 1] : [2, 1];
      const want = tf.tidy(() => tf.split(tf.tensor(x, [3, 4, 6]), sizes, axis).map((t) => t.arraySync()));
      const got = await onWasm(() => tf.tidy(() => tf.split(tf.tensor(x, [3, 4, 6]), sizes, axis).map((t) => t.arraySync())));
      assert.deepEqual(got, want, `axis ${axis}`);
    }
    // d/dparts of sum(w * concat(parts)) is w split back: SplitV is the concat's gradient.
    const grads = () =>
      tf.tidy(() => {
        const parts = [tf.ones([2, 3]), tf.ones([2, 5])];
        const w = tf.range(0, 16).reshape([2, 8]);
        return tf
          .grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(w, tf.concat([a, b], 1))))(parts)
          .map((g) => g.arraySync());
      });
    assert.deepEqual(await onWasm(grads), grads());
  });

  it("the U-Net's training step gives the same loss with the in-place and the stock kernels", async () => {
    const { DdpmImages } = await import('../../src/models/ddpmImages');
    const loss = (stock: boolean) =>
      onWasm(() => {
        const tensors = tf.memory().numTensors;
        const model = new DdpmImages({ seed: 5, imageSize: 8, channels: 4 });
        const x = tf.tensor2d(
          Array.from({ length: 4 * 64 }, (_, i) => (i % 9) / 9),
          [4, 64],
        );
        try {
          const first = model.trainStep(x);
          tf.dispose([first.loss, ...Object.values(first.terms)]);
          const s = model.trainStep(x);
          const v = s.loss.dataSync()[0];
          tf.dispose([s.loss, ...Object.values(s.terms)]);
          return v;
        } finally {
          x.dispose();
          model.dispose();
          assert.equal(tf.memory().numTensors, tensors, 'no tensor left behind');
        }
      }, stock);
    const [ours, stock] = [await loss(false), await loss(true)];
    assert.ok(Number.isFinite(ours));
    assert.equal(ours, stock, 'a second step after identical updates');
  });
});
