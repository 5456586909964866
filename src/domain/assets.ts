// The bundled files the worker loads: the TF.js wasm binaries and the image datasets.
import type { ImageDatasetName } from './config';

export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

export interface AssetUrls {
  /** URL of each tfjs wasm binary by file name (tfjs-backend-wasm.wasm, -simd.wasm, -threaded-simd.wasm). */
  wasm: Record<string, string>;
  /** Per image dataset: the PNG sprite sheet and its JSON sidecar. */
  datasets: Record<ImageDatasetName, { png: string; json: string }>;
}
