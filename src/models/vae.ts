// The variational autoencoder: q(z|x) = N(mu(x), diag(exp(logvar(x)))), p(z) = N(0, I), Bernoulli decoder.
// loss = recon + beta * kl per image, averaged over the batch (the negative ELBO when beta = 1).
import * as tf from '@tensorflow/tfjs';
import { bceWithLogitsRows, MlpAutoencoder, type EvaluateOptions, type MlpAutoencoderOptions } from './mlpAutoencoder';
import { deriveSeed } from './random';
import type { StepTensors } from './types';

export interface VaeOptions extends MlpAutoencoderOptions {
  beta?: number;
}

export interface VaeLossAndGrads extends StepTensors {
  grads: Map<string, tf.Tensor>;
}

/** Salts that keep the noise of training, inspection and evaluation apart. */
const INSPECT_SALT = 0x1e5;
const EVAL_SALT = 0xe7a1;

export class Vae extends MlpAutoencoder {
  readonly kind = 'vae' as const;
  beta: number;

  constructor(opts: VaeOptions) {
    super(opts, ['mu', 'logvar']);
    this.beta = opts.beta ?? 1;
  }

  private get muHead() {
    return this.heads[0];
  }

  private get logvarHead() {
    return this.heads[1];
  }

  /** The reparameterisation noise of training step `step` (a pure function of the seed and the step). */
  epsFor(batchSize: number, step: number, salt = 0): tf.Tensor2D {
    return tf.randomNormal([batchSize, this.latentDim], 0, 1, 'float32', deriveSeed(this.seed ^ salt, step));
  }

  trainStep(batch: tf.Tensor2D): StepTensors {
    const eps = this.epsFor(batch.shape[0], this.stepCount);
    const { loss, terms, grads } = this.lossAndGrads(batch, eps);
    eps.dispose();
    this.adam.apply(grads);
    for (const g of grads.values()) g.dispose();
    this.stepCount++;
    return { loss, terms };
  }

  /** Loss terms and every parameter's gradient for a given noise draw, the backward pass written out by hand. */
  lossAndGrads(x: tf.Tensor2D, eps: tf.Tensor2D): VaeLossAndGrads {
    const beta = this.beta;
    const grads = new Map<string, tf.Tensor>();
    const { loss, recon, kl } = tf.tidy(() => {
      const invB = 1 / x.shape[0];
      // forward
      const a1 = this.enc.forward(x);
      const h = tf.relu(a1);
      const mu = this.muHead.forward(h);
      const logvar = this.logvarHead.forward(h);
      const sigma = tf.exp(tf.mul(logvar, 0.5));
      const z = tf.add<tf.Tensor2D>(mu, tf.mul(sigma, eps));
      const pass = this.decoderPass(z);
      const recon = tf.mean(bceWithLogitsRows(pass.logits, x));
      const varq = tf.exp(logvar);
      const kl = tf.mul(tf.mean(tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), varq), logvar), 1), 1)), 0.5);
      const loss = tf.add(recon, tf.mul(kl, beta));
      // backward: d(mean BCE)/dlogits = (sigmoid(l) - x) / B
      const dLogits = tf.mul<tf.Tensor2D>(tf.sub(tf.sigmoid(pass.logits), x), invB);
      const dz = this.decoderBackward(z, pass, dLogits, grads);
      // z = mu + sigma * eps; KL's own gradient: mu and (exp(logvar) - 1) / 2, times beta / B
      const dMu = tf.add<tf.Tensor2D>(dz, tf.mul(mu, beta * invB));
      const dLogvar = tf.add<tf.Tensor2D>(tf.mul(tf.mul(dz, eps), tf.mul(sigma, 0.5)), tf.mul(tf.sub(varq, 1), 0.5 * beta * invB));
      const gm = this.muHead.backward(h, dMu);
      const gl = this.logvarHead.backward(h, dLogvar);
      grads.set('mu/W', gm.dW).set('mu/b', gm.db).set('logvar/W', gl.dW).set('logvar/b', gl.db);
      this.encoderBackward(x, a1, tf.add<tf.Tensor2D>(gm.dx, gl.dx), grads);
      for (const g of grads.values()) tf.keep(g);
      return { loss: loss as tf.Scalar, recon: recon as tf.Scalar, kl: kl as tf.Scalar };
    });
    return { loss, terms: { recon, kl }, grads };
  }

  /**
   * Every named tensor of one forward pass (protocol TENSOR_NAMES.vae). recon, kl and elbo are per image [B];
   * elbo = -(recon + kl), the true ELBO whatever beta. The caller disposes them.
   */
  inspect(batch: tf.Tensor2D): Record<string, tf.Tensor> {
    return tf.tidy(() => {
      const h_enc = tf.relu(this.enc.forward(batch));
      const mu = this.muHead.forward(h_enc);
      const logvar = this.logvarHead.forward(h_enc);
      const sigma = tf.exp(tf.mul(logvar, 0.5));
      const eps = this.epsFor(batch.shape[0], this.stepCount, INSPECT_SALT);
      const z = tf.add<tf.Tensor2D>(mu, tf.mul(sigma, eps));
      const logits = this.decoderPass(z).logits;
      const x_hat = tf.sigmoid(logits);
      const recon = bceWithLogitsRows(logits, batch);
      const kl = klRows(mu, logvar);
      const elbo = tf.neg(tf.add(recon, kl));
      return { x: tf.clone(batch), h_enc, mu, logvar, sigma, eps, z, x_hat, recon, kl, elbo };
    });
  }

  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    return tf.tidy(() => {
      const h = tf.relu(this.enc.forward(x));
      return { mu: this.muHead.forward(h), logvar: this.logvarHead.forward(h) };
    });
  }

  /**
   * The training loss without training: recon (BCE summed over pixels) + beta * kl per image, averaged over the
   * batch, with {recon, kl} as terms, exactly as lossAndGrads computes them. The noise is `opts.eps` (the training
   * step's, to compare with it) or else the seeded evaluation draw `opts.draw`, apart from training's noise.
   */
  evaluate(x: tf.Tensor2D, opts: EvaluateOptions = {}): { loss: tf.Scalar; terms: { recon: tf.Scalar; kl: tf.Scalar } } {
    return tf.tidy(() => {
      const { mu, logvar } = this.encode(x);
      const eps = opts.eps ?? this.epsFor(x.shape[0], opts.draw ?? 0, EVAL_SALT);
      const z = tf.add<tf.Tensor2D>(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
      const recon = tf.mean(bceWithLogitsRows(this.decoderPass(z).logits, x)) as tf.Scalar;
      const kl = tf.mean(klRows(mu, logvar)) as tf.Scalar;
      return { loss: tf.add(recon, tf.mul(kl, this.beta)) as tf.Scalar, terms: { recon, kl } };
    });
  }

  /** Average negative ELBO per image (beta = 1 whatever the model's, one seeded noise draw per image): a scalar for held-out data. */
  heldOutNegElbo(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const { terms } = this.evaluate(x);
      return tf.add(terms.recon, terms.kl) as tf.Scalar;
    });
  }
}

/** KL(N(mu, exp(logvar)) || N(0, I)) per row, closed form: [B]. */
export function klRows(mu: tf.Tensor2D, logvar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), logvar), 1), 1), 0.5) as tf.Tensor1D);
}
