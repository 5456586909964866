// Runs a DDPM with the small U-Net on 28x28 images (MNIST, Fashion-MNIST): a forward strip of a few images,
// and the reverse process of a few samples, frame by frame.
import * as tf from '@tensorflow/tfjs';
import type { DiffusionConfig, DiffusionView, FromWorker, SamplerKind, TensorSnapshot, TrainConfig } from '../../protocol';
import type { BatchIterator, ImageDataset } from '../../models/datasets';
import { DdpmImages } from '../../models/ddpm';
import { forwardCoefficients } from '../../models/schedules';
import { snapshotTensors } from '../../models/snapshot';
import type { StepTensors } from '../../models/types';
import { forwardLadder, reverseSteps, scheduleArrays, shouldRedrawReverse } from './diffusionViews';
import type { Runner } from './runner';

/** A U-Net step on a CPU backend is costly: small batches keep the picture moving. */
const MAX_BATCH = 32;
const SHOWN_IMAGES = 4;
const SAMPLES = 6;
const REVERSE_FRAMES = 10;

export class DiffusionImageRunner implements Runner {
  readonly kind = 'ddpm' as const;
  readonly model: DdpmImages;
  private batches: BatchIterator;
  private readonly shown: number[][];
  private lastBatch: Float32Array | null = null;
  private lastSize = 0;
  private reverse: DiffusionView['reverse'] | null = null;
  private updates = 0;

  constructor(private readonly data: ImageDataset, private cfg: DiffusionConfig, epoch: number) {
    this.model = new DdpmImages({ schedule: cfg.schedule, T: cfg.timesteps, learningRate: cfg.learningRate, seed: cfg.seed, imageSize: data.width });
    this.batches = data.batches(Math.min(cfg.batchSize, MAX_BATCH), cfg.seed, { epoch, position: 0 });
    const held = data.heldOut(SHOWN_IMAGES);
    this.shown = Array.from({ length: SHOWN_IMAGES }, (_, i) => Array.from(held.x.subarray(i * data.dim, (i + 1) * data.dim)));
  }

  get batchSize(): number {
    return this.batches.batchSize;
  }

  get epoch(): number {
    return this.batches.position.epoch;
  }

  private get imageSize(): [number, number] {
    return [this.data.height, this.data.width];
  }

  step(): StepTensors {
    const b = this.batches.next();
    this.lastBatch = b.x;
    this.lastSize = b.size;
    const x = tf.tensor2d(b.x, [b.size, this.data.dim]);
    try {
      return this.model.trainStep(x);
    } finally {
      x.dispose();
    }
  }

  async snapshots(step: number): Promise<TensorSnapshot[]> {
    if (!this.lastBatch) return [];
    const x = tf.tensor2d(this.lastBatch, [this.lastSize, this.data.dim]);
    const named = this.model.inspect(x);
    try {
      return await snapshotTensors(named, 'ddpm', step, this.imageSize);
    } finally {
      x.dispose();
      tf.dispose(Object.values(named));
    }
  }

  async visuals(step: number): Promise<FromWorker[]> {
    if (!this.reverse || shouldRedrawReverse(this.cfg, this.model.T, this.updates)) this.reverse = await this.runReverse({});
    this.updates++;
    return [{ type: 'diffusion', view: await this.view(step) }];
  }

  private async runReverse(opts: { sampler?: SamplerKind; steps?: number; eta?: number }): Promise<DiffusionView['reverse']> {
    const { sampler, steps } = reverseSteps(this.cfg, this.model.T, opts);
    const r = await this.model.sampleAsync({ n: SAMPLES, sampler, steps, eta: opts.eta ?? this.cfg.eta, frames: REVERSE_FRAMES, seed: this.cfg.seed });
    return { ts: r.ts, images: r.frames, imageSize: this.imageSize, sampler, steps };
  }

  private async view(step: number): Promise<DiffusionView> {
    const ts = forwardLadder(this.model.T);
    return {
      step,
      T: this.model.T,
      schedule: scheduleArrays(this.model.schedule),
      forward: { ts, images: ts.map((t) => this.model.forwardAt(this.shown, t)), imageSize: this.imageSize },
      reverse: this.reverse ?? { ts: [], images: [], imageSize: this.imageSize, sampler: this.cfg.sampler, steps: this.cfg.samplerSteps },
      lossByBucket: await this.model.lossByBucketAsync(),
    };
  }

  async sample(opts: { sampler?: SamplerKind; steps?: number; eta?: number }, step: number): Promise<FromWorker[]> {
    this.reverse = await this.runReverse(opts);
    return [{ type: 'diffusion', view: await this.view(step) }];
  }

  async forwardAt(t: number): Promise<FromWorker> {
    const tt = Math.max(0, Math.min(this.model.T, Math.round(t)));
    const { meanCoef, std } = forwardCoefficients(this.model.schedule, tt);
    return { type: 'forwardAt', t: tt, images: this.model.forwardAt(this.shown, tt), meanCoef, std };
  }

  configure(config: TrainConfig): void {
    const d = config.diffusion;
    this.cfg = { ...this.cfg, sampler: d.sampler, samplerSteps: d.samplerSteps, eta: d.eta, learningRate: d.learningRate, batchSize: d.batchSize };
    this.model.setLearningRate(d.learningRate);
    const size = Math.min(d.batchSize, MAX_BATCH);
    if (size !== this.batches.batchSize) this.batches = this.data.batches(size, this.cfg.seed, this.batches.position);
    this.reverse = null;
  }

  extraState(): Map<string, tf.Tensor> {
    return this.model.extraState();
  }

  restoreExtra(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void {
    this.model.restoreExtra(saved, { step });
  }

  dispose(): void {
    this.model.dispose();
  }
}
