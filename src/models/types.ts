// What the worker needs from every model, whatever its family.
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../domain/config';

export interface StepTensors {
  /** Scalar total loss of the step (the caller reads it asynchronously and disposes it). */
  loss: tf.Scalar;
  /** Scalar loss terms, e.g. {recon, kl} for the VAE, {mse} for the DDPM. */
  terms: Record<string, tf.Scalar>;
}

export interface TrainableModel {
  readonly kind: ModelKind;
  /** One optimisation step on a batch. Must not leak: every intermediate is disposed but the returned scalars. */
  trainStep(batch: tf.Tensor2D): StepTensors;
  /** Forward pass on a batch returning every named tensor (protocol TENSOR_NAMES); the caller disposes them. */
  inspect(batch: tf.Tensor2D): Record<string, tf.Tensor>;
  /** Trainable weights by stable name (references owned by the model). */
  weights(): Map<string, tf.Variable>;
  /** Optimizer slots by stable name (references owned by the optimizer). */
  optimizerState(): Map<string, tf.Variable>;
  /** Overwrite weights and optimizer state from saved arrays; throws a clear Error on shape mismatch. */
  restore(weights: Map<string, { shape: number[]; values: Float32Array }>, optimizer: Map<string, { shape: number[]; values: Float32Array }>): void;
  setLearningRate(lr: number): void;
  dispose(): void;
}
