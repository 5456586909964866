import * as assert from 'node:assert/strict';
import { ImageDataset, tileOf, checkSheet } from '../../src/models/datasets';
import { loadDataset, loadSheet } from './helpers/sheets';

/** Reads pixel (x, y) of image i straight from the sheet by its documented grid position. */
function sheetPixel(sheet: Uint8Array, sheetWidth: number, columns: number, tile: number, i: number, x: number, y: number): number {
  const col = i % columns;
  const row = (i - col) / columns;
  return sheet[(row * tile + y) * sheetWidth + col * tile + x];
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

describe('datasets', () => {
  it('MNIST: sheet shape, first labels and the published label counts', () => {
    const { sheet, meta } = loadSheet('mnist');
    checkSheet(sheet, meta);
    assert.equal(sheet.length, 2800 * 2800);
    assert.deepEqual(meta.labels.slice(0, 20), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4]);
    // the README's look at the sheet's second row of tiles (images 100..109)
    assert.deepEqual(meta.labels.slice(100, 110), [6, 0, 5, 4, 9, 9, 2, 1, 9, 4]);
    const counts = new Array(10).fill(0);
    for (const l of meta.labels) counts[l]++;
    assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('MNIST: tileOf reads the documented grid cell, normalised by 255', () => {
    const { sheet, meta } = loadSheet('mnist');
    for (const i of [0, 1, 99, 100, 4321, 9999]) {
      const t = tileOf(sheet, meta, i);
      assert.equal(t.length, 784);
      for (let y = 0; y < 28; y++)
        for (let x = 0; x < 28; x++) {
          assert.equal(t[y * 28 + x], Math.fround(sheetPixel(sheet, 2800, 100, 28, i, x, y) / 255));
        }
      assert.ok(sum(t) > 10, `image ${i} has ink`);
    }
    assert.throws(() => tileOf(sheet, meta, 10000), RangeError);
  });

  it('MNIST: the tiles partition the sheet and the pixel mean is the known 0.1325', () => {
    const data = loadDataset('mnist');
    const { sheet } = loadSheet('mnist');
    const all = data.batch(Int32Array.from({ length: data.count }, (_, i) => i));
    assert.equal(all.length, 10000 * 784);
    const total = sum(all);
    assert.ok(Math.abs(total - sum(sheet) / 255) < (1e-3 * total) / 1e6 + 1, 'tile sum equals sheet sum');
    assert.ok(Math.abs(total / all.length - 0.1325) < 5e-4, `mean ${total / all.length}`);
  });

  it('MNIST: 9,000 / 1,000 split in file order, labels and class names', () => {
    const data = loadDataset('mnist');
    assert.equal(data.width, 28);
    assert.equal(data.height, 28);
    assert.equal(data.trainCount, 9000);
    assert.equal(data.heldOutIndices.length, 1000);
    assert.equal(data.heldOutIndices[0], 9000);
    assert.deepEqual([...data.labels.slice(0, 10)], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    assert.deepEqual(data.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const held = data.heldOut(5);
    assert.equal(held.x.length, 5 * 784);
    assert.deepEqual([...held.labels], [...data.labels.slice(9000, 9005)]);
    assert.deepEqual([...held.x.slice(784, 2 * 784)], [...data.image(9001)]);
  });

  it('Fashion-MNIST: first labels, 1,000 per class, pixel mean near 0.2868', () => {
    const data = loadDataset('fashion-mnist');
    assert.deepEqual([...data.labels.slice(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const counts = new Array(10).fill(0);
    for (const l of data.labels) counts[l]++;
    assert.deepEqual(counts, new Array(10).fill(1000));
    assert.equal(data.classNames[9], 'Ankle boot');
    const all = data.batch(Int32Array.from({ length: data.count }, (_, i) => i));
    assert.ok(Math.abs(sum(all) / all.length - 0.2868) < 2e-3, `mean ${sum(all) / all.length}`);
  });

  it('digits 8x8: 1,797 images, zero padding tiles, 17 levels that map back to 0..16', () => {
    const { sheet, meta } = loadSheet('digits-8x8');
    assert.equal(sheet.length, 400 * 288);
    const data = loadDataset('digits-8x8');
    assert.equal(data.count, 1797);
    assert.equal(data.dim, 64);
    assert.deepEqual([...data.labels.slice(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...data.labels.slice(10, 20)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(data.trainCount + data.heldOutIndices.length, 1797);
    // padding tiles 1797..1799 are outside count but on the sheet: all zero
    let padding = 0;
    for (let i = 1797; i < 1800; i++) for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) padding += sheetPixel(sheet, 400, 50, 8, i, x, y);
    assert.equal(padding, 0);
    const all = data.batch(Int32Array.from({ length: data.count }, (_, i) => i));
    assert.ok(Math.abs(sum(all) - sum(sheet) / 255) < 1e-2);
    const levels = new Set(meta.pixel?.storedLevels);
    assert.equal(levels.size, 17);
    for (let p = 0; p < all.length; p += 7) {
      const stored = Math.round(all[p] * 255);
      assert.ok(levels.has(stored), `value ${stored} is one of the 17 stored levels`);
      const count = Math.round((stored * 16) / 255);
      assert.equal(Math.floor((count * 255) / 16 + 0.5), stored);
    }
    // sklearn's digits.data.mean() is 4.884 on the 0..16 scale
    assert.ok(Math.abs((sum(all) / all.length) * 16 - 4.884) < 0.01, `mean ${(sum(all) / all.length) * 16}`);
  });

  it('rejects a sheet that does not match its sidecar', () => {
    const { meta } = loadSheet('digits-8x8');
    assert.throws(() => new ImageDataset(new Uint8Array(10), meta), /sheet has 10 gray values/);
  });

  it('epoch orders are seeded permutations of the training images', () => {
    const data = loadDataset('digits-8x8');
    const a = data.epochOrder(7, 0);
    assert.deepEqual([...a], [...data.epochOrder(7, 0)]);
    assert.notDeepEqual([...a], [...data.epochOrder(7, 1)]);
    assert.notDeepEqual([...a], [...data.epochOrder(8, 0)]);
    assert.deepEqual(
      [...a].sort((p, q) => p - q),
      [...data.trainIndices],
    );
  });

  it('the batch iterator visits every training image once per epoch and resumes from a cursor', () => {
    const data = loadDataset('digits-8x8');
    const it = data.batches(100, 3);
    const seen = new Set<number>();
    let batches = 0;
    for (;;) {
      const b = it.next();
      assert.equal(b.epoch, 0);
      assert.equal(b.x.length, b.size * 64);
      assert.deepEqual([...b.x.slice(0, 64)], [...data.image(b.indices[0])]);
      for (const i of b.indices) seen.add(i);
      batches++;
      if (it.position.position >= data.trainCount) break;
    }
    assert.equal(seen.size, data.trainCount);
    assert.equal(batches, Math.ceil(data.trainCount / 100));
    const cursor = it.position;
    const next1 = it.next();
    assert.equal(next1.epoch, 1);
    const resumed = data.batches(100, 3, cursor).next();
    assert.deepEqual([...resumed.indices], [...next1.indices]);
  });
});
