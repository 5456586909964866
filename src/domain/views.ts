// What the sidebar's pictures draw: the latent map, the image gallery and the diffusion views.
import type { SamplerKind } from './config';

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
  quality?: {
    points: { step: number; ema: number; raw: number }[];
    floor: number;
    /** How the samples are drawn and scored: `samples` points by `sampler` in `steps` steps, against as many held-out points. */
    method?: { sampler: SamplerKind; steps: number; samples: number };
  };
}
