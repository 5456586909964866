// Registers the notes features: equation hover, underline of bound equations, code lenses, and the
// `latentLab.openNotes` and `latentLab.revealEquation` commands. Activation only registers: MathJax loads on the
// first equation hover (dist/mathjax.js, see render.ts), and the first underline pass runs once activation is over.
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
  // The underlines index every visible note and resolve its bindings (tens of ms for a long note, and a markdown
  // editor is what activates us): that first pass runs just after activation instead of inside it.
  let decorations: EquationDecorations | undefined;
  const startDecorations = setTimeout(() => (decorations = new EquationDecorations(notes, run)), 0);
  const disposables: vscode.Disposable[] = [
    notes,
    vscode.languages.registerHoverProvider(MARKDOWN, new EquationHoverProvider(notes, renderer, run)),
    vscode.languages.registerCodeLensProvider(MARKDOWN, new NoteCodeLensProvider(notes)),
    new vscode.Disposable(() => {
      clearTimeout(startDecorations);
      decorations?.dispose();
    }),
    vscode.commands.registerCommand('latentLab.openNotes', (arg?: { file?: string; pick?: boolean }) => openNotes(context.extensionUri, arg)),
    vscode.commands.registerCommand('latentLab.revealEquation', (arg: unknown) => revealEquation(arg, notes, run, context.extensionUri)),
  ];
  return vscode.Disposable.from(...disposables);
}
