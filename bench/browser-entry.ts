// Browser side of the benchmark, bundled by run.mjs and driven from headless Chromium through
// `window.latentBench.run(backend, quick)`. MNIST is decoded through a canvas, as the webview does.
// Progress goes to the console (run.mjs forwards it).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ImageDataset, type SheetMeta } from '../src/models/datasets';
import { installWasmSlice } from '../src/models/kernels/wasmSlice';
import type { BenchRow } from './benchCore';
import { failedRows, runSuites } from './suites';
import { randomData, type BenchData } from './vaeBench';

// As the lab's worker does; stock rows switch back to the stock kernels (benchCore, ddpmBench).
installWasmSlice();

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Why WebGPU should not be used here, or null when a hardware adapter answers. */
async function webGpuProblem(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return 'navigator.gpu is missing';
  const adapter = await gpu.requestAdapter();
  if (!adapter) return 'no WebGPU adapter';
  const info = adapter.info ?? {};
  if (adapter.isFallbackAdapter || info.isFallbackAdapter || info.architecture === 'swiftshader') {
    return `software adapter (${info.vendor ?? '?'} ${info.architecture ?? ''})`.trim();
  }
  return null;
}

async function loadMnist(): Promise<BenchData> {
  const meta = (await (await fetch('data/mnist/mnist-test-10k.json')).json()) as SheetMeta;
  const bitmap = await createImageBitmap(await (await fetch('data/mnist/mnist-test-10k.png')).blob(), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const gray = new Uint8Array(bitmap.width * bitmap.height);
  for (let p = 0; p < gray.length; p++) gray[p] = rgba[4 * p];
  const data = new ImageDataset(gray, meta, { heldOut: 1000 });
  return { images: data.batch(data.trainIndices), count: data.trainCount, dim: data.dim, source: 'MNIST (9,000 training images)' };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);
}

async function run(backend: string, quick: boolean): Promise<BenchRow[]> {
  const environment = `chromium ${/Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? '?'}`;
  const failed = (detail: string): BenchRow[] => failedRows('browser', backend, environment, detail);
  let note = '';
  try {
    if (backend === 'webgpu') {
      const problem = await webGpuProblem();
      if (problem) return failed(`skipped: ${problem}`);
    }
    if (backend === 'wasm') setWasmPaths(new URL('wasm/', location.href).href);
    const ok = await withTimeout(tf.setBackend(backend), 20_000, `setBackend('${backend}')`);
    if (!ok) return failed('backend did not initialise');
    await tf.ready();
    if (backend === 'webgl') {
      const renderer = (() => {
        const gl = document.createElement('canvas').getContext('webgl2');
        const ext = gl?.getExtension('WEBGL_debug_renderer_info');
        return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown renderer';
      })();
      note = `renderer: ${renderer}`;
    }
    if (backend === 'wasm') note = `${getThreadsCount()} thread(s), cross-origin isolated: ${self.crossOriginIsolated}`;
  } catch (e) {
    return failed(`backend did not initialise: ${(e as Error).message}`);
  }
  let data: BenchData;
  try {
    data = await loadMnist();
  } catch {
    data = randomData();
  }
  const rows = await runSuites('browser', backend, environment, data, quick, (msg) => console.log(`[bench] ${msg}`));
  if (note) for (const r of rows) r.detail = [r.detail, note].filter(Boolean).join('; ');
  return rows;
}

(globalThis as unknown as { latentBench: unknown }).latentBench = { run };
