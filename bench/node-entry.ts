// Node side of the benchmark: one backend per process (bundled by run.mjs), MNIST decoded with fast-png.
// Usage: node node-bench.cjs --backend=cpu|wasm [--quick] [--wasm-dir=DIR] [--data-dir=DIR]; prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { decode } from 'fast-png';
import { ImageDataset, IMAGE_DATASETS, type SheetMeta } from '../src/models/datasets';
import { benchBackend, FULL, QUICK, randomData, type BenchData, type BenchRow } from './benchCore';

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
  const opts = process.argv.includes('--quick') ? QUICK : FULL;
  tf.env().set('IS_TEST', true); // no "install tfjs-node" banner
  let rows: BenchRow[];
  try {
    if (backend === 'wasm') setWasmPaths(arg('wasm-dir') ?? 'node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    if (!(await tf.setBackend(backend))) throw new Error('setBackend returned false');
    await tf.ready();
    let data: BenchData;
    try {
      data = mnist(arg('data-dir') ?? 'media/data');
    } catch {
      data = randomData();
    }
    rows = await benchBackend(`node ${process.version}`, data, opts);
    for (const r of rows) r.detail = [r.detail, data.source].filter(Boolean).join('; ');
  } catch (e) {
    rows = (['ours', 'stock'] as const).map((variant) => ({ environment: `node ${process.version}`, backend, variant, ok: false, detail: `backend did not initialise: ${(e as Error).message}` }));
  }
  process.stdout.write(`BENCH_ROWS ${JSON.stringify(rows)}\n`);
}

void main();
