// The held-out loss: the AE's and VAE's evaluate() is the training step's own loss without the update, and
// evaluateRows() averages it per image over a data set in chunks (MNIST's 1,000 held-out images, the 8x8 digits' 180).
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Ae } from '../../src/models/ae';
import { Vae } from '../../src/models/vae';
import { ImageRunner } from '../../src/webview/worker/imageRunner';
import type { AutoencoderConfig, TrainConfig } from '../../src/domain/config';
import { configFrom } from '../../src/domain/settings';
import { pytorchReference, referenceLine } from '../../src/webview/diagrams/lossChart';
import { loadDataset } from './helpers/sheets';
import { scalarOf, useCpuBackend } from './helpers/tf';

/** |a - b| within float32 rounding of sums over a few hundred pixels. */
function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

function batchOf(n: number, dim: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([n, dim], 0, 1, 'float32', seed) as tf.Tensor2D;
}

describe('held-out loss', () => {
  before(useCpuBackend);

  it("VAE: evaluate with the step's noise equals the training step's loss and terms, before its update", () => {
    const vae = new Vae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 3, beta: 0.7 });
    const x = batchOf(16, 64, 1);
    for (let s = 0; s < 6; s++) {
      const eps = vae.epsFor(16, vae.step);
      const ev = vae.evaluate(x, { eps });
      const expected = { loss: scalarOf(ev.loss), recon: scalarOf(ev.terms.recon), kl: scalarOf(ev.terms.kl) };
      const before = tf.memory().numTensors;
      const trained = vae.trainStep(x);
      close(scalarOf(trained.loss), expected.loss, `step ${s} loss`);
      close(scalarOf(trained.terms.recon), expected.recon, `step ${s} recon`);
      close(scalarOf(trained.terms.kl), expected.kl, `step ${s} kl`);
      // loss = recon + beta * kl, with the model's beta.
      close(expected.loss, expected.recon + 0.7 * expected.kl, `step ${s} recon + beta kl`);
      assert.equal(tf.memory().numTensors, before + 3, 'the step returns its three scalars and leaks nothing');
      tf.dispose([eps, ev.loss, ...Object.values(ev.terms), trained.loss, ...Object.values(trained.terms)]);
    }
    // heldOutNegElbo is the beta = 1 figure on the evaluation noise.
    vae.beta = 1;
    const ev = vae.evaluate(x);
    close(scalarOf(vae.heldOutNegElbo(x)), scalarOf(ev.loss), 'heldOutNegElbo is evaluate with beta 1');
    tf.dispose([x, ev.loss, ...Object.values(ev.terms)]);
    vae.dispose();
  });

  it("AE: evaluate equals the training step's loss, before its update", () => {
    const ae = new Ae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 4 });
    const x = batchOf(16, 64, 2);
    for (let s = 0; s < 6; s++) {
      const ev = ae.evaluate(x);
      const trained = ae.trainStep(x);
      close(scalarOf(trained.loss), scalarOf(ev.loss), `step ${s} loss`);
      close(scalarOf(trained.terms.recon), scalarOf(ev.terms.recon), `step ${s} recon`);
      tf.dispose([ev.loss, ev.terms.recon, trained.loss, trained.terms.recon]);
    }
    x.dispose();
    ae.dispose();
  });

  it('evaluateRows averages per image over chunks, the last one short, and leaks nothing', async () => {
    const n = 70;
    const source = batchOf(n, 64, 5);
    const rows = (await source.data()) as Float32Array;
    source.dispose();
    const ae = new Ae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 4 });
    const vae = new Vae({ inputDim: 64, hiddenDim: 32, latentDim: 2, seed: 4, beta: 2 });
    const start = tf.memory().numTensors;
    // The AE is deterministic: chunking does not change the mean.
    const all = tf.tensor2d(rows, [n, 64]);
    const whole = ae.evaluate(all);
    const chunked = await ae.evaluateRows(rows, n, 25);
    close(chunked.loss, scalarOf(whole.loss), 'AE chunked vs whole');
    close(chunked.terms.recon, scalarOf(whole.terms.recon), 'AE recon');
    tf.dispose([all, whole.loss, whole.terms.recon]);
    // The VAE's chunk c uses evaluation draw c: the mean of the chunks' means, weighted by their sizes.
    const sizes = [25, 25, 20];
    let sum = 0,
      kl = 0;
    sizes.forEach((m, c) => {
      const x = tf.tensor2d(rows.subarray(c * 25 * 64, (c * 25 + m) * 64), [m, 64]);
      const ev = vae.evaluate(x, { draw: c });
      sum += m * scalarOf(ev.loss);
      kl += m * scalarOf(ev.terms.kl);
      tf.dispose([x, ev.loss, ...Object.values(ev.terms)]);
    });
    const v = await vae.evaluateRows(rows, n, 25);
    close(v.loss, sum / n, 'VAE chunked loss');
    close(v.terms.kl, kl / n, 'VAE chunked kl');
    close(v.loss, v.terms.recon + 2 * v.terms.kl, 'VAE loss = recon + beta kl');
    assert.deepEqual(Object.keys(v.terms), ['recon', 'kl']);
    // The same weights give the same figure every time (fixed evaluation noise).
    assert.deepEqual(await vae.evaluateRows(rows, n, 25), v);
    assert.equal(tf.memory().numTensors, start, 'no tensors left behind');
    await assert.rejects(vae.evaluateRows(rows, n + 1), /cannot evaluate 71 rows/);
    ae.dispose();
    vae.dispose();
  });

  for (const [dataset, count, dim] of [
    ['digits-8x8', 180, 64],
    ['mnist', 1000, 784],
  ] as const) {
    it(`the image runner evaluates all ${count} held-out images of ${dataset} (${dim} dims)`, async function () {
      this.timeout(60_000);
      const data = loadDataset(dataset);
      assert.equal(data.heldOutIndices.length, count);
      const cfg: AutoencoderConfig = { dataset, latentDim: 2, hiddenDim: 64, beta: 1, learningRate: 1e-3, batchSize: 32, seed: 1 };
      for (const kind of ['vae', 'ae'] as const) {
        const runner = new ImageRunner(kind, data, cfg, { epoch: 0 });
        const start = tf.memory().numTensors;
        const first = await runner.heldOut();
        assert.deepEqual(Object.keys(first.terms), kind === 'vae' ? ['recon', 'kl'] : ['recon']);
        // An untrained Bernoulli decoder costs about dim * ln 2 nats an image.
        assert.ok(first.loss > 0.3 * dim * Math.LN2 && first.loss < 2 * dim * Math.LN2, `${kind} untrained: ${first.loss}`);
        // The same as evaluating the whole set at once (the VAE: up to its noise, which differs by chunk).
        const x = tf.tensor2d(data.heldOut().x, [count, dim]);
        const whole = runner.model.evaluate(x);
        const w = scalarOf(whole.loss);
        tf.dispose([x, whole.loss, ...Object.values(whole.terms)]);
        if (kind === 'ae') close(first.loss, w, 'AE held-out, chunked vs whole');
        else assert.ok(Math.abs(first.loss - w) < 0.02 * w, `VAE held-out ${first.loss} vs whole-set ${w}`);
        for (let s = 0; s < 20; s++) {
          const r = runner.step();
          tf.dispose([r.loss, ...Object.values(r.terms)]);
        }
        const later = await runner.heldOut();
        assert.ok(later.loss < first.loss, `${kind}: held-out loss falls with training (${first.loss} -> ${later.loss})`);
        assert.equal(tf.memory().numTensors, start, 'no tensors left behind');
        runner.dispose();
      }
    });
  }
});

describe('the PyTorch reference on the loss chart', () => {
  const base = configFrom('vae', (_key, fallback) => fallback).config;
  const withAe = (a: Partial<AutoencoderConfig>, model: TrainConfig['model'] = 'vae'): TrainConfig => ({
    ...base,
    model,
    autoencoder: { ...base.autoencoder, ...a },
  });

  it("applies to the VAE it was measured on (the defaults): design.md 3b's figures at the epochs' steps", () => {
    const ref = pytorchReference(withAe({}));
    assert.equal(ref?.latentDim, 2);
    assert.deepEqual(
      ref?.marks.map((m) => [m.epoch, m.step, m.value]),
      [
        [1, 9000 / 128, 213.1],
        [2, 18000 / 128, 196.5],
        [5, 45000 / 128, 182.0],
        [10, 90000 / 128, 174.3],
        [20, 180000 / 128, 168.4],
        [50, 450000 / 128, 162.7],
      ],
    );
    assert.deepEqual(
      pytorchReference(withAe({ latentDim: 16 }))?.marks.map((m) => [m.epoch, m.value]),
      [[20, 116.3]],
    );
  });

  it('does not apply to any other model, data set or setting', () => {
    for (const [a, model] of [
      [{}, 'ae'],
      [{}, 'ldm'],
      [{}, 'ddpm'],
      [{ dataset: 'fashion-mnist' }],
      [{ dataset: 'digits-8x8' }],
      [{ latentDim: 8 }],
      [{ hiddenDim: 256 }],
      [{ beta: 0.5 }],
      [{ learningRate: 3e-3 }],
      [{ batchSize: 64 }],
    ] as [Partial<AutoencoderConfig>, TrainConfig['model']?][]) {
      assert.equal(pytorchReference(withAe(a, model)), null, JSON.stringify([a, model]));
    }
  });

  it('is drawn between its epochs over the steps shown, level after the last, nothing before the first', () => {
    const marks = [
      { epoch: 1, step: 100, value: 200 },
      { epoch: 2, step: 200, value: 100 },
    ];
    assert.deepEqual(referenceLine(marks, 0, 50), []);
    assert.deepEqual(referenceLine(marks, 0, 150), [
      [100, 200],
      [150, 150],
    ]);
    assert.deepEqual(referenceLine(marks, 120, 300), [
      [120, 180],
      [200, 100],
      [300, 100],
    ]);
    assert.deepEqual(referenceLine(marks, 0, 100), [
      [100, 200],
      [100, 200],
    ]);
  });
});
