// Runs a model's inspect() on a batch and turns every named tensor into a snapshot, disposing them all.
import * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../../domain/config';
import type { TensorSnapshot } from '../../domain/tensors';
import { snapshotTensors } from '../../models/snapshot';

export async function inspectSnapshots(
  batch: tf.Tensor2D | null,
  inspect: (batch: tf.Tensor2D) => Record<string, tf.Tensor>,
  model: ModelKind,
  step: number,
  imageSize?: [number, number],
): Promise<TensorSnapshot[]> {
  if (!batch) return [];
  const named = inspect(batch);
  try {
    return await snapshotTensors(named, model, step, imageSize);
  } finally {
    tf.dispose([batch, ...Object.values(named)]);
  }
}
