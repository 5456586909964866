// Runs a DDPM with the small U-Net on images (MNIST, Fashion-MNIST, the 8x8 digits): a forward strip of a few images,
// and the reverse process of a few samples, frame by frame.
import type { DiffusionConfig } from '../../domain/config';
import type { DiffusionView } from '../../domain/views';
import type { FromWorker } from '../../protocol';
import type { TensorSnapshot } from '../../domain/tensors';
import type { ImageDataset } from '../../models/datasets';
import { DdpmImages } from '../../models/ddpmImages';
import { forwardCoefficients } from '../../models/schedules';
import type { StepTensors } from '../../models/types';
import { DdpmRunnerBase } from './ddpmRunnerBase';
import type { ReverseOptions } from './diffusionRunnerBase';
import { clampT, forwardLadder, reverseSteps, scheduleArrays } from './diffusionViews';
import { ImageBatches } from './imageBatches';
import { trainOn, type Runner } from './runner';
import { inspectSnapshots } from './snapshots';

/** A U-Net step on a CPU backend is costly: small batches keep the picture moving. */
const MAX_BATCH = 32;
const SHOWN_IMAGES = 4;
const SAMPLES = 6;
const REVERSE_FRAMES = 10;
/** Sampling with the U-Net costs many training steps: redraw it every fifth picture update. */
const REDRAW_EVERY = 5;

export class DiffusionImageRunner extends DdpmRunnerBase<DdpmImages> implements Runner {
  private readonly batches: ImageBatches;
  private readonly shown: number[][];
  private readonly imageSize: [number, number];

  constructor(data: ImageDataset, cfg: DiffusionConfig, epoch: number) {
    super(
      new DdpmImages({ schedule: cfg.schedule, T: cfg.timesteps, learningRate: cfg.learningRate, seed: cfg.seed, imageSize: data.width }),
      cfg,
      REDRAW_EVERY,
    );
    this.batches = new ImageBatches(data, Math.min(cfg.batchSize, MAX_BATCH), cfg.seed, epoch);
    this.imageSize = [data.height, data.width];
    const held = data.heldOut(SHOWN_IMAGES);
    this.shown = Array.from({ length: SHOWN_IMAGES }, (_, i) => Array.from(held.x.subarray(i * data.dim, (i + 1) * data.dim)));
  }

  get batchSize(): number {
    return this.batches.batchSize;
  }

  protected resizeBatches(rows: number): void {
    this.batches.resize(Math.min(rows, MAX_BATCH));
  }

  get epoch(): number {
    return this.batches.epoch;
  }

  step(): StepTensors {
    return trainOn(this.batches.next(), (b) => this.model.trainStep(b));
  }

  snapshots(step: number): Promise<TensorSnapshot[]> {
    return inspectSnapshots(this.batches.latest(), (b) => this.model.inspect(b), 'ddpm', step, this.imageSize);
  }

  protected async runReverse(opts: ReverseOptions): Promise<DiffusionView['reverse']> {
    const { sampler, steps } = reverseSteps(this.cfg, this.T, opts);
    const r = await this.model.sampleAsync({
      n: SAMPLES,
      sampler,
      steps,
      eta: opts.eta ?? this.cfg.eta,
      frames: REVERSE_FRAMES,
      seed: this.cfg.seed,
      useEma: this.useEma,
    });
    return { ts: r.ts, images: r.frames, imageSize: this.imageSize, sampler, steps };
  }

  protected async view(step: number, reverse: DiffusionView['reverse'] | null): Promise<DiffusionView> {
    const ts = forwardLadder(this.T);
    return {
      step,
      T: this.T,
      schedule: scheduleArrays(this.model.schedule),
      forward: { ts, images: ts.map((t) => this.model.forwardAt(this.shown, t)), imageSize: this.imageSize },
      reverse: reverse ?? { ...this.emptyReverse(), images: [], imageSize: this.imageSize },
      lossByBucket: await this.model.lossByBucketAsync(),
    };
  }

  async forwardAt(t: number): Promise<FromWorker> {
    const tt = clampT(t, this.T);
    return { type: 'forwardAt', t: tt, images: this.model.forwardAt(this.shown, tt), ...forwardCoefficients(this.model.schedule, tt) };
  }
}
