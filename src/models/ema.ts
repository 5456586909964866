// Exponential moving average of a model's weights, used for sampling: raw weights make samples jump from one
// checkpoint to the next, the average settles them (design.md 3b). The averaged weights live in a second copy
// of the network (the caller's `shadow` variables), so sampling with them never swaps the training weights
// and stays safe across `await`s.
import * as tf from '@tensorflow/tfjs';

export class Ema {
  /** Number of updates so far (the warm-up below depends on it). */
  updates = 0;

  /** `shadow` must hold a variable of the same shape for every name in `params`; it is set to the params now. */
  constructor(
    private readonly params: Map<string, tf.Variable>,
    private readonly shadow: Map<string, tf.Variable>,
    readonly decay = 0.999,
  ) {
    for (const [name, p] of params) {
      const s = shadow.get(name);
      if (!s || s.shape.join('x') !== p.shape.join('x')) throw new Error(`Ema: no shadow of shape [${p.shape}] for '${name}'`);
      s.assign(p);
    }
  }

  /** The decay used by the next update: min(decay, (1 + n) / (10 + n)), TensorFlow's warm-up. */
  currentDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
  }

  /**
   * shadow <- d shadow + (1 - d) param. The warm-up lets the average follow the fast early changes instead of
   * remembering the random initialisation for ~1/(1 - decay) steps.
   */
  update(): void {
    const d = this.currentDecay();
    this.updates++;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const s = this.shadow.get(name)!;
        s.assign(tf.add(s, tf.mul(1 - d, tf.sub(p, s))));
      }
    });
  }

  /** Averaged weights by parameter name (references owned by the shadow network). */
  state(): Map<string, tf.Variable> {
    return new Map(this.shadow);
  }
}
