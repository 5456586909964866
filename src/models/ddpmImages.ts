// DDPM on 28x28 grey images with the small U-Net denoiser.
import * as tf from '@tensorflow/tfjs';
import type { ScheduleKind } from '../domain/config';
import { Ddpm, type SampleOptions } from './ddpm';
import type { SampleResult } from './samplers';
import { DEFAULT_TIMESTEPS, makeSchedule } from './schedules';
import type { StepTensors } from './types';
import { UNet } from './unet';

export interface DdpmImagesOptions {
  schedule?: ScheduleKind;
  T?: number;
  learningRate?: number;
  seed?: number;
  /** U-Net channels at full resolution. */
  channels?: number;
  imageSize?: number;
}

/**
 * DDPM on square grey images (28x28, or the 8x8 digits) with the U-Net denoiser. Worker: batches of images
 * flattened to [B, S*S] with pixels in [0, 1] (as the image data sets give them) go to `trainStep`/`inspect`,
 * which map them to [-1, 1] inside; `sample(...)` returns frames mapped back to [0, 1]. Everything else is the
 * generic Ddpm.
 */
export class DdpmImages extends Ddpm {
  readonly imageSize: number;

  constructor(opts: DdpmImagesOptions = {}) {
    super({
      schedule: makeSchedule(opts.schedule ?? 'linear', opts.T ?? DEFAULT_TIMESTEPS),
      makeDenoiser: (s, name) => new UNet({ seed: s, name, channels: opts.channels, imageSize: opts.imageSize }),
      learningRate: opts.learningRate ?? 1e-3,
      seed: opts.seed ?? 42,
      clipX0: 1,
    });
    this.imageSize = opts.imageSize ?? 28;
  }

  override trainStep(batch01: tf.Tensor2D): StepTensors {
    const x = toSymmetric(batch01);
    try {
      return super.trainStep(x);
    } finally {
      x.dispose();
    }
  }

  /** Named tensors in the model's own [-1, 1] pixel range. */
  override inspect(batch01: tf.Tensor2D, t?: number): Record<string, tf.Tensor> {
    const x = toSymmetric(batch01);
    try {
      return super.inspect(x, t);
    } finally {
      x.dispose();
    }
  }

  override forwardAt(x01: number[][], t: number, seed = 0): number[][] {
    return super
      .forwardAt(
        x01.map((r) => r.map((v) => 2 * v - 1)),
        t,
        seed,
      )
      .map(toUnitRange);
  }

  override sample(opts: SampleOptions): SampleResult {
    const r = super.sample(opts);
    return { ts: r.ts, frames: r.frames.map((f) => f.map(toUnitRange)) };
  }

  override async sampleAsync(opts: SampleOptions): Promise<SampleResult> {
    const r = await super.sampleAsync(opts);
    return { ts: r.ts, frames: r.frames.map((f) => f.map(toUnitRange)) };
  }
}

function toSymmetric(x01: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(tf.mul(x01, 2), 1));
}

/** [-1, 1] -> [0, 1], clipped (noisy frames overshoot). */
function toUnitRange(row: number[]): number[] {
  return row.map((v) => Math.min(1, Math.max(0, (v + 1) / 2)));
}
