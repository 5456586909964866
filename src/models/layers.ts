// The one dense layer of every model. Its gradient is written out with explicit transposes so that every
// matrix product is untransposed: TF.js's wasm backend runs transposed matMuls in a naive loop, several
// times slower than the XNNPACK path it takes for plain ones (see README, "Speed").
import * as tf from '@tensorflow/tfjs';

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'silu';

export interface DenseGrads {
  dx: tf.Tensor2D;
  dW: tf.Tensor2D;
  db: tf.Tensor1D;
}

export class Dense {
  readonly W: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;

  constructor(readonly name: string, readonly inDim: number, readonly outDim: number, seed: number) {
    // Glorot-uniform weights, zero bias (Keras' defaults, so results compare with a PyTorch/Keras reference).
    const limit = Math.sqrt(6 / (inDim + outDim));
    this.W = tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', seed), true, `${name}/W`);
    this.b = tf.variable(tf.zeros([outDim]), true, `${name}/b`);
  }

  /** x @ W + b, recorded on the autodiff tape with the untransposed gradient below. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const f = tf.customGrad((xi: tf.Tensor, Wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
      save([xi, Wi]);
      return {
        value: tf.add(tf.matMul(xi as tf.Tensor2D, Wi as tf.Tensor2D), bi),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const g = denseBackward(saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D, dy as tf.Tensor2D);
          return [g.dx, g.dW, g.db];
        },
      };
    });
    return f(x, this.W, this.b) as tf.Tensor2D;
  }

  /** Forward pass without the tape (for hand-written backward passes and inference). */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.W), this.b);
  }

  backward(x: tf.Tensor2D, dy: tf.Tensor2D): DenseGrads {
    return denseBackward(x, this.W, dy);
  }

  get variables(): tf.Variable[] {
    return [this.W, this.b];
  }

  dispose(): void {
    this.W.dispose();
    this.b.dispose();
  }
}

/** Gradients of y = x W + b, every product untransposed; the bias gradient as ones^T dy, also a matMul. */
export function denseBackward(x: tf.Tensor2D, W: tf.Tensor2D, dy: tf.Tensor2D): DenseGrads {
  return tf.tidy(() => {
    const dx = tf.matMul(dy, tf.transpose(W));
    const dW = tf.matMul(tf.transpose(x), dy);
    const db = tf.matMul(tf.ones([1, dy.shape[0]]), dy).reshape([dy.shape[1]]) as tf.Tensor1D;
    return { dx, dW, db };
  });
}
