// A subtle dotted underline under every equation that binds a live tensor, in markdown editors;
// refreshed on edits (debounced), when editors change, and when the running model changes.
import * as vscode from 'vscode';
import type { ModelKind } from '../../domain/config';
import { boundEquationSpans } from './core/boundEquations';
import type { LiveRunReader } from './core/liveRun';
import type { NoteIndex } from './core/noteIndex';
import { isMarkdown, type NoteDocuments } from './documents';

const DEBOUNCE_MS = 250;

export class EquationDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    // The text-decoration shorthand takes a colour: the theme's link colour marks "hover for more".
    textDecoration: 'underline dotted var(--vscode-textLink-foreground)',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly spans = new WeakMap<NoteIndex, { model: ModelKind | undefined; spans: Array<[number, number]> }>();
  private lastModel: ModelKind | undefined;

  constructor(
    private readonly notes: NoteDocuments,
    private readonly run: LiveRunReader,
  ) {
    this.lastModel = run.status?.model;
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.refresh(e)),
      vscode.workspace.onDidChangeTextDocument((e) => isMarkdown(e.document) && this.schedule(e.document)),
      run.onDidUpdate(() => {
        if (run.status?.model !== this.lastModel) {
          this.lastModel = run.status?.model;
          this.refreshAll();
        }
      }),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.refresh(editor);
  }

  refresh(editor: vscode.TextEditor): void {
    if (!isMarkdown(editor.document)) return;
    const note = this.notes.of(editor.document);
    const model = this.run.status?.model;
    let cached = this.spans.get(note);
    if (!cached || cached.model !== model) {
      cached = { model, spans: boundEquationSpans(note, model) };
      this.spans.set(note, cached);
    }
    const doc = editor.document;
    editor.setDecorations(
      this.type,
      cached.spans.map(([s, e]) => new vscode.Range(doc.positionAt(s), doc.positionAt(e))),
    );
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.refresh(editor);
      }, DEBOUNCE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.subscriptions) d.dispose();
    this.type.dispose();
  }
}
