// Registers the notes features: equation hover, underline of bound equations, code lenses, and the
// `latentLab.openNotes` and `latentLab.revealEquation` commands. MathJax loads on the first hover.
import * as vscode from 'vscode';
import type { SessionReader } from '../session';
import { NoteCodeLensProvider } from './codeLens';
import { EquationDecorations } from './decorations';
import { MARKDOWN, NoteDocuments } from './documents';
import { EquationHoverProvider } from './hover';
import { openNotes } from './openNotes';
import { EquationRenderer } from './render';
import { revealEquation } from './revealEquation';

export function activateNotes(context: vscode.ExtensionContext, session: SessionReader): vscode.Disposable {
  const notes = new NoteDocuments();
  const renderer = new EquationRenderer();
  const disposables: vscode.Disposable[] = [
    notes,
    vscode.languages.registerHoverProvider(MARKDOWN, new EquationHoverProvider(notes, renderer, session)),
    vscode.languages.registerCodeLensProvider(MARKDOWN, new NoteCodeLensProvider(notes)),
    new EquationDecorations(notes, session),
    vscode.commands.registerCommand('latentLab.openNotes', (arg?: { file?: string; pick?: boolean }) => openNotes(context.extensionUri, arg)),
    vscode.commands.registerCommand('latentLab.revealEquation', (arg: unknown) => revealEquation(arg, notes, session, context.extensionUri)),
  ];
  return vscode.Disposable.from(...disposables);
}
