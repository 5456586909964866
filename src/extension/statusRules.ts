// What a status from the worker says about the run it replaced (pure: no vscode).
import type { RunStatus } from '../domain/run';

/**
 * True when the view's own Reset button took the run back to step 0: its old tensors and checkpoint are void.
 * A run loading a checkpoint passes through step 0 too (state 'loading'), and a NaN loss goes back to its last
 * good step, not to 0: both keep the checkpoint.
 */
export function wasResetInView(prev: RunStatus | undefined, next: RunStatus): boolean {
  return !!prev && prev.model === next.model && prev.step > 0 && next.step === 0 && next.state !== 'loading';
}
