// Loads a bundled sprite sheet inside the worker: fetch the PNG from the webview resource URL, decode it
// with createImageBitmap on an OffscreenCanvas, and keep one channel (the sheets are 8-bit grey).
import type { SheetMeta } from '../../models/datasets';

export async function loadSheet(urls: { png: string; json: string }): Promise<{ sheet: Uint8Array; meta: SheetMeta }> {
  const [pngResponse, jsonResponse] = await Promise.all([fetch(urls.png), fetch(urls.json)]);
  if (!pngResponse.ok || !jsonResponse.ok) throw new Error(`could not read the bundled dataset (${pngResponse.status}/${jsonResponse.status})`);
  const meta = (await jsonResponse.json()) as SheetMeta;
  // No colour management: the sheets carry no gamma/ICC chunks and must decode byte-exactly.
  const bitmap = await createImageBitmap(await pngResponse.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in the worker');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const sheet = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < sheet.length; i++) sheet[i] = rgba[4 * i];
  return { sheet, meta };
}
