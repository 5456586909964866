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

let denseCount = 0;

export class Dense {
  readonly W: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly name: string,
    readonly inDim: number,
    readonly outDim: number,
    seed: number,
  ) {
    // Glorot-uniform weights, zero bias (Keras' defaults, so results compare with a PyTorch/Keras reference).
    const limit = Math.sqrt(6 / (inDim + outDim));
    // TF.js variable names are global: a suffix lets two models with the same layer names live together.
    const unique = `${name}#${++denseCount}`;
    // Inside tidy so the initial-value tensors do not outlive the variables' construction.
    this.W = tf.tidy(() => tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', seed), true, `${unique}/W`));
    this.b = tf.tidy(() => tf.variable(tf.zeros([outDim]), true, `${unique}/b`));
  }

  /** x @ W + b, recorded on the autodiff tape with the untransposed gradient below. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xi, Wi, bi, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
      save([xi, Wi]);
      return {
        value: tf.add<tf.Tensor2D>(tf.matMul(xi, Wi), bi),
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

  /** Weight and bias gradients only: for a first layer, whose input gradient nobody needs (saves the largest matMul). */
  paramGrads(x: tf.Tensor2D, dy: tf.Tensor2D): Omit<DenseGrads, 'dx'> {
    return tf.tidy(() => ({ dW: tf.matMul<tf.Tensor2D>(tf.transpose(x), dy), db: biasGrad(dy) }));
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
    const dx = tf.matMul<tf.Tensor2D>(dy, tf.transpose(W));
    const dW = tf.matMul<tf.Tensor2D>(tf.transpose(x), dy);
    return { dx, dW, db: biasGrad(dy) };
  });
}

/** Sum of dy over the batch as ones^T dy: a matMul is faster than a batch-axis sum on wasm. */
function biasGrad(dy: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
}
