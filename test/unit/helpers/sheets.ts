// Loads the bundled sprite sheets in Node with a PNG decoder, as the webview does with a canvas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import type { ImageDatasetName } from '../../../src/domain/config';
import { IMAGE_DATASETS, ImageDataset, type SheetMeta } from '../../../src/models/datasets';

const dataDir = join(__dirname, '..', '..', '..', 'media', 'data');
const cache = new Map<ImageDatasetName, { sheet: Uint8Array; meta: SheetMeta }>();

export function loadSheet(name: ImageDatasetName): { sheet: Uint8Array; meta: SheetMeta } {
  const hit = cache.get(name);
  if (hit) return hit;
  const files = IMAGE_DATASETS[name];
  const png = decode(readFileSync(join(dataDir, files.png)));
  if (png.channels !== 1 || png.depth !== 8) throw new Error(`${files.png}: expected 8-bit gray, got ${png.channels} channels, depth ${png.depth}`);
  const sheet = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  const meta = JSON.parse(readFileSync(join(dataDir, files.json), 'utf8')) as SheetMeta;
  const loaded = { sheet, meta };
  cache.set(name, loaded);
  return loaded;
}

export function loadDataset(name: ImageDatasetName): ImageDataset {
  const { sheet, meta } = loadSheet(name);
  return new ImageDataset(sheet, meta, { heldOut: IMAGE_DATASETS[name].heldOut });
}
