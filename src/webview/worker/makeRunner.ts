// Builds the runner of a configuration on the current backend, and times a real training step of it
// (the backend choice measures the very model the user asked for).
import * as tf from '@tensorflow/tfjs';
import { isImageDataset, type ImageDatasetName, type TrainConfig } from '../../domain/config';
import type { AssetUrls } from '../../domain/assets';
import type { Checkpoint } from '../../domain/run';
import { ImageDataset, IMAGE_DATASETS } from '../../models/datasets';
import { loadSheet } from './assets';
import { Diffusion2dRunner } from './diffusion2dRunner';
import { DiffusionImageRunner } from './diffusionImageRunner';
import { LdmRunner } from './ldmRunner';
import { ImageRunner } from './imageRunner';
import type { Runner } from './runner';

const datasets = new Map<ImageDatasetName, Promise<ImageDataset>>();

export function imageDataset(name: ImageDatasetName, assets: AssetUrls): Promise<ImageDataset> {
  let p = datasets.get(name);
  if (!p) {
    p = loadSheet(assets.datasets[name]).then(({ sheet, meta }) => new ImageDataset(sheet, meta, { heldOut: IMAGE_DATASETS[name].heldOut }));
    p.catch(() => datasets.delete(name));
    datasets.set(name, p);
  }
  return p;
}

/** Starts decoding the image data a run of `config` needs (it is kept for later runs); resolves when it is ready. */
export async function prefetchData(config: TrainConfig, assets: AssetUrls): Promise<void> {
  const d = config.model === 'ddpm' ? config.diffusion.dataset : config.autoencoder.dataset;
  if (isImageDataset(d)) await imageDataset(d, assets);
}

export async function makeRunner(config: TrainConfig, assets: AssetUrls, epoch: number, base: Checkpoint | null = null): Promise<Runner> {
  switch (config.model) {
    case 'ae':
    case 'vae':
      return new ImageRunner(config.model, await imageDataset(config.autoencoder.dataset, assets), config.autoencoder, { epoch });
    case 'ddpm': {
      const d = config.diffusion.dataset;
      if (isImageDataset(d)) return new DiffusionImageRunner(await imageDataset(d, assets), config.diffusion, epoch);
      return new Diffusion2dRunner(config.diffusion);
    }
    case 'ldm':
      return new LdmRunner(await imageDataset(config.autoencoder.dataset, assets), config.autoencoder, config.diffusion, base, epoch);
  }
}

/** Milliseconds of one training step after a warm-up step (median of three), on the current backend. */
export async function timeOneStep(config: TrainConfig, assets: AssetUrls): Promise<number> {
  // Latent diffusion's first phase trains its VAE: time that step when no trained VAE is given.
  const runner = await makeRunner(config, assets, 0);
  try {
    const run = async (i: number) => {
      const { loss, terms } = runner.step(i);
      await loss.data();
      tf.dispose([loss, ...Object.values(terms)]);
    };
    await run(0);
    const times: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const t0 = performance.now();
      await run(i);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[1];
  } finally {
    runner.dispose();
  }
}
