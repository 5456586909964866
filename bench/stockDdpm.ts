// The comparison row for the 2D DDPM: the same eps-predictor (MLP on [x_t | sinusoidal(t)], 3 x 128 SiLU, 32-dim
// time embedding), the same linear schedule, EMA of the weights and Adam 1e-3, written the ordinary TF.js way:
// plain matMul layers, the autodiff tape via tf.variableGrads, tf.train.adam, TF.js's own random ops, and the
// textbook ancestral and DDIM loops.
import * as tf from '@tensorflow/tfjs';
import { makeSchedule, type Schedule } from '../src/models/schedules';
import { generateToy } from '../src/models/toy2d';

interface Layer {
  W: tf.Variable;
  b: tf.Variable;
}

let instances = 0;

export class StockDdpm2d {
  readonly T: number;
  readonly schedule: Schedule;
  private readonly layers: Layer[];
  private readonly emaLayers: Layer[];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly freqs: tf.Tensor2D;
  private readonly sqrtAlphaBars: tf.Tensor1D;
  private readonly sqrtOneMinusAlphaBars: tf.Tensor1D;
  private readonly data: tf.Tensor2D;
  private step = 0;

  constructor(
    readonly batchSize = 512,
    readonly seed = 1,
    T = 1000,
    readonly hidden = 128,
    readonly timeDim = 32,
    readonly emaDecay = 0.999,
  ) {
    const id = ++instances;
    this.T = T;
    this.schedule = makeSchedule('linear', T);
    const dims = [2 + timeDim, hidden, hidden, hidden, 2];
    const dense = (prefix: string, i: number, o: number, s: number): Layer => {
      const limit = Math.sqrt(6 / (i + o));
      return {
        W: tf.tidy(() => tf.variable(tf.randomUniform([i, o], -limit, limit, 'float32', s), prefix === 'w', `stockDdpm${id}/${prefix}${s}/W`)),
        b: tf.tidy(() => tf.variable(tf.zeros([o]), prefix === 'w', `stockDdpm${id}/${prefix}${s}/b`)),
      };
    };
    this.layers = dims.slice(1).map((o, k) => dense('w', dims[k], o, seed + k));
    this.emaLayers = dims.slice(1).map((o, k) => dense('ema', dims[k], o, seed + k));
    this.optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
    const half = timeDim / 2;
    this.freqs = tf.tidy(() => tf.exp(tf.mul(tf.range(0, half), -Math.log(10000) / half)).reshape([1, half]));
    this.sqrtAlphaBars = tf.tensor1d(this.schedule.sqrtAlphaBars);
    this.sqrtOneMinusAlphaBars = tf.tensor1d(this.schedule.sqrtOneMinusAlphaBars);
    this.data = tf.tensor2d(generateToy('swiss-roll', 8192, seed), [8192, 2]);
  }

  /** eps_theta(x_t, t), t the 0-based timestep as floats [B]. */
  predict(xt: tf.Tensor2D, t: tf.Tensor1D, ema = false): tf.Tensor2D {
    const layers = ema ? this.emaLayers : this.layers;
    const args = tf.mul(tf.reshape(t, [-1, 1]), this.freqs);
    let h = tf.concat([xt, tf.sin(args), tf.cos(args)], 1) as tf.Tensor2D;
    layers.forEach((l, k) => {
      h = tf.add(tf.matMul(h, l.W as tf.Tensor2D), l.b);
      if (k < layers.length - 1) h = tf.mul(h, tf.sigmoid(h));
    });
    return h;
  }

  /** One step of the simple loss on a batch drawn from the data; returns the loss (caller disposes). */
  trainStep(): tf.Scalar {
    const s = this.seed * 100003 + this.step++;
    const B = this.batchSize;
    const [x0, tIdx, eps] = tf.tidy(() => [
      tf.gather(this.data, tf.randomUniform([B], 0, this.data.shape[0], 'int32', s)),
      tf.randomUniform([B], 0, this.T, 'int32', s + 1),
      tf.randomNormal([B, 2], 0, 1, 'float32', s + 2),
    ]) as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D];
    const vars = this.layers.flatMap((l) => [l.W, l.b]);
    const { value, grads } = tf.variableGrads(() => {
      const a = tf.reshape(tf.gather(this.sqrtAlphaBars, tIdx), [-1, 1]);
      const b = tf.reshape(tf.gather(this.sqrtOneMinusAlphaBars, tIdx), [-1, 1]);
      const xt = tf.add(tf.mul(a, x0), tf.mul(b, eps)) as tf.Tensor2D;
      const pred = this.predict(xt, tf.cast(tIdx, 'float32'));
      return tf.mean(tf.square(tf.sub(pred, eps))) as tf.Scalar;
    }, vars);
    this.optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose([x0, tIdx, eps, ...Object.values(grads)]);
    // EMA with TensorFlow's warm-up, as the model does.
    const d = Math.min(this.emaDecay, this.step / (9 + this.step));
    tf.tidy(() => {
      this.layers.forEach((l, k) => {
        const e = this.emaLayers[k];
        e.W.assign(tf.add(tf.mul(e.W, d), tf.mul(l.W, 1 - d)));
        e.b.assign(tf.add(tf.mul(e.b, d), tf.mul(l.b, 1 - d)));
      });
    });
    return value;
  }

  /**
   * Samples n points with the EMA weights: 'ddpm' ancestral over all T steps
   * (x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(alpha_t) + sqrt(beta~_t) z), or deterministic DDIM
   * over `steps` evenly spaced timesteps. Returns the start noise and the samples, as the model's frames: 2.
   * `stopAfter` ends the ancestral sampler early (to time a prefix of it on a slow backend).
   */
  sample(n: number, sampler: 'ddpm' | 'ddim', steps = 50, xT?: tf.Tensor2D, stopAfter = Infinity): number[][][] {
    const s = this.schedule;
    const visit: number[] = [];
    if (sampler === 'ddpm') for (let t = this.T - 1; t >= 0 && visit.length < stopAfter; t--) visit.push(t);
    else for (let k = steps - 1; k >= 0; k--) visit.push(Math.floor((k * this.T) / steps) + (this.T - 1 - Math.floor(((steps - 1) * this.T) / steps)));
    let x = xT ? xT.clone() : (tf.randomNormal([n, 2], 0, 1, 'float32', this.seed + 7) as tf.Tensor2D);
    const frames = [x.arraySync()];
    visit.forEach((t, i) => {
      const next = tf.tidy(() => {
        const eps = this.predict(x, tf.fill([n], t) as tf.Tensor1D, true);
        if (sampler === 'ddpm') {
          const mean = tf.mul(tf.sub(x, tf.mul(eps, s.betas[t] / s.sqrtOneMinusAlphaBars[t])), 1 / Math.sqrt(s.alphas[t]));
          return (t > 0 ? tf.add(mean, tf.mul(tf.randomNormal([n, 2]), Math.sqrt(s.posteriorVariance[t]))) : mean) as tf.Tensor2D;
        }
        const tPrev = i + 1 < visit.length ? visit[i + 1] : -1;
        const aPrev = tPrev < 0 ? 1 : s.alphaBars[tPrev];
        const x0 = tf.div(tf.sub(x, tf.mul(eps, s.sqrtOneMinusAlphaBars[t])), s.sqrtAlphaBars[t]);
        return tf.add(tf.mul(x0, Math.sqrt(aPrev)), tf.mul(eps, Math.sqrt(1 - aPrev))) as tf.Tensor2D;
      });
      x.dispose();
      x = next;
    });
    frames.push(x.arraySync());
    x.dispose();
    return frames;
  }

  /** [W, b] of every layer, input to output: the raw weights, or their EMA. */
  weights(ema = false): tf.Variable[] {
    return (ema ? this.emaLayers : this.layers).flatMap((l) => [l.W, l.b]);
  }

  dispose(): void {
    for (const l of [...this.layers, ...this.emaLayers]) tf.dispose([l.W, l.b]);
    this.optimizer.dispose();
    tf.dispose([this.freqs, this.sqrtAlphaBars, this.sqrtOneMinusAlphaBars, this.data]);
  }
}
