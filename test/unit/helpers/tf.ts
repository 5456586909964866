// Runs model tests on TF.js's pure-JS CPU backend: deterministic, no binaries to load.
import * as tf from '@tensorflow/tfjs';

export async function useCpuBackend(): Promise<void> {
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Largest |a - b| relative to the largest |b| (plus a floor), for comparing gradients. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export function scalarOf(t: tf.Tensor): number {
  return t.dataSync()[0];
}
