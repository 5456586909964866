// The tensor snapshot: one named tensor of the live model at one step, the unit that links the product
// (the worker makes them, the sidebar draws them, the host keeps the latest of each for the hovers).
import type { ModelKind } from './config';

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

/** Names of the tensors each model publishes; notes bind LaTeX symbols to these. */
export const TENSOR_NAMES: Record<ModelKind, readonly string[]> = {
  ae: ['x', 'h_enc', 'z', 'x_hat', 'recon'],
  vae: ['x', 'h_enc', 'mu', 'logvar', 'sigma', 'eps', 'z', 'x_hat', 'recon', 'kl', 'elbo'],
  ddpm: ['x_0', 'eps', 't', 'beta_t', 'alpha_t', 'alpha_bar_t', 'x_t', 'eps_theta', 'posterior_mean', 'posterior_var', 'loss'],
  ldm: ['z_0', 'eps', 't', 'beta_t', 'alpha_bar_t', 'z_t', 'eps_theta', 'x_hat', 'loss'],
};
