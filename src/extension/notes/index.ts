// Registers the notes features: equation hover, underline of bound equations, code lenses, and the
// `latentLab.openNotes` and `latentLab.revealEquation` commands. MathJax loads on the first hover.
import * as vscode from 'vscode';
import { NoteCodeLensProvider } from './codeLens';
import type { LiveRunReader } from './core/liveRun';
import { EquationRenderer } from './core/render';
import { EquationDecorations } from './decorations';
import { MARKDOWN, NoteDocuments } from './documents';
import { EquationHoverProvider } from './hover';
import { openNotes } from './openNotes';
import { revealEquation } from './revealEquation';

export function activateNotes(context: vscode.ExtensionContext, run: LiveRunReader): vscode.Disposable {
  const notes = new NoteDocuments();
  const renderer = new EquationRenderer();
  const disposables: vscode.Disposable[] = [
    notes,
    vscode.languages.registerHoverProvider(MARKDOWN, new EquationHoverProvider(notes, renderer, run)),
    vscode.languages.registerCodeLensProvider(MARKDOWN, new NoteCodeLensProvider(notes)),
    new EquationDecorations(notes, run),
    vscode.commands.registerCommand('latentLab.openNotes', (arg?: { file?: string; pick?: boolean }) => openNotes(context.extensionUri, arg)),
    vscode.commands.registerCommand('latentLab.revealEquation', (arg: unknown) => revealEquation(arg, notes, run, context.extensionUri)),
  ];
  return vscode.Disposable.from(...disposables);
}
