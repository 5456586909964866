// The stock comparison model must do the same work as ours, or the ratio in `npm run bench` means nothing.
// Run: npx mocha --no-config --node-option import=tsx bench/stockDdpm.test.ts
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DenoiserMlp } from '../src/models/denoiserMlp';
import { runSampler } from '../src/models/samplers';
import { StockDdpm2d } from './stockDdpm';

function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

describe('StockDdpm2d (bench comparison model)', function () {
  this.timeout(60_000);
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('predicts what our DenoiserMlp predicts with the same weights', () => {
    const ours = new DenoiserMlp({ dataDim: 2, seed: 3, name: 'cmp' });
    const stock = new StockDdpm2d(8, 5);
    const oursVars = [...ours.variables().values()];
    const stockVars = stock.weights();
    assert.equal(stockVars.length, oursVars.length);
    stockVars.forEach((v, i) => v.assign(oursVars[i]));
    const xt = tf.randomNormal([16, 2], 0, 1, 'float32', 9) as tf.Tensor2D;
    const t = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i * 61));
    const a = ours.predict(xt, t).arraySync();
    const b = stock.predict(xt, t).arraySync();
    assert.ok(maxAbsDiff(a, b) < 1e-5, `max difference ${maxAbsDiff(a, b)}`);
    tf.dispose([xt, t]);
    ours.dispose();
    stock.dispose();
  });

  it('samples with DDIM as our reverse process does from the same noise and network', () => {
    const stock = new StockDdpm2d(8, 5);
    const xT = tf.randomNormal([32, 2], 0, 1, 'float32', 11) as tf.Tensor2D;
    const steps = 20;
    const theirs = stock.sample(32, 'ddim', steps, xT);
    const ours = runSampler((x, t) => stock.predict(x, t, true), stock.schedule, { n: 32, dim: 2, sampler: 'ddim', steps, eta: 0, xT });
    assert.ok(maxAbsDiff(theirs[0], ours.frames[0]) === 0, 'same start noise');
    const d = maxAbsDiff(theirs[1], ours.frames[ours.frames.length - 1]);
    assert.ok(d < 1e-3, `final samples differ by ${d}`);
    xT.dispose();
    stock.dispose();
  });

  it('trains (the loss falls) and leaves no tensor behind once disposed', async () => {
    const before = tf.memory().numTensors;
    const stock = new StockDdpm2d(128, 1);
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const l = stock.trainStep();
      losses.push((await l.data())[0]);
      l.dispose();
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean(losses.slice(-15)) < 0.8 * mean(losses.slice(0, 15)), `loss ${mean(losses.slice(0, 15))} -> ${mean(losses.slice(-15))}`);
    stock.sample(16, 'ddpm', 0, undefined, 5);
    stock.sample(16, 'ddim', 5);
    stock.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
