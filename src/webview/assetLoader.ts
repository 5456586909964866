// Fetches on the UI thread what the worker needs and hands it blob: URLs. Webview resources are served
// through the webview's service worker, which a dedicated worker's own requests do not reach (in code-server
// its importScripts/fetch of them fail with a NetworkError), while blob: URLs of this origin always load.
import { isImageDataset, type ImageDatasetName, type TrainConfig } from '../domain/config';
import type { AssetUrls } from '../domain/assets';

const cache = new Map<string, Promise<string>>();

function blobUrl(url: string, type?: string): Promise<string> {
  let p = cache.get(url);
  if (!p) {
    p = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`could not load ${url.split('/').pop()} (HTTP ${r.status})`);
      const bytes = await r.arrayBuffer();
      return URL.createObjectURL(new Blob([bytes], type ? { type } : undefined));
    });
    p.catch(() => cache.delete(url));
    cache.set(url, p);
  }
  return p;
}

export function workerScriptUrl(url: string): Promise<string> {
  return blobUrl(url, 'text/javascript');
}

/** The datasets a configuration trains on (a latent diffusion model trains its VAE on an image set). */
export function datasetsOf(config: TrainConfig): ImageDatasetName[] {
  if (config.model === 'ddpm') {
    const d = config.diffusion.dataset;
    return isImageDataset(d) ? [d] : [];
  }
  return [config.autoencoder.dataset];
}

/** The same AssetUrls with blob: URLs for the wasm binaries and for the datasets `config` needs. */
export async function localAssets(assets: AssetUrls, config: TrainConfig): Promise<AssetUrls> {
  const wasm = Object.fromEntries(await Promise.all(Object.entries(assets.wasm).map(async ([f, u]) => [f, await blobUrl(u, 'application/wasm')] as const)));
  const datasets = { ...assets.datasets };
  for (const name of datasetsOf(config)) {
    const { png, json } = assets.datasets[name];
    datasets[name] = { png: await blobUrl(png, 'image/png'), json: await blobUrl(json, 'application/json') };
  }
  return { wasm, datasets };
}
