// The model kinds the lab trains, with what the rest of the product reads about each.
import type { ModelKind } from './config';

export const MODEL_LABELS: Record<ModelKind, string> = {
  ae: 'Autoencoder',
  vae: 'VAE',
  ddpm: 'DDPM',
  ldm: 'Latent diffusion',
};
