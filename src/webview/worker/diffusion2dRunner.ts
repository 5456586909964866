// Runs a DDPM on a 2D toy set (or the learner's drawing), and draws its forward process, reverse process,
// schedule and loss by timestep.
import * as tf from '@tensorflow/tfjs';
import { isImageDataset, type DiffusionConfig } from '../../domain/config';
import type { DiffusionView } from '../../domain/views';
import type { FromWorker } from '../../protocol';
import type { TensorSnapshot } from '../../domain/tensors';
import { Ddpm2d } from '../../models/ddpm2d';
import { slicedWasserstein } from '../../models/metrics';
import { forwardCoefficients } from '../../models/schedules';
import type { StepTensors } from '../../models/types';
import { DdpmRunnerBase } from './ddpmRunnerBase';
import type { ReverseOptions } from './diffusionRunnerBase';
import { clampT, forwardLadder, pairs, reverseSteps, scheduleArrays } from './diffusionViews';
import { trainOn, type Runner } from './runner';
import { inspectSnapshots } from './snapshots';

const SHOWN_POINTS = 500;
const REVERSE_FRAMES = 24;
const PROBE_BATCH = 256;
/** Points sampled for the quality curve, with a cheap DDIM so both weight sets fit in a picture update. */
const QUALITY_POINTS = 400;
const QUALITY_STEPS = 20;
const QUALITY_HISTORY = 200;
/** Pairs of independent draws of the data the noise floor is averaged over. */
const FLOOR_PAIRS = 8;

export class Diffusion2dRunner extends DdpmRunnerBase<Ddpm2d> implements Runner {
  readonly epoch = 0;
  private readonly shown: number[][];
  private readonly probe: number[][];
  private readonly quality: { step: number; ema: number; raw: number }[] = [];
  private readonly floor: number;
  private readonly heldOutData: [number, number][];

  constructor(cfg: DiffusionConfig) {
    const dataset = isImageDataset(cfg.dataset) ? 'swiss-roll' : cfg.dataset;
    super(
      new Ddpm2d({
        dataset,
        schedule: cfg.schedule,
        T: cfg.timesteps,
        learningRate: cfg.learningRate,
        batchSize: cfg.batchSize,
        seed: cfg.seed,
        drawnPoints: cfg.drawnPoints,
      }),
      cfg,
    );
    this.shown = this.model.dataPoints(SHOWN_POINTS);
    this.probe = this.model.dataPoints(PROBE_BATCH);
    // Scored against held-out points, not the training set; the floor (how far two draws of the data itself lie
    // apart at this sample size) is averaged over several pairs, since one pair moves with the seed.
    this.heldOutData = this.model.heldOutPoints(QUALITY_POINTS);
    let floor = 0;
    for (let i = 1; i <= FLOOR_PAIRS; i++)
      floor += slicedWasserstein(this.model.heldOutPoints(QUALITY_POINTS, 2 * i), this.model.heldOutPoints(QUALITY_POINTS, 2 * i + 1));
    this.floor = floor / FLOOR_PAIRS;
  }

  /** How close fresh samples are to the data, with the averaged and with the raw weights (design: EMA settles). */
  private async measureQuality(step: number): Promise<void> {
    if (this.quality.at(-1)?.step === step) return;
    const data = this.heldOutData;
    const distance = async (useEma: boolean) => {
      const r = await this.model.sampleAsync({
        n: QUALITY_POINTS,
        sampler: 'ddim',
        steps: Math.min(QUALITY_STEPS, this.T),
        eta: 0,
        frames: 2,
        seed: this.cfg.seed + 1,
        useEma,
      });
      return slicedWasserstein(r.frames[r.frames.length - 1], data);
    };
    this.quality.push({ step, ema: await distance(true), raw: await distance(false) });
    if (this.quality.length > QUALITY_HISTORY) this.quality.splice(0, this.quality.length - QUALITY_HISTORY);
  }

  get batchSize(): number {
    return this.model.batchSize;
  }

  protected resizeBatches(rows: number): void {
    this.model.batchSize = rows;
  }

  step(): StepTensors {
    return trainOn(this.model.nextBatch(), (b) => this.model.trainStep(b));
  }

  snapshots(step: number): Promise<TensorSnapshot[]> {
    return inspectSnapshots(tf.tensor2d(this.probe), (b) => this.model.inspect(b), 'ddpm', step);
  }

  protected async runReverse(opts: ReverseOptions): Promise<DiffusionView['reverse']> {
    const { sampler, steps } = reverseSteps(this.cfg, this.T, opts);
    const r = await this.model.sampleAsync({
      n: SHOWN_POINTS,
      sampler,
      steps,
      eta: opts.eta ?? this.cfg.eta,
      frames: REVERSE_FRAMES,
      seed: this.cfg.seed,
      useEma: this.useEma,
    });
    return { ts: r.ts, points: r.frames.map(pairs), sampler, steps };
  }

  protected async view(step: number, reverse: DiffusionView['reverse'] | null): Promise<DiffusionView> {
    if (step > 0) await this.measureQuality(step);
    const ts = forwardLadder(this.T);
    return {
      step,
      T: this.T,
      schedule: scheduleArrays(this.model.schedule),
      forward: { ts, points: ts.map((t) => pairs(this.model.forwardAt(this.shown, t))) },
      reverse: reverse ?? this.emptyReverse(),
      data: pairs(this.shown),
      lossByBucket: await this.model.lossByBucketAsync(),
      quality: {
        points: this.quality.slice(),
        floor: this.floor,
        method: { sampler: 'ddim', steps: Math.min(QUALITY_STEPS, this.T), samples: QUALITY_POINTS },
      },
    };
  }

  async forwardAt(t: number): Promise<FromWorker> {
    const tt = clampT(t, this.T);
    return { type: 'forwardAt', t: tt, points: pairs(this.model.forwardAt(this.shown, tt)), ...forwardCoefficients(this.model.schedule, tt) };
  }
}
