// The note index of an open document, shared by the hover, decorations, code lenses and reveal command.
import * as vscode from 'vscode';
import { NoteIndex, NoteIndexCache } from './core/noteIndex';

export const MARKDOWN: vscode.DocumentSelector = { language: 'markdown' };

export class NoteDocuments implements vscode.Disposable {
  private readonly cache = new NoteIndexCache();
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()));
  }

  /** The index of this version of the document (rebuilt only when the version changes). */
  of(document: vscode.TextDocument): NoteIndex {
    return this.cache.get(document.uri.toString(), document.version, () => document.getText());
  }

  dispose(): void {
    this.closing.dispose();
  }
}

export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown';
}

/** Glyph colour for rendered equations: hover images do not inherit the theme's text colour. */
export function themeForeground(): string {
  const kind = vscode.window.activeColorTheme.kind;
  return kind === vscode.ColorThemeKind.Light || kind === vscode.ColorThemeKind.HighContrastLight ? '#1f1f1f' : '#d4d4d4';
}
