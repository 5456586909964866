// What the notes read of the live run: its status and the latest snapshot of each tensor. The notes own this
// port; the extension's session mirror (src/extension/session.ts) implements it.
import type { ModelKind } from '../../../domain/config';
import type { RunStatus } from '../../../domain/run';
import type { TensorSnapshot } from '../../../domain/tensors';

export interface LiveRunReader {
  /** The run's latest status; undefined before anything ran. Its model is the one the lab trains. */
  readonly status: RunStatus | undefined;
  /** Latest snapshot of a tensor of `model` (of the running model when omitted). */
  latest(name: string, model?: ModelKind): TensorSnapshot | undefined;
  /** Calls `listener` whenever the status or a snapshot changes, until the returned handle is disposed. */
  readonly onDidUpdate: (listener: () => void) => { dispose(): void };
}
