// Time to insight, with the lab's own model code on one WASM thread in Node (the webview's engine, minus the
// drawing): seconds of training until (a) the VAE with the default settings reaches a held-out negative ELBO of
// 175 nats per image on MNIST (PyTorch's reference reaches 174.3 after 10 epochs), and (b) the 2D DDPM with the
// default settings draws EMA samples (DDIM 50, 2,000 points) within twice the swiss roll's own sliced-Wasserstein
// noise floor, measured against held-out points. Target: under 30 s each. Prints a table and one JSON line.
// Run: npm run bench:insight
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Ddpm2d } from '../src/models/ddpm2d';
import { installWasmSlice } from '../src/models/kernels/wasmSlice';
import { slicedWasserstein } from '../src/models/metrics';
import { mulberry32, normalSamples } from '../src/models/random';
import { generateToy } from '../src/models/toy2d';
import { Vae } from '../src/models/vae';
import { loadDataset } from '../test/unit/helpers/sheets';

const TARGET_S = 30;
const LIMIT_S = 180;
const VAE_GOAL = 175;
const POINTS = 2000;

async function vaeSeconds(): Promise<{ seconds: number; epochs: number; heldOut: number }> {
  const data = loadDataset('mnist');
  const vae = new Vae({ inputDim: data.dim, hiddenDim: 512, latentDim: 2, learningRate: 1e-3, seed: 42, beta: 1 });
  const heldOut = data.heldOut();
  const batches = data.batches(128, 42, { epoch: 0, position: 0 });
  let trained = 0;
  let score = Infinity;
  const t0 = performance.now();
  try {
    while (score > VAE_GOAL && performance.now() - t0 < LIMIT_S * 1000) {
      // Evaluate every half epoch: what the lab's loss chart shows every few seconds.
      for (let i = 0; i < Math.ceil(data.trainCount / 128 / 2); i++) {
        // Shuffled epochs from the seed, as the lab trains (data.batches, the same iterator its runner uses).
        const b = batches.next();
        const input = tf.tensor2d(b.x, [b.size, data.dim]);
        const step = vae.trainStep(input);
        input.dispose();
        await step.loss.data();
        tf.dispose([step.loss, ...Object.values(step.terms)]);
        trained += b.size;
      }
      const e = await vae.evaluateRows(heldOut.x, heldOut.indices.length);
      score = e.terms.recon + e.terms.kl;
    }
    return { seconds: (performance.now() - t0) / 1000, epochs: trained / data.trainCount, heldOut: score };
  } finally {
    vae.dispose();
  }
}

async function ddpmSeconds(): Promise<{ seconds: number; steps: number; distance: number; floor: number; noise: number }> {
  const model = new Ddpm2d({ dataset: 'swiss-roll', seed: 42 });
  const heldOut = generateToy('swiss-roll', POINTS * 21, 7);
  // The floor: two independent draws of the data, averaged over ten pairs.
  let floor = 0;
  for (let i = 0; i < 10; i++)
    floor +=
      slicedWasserstein(heldOut.subarray(2 * i * POINTS * 2, (2 * i + 1) * POINTS * 2), heldOut.subarray((2 * i + 1) * POINTS * 2, (2 * i + 2) * POINTS * 2)) /
      10;
  const target = heldOut.subarray(20 * POINTS * 2);
  const sampleDistance = async () => {
    const r = await model.sampleAsync({ n: POINTS, sampler: 'ddim', steps: 50, frames: 1, seed: 3, useEma: true });
    return slicedWasserstein(r.frames[r.frames.length - 1], target);
  };
  // How far plain N(0, I) noise lies (what a model that learnt nothing would draw at best): the figure must
  // separate that from good samples, so "2x the floor" means something on this data.
  const noise = slicedWasserstein(normalSamples(POINTS * 2, mulberry32(11)), target);
  let steps = 0;
  let distance = Infinity;
  const t0 = performance.now();
  try {
    while (distance > 2 * floor && performance.now() - t0 < LIMIT_S * 1000) {
      for (let i = 0; i < 250; i++, steps++) {
        const b = model.nextBatch();
        const s = model.trainStep(b);
        b.dispose();
        if (i === 249) await s.loss.data();
        tf.dispose([s.loss, ...Object.values(s.terms)]);
      }
      distance = await sampleDistance();
    }
    return { seconds: (performance.now() - t0) / 1000, steps, distance, floor, noise };
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  installWasmSlice();
  setWasmPaths('node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  tf.env().set('IS_TEST', true);
  await tf.setBackend('wasm');
  await tf.ready();
  tf.env().set('IS_TEST', false);
  const vae = await vaeSeconds();
  const ddpm = await ddpmSeconds();
  const row = (what: string, s: number, detail: string) => `| ${what} | ${s.toFixed(1)} | < ${TARGET_S} | ${s < TARGET_S ? 'yes' : 'no'} | ${detail} |`;
  console.log('| time to insight (wasm, one thread, Node) | seconds | target | met | at that point |');
  console.log('| --- | ---: | ---: | :---: | --- |');
  console.log(row(`VAE held-out -ELBO <= ${VAE_GOAL} nats (MNIST)`, vae.seconds, `${vae.heldOut.toFixed(1)} nats after ${vae.epochs.toFixed(1)} epochs`));
  console.log(
    row(
      '2D DDPM EMA samples within 2x the noise floor (swiss roll)',
      ddpm.seconds,
      `${ddpm.distance.toFixed(4)} vs floor ${ddpm.floor.toFixed(4)} after ${ddpm.steps} steps (N(0, I) noise: ${(ddpm.noise / ddpm.floor).toFixed(1)}x the floor)`,
    ),
  );
  console.log(`INSIGHT ${JSON.stringify({ date: new Date().toISOString(), vae, ddpm, targetSeconds: TARGET_S })}`);
}

void main();
