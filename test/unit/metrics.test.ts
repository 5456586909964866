import { strict as assert } from 'node:assert';
import { slicedWasserstein } from '../../src/models/metrics';
import { mulberry32, normalSamples } from '../../src/models/random';

describe('sliced Wasserstein distance', () => {
  const base = normalSamples(2 * 3000, mulberry32(1));

  it('is zero between a set and itself and symmetric', () => {
    assert.equal(slicedWasserstein(base, base), 0);
    const other = normalSamples(2 * 3000, mulberry32(2));
    assert.ok(Math.abs(slicedWasserstein(base, other, 64, 5) - slicedWasserstein(other, base, 64, 5)) < 1e-12);
  });

  it('equals |v| / sqrt 2 for a set and its translate by v (E over directions of (v . theta)^2 = |v|^2 / 2)', () => {
    const v = [0.6, -0.8];
    const shifted = base.map((x, i) => x + v[i % 2]);
    const sw = slicedWasserstein(base, shifted, 4000, 3);
    assert.ok(Math.abs(sw - 1 / Math.SQRT2) < 0.01, `SW = ${sw}`);
  });

  it('equals |1 - s| between N(0, I) and N(0, s^2 I) (1D W2 between N(0, 1) and N(0, s^2) is |1 - s|)', () => {
    const s = 1.5;
    const wide = normalSamples(2 * 3000, mulberry32(9)).map((x) => s * x);
    const sw = slicedWasserstein(base, wide, 64, 4);
    assert.ok(Math.abs(sw - 0.5) < 0.05, `SW = ${sw}`);
  });

  it('compares sets of different sizes by quantiles, and accepts pairs', () => {
    const pairs: number[][] = [];
    for (let i = 0; i < 500; i++) pairs.push([base[2 * i], base[2 * i + 1]]);
    const twice = [...pairs, ...pairs];
    // Every point twice is the same distribution: only interpolation at the tails remains.
    assert.ok(slicedWasserstein(pairs, twice, 64, 1) < 0.05);
    // A translate by (3, 0) of the doubled set: |v| / sqrt 2 again, with 500 vs 1,000 points.
    const far = twice.map(([x, y]) => [x + 3, y]);
    const sw = slicedWasserstein(pairs, far, 256, 1);
    assert.ok(Math.abs(sw - 3 / Math.SQRT2) < 0.1, `SW = ${sw}`);
    assert.throws(() => slicedWasserstein([], pairs), /empty/);
  });

  it('in d dimensions, equals |v| / sqrt d for a set and its translate by v (E over directions of (v . theta)^2 = |v|^2 / d)', () => {
    const d = 16,
      n = 1000;
    const cloud = normalSamples(d * n, mulberry32(21));
    const v = Array.from({ length: d }, (_, j) => (j % 3) - 1);
    const shifted = cloud.map((x, i) => x + v[i % d]);
    const sw = slicedWasserstein(cloud, shifted, 2000, 8, d);
    const expected = Math.hypot(...v) / Math.sqrt(d);
    assert.ok(Math.abs(sw - expected) / expected < 0.05, `SW = ${sw}, expected ${expected}`);
    // Rows of d values are the same points as the flat array.
    const rows = Array.from({ length: n }, (_, i) => Array.from(cloud.subarray(i * d, (i + 1) * d)));
    assert.equal(slicedWasserstein(rows, shifted, 64, 8, d), slicedWasserstein(cloud, shifted, 64, 8, d));
    assert.throws(() => slicedWasserstein(cloud.subarray(0, d + 1), shifted, 8, 0, d), /multiple of 16/);
  });
});
