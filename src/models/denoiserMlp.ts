// The epsilon-predictor for low-dimensional data (2D toy sets, VAE latents): an MLP on [x_t | emb(t)].
import * as tf from '@tensorflow/tfjs';
import { Dense } from './layers';
import type { Denoiser, LossAndGrads } from './ddpm';
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
    const hidden = opts.hiddenDim ?? 128,
      depth = opts.hiddenLayers ?? 3,
      name = opts.name ?? 'mlp';
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

  /**
   * The simple loss mean ||eps_theta(x_t, t) - eps||^2 and its weight gradients, with the backward pass written
   * out (no autodiff tape): the same numbers as tf.variableGrads, fewer ops per step. Keys as in variables().
   */
  lossAndGrads(xt: tf.Tensor2D, t: tf.Tensor1D, eps: tf.Tensor2D): LossAndGrads {
    return tf.tidy((): LossAndGrads => {
      const inputs: tf.Tensor2D[] = [tf.concat([xt, timeEmbedding(t, this.timeDim)], 1) as tf.Tensor2D];
      const preActs: tf.Tensor2D[] = [];
      const last = this.layers.length - 1;
      let out: tf.Tensor2D = inputs[0];
      this.layers.forEach((layer, i) => {
        const z = layer.forward(inputs[i]);
        if (i < last) {
          preActs.push(z);
          inputs.push(this.activation === 'relu' ? tf.relu(z) : (tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D));
        } else {
          out = z;
        }
      });
      const diff = tf.sub(out, eps);
      const perRow = tf.mean(tf.square(diff), 1) as tf.Tensor1D;
      const loss = tf.mean(perRow) as tf.Scalar;
      let dy = tf.mul(diff, 2 / (out.shape[0] * out.shape[1])) as tf.Tensor2D;
      const grads: Record<string, tf.Tensor> = {};
      for (let i = last; i >= 0; i--) {
        const g = this.layers[i].backward(inputs[i], dy);
        grads[`${this.keys[i]}/W`] = g.dW;
        grads[`${this.keys[i]}/b`] = g.db;
        if (i > 0) {
          const z = preActs[i - 1]!;
          if (this.activation === 'relu') {
            dy = tf.mul(g.dx, tf.step(z)) as tf.Tensor2D;
          } else {
            const sg = tf.sigmoid(z); // d/dz z s(z) = s (1 + z (1 - s))
            dy = tf.mul(g.dx, tf.mul(sg, tf.add(1, tf.mul(z, tf.sub(1, sg))))) as tf.Tensor2D;
          }
        }
      }
      return { perRow, loss, grads };
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
