// Runs a DDPM on a 2D toy set (or the learner's drawing), and draws its forward process, reverse process, schedule and loss by timestep.
import * as tf from '@tensorflow/tfjs';
import type { DiffusionConfig, DiffusionView, FromWorker, SamplerKind, TensorSnapshot, TrainConfig } from '../../protocol';
import { Ddpm2d } from '../../models/ddpm';
import { forwardCoefficients } from '../../models/schedules';
import { snapshotTensors } from '../../models/snapshot';
import type { StepTensors } from '../../models/types';
import { forwardLadder, pairs, reverseSteps, scheduleArrays, shouldRedrawReverse } from './diffusionViews';
import type { Runner } from './runner';

const SHOWN_POINTS = 500;
const REVERSE_FRAMES = 24;
const PROBE_BATCH = 256;

export class Diffusion2dRunner implements Runner {
  readonly kind = 'ddpm' as const;
  readonly model: Ddpm2d;
  private readonly shown: number[][];
  private readonly probe: tf.Tensor2D;
  private reverse: DiffusionView['reverse'] | null = null;
  private visualsCount = 0;

  constructor(private cfg: DiffusionConfig) {
    const dataset = cfg.dataset === 'mnist' || cfg.dataset === 'fashion-mnist' ? 'swiss-roll' : cfg.dataset;
    this.model = new Ddpm2d({
      dataset,
      schedule: cfg.schedule,
      T: cfg.timesteps,
      learningRate: cfg.learningRate,
      batchSize: cfg.batchSize,
      seed: cfg.seed,
      drawnPoints: cfg.drawnPoints,
    });
    this.shown = this.model.dataPoints(SHOWN_POINTS);
    this.probe = tf.tensor2d(this.model.dataPoints(PROBE_BATCH));
  }

  get batchSize(): number {
    return this.model.batchSize;
  }

  get epoch(): number {
    return 0;
  }

  step(): StepTensors {
    const b = this.model.nextBatch();
    try {
      return this.model.trainStep(b);
    } finally {
      b.dispose();
    }
  }

  async snapshots(step: number): Promise<TensorSnapshot[]> {
    const named = this.model.inspect(this.probe);
    try {
      return await snapshotTensors(named, 'ddpm', step);
    } finally {
      tf.dispose(Object.values(named));
    }
  }

  async visuals(step: number): Promise<FromWorker[]> {
    if (!this.reverse || shouldRedrawReverse(this.cfg, this.model.T, this.visualsCount)) this.reverse = await this.runReverse({});
    this.visualsCount++;
    return [{ type: 'diffusion', view: await this.view(step) }];
  }

  private async runReverse(opts: { sampler?: SamplerKind; steps?: number; eta?: number }): Promise<DiffusionView['reverse']> {
    const { sampler, steps } = reverseSteps(this.cfg, this.model.T, opts);
    const r = await this.model.sampleAsync({ n: SHOWN_POINTS, sampler, steps, eta: opts.eta ?? this.cfg.eta, frames: REVERSE_FRAMES, seed: this.cfg.seed });
    return { ts: r.ts, points: r.frames.map((f) => f.map((p) => [p[0], p[1]] as [number, number])), sampler, steps };
  }

  private async view(step: number): Promise<DiffusionView> {
    const T = this.model.T;
    const ts = forwardLadder(T);
    return {
      step,
      T,
      schedule: scheduleArrays(this.model.schedule),
      forward: { ts, points: ts.map((t) => pairs(this.model.forwardAt(this.shown, t))) },
      reverse: this.reverse ?? { ts: [], points: [], sampler: this.cfg.sampler, steps: this.cfg.samplerSteps },
      data: this.shown.map((p) => [p[0], p[1]] as [number, number]),
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
    return { type: 'forwardAt', t: tt, points: pairs(this.model.forwardAt(this.shown, tt)), meanCoef, std };
  }

  configure(config: TrainConfig): void {
    this.cfg = { ...this.cfg, sampler: config.diffusion.sampler, samplerSteps: config.diffusion.samplerSteps, eta: config.diffusion.eta, learningRate: config.diffusion.learningRate };
    this.model.setLearningRate(this.cfg.learningRate);
    this.reverse = null;
  }

  extraState(): Map<string, tf.Tensor> {
    return this.model.extraState();
  }

  restoreExtra(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void {
    this.model.restoreExtra(saved, { step });
  }

  dispose(): void {
    this.probe.dispose();
    this.model.dispose();
  }
}
