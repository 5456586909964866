// The comparison row: the same VAE written the ordinary TF.js way (plain matMul layers, the autodiff tape via
// tf.variableGrads, tf.train.adam), so the speedup of the hand-written path is measured in the same run.
import * as tf from '@tensorflow/tfjs';

interface Layer {
  W: tf.Variable;
  b: tf.Variable;
}

export class StockVae {
  private readonly layers: Record<'enc' | 'mu' | 'logvar' | 'dec' | 'out', Layer>;
  private readonly optimizer: tf.AdamOptimizer;
  private step = 0;

  constructor(
    readonly inputDim: number,
    readonly hiddenDim = 512,
    readonly latentDim = 2,
    readonly seed = 1,
  ) {
    const dense = (name: string, i: number, o: number, s: number): Layer => {
      const limit = Math.sqrt(6 / (i + o));
      return {
        W: tf.tidy(() => tf.variable(tf.randomUniform([i, o], -limit, limit, 'float32', s), true, `stock${seed}/${name}/W`)),
        b: tf.tidy(() => tf.variable(tf.zeros([o]), true, `stock${seed}/${name}/b`)),
      };
    };
    this.layers = {
      enc: dense('enc', inputDim, hiddenDim, seed + 1),
      mu: dense('mu', hiddenDim, latentDim, seed + 2),
      logvar: dense('logvar', hiddenDim, latentDim, seed + 3),
      dec: dense('dec', latentDim, hiddenDim, seed + 4),
      out: dense('out', hiddenDim, inputDim, seed + 5),
    };
    this.optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  }

  private apply(name: keyof StockVae['layers'], x: tf.Tensor): tf.Tensor2D {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.layers[name].W), this.layers[name].b);
  }

  trainStep(x: tf.Tensor2D): tf.Scalar {
    const eps = tf.randomNormal([x.shape[0], this.latentDim], 0, 1, 'float32', this.seed * 100003 + this.step++);
    const vars = Object.values(this.layers).flatMap((l) => [l.W, l.b]);
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(this.apply('enc', x));
      const mu = this.apply('mu', h);
      const logvar = this.apply('logvar', h);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
      const logits = this.apply('out', tf.relu(this.apply('dec', z)));
      const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
      const recon = tf.mean(tf.sum(bce, 1));
      const kl = tf.mean(tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), logvar), 1), 1), 0.5));
      return tf.add(recon, kl) as tf.Scalar;
    }, vars);
    this.optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose([eps, ...Object.values(grads)]);
    return value;
  }

  dispose(): void {
    for (const l of Object.values(this.layers)) tf.dispose([l.W, l.b]);
    this.optimizer.dispose();
  }
}
