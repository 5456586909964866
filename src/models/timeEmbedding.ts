// Sinusoidal embedding of the timestep (Vaswani et al., as used by DDPM): [sin(t w_k), cos(t w_k)] with
// frequencies w_k = 10000^(-k / (dim/2)), so the network can tell nearby timesteps apart at every scale.
import * as tf from '@tensorflow/tfjs';

/** Frequencies w_k for k = 0 .. dim/2 - 1. */
export function embeddingFrequencies(dim: number, maxPeriod = 10000): Float32Array {
  if (dim % 2 !== 0 || dim < 2) throw new Error(`time embedding dim must be even and >= 2, got ${dim}`);
  const half = dim / 2;
  const f = new Float32Array(half);
  for (let k = 0; k < half; k++) f[k] = Math.exp((-Math.log(maxPeriod) * k) / half);
  return f;
}

/** t: [B] (float or int) -> [B, dim] = [sin(t w) | cos(t w)]. */
export function timeEmbedding(t: tf.Tensor1D, dim: number, maxPeriod = 10000): tf.Tensor2D {
  return tf.tidy(() => {
    const freqs = tf.tensor2d(embeddingFrequencies(dim, maxPeriod), [1, dim / 2]);
    const args = tf.mul(tf.reshape(tf.cast(t, 'float32'), [-1, 1]), freqs);
    return tf.concat([tf.sin(args), tf.cos(args)], 1) as tf.Tensor2D;
  });
}
