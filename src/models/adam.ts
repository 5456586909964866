// Adam with its epsilon passed explicitly (TF.js otherwise takes the backend's: 1e-7, but 1e-4 on WebGL,
// so one seed would train differently per backend) and its per-step constants computed once per step.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

let adamCount = 0;

export class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly t: tf.Variable<tf.Rank.R0>;
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(
    private readonly params: Map<string, tf.Variable>,
    opts: AdamOptions,
  ) {
    this.learningRate = opts.learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-7;
    const id = ++adamCount; // TF.js variable names are global
    for (const [name, p] of params) {
      // Inside tidy so the zero tensors do not outlive the variables' construction.
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adam#${id}/m/${name}`)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adam#${id}/v/${name}`)),
      );
    }
    this.t = tf.tidy(() => tf.variable(tf.scalar(0), false, `adam#${id}/t`));
  }

  /** Applies one update; `grads` are keyed like the params and are not disposed here. */
  apply(grads: Map<string, tf.Tensor>): void {
    tf.tidy(() => {
      this.t.assign(tf.add(this.t, 1));
      const b1 = tf.scalar(this.beta1),
        b2 = tf.scalar(this.beta2);
      const c1 = tf.scalar(1 - this.beta1),
        c2 = tf.scalar(1 - this.beta2);
      const eps = tf.scalar(this.epsilon);
      // lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t), computed once per step, not per parameter.
      const lrT = tf.div(tf.mul(this.learningRate, tf.sqrt(tf.sub(1, tf.pow(b2, this.t)))), tf.sub(1, tf.pow(b1, this.t)));
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!,
          v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(b1, m), tf.mul(c1, g)));
        v.assign(tf.add(tf.mul(b2, v), tf.mul(c2, tf.square(g))));
        p.assign(tf.sub(p, tf.div(tf.mul(lrT, m), tf.add(tf.sqrt(v), eps))));
      }
    });
  }

  /** Slots by stable name: `m/<param>`, `v/<param>` and `t`. */
  state(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [n, m] of this.m) out.set(`m/${n}`, m);
    for (const [n, v] of this.v) out.set(`v/${n}`, v);
    out.set('t', this.t);
    return out;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values(), this.t]) x.dispose();
  }
}
