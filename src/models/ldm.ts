// Latent diffusion: a DDPM (the MLP denoiser, input dim = latent dim) trained on the latent means mu of an
// already-trained autoencoder, sampled in latent space and decoded through the autoencoder's decoder
// (Rombach et al. 2022, with a VAE instead of their autoencoder). Written against a minimal interface so it
// does not depend on the VAE's internals.
import * as tf from '@tensorflow/tfjs';
import type { ModelKind, ScheduleKind } from '../domain/config';
import { Ddpm, type SampleOptions, type SavedArray } from './ddpm';
import { DenoiserMlp } from './denoiserMlp';
import { DEFAULT_TIMESTEPS, makeSchedule, type Schedule } from './schedules';
import type { StepTensors, TrainableModel } from './types';

/** What latent diffusion needs from a (trained, frozen) autoencoder. */
export interface LatentAutoencoder {
  /** Any other tensors returned besides mu are disposed by the caller here. */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D };
  decode(z: tf.Tensor2D): tf.Tensor2D;
  readonly latentDim: number;
}

export interface LdmOptions {
  autoencoder: LatentAutoencoder;
  schedule?: ScheduleKind;
  T?: number;
  learningRate?: number;
  seed?: number;
  hiddenDim?: number;
  /**
   * Multiplier bringing the latents to unit spread (Rombach et al.'s scale factor). Measured on the first
   * training batch when not given; restored from the checkpoint on resume.
   */
  latentScale?: number;
}

export interface LdmSampleResult {
  /** Paper timestep of each frame: T (noise) down to 0. */
  ts: number[];
  /** Latent frames (in the autoencoder's latent units): frames[k][i] is a latentDim vector. */
  latents: number[][][];
  /** Each latent frame decoded: images[k][i] is a flattened image as the decoder returns it. */
  images: number[][][];
}

/**
 * Worker: build it over the trained VAE (`new Ldm({autoencoder: vae, ...})`), then feed image batches [B, 784]
 * (the VAE's input format) to `trainStep`/`inspect`; `sample({n, sampler, steps, eta, frames})` returns latent
 * frames and their decodings. The autoencoder stays owned by the caller and is never trained here.
 */
export class Ldm implements TrainableModel {
  readonly kind: ModelKind = 'ldm';
  readonly ddpm: Ddpm;
  readonly autoencoder: LatentAutoencoder;
  latentScale: number | undefined;

  constructor(opts: LdmOptions) {
    this.autoencoder = opts.autoencoder;
    this.latentScale = opts.latentScale;
    const dim = opts.autoencoder.latentDim;
    this.ddpm = new Ddpm({
      schedule: makeSchedule(opts.schedule ?? 'linear', opts.T ?? DEFAULT_TIMESTEPS),
      makeDenoiser: (seed, name) => new DenoiserMlp({ dataDim: dim, hiddenDim: opts.hiddenDim ?? 128, seed, name }),
      learningRate: opts.learningRate ?? 1e-3,
      seed: opts.seed ?? 42,
    });
  }

  get schedule(): Schedule {
    return this.ddpm.schedule;
  }

  /** z_0 = latentScale * mu(x), with no gradient into the autoencoder. */
  latents(batch: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const mu = this.autoencoder.encode(batch).mu;
      if (this.latentScale === undefined) {
        const std = Math.sqrt(tf.moments(mu).variance.dataSync()[0]);
        this.latentScale = std > 1e-8 ? 1 / std : 1;
      }
      return tf.mul(mu, this.latentScale) as tf.Tensor2D;
    });
  }

  /**
   * Measures the latent scale on a batch with an asynchronous read (call it once before training on WebGPU,
   * where the synchronous read `latents()` would otherwise do on the first batch is not available).
   */
  async measureLatentScale(batch: tf.Tensor2D): Promise<number> {
    const variance = tf.tidy(() => tf.moments(this.autoencoder.encode(batch).mu).variance);
    const std = Math.sqrt((await variance.data())[0]);
    variance.dispose();
    this.latentScale = std > 1e-8 ? 1 / std : 1;
    return this.latentScale;
  }

  /** Decodes scaled latents [n, latentDim] to the autoencoder's output. */
  decodeLatents(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.autoencoder.decode(tf.div(z, this.latentScale ?? 1) as tf.Tensor2D));
  }

  trainStep(batch: tf.Tensor2D): StepTensors {
    const z0 = this.latents(batch);
    try {
      return this.ddpm.trainStep(z0);
    } finally {
      z0.dispose();
    }
  }

  /**
   * Named tensors (protocol TENSOR_NAMES.ldm). z_0 and z_t are in scaled latent units; x_hat decodes the
   * denoiser's estimate of z_0 from z_t, i.e. what the model "sees" at that noise level.
   */
  inspect(batch: tf.Tensor2D, t?: number): Record<string, tf.Tensor> {
    const z0 = this.latents(batch);
    const d = this.ddpm.inspect(z0, t);
    z0.dispose();
    const out = tf.tidy(() => {
      const abar = tf.reshape(d.alpha_bar_t, [-1, 1]);
      const z0Hat = tf.div(tf.sub(d.x_t, tf.mul(tf.sqrt(tf.sub(1, abar)), d.eps_theta)), tf.sqrt(abar)) as tf.Tensor2D;
      return {
        z_0: d.x_0.clone(),
        eps: d.eps.clone(),
        t: d.t.clone(),
        beta_t: d.beta_t.clone(),
        alpha_bar_t: d.alpha_bar_t.clone(),
        z_t: d.x_t.clone(),
        eps_theta: d.eps_theta.clone(),
        x_hat: this.decodeLatents(z0Hat),
        loss: d.loss.clone(),
      };
    });
    tf.dispose(Object.values(d));
    return out;
  }

  sample(opts: SampleOptions): LdmSampleResult {
    const r = this.ddpm.sample(opts);
    return { ts: r.ts, latents: r.frames.map((f) => this.unscale(f)), images: r.frames.map((f) => this.decodeRows(f)) };
  }

  async sampleAsync(opts: SampleOptions): Promise<LdmSampleResult> {
    const r = await this.ddpm.sampleAsync(opts);
    const images: number[][][] = [];
    for (const f of r.frames) {
      const x = tf.tidy(() => this.decodeLatents(tf.tensor2d(f, [f.length, this.autoencoder.latentDim])));
      images.push((await x.array()) as number[][]);
      x.dispose();
    }
    return { ts: r.ts, latents: r.frames.map((f) => this.unscale(f)), images };
  }

  private unscale(rows: number[][]): number[][] {
    const s = this.latentScale ?? 1;
    return rows.map((r) => r.map((v) => v / s));
  }

  private decodeRows(rows: number[][]): number[][] {
    return tf.tidy(() => this.decodeLatents(tf.tensor2d(rows, [rows.length, this.autoencoder.latentDim])).arraySync());
  }

  lossByBucket(): { buckets: number; loss: number[] } {
    return this.ddpm.lossByBucket();
  }

  weights(): Map<string, tf.Variable> {
    return this.ddpm.weights();
  }

  optimizerState(): Map<string, tf.Variable> {
    return this.ddpm.optimizerState();
  }

  restore(weights: Map<string, SavedArray>, optimizer: Map<string, SavedArray>): void {
    this.ddpm.restore(weights, optimizer);
  }

  extraState(): Map<string, tf.Tensor> {
    return this.ddpm.extraState();
  }

  restoreExtra(extra: Map<string, SavedArray>, counters?: { step: number }): void {
    this.ddpm.restoreExtra(extra, counters);
  }

  get learningRate(): number {
    return this.ddpm.learningRate;
  }

  setLearningRate(lr: number): void {
    this.ddpm.setLearningRate(lr);
  }

  /** Disposes the diffusion model only; the autoencoder belongs to the caller. */
  dispose(): void {
    this.ddpm.dispose();
  }
}
