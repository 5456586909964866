// Runs the AE or the VAE on a bundled image dataset, and draws its latent map and gallery.
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderConfig, TrainConfig } from '../../domain/config';
import type { FromWorker } from '../../protocol';
import type { Gallery, LatentView } from '../../domain/views';
import type { TensorSnapshot } from '../../domain/tensors';
import type { ImageDataset } from '../../models/datasets';
import { Ae } from '../../models/ae';
import { Vae } from '../../models/vae';
import type { StepTensors } from '../../models/types';
import { principalAxes, project, unproject, type Projection } from './pca';
import { ImageBatches } from './imageBatches';
import { trainOn, type Runner } from './runner';
import { inspectSnapshots } from './snapshots';

const LATENT_POINTS = 1000;
const GRID = 10;
const GALLERY_INPUTS = 8;
const GALLERY_SAMPLES = 16;
const SAMPLE_SEED = 7;
const INTERPOLATION_STEPS = 10;
/** Held-out images per forward pass when the held-out loss is evaluated. */
const HELD_OUT_CHUNK = 250;

export class ImageRunner implements Runner {
  readonly model: Vae | Ae;
  private readonly batches: ImageBatches;
  private projection: Projection | null = null;
  private readonly heldOutSet: ReturnType<ImageDataset['heldOut']>;
  /** Every held-out image, for the held-out loss (the latent map shows the first LATENT_POINTS). */
  private readonly evaluationSet: ReturnType<ImageDataset['heldOut']>;
  /** The held-out inputs the interpolation joins: the first, and the first after it of another class. */
  private readonly interpolationEnds: [number, number] | null;

  constructor(
    readonly kind: 'ae' | 'vae',
    private readonly data: ImageDataset,
    private cfg: AutoencoderConfig,
    start: { epoch: number },
  ) {
    const opts = { inputDim: data.dim, hiddenDim: cfg.hiddenDim, latentDim: cfg.latentDim, learningRate: cfg.learningRate, seed: cfg.seed };
    this.model = kind === 'vae' ? new Vae({ ...opts, beta: cfg.beta }) : new Ae(opts);
    this.batches = new ImageBatches(data, cfg.batchSize, cfg.seed, start.epoch);
    this.heldOutSet = data.heldOut(Math.min(LATENT_POINTS, data.heldOutIndices.length));
    this.evaluationSet = data.heldOutIndices.length <= LATENT_POINTS ? this.heldOutSet : data.heldOut();
    const other = this.heldOutSet.labels.findIndex((l) => l !== this.heldOutSet.labels[0]);
    this.interpolationEnds = other > 0 ? [0, other] : null;
  }

  get batchSize(): number {
    return this.batches.batchSize;
  }

  get epoch(): number {
    return this.batches.epoch;
  }

  private get imageSize(): [number, number] {
    return [this.data.height, this.data.width];
  }

  step(): StepTensors {
    return trainOn(this.batches.next(), (b) => this.model.trainStep(b));
  }

  snapshots(step: number): Promise<TensorSnapshot[]> {
    return inspectSnapshots(this.batches.latest(), (b) => this.model.inspect(b), this.kind, step, this.imageSize);
  }

  /** The training loss on every held-out image, averaged per image (the VAE's with beta as set now). */
  heldOut(): Promise<{ loss: number; terms: Record<string, number> }> {
    return this.model.evaluateRows(this.evaluationSet.x, this.evaluationSet.indices.length, HELD_OUT_CHUNK);
  }

  async visuals(step: number): Promise<FromWorker[]> {
    return [
      { type: 'latent', view: await this.latentView(step) },
      { type: 'gallery', gallery: await this.gallery(step) },
    ];
  }

  private async latentView(step: number): Promise<LatentView> {
    const n = this.heldOutSet.indices.length;
    const x = tf.tensor2d(this.heldOutSet.x, [n, this.data.dim]);
    const encoded = this.model.encode(x);
    const codes = (await encoded.mu.data()) as Float32Array;
    x.dispose();
    tf.dispose(Object.values(encoded));
    const d = this.cfg.latentDim;
    const exact = d === 2;
    this.projection = exact ? null : d === 1 ? null : principalAxes(codes, n, d);
    const xy = (i: number): [number, number] => (exact ? [codes[i * 2], codes[i * 2 + 1]] : d === 1 ? [codes[i], 0] : project(this.projection!, codes, i * d));
    const points = Array.from({ length: n }, (_, i) => {
      const [px, py] = xy(i);
      return { x: px, y: py, label: this.heldOutSet.labels[i] };
    });
    const extent = paddedExtent(points);
    const grid = await this.decodeGrid(extent);
    return { step, projection: exact ? 'exact' : 'pca', points, classNames: [...this.data.classNames], extent, grid };
  }

  private latentFor(u: number, v: number): Float32Array {
    const d = this.cfg.latentDim;
    if (d === 2) return Float32Array.of(u, v);
    if (d === 1) return Float32Array.of(u);
    return this.projection ? unproject(this.projection, u, v) : new Float32Array(d);
  }

  private async decodeGrid(extent: LatentView['extent']): Promise<LatentView['grid']> {
    const d = this.cfg.latentDim;
    const z = new Float32Array(GRID * GRID * d);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const u = extent.x[0] + ((c + 0.5) / GRID) * (extent.x[1] - extent.x[0]);
        const v = extent.y[1] - ((r + 0.5) / GRID) * (extent.y[1] - extent.y[0]);
        z.set(this.latentFor(u, v), (r * GRID + c) * d);
      }
    }
    const images = await this.decodeRows(z, GRID * GRID);
    return { n: GRID, imageSize: this.imageSize, images };
  }

  private async decodeRows(z: Float32Array, n: number): Promise<number[][]> {
    const zt = tf.tensor2d(z, [n, this.cfg.latentDim]);
    const xh = this.model.decode(zt);
    const flat = (await xh.data()) as Float32Array;
    zt.dispose();
    xh.dispose();
    return rows(flat, n, this.data.dim);
  }

  private async gallery(step: number): Promise<Gallery> {
    const k = Math.min(GALLERY_INPUTS, this.heldOutSet.indices.length);
    const inputs = this.heldOutSet.x.subarray(0, k * this.data.dim);
    const x = tf.tensor2d(inputs, [k, this.data.dim]);
    const rec = this.model.reconstruct(x);
    const samples = this.model.sampleImages(GALLERY_SAMPLES, SAMPLE_SEED);
    const ends = this.interpolationEnds;
    const path = ends ? tf.tidy(() => this.model.interpolate(this.heldOutRow(ends[0]), this.heldOutRow(ends[1]), INTERPOLATION_STEPS)) : null;
    const [recData, sampleData, pathData] = await Promise.all([rec.data(), samples.data(), path?.data()]);
    tf.dispose([x, rec, samples, ...(path ? [path] : [])]);
    return {
      step,
      imageSize: this.imageSize,
      inputs: rows(inputs, k, this.data.dim),
      reconstructions: rows(recData as Float32Array, k, this.data.dim),
      samples: rows(sampleData as Float32Array, GALLERY_SAMPLES, this.data.dim),
      interpolation:
        ends && pathData
          ? { from: this.className(ends[0]), to: this.className(ends[1]), images: rows(pathData as Float32Array, INTERPOLATION_STEPS, this.data.dim) }
          : undefined,
    };
  }

  private heldOutRow(i: number): tf.Tensor2D {
    return tf.tensor2d(this.heldOutSet.x.subarray(i * this.data.dim, (i + 1) * this.data.dim), [1, this.data.dim]);
  }

  private className(i: number): string {
    const label = this.heldOutSet.labels[i];
    return this.data.classNames[label] ?? String(label);
  }

  async decode(z: [number, number]): Promise<{ image: number[]; imageSize: [number, number] }> {
    const [image] = await this.decodeRows(this.latentFor(z[0], z[1]), 1);
    return { image, imageSize: this.imageSize };
  }

  configure(config: TrainConfig): void {
    this.cfg = { ...this.cfg, learningRate: config.autoencoder.learningRate, beta: config.autoencoder.beta, batchSize: config.autoencoder.batchSize };
    this.model.setLearningRate(this.cfg.learningRate);
    if (this.model instanceof Vae) this.model.beta = this.cfg.beta;
    this.batches.resize(this.cfg.batchSize);
  }

  applied(): Record<string, number | string> {
    const values: Record<string, number | string> = { learningRate: this.model.learningRate, batchSize: this.batches.batchSize };
    if (this.model instanceof Vae) values.beta = this.model.beta;
    return values;
  }

  dispose(): void {
    this.model.dispose();
  }
}

function rows(flat: Float32Array, n: number, dim: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * dim, (i + 1) * dim), (v) => Math.round(v * 1000) / 1000));
}

function paddedExtent(points: { x: number; y: number }[]): LatentView['extent'] {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  if (!Number.isFinite(x0)) return { x: [-3, 3], y: [-3, 3] };
  const pad = (a: number, b: number): [number, number] => {
    const span = Math.max(b - a, 1e-3);
    return [a - span * 0.05, b + span * 0.05];
  };
  return { x: pad(x0, x1), y: pad(y0, y1) };
}
