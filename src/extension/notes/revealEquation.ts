// Command `latentLab.revealEquation` ({tensor} or a tensor name): finds the first equation binding that
// tensor in the visible markdown editors, then the other open markdown documents, then the bundled note
// of the running model, and reveals and selects it.
import * as vscode from 'vscode';
import type { ModelKind } from '../../domain/config';
import type { SessionReader } from '../session';
import { resolveBindingsCached as resolveBindings } from './bindings';
import { exists, NOTE_OF_MODEL, noteUri } from './bundledNotes';
import { isMarkdown, type NoteDocuments } from './documents';
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

export function tensorArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Array.isArray(arg)) return tensorArgument(arg[0]);
  const t = (arg as { tensor?: unknown } | null | undefined)?.tensor;
  return typeof t === 'string' ? t : undefined;
}

export async function revealEquation(arg: unknown, notes: NoteDocuments, session: SessionReader, extensionUri: vscode.Uri): Promise<boolean> {
  const tensor = tensorArgument(arg);
  if (!tensor) return false;
  const active = session.status?.model;

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

  const files = active ? [NOTE_OF_MODEL[active]] : [...new Set(Object.values(NOTE_OF_MODEL))];
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
