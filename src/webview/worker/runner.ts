// What the training loop needs from a model family, whatever it is (AE/VAE on images, DDPM, latent diffusion).
import type * as tf from '@tensorflow/tfjs';
import type { FromWorker } from '../../protocol';
import type { ModelKind, TrainConfig } from '../../domain/config';
import type { TensorSnapshot } from '../../domain/tensors';
import type { WorkerNotice } from '../../domain/notices';
import type { StepTensors, TrainableModel } from '../../models/types';

export interface Runner {
  readonly kind: ModelKind;
  readonly model: TrainableModel;
  /** Samples per training step (the batch size). */
  readonly batchSize: number;
  /** Epoch of the next batch (0 where data is generated on the fly). */
  readonly epoch: number;
  /** Takes the next batch and runs one optimisation step; the caller reads and disposes the scalars. */
  step(stepIndex: number): StepTensors;
  /** Named tensors of the latest batch as snapshots. */
  snapshots(step: number): Promise<TensorSnapshot[]>;
  /** The slower pictures (latent map, gallery, diffusion views), as worker messages. */
  visuals(step: number): Promise<FromWorker[]>;
  /** Applies every live setting (src/domain/settings.ts) this model uses: learning rate, beta, batch size, sampler... */
  configure(config: TrainConfig): void;
  /**
   * The values the model trains and samples with now, keyed by setting key ('learningRate', 'diffusion.batchSize',
   * 'beta'...), read from the model, its optimizer and its batches rather than from the configuration it was given.
   */
  applied(): Record<string, number | string>;
  decode?(z: [number, number]): Promise<{ image: number[]; imageSize: [number, number] }>;
  sample?(opts: { sampler?: 'ddpm' | 'ddim'; steps?: number; eta?: number; useEma?: boolean }, step: number): Promise<FromWorker[]>;
  forwardAt?(t: number): Promise<FromWorker>;
  /**
   * The training loss and its terms on the data set's held-out images, averaged per image, without training (AE/VAE):
   * in chunks, with no gradient, read back asynchronously.
   */
  heldOut?(): Promise<{ loss: number; terms: Record<string, number> }>;
  /** Extra state for checkpoints (e.g. EMA weights), by stable name. */
  extraState?(): Map<string, tf.Tensor>;
  /** What the status should say besides the numbers (e.g. the phase of a two-phase run). */
  readonly notice?: WorkerNotice;
  /** False while a checkpoint would not capture the run (e.g. latent diffusion's VAE phase). */
  readonly checkpointable?: boolean;
  /** Asynchronous work between training slices (reads that WebGPU cannot do synchronously). */
  prepare?(): Promise<void>;
  /** True once after the run switched phase: the loss chart starts again. */
  consumePhaseChange?(): boolean;
  restoreExtra?(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void;
  dispose(): void;
}

/** One optimisation step on a batch the caller made for it; the batch is disposed whatever happens. */
export function trainOn(batch: tf.Tensor2D, train: (batch: tf.Tensor2D) => StepTensors): StepTensors {
  try {
    return train(batch);
  } finally {
    batch.dispose();
  }
}
