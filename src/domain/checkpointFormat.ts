// What a checkpoint file must hold before the worker is asked to restore it (pure: no vscode).
import { isModelKind } from './modelKinds';
import type { Checkpoint } from './run';
import type { ModelKind } from './config';

/** Structural check of a parsed checkpoint; the worker checks shapes against the model when it restores. */
export function validateCheckpoint(raw: unknown, model: ModelKind): Checkpoint {
  const cp = raw as Partial<Checkpoint>;
  if (!cp || typeof cp !== 'object') throw new Error('not an object');
  if (cp.version !== 1) throw new Error(`unknown version ${String(cp.version)}`);
  if (cp.model !== model) throw new Error(`it holds a ${String(cp.model)} model`);
  if (!Number.isInteger(cp.step) || (cp.step as number) < 0) throw new Error('bad step');
  for (const list of [cp.weights, cp.optimizer]) {
    if (!Array.isArray(list)) throw new Error('missing weights');
    for (const w of list) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || typeof w.data !== 'string') throw new Error('malformed weight entry');
    }
  }
  if (!cp.config || !Array.isArray(cp.lossHistory)) throw new Error('missing config or loss history');
  return cp as Checkpoint;
}

/** A model file chosen by the user: any model, checked whole, including the settings it was trained with. */
export function parseModelFile(text: string): Checkpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  const model = (raw as Partial<Checkpoint> | null)?.model;
  if (!isModelKind(model)) throw new Error(`no known model (${JSON.stringify(model)})`);
  const cp = validateCheckpoint(raw, model);
  const c = cp.config as Partial<Checkpoint['config']>;
  if (typeof c.autoencoder !== 'object' || typeof c.diffusion !== 'object' || !c.autoencoder || !c.diffusion)
    throw new Error('missing the settings it was trained with');
  return cp;
}
