import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { blockAverage, histogramOf, MAX_POINTS_PREVIEW, previewOf, snapshotOf, snapshotTensors, statsOf } from '../../src/models/snapshot';
import { useCpuBackend } from './helpers/tf';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('tensor snapshots', () => {
  before(useCpuBackend);

  it('stats: mean, population std, min, max', () => {
    const s = statsOf(new Float32Array([2, 4, 4, 4, 5, 5, 7, 9]));
    assert.deepEqual(s, { mean: 5, std: 2, min: 2, max: 9 }); // the textbook population-std example
    const big = statsOf([1e8 + 1, 1e8 + 2, 1e8 + 3]);
    close(big.std, Math.sqrt(2 / 3), 1e-6);
  });

  it('stats are all NaN when any value is NaN; the histogram counts the finite values', () => {
    const values = new Float32Array([1, NaN, 3]);
    const s = statsOf(values);
    assert.ok([s.mean, s.std, s.min, s.max].every(Number.isNaN));
    const h = histogramOf(values, 2);
    assert.deepEqual(h, { min: 1, max: 3, counts: [1, 1] });
  });

  it('histogram: equal-width bins, the max in the last bin, constants in the first', () => {
    const h = histogramOf([0, 0.1, 0.5, 0.74, 0.76, 1], 4);
    assert.deepEqual(h, { min: 0, max: 1, counts: [2, 0, 2, 2] });
    assert.deepEqual(histogramOf([3, 3, 3], 5), { min: 3, max: 3, counts: [3, 0, 0, 0, 0] });
    assert.equal(histogramOf(new Float32Array(100).map((_, i) => i)).counts.length, 24);
    assert.equal(
      histogramOf(new Float32Array(100).map((_, i) => i)).counts.reduce((p, q) => p + q),
      100,
    );
  });

  it('block averaging of a 4x6 matrix into 2x3', () => {
    const m = Array.from({ length: 24 }, (_, i) => i); // row r, col c = 6r + c
    const { shape, data } = blockAverage(m, 4, 6, 2, 3);
    assert.deepEqual(shape, [2, 3]);
    // block (0,0) = rows 0-1, cols 0-1: (0 + 1 + 6 + 7) / 4 = 3.5
    assert.deepEqual(data, [3.5, 5.5, 7.5, 15.5, 17.5, 19.5]);
  });

  it('previews: scalar, long vector, images, a big matrix', () => {
    assert.deepEqual(previewOf([4.5], []), { shape: [1], data: [4.5] });
    const vec = Array.from({ length: 128 }, (_, i) => i);
    const pv = previewOf(vec, [128]);
    assert.deepEqual(pv.shape, [64]);
    assert.deepEqual(pv.data.slice(0, 3), [0.5, 2.5, 4.5]);
    const short = previewOf([1, 2, 3], [3]);
    assert.deepEqual(short, { shape: [3], data: [1, 2, 3] });
    const images = Float32Array.from({ length: 2 * 784 }, (_, i) => i);
    const pi = previewOf(images, [2, 784]);
    assert.deepEqual(pi.shape, [28, 28]);
    assert.equal(pi.data[783], 783);
    const digits = Float32Array.from({ length: 3 * 64 }, (_, i) => i);
    assert.deepEqual(previewOf(digits, [3, 64], [8, 8]).shape, [8, 8]);
    assert.deepEqual(previewOf(digits, [3, 64]).shape, [3, 16], 'without imageSize, 64 columns are a matrix');
    const h = previewOf(new Float32Array(128 * 512).fill(2), [128, 512]);
    assert.deepEqual(h.shape, [16, 16]);
    assert.ok(h.data.every((v) => v === 2));
  });

  it('snapshotOf fills every field', () => {
    const s = snapshotOf('mu', 'vae', 12, new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
    assert.equal(s.name, 'mu');
    assert.equal(s.model, 'vae');
    assert.equal(s.step, 12);
    assert.deepEqual(s.shape, [2, 2]);
    close(s.stats.mean, 2.5);
    close(s.stats.std, Math.sqrt(1.25));
    assert.deepEqual(s.preview, { shape: [2, 2], data: [1, 2, 3, 4] });
  });

  it('snapshotTensors reads each tensor asynchronously and disposes nothing', async () => {
    const named = {
      a: tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      t: tf.tensor1d([5, 6, 7], 'int32'),
      loss: tf.scalar(0.25),
    };
    const before = tf.memory().numTensors;
    const snaps = await snapshotTensors(named, 'ddpm', 3);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(
      snaps.map((s) => s.name),
      ['a', 't', 'loss'],
    );
    assert.equal(snaps[1].dtype, 'int32');
    close(snaps[1].stats.mean, 6);
    assert.deepEqual(snaps[2].preview, { shape: [1], data: [0.25] });
    assert.ok(Object.values(named).every((t) => !t.isDisposed));
    tf.dispose(Object.values(named));
  });
});

describe('snapshot previews of 2D points', () => {
  it('keeps the first 128 rows of a [B, 2] tensor unaveraged, so they can be drawn as a cloud', () => {
    const values = Float32Array.from({ length: 300 * 2 }, (_, i) => (i % 2 ? -i : i) / 7);
    const p = previewOf(values, [300, 2]);
    assert.deepEqual(p.shape, [MAX_POINTS_PREVIEW, 2]);
    assert.deepEqual(p.data, Array.from(values.slice(0, 2 * MAX_POINTS_PREVIEW)));
    assert.deepEqual(previewOf(values.slice(0, 20), [10, 2]).shape, [10, 2]);
  });
});
