// Node side of the benchmark: one backend per process (bundled by run.mjs), MNIST decoded with fast-png.
// Usage: node node-bench.cjs --backend=cpu|wasm [--quick] [--wasm-dir=DIR] [--data-dir=DIR]; prints one JSON line
// (progress goes to stderr).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { decode } from 'fast-png';
import { ImageDataset, IMAGE_DATASETS, type SheetMeta } from '../src/models/datasets';
import { installWasmSlice } from '../src/models/kernels/wasmSlice';
import type { BenchRow } from './benchCore';
import { failedRows, runSuites } from './suites';
import { randomData, type BenchData } from './vaeBench';

// As the lab's worker does; stock rows switch back to the stock kernels (benchCore, ddpmBench).
installWasmSlice();

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

function mnist(dataDir: string): BenchData {
  const files = IMAGE_DATASETS.mnist;
  const png = decode(readFileSync(join(dataDir, files.png)));
  const meta = JSON.parse(readFileSync(join(dataDir, files.json), 'utf8')) as SheetMeta;
  const data = new ImageDataset(new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), meta, { heldOut: files.heldOut });
  return { images: data.batch(data.trainIndices), count: data.trainCount, dim: data.dim, source: 'MNIST (9,000 training images)' };
}

async function main(): Promise<void> {
  const backend = arg('backend') ?? 'cpu';
  const quick = process.argv.includes('--quick');
  const environment = `node ${process.version}`;
  try {
    // IS_TEST silences the "install tfjs-node" banner while the backend starts; it must be off afterwards, since
    // in test mode TF.js reports the intermediates of tf.customGrad (our Dense layer) as kernel leaks and throws.
    tf.env().set('IS_TEST', true);
    if (backend === 'wasm') setWasmPaths(arg('wasm-dir') ?? 'node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    if (!(await tf.setBackend(backend))) throw new Error('setBackend returned false');
    await tf.ready();
    tf.env().set('IS_TEST', false);
  } catch (e) {
    process.stdout.write(`BENCH_ROWS ${JSON.stringify(failedRows('node', backend, environment, `backend did not initialise: ${(e as Error).message}`))}\n`);
    return;
  }
  let data: BenchData;
  try {
    data = mnist(arg('data-dir') ?? 'media/data');
  } catch {
    data = randomData();
  }
  const rows: BenchRow[] = await runSuites('node', backend, environment, data, quick, (msg) => process.stderr.write(`[bench] ${msg}\n`));
  process.stdout.write(`BENCH_ROWS ${JSON.stringify(rows)}\n`);
}

void main();
