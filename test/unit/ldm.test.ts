import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { TENSOR_NAMES } from '../../src/domain/tensors';
import { Ldm, type LatentAutoencoder } from '../../src/models/ldm';
import { slicedWasserstein } from '../../src/models/metrics';
import { mulberry32, normalSamples } from '../../src/models/random';
import { generateToy, toPairs } from '../../src/models/toy2d';

const D = 16,
  LATENT = 2,
  SPREAD = 3;

/**
 * A linear stand-in for a trained VAE: the decoder maps z to x = (z / SPREAD) A with A a 2 x 16 matrix of
 * orthonormal rows, the encoder returns mu = SPREAD x A^T (plus a logvar the LDM must dispose). The test latents
 * are toy points times SPREAD, so they need the LDM's scale factor to reach unit spread.
 */
class LinearAutoencoder implements LatentAutoencoder {
  readonly latentDim = LATENT;
  readonly A: tf.Tensor2D;

  constructor(seed: number) {
    const g = normalSamples(LATENT * D, mulberry32(seed));
    const r0 = Array.from(g.subarray(0, D)),
      r1 = Array.from(g.subarray(D));
    const n0 = Math.hypot(...r0);
    const u0 = r0.map((v) => v / n0);
    const dot = r1.reduce((s, v, i) => s + v * u0[i], 0);
    const r1o = r1.map((v, i) => v - dot * u0[i]);
    const n1 = Math.hypot(...r1o);
    this.A = tf.tensor2d([u0, r1o.map((v) => v / n1)]);
  }

  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    const mu = tf.mul(tf.matMul(x, this.A, false, true), SPREAD) as tf.Tensor2D;
    return { mu, logvar: tf.zerosLike(mu) };
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(tf.div(z, SPREAD), this.A) as tf.Tensor2D;
  }

  /** Images whose latents are SPREAD * points. */
  images(points: Float32Array): tf.Tensor2D {
    return tf.tidy(() => this.decode(tf.mul(tf.tensor2d(points, [points.length / 2, 2]), SPREAD) as tf.Tensor2D));
  }
}

describe('latent diffusion', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('measures the latent scale on the first batch and publishes the protocol tensors; x_hat decodes the z_0 estimate', async () => {
    const ae = new LinearAutoencoder(1);
    const ldm = new Ldm({ autoencoder: ae, seed: 2, hiddenDim: 32 });
    const latents = generateToy('eight-gaussians', 256, 3);
    const x = ae.images(latents);
    const named = ldm.inspect(x, 400);
    // mu = SPREAD * latents exactly (orthonormal A), so the scale is 1 / std(SPREAD * latents).
    const mu = Array.from(latents).map((v) => v * SPREAD);
    const mean = mu.reduce((s, v) => s + v, 0) / mu.length;
    const std = Math.sqrt(mu.reduce((s, v) => s + (v - mean) ** 2, 0) / mu.length);
    assert.ok(Math.abs(ldm.latentScale! - 1 / std) < 1e-3 / std, `scale ${ldm.latentScale} vs ${1 / std}`);
    const probe = new Ldm({ autoencoder: ae, seed: 2, hiddenDim: 8 });
    const asyncScale = await probe.measureLatentScale(x);
    probe.dispose();
    assert.ok(Math.abs(asyncScale - ldm.latentScale!) < 1e-6, 'the async measurement agrees');
    assert.deepEqual(Object.keys(named).sort(), [...TENSOR_NAMES.ldm].sort());
    assert.deepEqual(named.z_0.shape, [256, 2]);
    assert.deepEqual(named.x_hat.shape, [256, D]);
    const z0 = named.z_0.arraySync() as number[][];
    z0.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - mu[2 * i + j] * ldm.latentScale!) < 1e-4)));
    // x_hat = decode(z0_hat / scale), z0_hat = (z_t - sqrt(1 - abar) eps_theta) / sqrt(abar).
    const abar = ldm.schedule.alphaBars[399];
    const expected = tf.tidy(() => {
      const z0Hat = tf.div(tf.sub(named.z_t, tf.mul(named.eps_theta, Math.sqrt(1 - abar))), Math.sqrt(abar));
      return ae.decode(tf.div(z0Hat, ldm.latentScale!) as tf.Tensor2D).arraySync();
    });
    const xHat = named.x_hat.arraySync() as number[][];
    xHat.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-4)));
    tf.dispose([...Object.values(named), x]);
    ldm.dispose();
    assert.ok(!ae.A.isDisposed, 'the autoencoder belongs to the caller');
    ae.A.dispose();
  });

  it('trained on Gaussian latents, it samples that Gaussian in the VAE latent units and decodes it', function () {
    this.timeout(120000);
    const ae = new LinearAutoencoder(5);
    const ldm = new Ldm({ autoencoder: ae, seed: 3, hiddenDim: 64, learningRate: 2e-3 });
    // Points N(m, s^2 I); the VAE latents are SPREAD times them, and the LDM must give samples back in those units.
    const m = [1.5, -1],
      s = 0.3;
    const noise = normalSamples(2 * 4096, mulberry32(4));
    const data = noise.map((v, i) => m[i % 2] + s * v);
    const rand = mulberry32(9);
    const latentStats = (rows: number[][]) =>
      [0, 1].map((j) => {
        const mean = rows.reduce((acc, r) => acc + r[j], 0) / rows.length;
        return { mean, std: Math.sqrt(rows.reduce((acc, r) => acc + (r[j] - mean) ** 2, 0) / rows.length) };
      });
    for (let i = 0; i < 400; i++) {
      const idx = Array.from({ length: 128 }, () => Math.floor(rand() * 4096));
      const x = ae.images(new Float32Array(idx.flatMap((j) => [data[2 * j], data[2 * j + 1]])));
      const st = ldm.trainStep(x);
      tf.dispose([st.loss, st.terms.mse, x]);
    }
    const r = ldm.sample({ n: 1000, sampler: 'ddim', steps: 50, frames: 3, seed: 2 });
    const final = r.latents[r.latents.length - 1];
    latentStats(final).forEach(({ mean, std }, j) => {
      assert.ok(Math.abs(mean - SPREAD * m[j]) < 0.1 * SPREAD, `latent mean[${j}] ${mean} vs ${SPREAD * m[j]}`);
      assert.ok(Math.abs(std - SPREAD * s) < 0.25 * SPREAD * s, `latent std[${j}] ${std} vs ${SPREAD * s}`);
    });
    const dataLatents = toPairs(data.subarray(0, 2000)).map(([a, b]) => [a * SPREAD, b * SPREAD]);
    const sw = slicedWasserstein(final, dataLatents, 128, 1);
    const prior = slicedWasserstein(normalSamples(2000, mulberry32(8)), dataLatents, 128, 1);
    assert.ok(sw < prior / 5, `sampled ${sw} vs N(0, I) ${prior}`);
    // Decoded samples lie in the decoder's range and encode back to the sampled latents.
    assert.equal(r.images.length, 3);
    assert.equal(r.images[2][0].length, D);
    const back = tf.tidy(() => ae.encode(tf.tensor2d(r.images[2].slice(0, 20))).mu.arraySync());
    back.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - final[i][j]) < 1e-3)));
    ldm.dispose();
    ae.A.dispose();
  });
});
