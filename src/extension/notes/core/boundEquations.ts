// Which equations of a note bind something live: the ones the editor underlines.
import type { ModelKind } from '../../../domain/config';
import { resolveBindingsCached as resolveBindings } from './bindings';
import type { NoteIndex } from './noteIndex';

/** Offsets [start, end) of the equations of a note that bind at least one tensor or setting. */
export function boundEquationSpans(note: NoteIndex, activeModel: ModelKind | undefined): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const e of note.equations) {
    const ctx = note.contextAt(e.start);
    const b = resolveBindings(e.tex, ctx.model ?? activeModel, ctx.bindings);
    if (b.tensors.length || b.settings.length) spans.push([e.start, e.end]);
  }
  return spans;
}
