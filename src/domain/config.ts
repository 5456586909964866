// The vocabulary of a run's configuration: model kinds, backends, datasets and hyperparameters.
// Shared by the models, the extension host and the webview; pure (no DOM, no vscode).

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
