// The equation of a note that binds a tensor, for `latentLab.revealEquation`, and that command's argument.
import type { ModelKind } from '../../../domain/config';
import { resolveBindingsCached as resolveBindings } from './bindings';
import type { Equation } from './equations';
import type { NoteIndex } from './noteIndex';

/** The first equation binding `tensor`, preferring equations of the running model. */
export function findEquationBinding(note: NoteIndex, tensor: string, activeModel: ModelKind | undefined): Equation | undefined {
  let fallback: Equation | undefined;
  for (const e of note.equations) {
    const ctx = note.contextAt(e.start);
    const model = ctx.model ?? activeModel;
    if (!resolveBindings(e.tex, model, ctx.bindings).tensors.includes(tensor)) continue;
    if (!activeModel || model === activeModel) return e;
    fallback ??= e;
  }
  return fallback;
}

/** The tensor name of the command's argument: a name, `{tensor}`, or either as the first of an array (hover links). */
export function tensorArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Array.isArray(arg)) return tensorArgument(arg[0]);
  const t = (arg as { tensor?: unknown } | null | undefined)?.tensor;
  return typeof t === 'string' ? t : undefined;
}
