import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { ddimSigma, frameSteps, ReverseProcess, runSampler, runSamplerAsync, samplingTimesteps, type EpsFn } from '../../src/models/samplers';
import { makeSchedule, type Schedule } from '../../src/models/schedules';

/**
 * The exact eps predictor for data x_0 ~ N(m, s^2 I): x_t ~ N(sqrt(a) m, a s^2 + 1 - a), and
 * E[eps | x_t] = sqrt(1 - a) (x_t - sqrt(a) m) / (a s^2 + 1 - a). A correct sampler fed this returns N(m, s^2 I).
 */
function gaussianEps(schedule: Schedule, m: [number, number], s: number): EpsFn {
  const abar = tf.tensor1d(schedule.alphaBars);
  return (xt, tIndex) =>
    tf.tidy(() => {
      const a = tf.reshape(tf.gather(abar, tf.cast(tIndex, 'int32')), [-1, 1]);
      const varT = tf.add(tf.mul(a, s * s), tf.sub(1, a));
      const centred = tf.sub(xt, tf.mul(tf.sqrt(a), tf.tensor2d([m], [1, 2])));
      return tf.div(tf.mul(tf.sqrt(tf.sub(1, a)), centred), varT) as tf.Tensor2D;
    });
}

function columnStats(rows: number[][]): { mean: number[]; std: number[] } {
  const n = rows.length,
    d = rows[0].length;
  const mean = new Array<number>(d).fill(0),
    sq = new Array<number>(d).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / n));
  for (const r of rows) r.forEach((v, j) => (sq[j] += (v - mean[j]) ** 2 / n));
  return { mean, std: sq.map(Math.sqrt) };
}

describe('samplers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const schedule = makeSchedule('linear', 1000);

  it('visit every timestep for DDPM and evenly spaced ones from T-1 for DDIM', () => {
    const all = samplingTimesteps(schedule, 'ddpm');
    assert.equal(all.length, 1000);
    assert.equal(all[0], 999);
    assert.equal(all[999], 0);
    const ddim = samplingTimesteps(schedule, 'ddim', 50);
    assert.equal(ddim.length, 50);
    assert.equal(ddim[0], 999);
    for (let i = 1; i < 50; i++) assert.equal(ddim[i - 1] - ddim[i], 20);
    assert.deepEqual(samplingTimesteps(schedule, 'ddim', 1000), all);
    assert.deepEqual(frameSteps(50, 6), [0, 10, 20, 30, 40, 50]);
  });

  it('DDIM with eta = 1 over all T steps has DDPM posterior variance beta~_t at every step', () => {
    for (let t = 1; t < schedule.T; t++) {
      const sigma2 = ddimSigma(schedule, t, t - 1, 1) ** 2;
      const betaTilde = schedule.posteriorVariance[t];
      assert.ok(Math.abs(sigma2 - betaTilde) <= 1e-4 * betaTilde, `t=${t + 1}: ${sigma2} vs ${betaTilde}`);
    }
    assert.equal(ddimSigma(schedule, 500, 480, 0), 0);
  });

  it('DDIM with eta = 1 and all T steps gives the same samples as DDPM ancestral sampling (same noise)', () => {
    const small = makeSchedule('linear', 100);
    const eps = gaussianEps(small, [1, -1], 0.3);
    const xT = ReverseProcess.noise(64, 2, 3);
    const ddpm = runSampler(eps, small, { sampler: 'ddpm', n: 64, dim: 2, seed: 7, xT });
    const ddim = runSampler(eps, small, { sampler: 'ddim', steps: 100, eta: 1, n: 64, dim: 2, seed: 7, xT });
    const a = ddpm.frames[1].flat(),
      b = ddim.frames[1].flat();
    const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    assert.ok(maxDiff < 1e-3, `max difference ${maxDiff}`);
    xT.dispose();
  });

  it('DDIM with eta = 0 is deterministic: same start, same output, whatever the seed or global RNG state', () => {
    const eps = gaussianEps(schedule, [0.5, 0.5], 0.5);
    const xT = ReverseProcess.noise(32, 2, 11);
    const first = runSampler(eps, schedule, { sampler: 'ddim', steps: 20, eta: 0, n: 32, dim: 2, seed: 1, xT });
    Math.random();
    tf.randomNormal([100]).dispose();
    const second = runSampler(eps, schedule, { sampler: 'ddim', steps: 20, eta: 0, n: 32, dim: 2, seed: 999, xT });
    assert.deepEqual(second.frames, first.frames);
    const noisy = runSampler(eps, schedule, { sampler: 'ddim', steps: 20, eta: 1, n: 32, dim: 2, seed: 999, xT });
    assert.notDeepEqual(noisy.frames[1], first.frames[1], 'eta = 1 adds noise');
    xT.dispose();
  });

  it('DDIM (eta = 0, 50 steps) with the exact eps of Gaussian data matches the closed form of its affine map', () => {
    // Per step x_prev - sqrt(aP) m = k (x_t - sqrt(a) m), k = (sqrt(aP a) s^2 + sqrt((1 - aP)(1 - a))) / (a s^2 + 1 - a),
    // so from x_T ~ N(0, I) the output is N(m - K sqrt(a_T) m, K^2) with K the product of the k's. (K < 1 exactly
    // would be s: coarse DDIM steps shrink the variance, so this checks the discretised sampler, not the ideal.)
    const m: [number, number] = [2, -1],
      s = 0.5;
    const ts = samplingTimesteps(schedule, 'ddim', 50);
    let K = 1;
    ts.forEach((t, i) => {
      const a = schedule.alphaBars[t],
        aP = i + 1 < ts.length ? schedule.alphaBars[ts[i + 1]] : 1;
      K *= (Math.sqrt(aP * a) * s * s + Math.sqrt((1 - aP) * (1 - a))) / (a * s * s + 1 - a);
    });
    const xT = ReverseProcess.noise(4000, 2, 5);
    const start = columnStats(xT.arraySync());
    const r = runSampler(gaussianEps(schedule, m, s), schedule, { sampler: 'ddim', steps: 50, eta: 0, n: 4000, dim: 2, xT });
    xT.dispose();
    const { mean, std } = columnStats(r.frames[r.frames.length - 1]);
    const aT = schedule.alphaBars[ts[0]];
    for (const j of [0, 1]) {
      const expectedMean = m[j] + K * (start.mean[j] - Math.sqrt(aT) * m[j]);
      assert.ok(Math.abs(mean[j] - expectedMean) < 1e-3, `mean ${mean[j]} vs ${expectedMean}`);
      assert.ok(Math.abs(std[j] - K * start.std[j]) < 1e-3, `std ${std[j]} vs ${K * start.std[j]}`);
    }
    assert.ok(K > 0.9 * s && K < s, `K = ${K}`);
  });

  it('DDPM ancestral sampling with the exact eps of Gaussian data returns that Gaussian (mean and std)', () => {
    const m: [number, number] = [2, -1],
      s = 0.5;
    const r = runSampler(gaussianEps(schedule, m, s), schedule, { sampler: 'ddpm', n: 4000, dim: 2, seed: 5 });
    const { mean, std } = columnStats(r.frames[r.frames.length - 1]);
    for (const j of [0, 1]) {
      assert.ok(Math.abs(mean[j] - m[j]) < 0.04, `mean ${mean}`);
      assert.ok(Math.abs(std[j] - s) < 0.03, `std ${std}`);
    }
  });

  it('returns frames from pure noise (t = T) to the sample (t = 0) as plain arrays', () => {
    const eps = gaussianEps(schedule, [0, 0], 1);
    const xT = ReverseProcess.noise(5, 2, 2);
    const r = runSampler(eps, schedule, { sampler: 'ddim', steps: 10, n: 5, dim: 2, frames: 6, xT });
    assert.deepEqual(r.ts, [1000, 800, 600, 400, 200, 0]);
    assert.equal(r.frames.length, 6);
    assert.deepEqual(r.frames[0], xT.arraySync());
    assert.ok(Array.isArray(r.frames[5][4]) && r.frames[5][4].length === 2);
    xT.dispose();
  });

  it('leaks no tensors, sync, async or stepped by hand', async () => {
    const eps = gaussianEps(schedule, [0, 0], 1);
    runSampler(eps, schedule, { sampler: 'ddim', steps: 5, n: 8, dim: 2 }); // warm-up: kernels, constants
    const before = tf.memory().numTensors;
    runSampler(eps, schedule, { sampler: 'ddpm', n: 8, dim: 2, frames: 5 });
    await runSamplerAsync(eps, schedule, { sampler: 'ddim', steps: 25, eta: 0.5, n: 8, dim: 2, frames: 5 });
    const proc = new ReverseProcess(eps, schedule, ReverseProcess.noise(8, 2, 1), { sampler: 'ddim', steps: 10 });
    while (!proc.done) proc.step();
    assert.equal(proc.t, 0);
    proc.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
