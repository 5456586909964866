// Latent diffusion: a DDPM trained in the latent space of a VAE and sampled through its decoder. The VAE is
// the one trained by "Train VAE" when its checkpoint fits; otherwise this runner trains one first (phase 1),
// then freezes it and trains the latent DDPM (phase 2).
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderConfig, Checkpoint, DiffusionConfig, DiffusionView, FromWorker, SamplerKind, TensorSnapshot, TrainConfig } from '../../protocol';
import type { BatchIterator, ImageDataset } from '../../models/datasets';
import { decodeNamed } from '../../models/checkpointCodec';
import { Ldm } from '../../models/ldm';
import { forwardCoefficients } from '../../models/schedules';
import { snapshotTensors } from '../../models/snapshot';
import type { StepTensors, TrainableModel } from '../../models/types';
import { Vae } from '../../models/vae';
import { forwardLadder, pairs, reverseSteps, scheduleArrays, shouldRedrawReverse } from './diffusionViews';
import type { Runner } from './runner';

/** Steps of the VAE's own training when no trained VAE is at hand (about two epochs of MNIST at batch 128). */
export const VAE_PHASE_STEPS = 150;
const SHOWN_POINTS = 400;
const SAMPLES = 8;
const REVERSE_FRAMES = 12;

export class LdmRunner implements Runner {
  readonly kind = 'ldm' as const;
  private readonly vae: Vae;
  private ldm: Ldm | null = null;
  private batches: BatchIterator;
  private vaeSteps = 0;
  private phaseChanged = false;
  private lastBatch: Float32Array | null = null;
  private lastSize = 0;
  private shownLatents: number[][] = [];
  private reverse: DiffusionView['reverse'] | null = null;
  private updates = 0;
  private scaleTensor: tf.Tensor | null = null;

  constructor(private readonly data: ImageDataset, private readonly ae: AutoencoderConfig, private cfg: DiffusionConfig, base: Checkpoint | null, epoch: number) {
    this.vae = new Vae({ inputDim: data.dim, hiddenDim: ae.hiddenDim, latentDim: ae.latentDim, learningRate: ae.learningRate, beta: ae.beta, seed: ae.seed });
    this.batches = data.batches(ae.batchSize, ae.seed, { epoch, position: 0 });
    if (base) {
      // The extension passes the VAE checkpoint only when its settings match; shapes are checked again here.
      try {
        this.vae.restore(decodeNamed(base.weights), decodeNamed(base.optimizer));
        this.startDiffusion(undefined);
        this.phaseChanged = false;
      } catch {
        this.vaeSteps = 0;
      }
    }
  }

  /** The model being trained now: the VAE in phase 1, the latent DDPM in phase 2. */
  get model(): TrainableModel {
    return this.ldm ?? this.vae;
  }

  get batchSize(): number {
    return this.batches.batchSize;
  }

  get epoch(): number {
    return this.batches.position.epoch;
  }

  get note(): string | undefined {
    return this.ldm ? undefined : `Phase 1 of 2: training the VAE whose latent space the diffusion model will learn (${this.vaeSteps} of ${VAE_PHASE_STEPS} steps). Train the VAE first to skip this.`;
  }

  get checkpointable(): boolean {
    return this.ldm !== null;
  }

  consumePhaseChange(): boolean {
    const c = this.phaseChanged;
    this.phaseChanged = false;
    return c;
  }

  private startDiffusion(latentScale: number | undefined): void {
    this.ldm = new Ldm({ autoencoder: this.vae, schedule: this.cfg.schedule, T: this.cfg.timesteps, learningRate: this.cfg.learningRate, seed: this.cfg.seed, latentScale });
    const held = this.data.heldOut(Math.min(SHOWN_POINTS, this.data.heldOutIndices.length));
    const x = tf.tensor2d(held.x, [held.indices.length, this.data.dim]);
    const z = this.ldm.latents(x);
    this.shownLatents = z.arraySync();
    x.dispose();
    z.dispose();
    this.phaseChanged = true;
  }

  step(): StepTensors {
    const b = this.batches.next();
    this.lastBatch = b.x;
    this.lastSize = b.size;
    const x = tf.tensor2d(b.x, [b.size, this.data.dim]);
    try {
      if (this.ldm) return this.ldm.trainStep(x);
      const r = this.vae.trainStep(x);
      if (++this.vaeSteps >= VAE_PHASE_STEPS) this.startDiffusion(undefined);
      return r;
    } finally {
      x.dispose();
    }
  }

  async snapshots(step: number): Promise<TensorSnapshot[]> {
    if (!this.ldm || !this.lastBatch) return [];
    const x = tf.tensor2d(this.lastBatch, [this.lastSize, this.data.dim]);
    const named = this.ldm.inspect(x);
    try {
      return await snapshotTensors(named, 'ldm', step, [this.data.height, this.data.width]);
    } finally {
      x.dispose();
      tf.dispose(Object.values(named));
    }
  }

  async visuals(step: number): Promise<FromWorker[]> {
    if (!this.ldm) return [];
    if (!this.reverse || shouldRedrawReverse(this.cfg, this.ldm.schedule.T, this.updates)) this.reverse = await this.runReverse({});
    this.updates++;
    return [{ type: 'diffusion', view: await this.view(step) }];
  }

  private async runReverse(opts: { sampler?: SamplerKind; steps?: number; eta?: number }): Promise<DiffusionView['reverse']> {
    const ldm = this.ldm!;
    const { sampler, steps } = reverseSteps(this.cfg, ldm.schedule.T, opts);
    const r = await ldm.sampleAsync({ n: SAMPLES, sampler, steps, eta: opts.eta ?? this.cfg.eta, frames: REVERSE_FRAMES, seed: this.cfg.seed });
    const scale = ldm.latentScale ?? 1;
    return { ts: r.ts, images: r.images, imageSize: [this.data.height, this.data.width], points: r.latents.map((f) => pairs(f.map((v) => v.map((c) => c * scale)))), sampler, steps };
  }

  private async view(step: number): Promise<DiffusionView> {
    const ldm = this.ldm!;
    const ts = forwardLadder(ldm.schedule.T);
    return {
      step,
      T: ldm.schedule.T,
      schedule: scheduleArrays(ldm.schedule),
      forward: { ts, points: ts.map((t) => pairs(ldm.ddpm.forwardAt(this.shownLatents, t))) },
      reverse: this.reverse ?? { ts: [], points: [], sampler: this.cfg.sampler, steps: this.cfg.samplerSteps },
      data: pairs(this.shownLatents),
      lossByBucket: await ldm.ddpm.lossByBucketAsync(),
    };
  }

  async sample(opts: { sampler?: SamplerKind; steps?: number; eta?: number }, step: number): Promise<FromWorker[]> {
    if (!this.ldm) return [];
    this.reverse = await this.runReverse(opts);
    return [{ type: 'diffusion', view: await this.view(step) }];
  }

  async forwardAt(t: number): Promise<FromWorker> {
    const ldm = this.ldm;
    const tt = Math.max(0, Math.min(ldm?.schedule.T ?? 0, Math.round(t)));
    if (!ldm) return { type: 'forwardAt', t: tt, points: [], meanCoef: 1, std: 0 };
    const { meanCoef, std } = forwardCoefficients(ldm.schedule, tt);
    return { type: 'forwardAt', t: tt, points: pairs(ldm.ddpm.forwardAt(this.shownLatents, tt)), meanCoef, std };
  }

  configure(config: TrainConfig): void {
    const d = config.diffusion;
    this.cfg = { ...this.cfg, sampler: d.sampler, samplerSteps: d.samplerSteps, eta: d.eta, learningRate: d.learningRate };
    this.ldm?.setLearningRate(d.learningRate);
    this.reverse = null;
  }

  /** The frozen VAE and the latent scale travel in the checkpoint's extra state. */
  extraState(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    if (!this.ldm) return out;
    for (const [k, v] of this.ldm.extraState()) out.set(k, v);
    for (const [k, v] of this.vae.weights()) out.set(`vae/${k}`, v);
    this.scaleTensor?.dispose();
    this.scaleTensor = tf.tensor1d([this.ldm.latentScale ?? 1]);
    out.set('counters/latentScale', this.scaleTensor);
    return out;
  }

  restoreExtra(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void {
    const vaeWeights = new Map([...saved].filter(([k]) => k.startsWith('vae/')).map(([k, v]) => [k.slice(4), v]));
    const scale = saved.get('counters/latentScale')?.values[0];
    for (const [name, v] of this.vae.weights()) {
      const s = vaeWeights.get(name);
      if (!s) throw new Error(`checkpoint is missing the VAE weight '${name}'`);
      tf.tidy(() => v.assign(tf.tensor(s.values, v.shape)));
    }
    this.ldm?.dispose();
    this.startDiffusion(scale);
    this.phaseChanged = false;
    const rest = new Map([...saved].filter(([k]) => !k.startsWith('vae/') && !k.startsWith('counters/')));
    this.ldm!.restoreExtra(rest, { step });
  }

  dispose(): void {
    this.scaleTensor?.dispose();
    this.ldm?.dispose();
    this.vae.dispose();
  }
}
