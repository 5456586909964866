// What the AE and the VAE share: an MLP encoder trunk x -> relu(hidden), model-specific heads to the latent,
// an MLP decoder z -> relu(hidden) -> logits -> sigmoid, a Bernoulli (BCE) reconstruction loss, Adam, and
// the save/restore plumbing. Training steps write their backward pass out by hand (see layers.ts) for speed.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam';
import { Dense } from './layers';
import { deriveSeed } from './random';
import type { StepTensors, TrainableModel } from './types';

export interface MlpAutoencoderOptions {
  inputDim: number;
  hiddenDim?: number;
  latentDim?: number;
  learningRate?: number;
  seed?: number;
}

export type SavedArrays = Map<string, { shape: number[]; values: Float32Array }>;

/** How evaluate() draws the VAE's noise: a given eps (to match a training step), or a seeded evaluation draw. */
export interface EvaluateOptions {
  /** The reparameterisation noise [B, latentDim]; the caller keeps ownership. */
  eps?: tf.Tensor2D;
  /** Which seeded evaluation draw to use when no eps is given (e.g. the chunk's index); 0 by default. */
  draw?: number;
}

/** Loss and terms averaged over the images of a data set, read back as numbers. */
export interface Evaluated {
  loss: number;
  terms: Record<string, number>;
}

/** The encoder trunk's and decoder's activations of one forward pass, kept for the backward pass. */
export interface DecoderPass {
  a2: tf.Tensor2D;
  h2: tf.Tensor2D;
  logits: tf.Tensor2D;
}

export abstract class MlpAutoencoder implements TrainableModel {
  abstract readonly kind: 'ae' | 'vae';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly seed: number;
  protected readonly enc: Dense;
  protected readonly heads: Dense[];
  protected readonly dec: Dense;
  protected readonly out: Dense;
  protected readonly adam: Adam;
  /** Optimisation steps taken; mirrors Adam's t without reading it back from the device. */
  protected stepCount = 0;

  protected constructor(opts: MlpAutoencoderOptions, headNames: string[]) {
    this.inputDim = opts.inputDim;
    this.hiddenDim = opts.hiddenDim ?? 512;
    this.latentDim = opts.latentDim ?? 2;
    this.seed = opts.seed ?? 0;
    for (const [k, v] of Object.entries({ inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim })) {
      if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${k} must be a positive integer, got ${v}`);
    }
    const layerSeed = (i: number) => deriveSeed(this.seed, 1000 + i);
    this.enc = new Dense('enc', this.inputDim, this.hiddenDim, layerSeed(0));
    this.heads = headNames.map((n, i) => new Dense(n, this.hiddenDim, this.latentDim, layerSeed(1 + i)));
    this.dec = new Dense('dec', this.latentDim, this.hiddenDim, layerSeed(10));
    this.out = new Dense('out', this.hiddenDim, this.inputDim, layerSeed(11));
    this.adam = new Adam(this.weights(), { learningRate: opts.learningRate ?? 1e-3, epsilon: 1e-7 });
  }

  get step(): number {
    return this.stepCount;
  }

  get learningRate(): number {
    return this.adam.learningRate;
  }

  protected get layers(): Dense[] {
    return [this.enc, ...this.heads, this.dec, this.out];
  }

  abstract trainStep(batch: tf.Tensor2D): StepTensors;
  /**
   * The training step's loss and terms on a batch, averaged over its images, without a gradient or an update:
   * the same definitions as trainStep (the VAE's loss is recon + beta * kl with beta as set). The caller disposes them.
   */
  abstract evaluate(x: tf.Tensor2D, opts?: EvaluateOptions): StepTensors;
  abstract inspect(batch: tf.Tensor2D): Record<string, tf.Tensor>;
  /** The latent code used for reconstructions: mu for the VAE, z for the AE. */
  abstract encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logvar?: tf.Tensor2D };

  weights(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const l of this.layers) {
      out.set(`${l.name}/W`, l.W);
      out.set(`${l.name}/b`, l.b);
    }
    return out;
  }

  optimizerState(): Map<string, tf.Variable> {
    return this.adam.state();
  }

  restore(weights: SavedArrays, optimizer: SavedArrays): void {
    const check = (kind: string, targets: Map<string, tf.Variable>, saved: SavedArrays) => {
      for (const [name, v] of targets) {
        const s = saved.get(name);
        if (!s) throw new Error(`checkpoint is missing ${kind} '${name}'`);
        if (s.shape.length !== v.shape.length || s.shape.some((d, i) => d !== v.shape[i])) {
          throw new Error(`checkpoint ${kind} '${name}' has shape [${s.shape}], the model needs [${v.shape}]`);
        }
        if (s.values.length !== v.size) throw new Error(`checkpoint ${kind} '${name}' has ${s.values.length} values for shape [${v.shape}]`);
      }
    };
    const params = this.weights();
    const slots = this.optimizerState();
    check('weight', params, weights);
    check('optimizer slot', slots, optimizer);
    for (const [targets, saved] of [
      [params, weights],
      [slots, optimizer],
    ] as const) {
      for (const [name, v] of targets) {
        const s = saved.get(name)!;
        tf.tidy(() => v.assign(tf.tensor(s.values, v.shape, 'float32')));
      }
    }
    this.stepCount = Math.round(optimizer.get('t')!.values[0]);
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`learning rate must be positive, got ${lr}`);
    this.adam.learningRate = lr;
  }

  /** Decoder activations for a latent batch (no tape). */
  protected decoderPass(z: tf.Tensor2D): DecoderPass {
    const a2 = this.dec.forward(z);
    const h2 = tf.relu(a2);
    return { a2, h2, logits: this.out.forward(h2) };
  }

  /** Pixel probabilities for latent codes [n, latentDim]; the caller disposes the result. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoderPass(z).logits));
  }

  /** Decodes n draws from the prior N(0, I) (for the AE this shows the 'holes' in its latent space). */
  sampleImages(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.latentDim], 0, 1, 'float32', seed)));
  }

  /** x_hat from the encoder's mean code. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { mu, logvar } = this.encode(x);
      logvar?.dispose();
      return this.decode(mu);
    });
  }

  /**
   * Images decoded at n codes evenly spaced on the segment from x_a's code to x_b's,
   * z(alpha) = (1 - alpha) mu(x_a) + alpha mu(x_b) for alpha = 0, 1/(n-1), ..., 1 (the VAE's code is its posterior
   * mean). An AE's decoder has seen only the codes of its inputs, so the middle of the path often decodes to
   * no digit at all; the KL term keeps a VAE's latent space filled in between. xa and xb are single rows [1, D].
   */
  interpolate(xa: tf.Tensor2D, xb: tf.Tensor2D, n: number): tf.Tensor2D {
    if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`interpolation needs at least 2 points, got ${n}`);
    return tf.tidy(() => {
      const codes = this.encode(tf.concat([xa, xb]) as tf.Tensor2D).mu;
      const [za, zb] = tf.split<tf.Tensor2D>(codes, 2);
      const alpha = tf.linspace(0, 1, n).reshape([n, 1]);
      return this.decode(tf.add(za, tf.mul(alpha, tf.sub(zb, za))) as tf.Tensor2D);
    });
  }

  /**
   * Backward through decoder from dL/dlogits: fills grads for dec and out, returns dL/dz.
   * `z` is the decoder's input of the forward pass.
   */
  protected decoderBackward(z: tf.Tensor2D, pass: DecoderPass, dLogits: tf.Tensor2D, grads: Map<string, tf.Tensor>): tf.Tensor2D {
    const g = this.out.backward(pass.h2, dLogits);
    grads.set('out/W', g.dW).set('out/b', g.db);
    const dA2 = tf.mul<tf.Tensor2D>(g.dx, tf.step(pass.a2));
    const d = this.dec.backward(z, dA2);
    grads.set('dec/W', d.dW).set('dec/b', d.db);
    return d.dx;
  }

  /** Backward through the encoder trunk from dL/dh (h = relu(a1)); fills grads for enc. */
  protected encoderBackward(x: tf.Tensor2D, a1: tf.Tensor2D, dH: tf.Tensor2D, grads: Map<string, tf.Tensor>): void {
    const g = this.enc.paramGrads(x, tf.mul<tf.Tensor2D>(dH, tf.step(a1)));
    grads.set('enc/W', g.dW).set('enc/b', g.db);
  }

  /**
   * evaluate() over n images (rows of `rows`, inputDim values each) in chunks of `chunk`, averaged per image: one
   * forward pass a chunk and one asynchronous read at the end. The VAE draws chunk c's noise with draw c, so the
   * same weights give the same figure every time (and a curve of it moves only as the model does).
   */
  async evaluateRows(rows: Float32Array, n: number, chunk = 250): Promise<Evaluated> {
    if (!(Number.isInteger(n) && n > 0 && n * this.inputDim <= rows.length))
      throw new RangeError(`cannot evaluate ${n} rows of ${this.inputDim} from ${rows.length} values`);
    if (!(Number.isInteger(chunk) && chunk > 0)) throw new RangeError(`chunk must be a positive integer, got ${chunk}`);
    let keys: string[] = [];
    const sums: tf.Tensor1D[] = [];
    try {
      for (let start = 0, c = 0; start < n; start += chunk, c++) {
        const m = Math.min(chunk, n - start);
        sums.push(
          tf.tidy(() => {
            const x = tf.tensor2d(rows.subarray(start * this.inputDim, (start + m) * this.inputDim), [m, this.inputDim]);
            const { loss, terms } = this.evaluate(x, { draw: c });
            if (c === 0) keys = Object.keys(terms);
            return tf.mul(tf.stack([loss, ...keys.map((k) => terms[k])]), m) as tf.Tensor1D;
          }),
        );
      }
      const mean = tf.tidy(() => tf.div(tf.addN(sums), n));
      const values = (await mean.data()) as Float32Array;
      mean.dispose();
      return { loss: values[0], terms: Object.fromEntries(keys.map((k, i) => [k, values[i + 1]])) };
    } finally {
      tf.dispose(sums);
    }
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.adam.dispose();
  }
}

/** Per-image Bernoulli negative log-likelihood summed over pixels, stable for any logit: [B]. */
export function bceWithLogitsRows(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    // max(l, 0) - l x + log(1 + exp(-|l|))
    const perPixel = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.sum(perPixel, 1) as tf.Tensor1D;
  });
}
