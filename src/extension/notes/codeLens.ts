// "▶ Train this model" and "Open in Latent Lab" at the top of a note whose front matter names a model,
// and "▶ Train <model>" above each `<!-- latent-lab: model=... -->` that switches model mid-note.
import * as vscode from 'vscode';
import { MODEL_KINDS, MODEL_LABELS } from '../../domain/modelKinds';
import type { ModelKind } from '../../domain/config';
import type { NoteModel } from './core/bindings';
import type { NoteDocuments } from './documents';

const isModel = (m: NoteModel | undefined): m is ModelKind => m !== undefined && m !== 'none';

export class NoteCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly notes: NoteDocuments) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const note = this.notes.of(document);
    const lenses: vscode.CodeLens[] = [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (isModel(note.model)) {
      lenses.push(
        new vscode.CodeLens(top, { title: vscode.l10n.t('▶ Train this model'), command: MODEL_KINDS[note.model].command, tooltip: MODEL_LABELS[note.model] }),
        new vscode.CodeLens(top, { title: vscode.l10n.t('Open in Latent Lab'), command: 'latentLab.showLab' }),
      );
    }
    for (const d of note.directives) {
      if (!isModel(d.model)) continue;
      const at = new vscode.Range(d.position.line, 0, d.position.line, 0);
      lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('▶ Train {0}', MODEL_LABELS[d.model]), command: MODEL_KINDS[d.model].command }));
    }
    return lenses;
  }
}
