// What the pipeline diagram draws for each model: its tensors as nodes on a 3-column grid, the forward edges,
// and the path the gradient takes back from the loss. Pure data, so the layout can be read (and tested) alone.
import type { ModelKind } from '../../domain/config';
import { t } from '../i18n';

export type NodeRole = 'data' | 'tensor' | 'random' | 'loss';

export interface PipelineNode {
  /** Tensor name, as published in snapshots (protocol TENSOR_NAMES). */
  tensor: string;
  /** Mathematical symbol shown before the name. */
  symbol: string;
  /** One short line: the role of the tensor or its formula. */
  caption: string;
  role: NodeRole;
  col: number;
  row: number;
}

export type EdgeKind = 'forward' | 'random';

export interface PipelineEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  /** 'elbow': down the source's column, then across into the target's side (avoids crossing nodes). */
  route?: 'straight' | 'elbow';
}

export interface PipelineLayout {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  /** Backward edges [from, to]: the gradient flows from `from` (nearer the loss) into `to`. */
  gradient: [string, string][];
  /** Closing note on the loss, shown under the diagram. */
  lossNote: string;
}

const AE: PipelineLayout = {
  nodes: [
    { tensor: 'x', symbol: 'x', caption: t('input batch'), role: 'data', col: 1, row: 0 },
    { tensor: 'h_enc', symbol: 'h', caption: t('encoder layer'), role: 'tensor', col: 1, row: 1 },
    { tensor: 'z', symbol: 'z', caption: t('code: one point per x'), role: 'tensor', col: 1, row: 2 },
    { tensor: 'x_hat', symbol: 'x̂', caption: t('reconstruction'), role: 'tensor', col: 1, row: 3 },
    { tensor: 'recon', symbol: 'ℒ', caption: 'BCE(x, x̂)', role: 'loss', col: 1, row: 4 },
  ],
  edges: [
    { from: 'x', to: 'h_enc', kind: 'forward', label: t('encoder') },
    { from: 'h_enc', to: 'z', kind: 'forward', label: t('linear') },
    { from: 'z', to: 'x_hat', kind: 'forward', label: t('decoder') },
    { from: 'x_hat', to: 'recon', kind: 'forward' },
  ],
  gradient: [
    ['recon', 'x_hat'],
    ['x_hat', 'z'],
    ['z', 'h_enc'],
  ],
  lossNote: t('loss = BCE(x, x̂): a deterministic code, no prior on z'),
};

const VAE: PipelineLayout = {
  nodes: [
    { tensor: 'x', symbol: 'x', caption: t('input batch'), role: 'data', col: 1, row: 0 },
    { tensor: 'h_enc', symbol: 'h', caption: t('encoder layer'), role: 'tensor', col: 1, row: 1 },
    { tensor: 'mu', symbol: 'μ', caption: t('mean of q(z|x)'), role: 'tensor', col: 0, row: 2 },
    { tensor: 'kl', symbol: 'KL', caption: 'KL(q ‖ N(0, I))', role: 'loss', col: 1, row: 2 },
    { tensor: 'sigma', symbol: 'σ', caption: 'exp(½ logvar)', role: 'tensor', col: 2, row: 2 },
    { tensor: 'z', symbol: 'z', caption: 'μ + σ ⊙ ε', role: 'tensor', col: 1, row: 3 },
    { tensor: 'eps', symbol: 'ε', caption: t('~N(0, I), no ∇'), role: 'random', col: 2, row: 3 },
    { tensor: 'x_hat', symbol: 'x̂', caption: t('reconstruction'), role: 'tensor', col: 1, row: 4 },
    { tensor: 'recon', symbol: 'ℒ', caption: 'BCE(x, x̂)', role: 'loss', col: 1, row: 5 },
    // The model publishes the true ELBO, −(recon + KL) whatever β (negative: higher is better).
    { tensor: 'elbo', symbol: 'ELBO', caption: '−(recon + KL)', role: 'loss', col: 2, row: 5 },
  ],
  edges: [
    { from: 'x', to: 'h_enc', kind: 'forward', label: t('encoder') },
    { from: 'h_enc', to: 'mu', kind: 'forward' },
    { from: 'h_enc', to: 'sigma', kind: 'forward' },
    { from: 'mu', to: 'kl', kind: 'forward' },
    { from: 'sigma', to: 'kl', kind: 'forward' },
    { from: 'mu', to: 'z', kind: 'forward' },
    { from: 'sigma', to: 'z', kind: 'forward' },
    { from: 'eps', to: 'z', kind: 'random' },
    { from: 'z', to: 'x_hat', kind: 'forward', label: t('decoder') },
    { from: 'x_hat', to: 'recon', kind: 'forward' },
    { from: 'recon', to: 'elbo', kind: 'forward' },
  ],
  gradient: [
    ['recon', 'x_hat'],
    ['x_hat', 'z'],
    ['z', 'mu'],
    ['z', 'sigma'],
    ['kl', 'mu'],
    ['kl', 'sigma'],
    ['mu', 'h_enc'],
    ['sigma', 'h_enc'],
  ],
  lossNote: t('reparameterisation: z = μ + σ ⊙ ε, so ∇ reaches μ and σ; ε is sampled and gets none'),
};

function diffusion(x0: string, xt: string): PipelineLayout {
  const sub = x0 === 'z_0' ? 'z' : 'x';
  return {
    nodes: [
      { tensor: x0, symbol: `${sub}₀`, caption: sub === 'z' ? t('latent of the data') : t('data batch'), role: 'data', col: 0, row: 0 },
      { tensor: 'alpha_bar_t', symbol: 'ᾱₜ', caption: t('signal kept at t'), role: 'tensor', col: 1, row: 0 },
      { tensor: 'eps', symbol: 'ε', caption: t('~N(0, I), no ∇'), role: 'random', col: 2, row: 0 },
      { tensor: xt, symbol: `${sub}ₜ`, caption: `√ᾱₜ ${sub}₀ + √(1−ᾱₜ) ε`, role: 'tensor', col: 1, row: 1 },
      { tensor: 't', symbol: 't', caption: '~ U{0..T−1}', role: 'random', col: 0, row: 2 },
      { tensor: 'eps_theta', symbol: 'ε_θ', caption: `ε_θ(${sub}ₜ, t)`, role: 'tensor', col: 1, row: 2 },
      { tensor: 'loss', symbol: 'ℒ', caption: '‖ε − ε_θ‖²', role: 'loss', col: 1, row: 3 },
    ],
    edges: [
      { from: x0, to: xt, kind: 'forward' },
      { from: 'alpha_bar_t', to: xt, kind: 'forward' },
      { from: 'eps', to: xt, kind: 'random' },
      { from: xt, to: 'eps_theta', kind: 'forward', label: t('network') },
      { from: 't', to: 'eps_theta', kind: 'random' },
      { from: 'eps_theta', to: 'loss', kind: 'forward' },
      { from: 'eps', to: 'loss', kind: 'random', label: t('target'), route: 'elbow' },
    ],
    gradient: [['loss', 'eps_theta']],
    lossNote: t('the network learns to predict the noise ε that made {0}; only ε_θ’s weights get ∇', `${sub}ₜ`),
  };
}

export const PIPELINE_LAYOUTS: Record<ModelKind, PipelineLayout> = {
  ae: AE,
  vae: VAE,
  ddpm: diffusion('x_0', 'x_t'),
  ldm: diffusion('z_0', 'z_t'),
};
