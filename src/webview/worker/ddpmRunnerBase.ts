// What the DDPM runners on data space (2D points, images) share beyond the picture loop: the model's T,
// its checkpoint extras (EMA weights, loss by timestep), the live settings, and disposal.
import type * as tf from '@tensorflow/tfjs';
import type { DiffusionConfig, TrainConfig } from '../../domain/config';
import type { Ddpm } from '../../models/ddpm';
import { DiffusionRunnerBase } from './diffusionRunnerBase';

export abstract class DdpmRunnerBase<M extends Ddpm> extends DiffusionRunnerBase {
  readonly kind = 'ddpm' as const;

  protected constructor(
    readonly model: M,
    cfg: DiffusionConfig,
    redrawEvery = 1,
  ) {
    super(cfg, redrawEvery);
  }

  protected get T(): number {
    return this.model.T;
  }

  /** Rows of each training batch now. */
  abstract get batchSize(): number;
  /** Trains on batches of `rows` rows from the next step on. */
  protected abstract resizeBatches(rows: number): void;

  configure(config: TrainConfig): void {
    const d = this.applySettings(config);
    this.model.setLearningRate(d.learningRate);
    this.resizeBatches(d.batchSize);
  }

  applied(): Record<string, number | string> {
    return { ...this.samplingApplied(), 'diffusion.learningRate': this.model.learningRate, 'diffusion.batchSize': this.batchSize };
  }

  extraState(): Map<string, tf.Tensor> {
    return this.model.extraState();
  }

  restoreExtra(saved: Map<string, { shape: number[]; values: Float32Array }>, step: number): void {
    this.model.restoreExtra(saved, { step });
  }

  dispose(): void {
    this.model.dispose();
  }
}
