// Every message between the extension host, the webview UI and the training worker.
// Both directions of both channels are discriminated unions on `type`; nothing else crosses a boundary.

export type ModelKind = 'ae' | 'vae' | 'ddpm' | 'ldm';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_SETTINGS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];
export const IMAGE_DATASET_NAMES = ['mnist', 'fashion-mnist', 'digits-8x8'] as const;
export type ImageDatasetName = (typeof IMAGE_DATASET_NAMES)[number];
/** The toy sets a setting can name ('drawn' is the user's drawing, which lives with its run only). */
export const GENERATED_TOY_NAMES = ['swiss-roll', 'two-moons', 'eight-gaussians', 'rings'] as const;
export type ToyDatasetName = (typeof GENERATED_TOY_NAMES)[number] | 'drawn';
export type DatasetName = ImageDatasetName | ToyDatasetName;
/** What a DDPM trains on: a 2D toy set (an MLP denoiser) or an image set (the U-Net). */
export type DiffusionDatasetName = ToyDatasetName | ImageDatasetName;
export const SCHEDULE_KINDS = ['linear', 'cosine'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const SAMPLER_KINDS = ['ddpm', 'ddim'] as const;
export type SamplerKind = (typeof SAMPLER_KINDS)[number];

export function isImageDataset(name: DiffusionDatasetName): name is ImageDatasetName {
  return (IMAGE_DATASET_NAMES as readonly string[]).includes(name);
}

export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

export const MODEL_LABELS: Record<ModelKind, string> = {
  ae: 'Autoencoder',
  vae: 'VAE',
  ddpm: 'DDPM',
  ldm: 'Latent diffusion',
};

/** Hyperparameters of the AE / VAE (and of the VAE under a latent diffusion model). */
export interface AutoencoderConfig {
  dataset: ImageDatasetName;
  latentDim: number;
  hiddenDim: number;
  beta: number;
  learningRate: number;
  batchSize: number;
  seed: number;
}

export interface DiffusionConfig {
  dataset: DiffusionDatasetName;
  schedule: ScheduleKind;
  timesteps: number;
  sampler: SamplerKind;
  samplerSteps: number;
  eta: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Points the user drew on the canvas, in data coordinates, when dataset is 'drawn'. */
  drawnPoints?: [number, number][];
}

export interface TrainConfig {
  model: ModelKind;
  backend: BackendSetting;
  autoencoder: AutoencoderConfig;
  diffusion: DiffusionConfig;
}

export interface TensorStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/**
 * The unit that links the product: one named tensor of the live model at one step.
 * `preview` is a small row-major array: an image (shape [h, w]), a matrix (shape [rows, cols]) or a
 * vector (shape [n]), downsampled so it stays cheap to post and to draw.
 */
export interface TensorSnapshot {
  name: string;
  model: ModelKind;
  step: number;
  shape: number[];
  dtype: 'float32' | 'int32';
  stats: TensorStats;
  histogram: Histogram;
  preview: { shape: number[]; data: number[] };
}

export interface BackendProbe {
  name: BackendName;
  ok: boolean;
  /** Median wall time of a timed real training step, when the backend initialised. */
  stepMs?: number;
  /** Why it failed or was passed over ("no adapter", "software adapter (swiftshader)", "timed out"...). */
  detail?: string;
}

export interface BackendReport {
  chosen: BackendName;
  /** One sentence for the user: why this backend runs. */
  reason: string;
  probes: BackendProbe[];
  forced: boolean;
}

export type RunState = 'idle' | 'loading' | 'training' | 'paused' | 'hidden' | 'error';

export interface RunStatus {
  model: ModelKind;
  state: RunState;
  step: number;
  epoch: number;
  loss: number | null;
  samplesPerSec: number | null;
  backend: BackendName | null;
  message?: string;
}

/** One point of the loss chart. For the VAE terms = {recon, kl}; for the DDPM terms = {mse}. */
export interface LossPoint {
  step: number;
  loss: number;
  terms: Record<string, number>;
}

export interface LatentPoint {
  x: number;
  y: number;
  label: number;
}

/** The latent map: encoded held-out points, and images decoded on a grid over the same axes. */
export interface LatentView {
  step: number;
  /** 'exact' when latentDim is 2, 'pca' when a projection of a larger latent. */
  projection: 'exact' | 'pca';
  points: LatentPoint[];
  classNames: string[];
  extent: { x: [number, number]; y: [number, number] };
  grid: { n: number; imageSize: [number, number]; images: number[][] };
}

/** Rows of small grey images in [0, 1]: inputs and their reconstructions, and samples from the prior. */
export interface Gallery {
  step: number;
  imageSize: [number, number];
  inputs: number[][];
  reconstructions: number[][];
  samples: number[][];
  /** Images decoded along the straight line between the codes of two held-out inputs of different classes (AE and VAE). */
  interpolation?: { from: string; to: string; images: number[][] };
}

/** What the diffusion diagrams draw. Points are 2D; images are flattened [h*w] in [0, 1] (or [-1, 1] mapped by the sender). */
export interface DiffusionView {
  step: number;
  T: number;
  schedule: { betas: number[]; alphaBars: number[] };
  /** Forward process of a few data items at a ladder of timesteps. */
  forward: { ts: number[]; points?: [number, number][][]; images?: number[][][]; imageSize?: [number, number] };
  /** Reverse process frames, first (pure noise) to last (a sample). */
  reverse: { ts: number[]; points?: [number, number][][]; images?: number[][][]; imageSize?: [number, number]; sampler: SamplerKind; steps: number };
  data?: [number, number][];
  lossByBucket: { buckets: number; loss: number[] };
  /**
   * 2D only: sliced Wasserstein distance of fresh samples to the data over training, with the moving average of the
   * weights and with the raw weights, and the distance between two draws of the data itself (the floor).
   */
  quality?: { points: { step: number; ema: number; raw: number }[]; floor: number };
}

export interface NamedArray {
  name: string;
  shape: number[];
  /** Float32 bytes, base64. */
  data: string;
}

export interface Checkpoint {
  version: 1;
  model: ModelKind;
  config: TrainConfig;
  step: number;
  epoch: number;
  weights: NamedArray[];
  optimizer: NamedArray[];
  /** Extra state: e.g. EMA weights of a DDPM. */
  extra?: NamedArray[];
  lossHistory: LossPoint[];
  savedAt: number;
}

export interface AssetUrls {
  /** URL of each tfjs wasm binary by file name (tfjs-backend-wasm.wasm, -simd.wasm, -threaded-simd.wasm). */
  wasm: Record<string, string>;
  /** Per image dataset: the PNG sprite sheet and its JSON sidecar. */
  datasets: Record<ImageDatasetName, { png: string; json: string }>;
}

// ---------------------------------------------------------------- extension -> webview

export type ToWebview =
  /**
   * `runId` names this run: the worker tags its status, snapshots and checkpoints with it, so the extension can
   * tell the messages still in flight from the run it replaced.
   */
  | { type: 'train'; runId: number; config: TrainConfig; checkpoint: Checkpoint | null; base: Checkpoint | null; startPaused: boolean }
  | { type: 'control'; action: 'pause' | 'resume' | 'toggle' | 'step' | 'reset' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'sample' }
  | { type: 'highlight'; tensor: string }
  | { type: 'requestCheckpoint'; reason: 'hidden' | 'dispose' | 'periodic' }
  /** Fault injection for the tests: the worker loses its GPU context or device for real. */
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- webview -> extension

export type FromWebview =
  | { type: 'ready' }
  | { type: 'status'; runId: number; status: RunStatus }
  | { type: 'backend'; report: BackendReport }
  | { type: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { type: 'checkpoint'; runId: number; checkpoint: Checkpoint }
  | { type: 'revealEquation'; tensor: string }
  | { type: 'runCommand'; command: 'trainVae' | 'trainAe' | 'trainDdpm' | 'trainLdm' | 'openNotes' }
  | { type: 'configChanged'; config: TrainConfig }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---------------------------------------------------------------- webview UI -> worker

export type ToWorker =
  | { type: 'start'; runId: number; config: TrainConfig; checkpoint: Checkpoint | null; base: Checkpoint | null; assets: AssetUrls; startPaused: boolean; lang: 'en' | 'zh-cn' }
  | { type: 'control'; action: 'pause' | 'resume' | 'step' | 'reset' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'checkpoint' }
  | { type: 'decode'; z: [number, number]; requestId: number }
  | { type: 'sample'; sampler?: SamplerKind; steps?: number; eta?: number; useEma?: boolean }
  | { type: 'scrub'; t: number }
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- worker -> webview UI

export type FromWorker =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; runId: number; status: RunStatus }
  | { type: 'loss'; points: LossPoint[] }
  | { type: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { type: 'latent'; view: LatentView }
  | { type: 'gallery'; gallery: Gallery }
  | { type: 'diffusion'; view: DiffusionView }
  | { type: 'forwardAt'; t: number; points?: [number, number][]; images?: number[][]; meanCoef: number; std: number }
  | { type: 'decoded'; requestId: number; image: number[]; imageSize: [number, number] }
  | { type: 'checkpoint'; runId: number; checkpoint: Checkpoint }
  | { type: 'error'; message: string; step?: number; recoverable: boolean };

/** Names of the tensors each model publishes; notes bind LaTeX symbols to these. */
export const TENSOR_NAMES: Record<ModelKind, readonly string[]> = {
  ae: ['x', 'h_enc', 'z', 'x_hat', 'recon'],
  vae: ['x', 'h_enc', 'mu', 'logvar', 'sigma', 'eps', 'z', 'x_hat', 'recon', 'kl', 'elbo'],
  ddpm: ['x_0', 'eps', 't', 'beta_t', 'alpha_t', 'alpha_bar_t', 'x_t', 'eps_theta', 'posterior_mean', 'posterior_var', 'loss'],
  ldm: ['z_0', 'eps', 't', 'beta_t', 'alpha_bar_t', 'z_t', 'eps_theta', 'x_hat', 'loss'],
};

export function isToWebview(m: unknown): m is ToWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

export function isFromWebview(m: unknown): m is FromWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
