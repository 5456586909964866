// Command `latentLab.revealEquation` ({tensor} or a tensor name): finds the first equation binding that
// tensor in the visible markdown editors, then the other open markdown documents, then the bundled note
// of the running model, and reveals and selects it.
import * as vscode from 'vscode';
import { MODEL_KIND_LIST, MODEL_KINDS } from '../../domain/modelKinds';
import { exists, noteUri } from './bundledNotes';
import type { Equation } from './core/equations';
import { findEquationBinding, tensorArgument } from './core/findEquation';
import type { LiveRunReader } from './core/liveRun';
import { isMarkdown, type NoteDocuments } from './documents';

export async function revealEquation(arg: unknown, notes: NoteDocuments, run: LiveRunReader, extensionUri: vscode.Uri): Promise<boolean> {
  const tensor = tensorArgument(arg);
  if (!tensor) return false;
  const active = run.status?.model;

  const documents: vscode.TextDocument[] = [];
  const add = (d: vscode.TextDocument): void => {
    if (isMarkdown(d) && !documents.includes(d)) documents.push(d);
  };
  if (vscode.window.activeTextEditor) add(vscode.window.activeTextEditor.document);
  vscode.window.visibleTextEditors.forEach((e) => add(e.document));
  vscode.workspace.textDocuments.forEach(add);

  for (const document of documents) {
    const eq = findEquationBinding(notes.of(document), tensor, active);
    if (eq) return select(document, eq);
  }

  const files = active ? [MODEL_KINDS[active].note] : [...new Set(MODEL_KIND_LIST.map((m) => MODEL_KINDS[m].note))];
  for (const file of files) {
    const uri = noteUri(extensionUri, file);
    if (!(await exists(uri))) continue;
    const document = await vscode.workspace.openTextDocument(uri);
    const eq = findEquationBinding(notes.of(document), tensor, active);
    if (eq) return select(document, eq);
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('No equation in the notes binds the tensor {0}.', tensor));
  return false;
}

async function select(document: vscode.TextDocument, eq: Equation): Promise<boolean> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn, preview: false });
  const range = new vscode.Range(document.positionAt(eq.texStart), document.positionAt(eq.texEnd));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
