// The deterministic autoencoder: x -> relu(hidden) -> z -> relu(hidden) -> logits, Bernoulli (BCE) loss.
// Decoding draws from N(0, I) shows what a VAE fixes: most of that space decodes to nothing like the data.
import * as tf from '@tensorflow/tfjs';
import { bceWithLogitsRows, MlpAutoencoder, type MlpAutoencoderOptions } from './mlpAutoencoder';
import type { StepTensors } from './types';

export interface AeLossAndGrads extends StepTensors {
  grads: Map<string, tf.Tensor>;
}

export class Ae extends MlpAutoencoder {
  readonly kind = 'ae' as const;

  constructor(opts: MlpAutoencoderOptions) {
    super(opts, ['z']);
  }

  private get zHead() {
    return this.heads[0];
  }

  trainStep(batch: tf.Tensor2D): StepTensors {
    const { loss, terms, grads } = this.lossAndGrads(batch);
    this.adam.apply(grads);
    for (const g of grads.values()) g.dispose();
    this.stepCount++;
    return { loss, terms };
  }

  /** Loss and every parameter's gradient, the backward pass written out by hand. */
  lossAndGrads(x: tf.Tensor2D): AeLossAndGrads {
    const grads = new Map<string, tf.Tensor>();
    const { loss, recon } = tf.tidy(() => {
      const a1 = this.enc.forward(x);
      const h = tf.relu(a1);
      const z = this.zHead.forward(h);
      const pass = this.decoderPass(z);
      const recon = tf.mean(bceWithLogitsRows(pass.logits, x)) as tf.Scalar;
      const dLogits = tf.mul<tf.Tensor2D>(tf.sub(tf.sigmoid(pass.logits), x), 1 / x.shape[0]);
      const dz = this.decoderBackward(z, pass, dLogits, grads);
      const gz = this.zHead.backward(h, dz);
      grads.set('z/W', gz.dW).set('z/b', gz.db);
      this.encoderBackward(x, a1, gz.dx, grads);
      for (const g of grads.values()) tf.keep(g);
      return { loss: tf.clone(recon) as tf.Scalar, recon };
    });
    return { loss, terms: { recon }, grads };
  }

  /** Every named tensor of one forward pass (protocol TENSOR_NAMES.ae); recon is per image [B]. */
  inspect(batch: tf.Tensor2D): Record<string, tf.Tensor> {
    return tf.tidy(() => {
      const h_enc = tf.relu(this.enc.forward(batch));
      const z = this.zHead.forward(h_enc);
      const logits = this.decoderPass(z).logits;
      return { x: tf.clone(batch), h_enc, z, x_hat: tf.sigmoid(logits), recon: bceWithLogitsRows(logits, batch) };
    });
  }

  encode(x: tf.Tensor2D): { mu: tf.Tensor2D } {
    return tf.tidy(() => ({ mu: this.zHead.forward(tf.relu(this.enc.forward(x))) }));
  }

  /** The training loss without training: recon (BCE summed over pixels) per image, averaged over the batch. */
  evaluate(x: tf.Tensor2D): { loss: tf.Scalar; terms: { recon: tf.Scalar } } {
    return tf.tidy(() => {
      const recon = tf.mean(bceWithLogitsRows(this.decoderPass(this.encode(x).mu).logits, x)) as tf.Scalar;
      return { loss: tf.clone(recon), terms: { recon } };
    });
  }

  /** Average reconstruction loss per image on held-out data: a scalar. */
  heldOutRecon(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => this.evaluate(x).terms.recon);
  }
}
