// The epsilon-predictor for low-dimensional data (2D toy sets, VAE latents): an MLP on [x_t | emb(t)].
import * as tf from '@tensorflow/tfjs';
import { Dense } from './layers';
import type { Denoiser } from './ddpm';
import { timeEmbedding } from './timeEmbedding';

export interface DenoiserMlpOptions {
  dataDim: number;
  hiddenDim?: number;
  hiddenLayers?: number;
  timeDim?: number;
  activation?: 'relu' | 'silu';
  seed: number;
  /** Prefix of the variable names (two copies live side by side: raw weights and their EMA). */
  name?: string;
}

/** eps_theta(x_t, t) = MLP([x_t, sinusoidal(t)]): dataDim + timeDim -> hiddenLayers x hiddenDim -> dataDim. */
export class DenoiserMlp implements Denoiser {
  readonly dataDim: number;
  readonly timeDim: number;
  readonly layers: Dense[] = [];
  /** Stable key of each layer (independent of the variable-name prefix). */
  private readonly keys: string[] = [];
  private readonly activation: 'relu' | 'silu';

  constructor(opts: DenoiserMlpOptions) {
    const hidden = opts.hiddenDim ?? 128, depth = opts.hiddenLayers ?? 3, name = opts.name ?? 'mlp';
    this.dataDim = opts.dataDim;
    this.timeDim = opts.timeDim ?? 32;
    this.activation = opts.activation ?? 'silu';
    let inDim = this.dataDim + this.timeDim;
    for (let i = 0; i < depth; i++) {
      this.keys.push(`hidden${i}`);
      this.layers.push(new Dense(`${name}/hidden${i}`, inDim, hidden, opts.seed + i));
      inDim = hidden;
    }
    this.keys.push('out');
    this.layers.push(new Dense(`${name}/out`, inDim, this.dataDim, opts.seed + depth));
  }

  predict(xt: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = tf.concat([xt, timeEmbedding(t, this.timeDim)], 1) as tf.Tensor2D;
      const last = this.layers.length - 1;
      this.layers.forEach((layer, i) => {
        h = layer.apply(h);
        if (i < last) h = this.activation === 'relu' ? tf.relu(h) : (tf.mul(h, tf.sigmoid(h)) as tf.Tensor2D);
      });
      return h;
    });
  }

  variables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    this.layers.forEach((l, i) => {
      out.set(`${this.keys[i]}/W`, l.W);
      out.set(`${this.keys[i]}/b`, l.b);
    });
    return out;
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
