// Placeholder until the diffusion runner lands.
import type { AssetUrls, ImageDatasetName, TrainConfig } from '../../protocol';
import type { ImageDataset } from '../../models/datasets';
import type { Runner } from './runner';

export async function makeDiffusionRunner(config: TrainConfig, _assets: AssetUrls, _epoch: number, _images: (n: ImageDatasetName, a: AssetUrls) => Promise<ImageDataset>): Promise<Runner> {
  throw new Error(`${config.model} is not available in this build yet`);
}
