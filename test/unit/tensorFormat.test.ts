import { strict as assert } from 'node:assert';
import { formatDigits, formatNumber, formatShape, formatStats, formatStep, greyLevels, pictureKind, scalarValue } from '../../src/domain/tensorFormat';
import type { TensorSnapshot } from '../../src/domain/tensors';

function snapshot(
  name: string,
  previewShape: number[],
  data: number[],
  stats = { mean: 0, std: 1, min: Math.min(...data), max: Math.max(...data) },
): TensorSnapshot {
  return {
    name,
    model: 'vae',
    step: 1,
    shape: [128, ...previewShape.slice(1)],
    dtype: 'float32',
    stats,
    histogram: { min: stats.min, max: stats.max, counts: [1, 2, 1] },
    preview: { shape: previewShape, data },
  };
}

const fill = (n: number, v = 0.5): number[] => Array.from({ length: n }, () => v);

describe('tensor format', () => {
  it('writes shapes as TF.js prints them', () => {
    assert.equal(formatShape([128, 784]), '[128, 784]');
    assert.equal(formatShape([64]), '[64]');
    assert.equal(formatShape([]), '[]');
  });

  it('writes numbers to 4 significant digits, in exponent form from 1e5 and below 1e-3', () => {
    assert.deepEqual(
      [0, 1.23456, -0.000012345, 123456, 2, 12345, 99999, 0.001, -0.5].map((v) => formatNumber(v)),
      ['0', '1.235', '-1.23e-5', '1.23e+5', '2', '12350', '1e+5', '0.001', '-0.5'],
    );
    assert.deepEqual(
      [NaN, Infinity, -Infinity].map((v) => formatNumber(v)),
      ['NaN', 'Infinity', '-Infinity'],
    );
  });

  it('writes fewer digits in the same notation where room is short', () => {
    assert.equal(formatDigits(1.23456, 3), '1.23');
    assert.equal(formatDigits(1.23456, 2), '1.2');
    assert.equal(formatDigits(-0.000012345, 2), '-1.2e-5');
    assert.equal(formatDigits(0.000012345, 3), '1.23e-5');
    assert.equal(formatDigits(540.3, 2), '540');
  });

  it('writes steps with thousands separators and the stats in a fixed order', () => {
    assert.equal(formatStep(12400), '12,400');
    assert.equal(formatStep(7), '7');
    assert.deepEqual(formatStats({ mean: 0.123456, std: 1, min: -2.5, max: 300000 }), [
      ['mean', '0.1235'],
      ['std', '1'],
      ['min', '-2.5'],
      ['max', '3e+5'],
    ]);
    assert.deepEqual(
      formatStats({ mean: 0.123456, std: 1, min: -2.5, max: 3 }, 2).map(([, v]) => v),
      ['0.12', '1', '-2.5', '3'],
    );
  });

  describe('picture kind', () => {
    it('draws one value as a number', () => {
      assert.equal(pictureKind(snapshot('kl', [1], [3.5])), 'scalar');
      assert.equal(scalarValue(snapshot('kl', [1], [3.5])), 3.5);
      assert.equal(scalarValue(snapshot('kl', [1], [], { mean: 2, std: 0, min: 2, max: 2 })), 2);
    });

    it('draws rows of two as points, and vectors as histograms', () => {
      assert.equal(pictureKind(snapshot('mu', [64, 2], fill(128))), 'points');
      assert.equal(pictureKind(snapshot('t', [256], fill(256))), 'histogram');
      // A single row or column is a vector too; so is a preview with missing values or more than two axes.
      assert.equal(pictureKind(snapshot('z', [16, 1], fill(16))), 'histogram');
      assert.equal(pictureKind(snapshot('z', [1, 16], fill(16))), 'histogram');
      assert.equal(pictureKind(snapshot('h_enc', [4, 4], fill(10))), 'histogram');
      assert.equal(pictureKind(snapshot('h_enc', [2, 2, 2], fill(8))), 'histogram');
    });

    it('draws image tensors as images and other matrices as heatmaps', () => {
      assert.equal(pictureKind(snapshot('x', [28, 28], fill(784))), 'image');
      assert.equal(pictureKind(snapshot('eps_theta', [28, 28], fill(784))), 'image');
      assert.equal(pictureKind(snapshot('h_enc', [16, 32], fill(512))), 'matrix');
      // Two rows of two are too few points for a cloud, and too small for an image.
      assert.equal(pictureKind(snapshot('x', [2, 2], fill(4))), 'matrix');
    });
  });

  it('shows images in [-1, 1] as grey levels in [0, 1]', () => {
    assert.deepEqual(greyLevels(snapshot('x', [1, 3], [0, 0.5, 1])), [0, 0.5, 1]);
    assert.deepEqual(greyLevels(snapshot('x_0', [1, 3], [-1, 0, 1])), [0, 0.5, 1]);
    assert.deepEqual(greyLevels(snapshot('x_t', [1, 3], [-3, 0, 3])), [0, 0.5, 1]);
  });
});
