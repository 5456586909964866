// Hover on an equation in a markdown editor: the equation rendered by MathJax, then the live tensors
// its symbols stand for, read from the live run's mirror (no round trip to the webview).
import * as vscode from 'vscode';
import { resolveBindingsCached as resolveBindings } from './core/bindings';
import { buildHoverMarkdown, HOVER_COMMANDS, type HoverStrings } from './core/hoverContent';
import type { LiveRunReader } from './core/liveRun';
import type { EquationRenderer } from './core/render';
import { themeForeground, type NoteDocuments } from './documents';

export function localisedHoverStrings(): HoverStrings {
  return {
    couldNotRender: (error) => vscode.l10n.t('Could not render this equation: {0}', error),
    showInLab: vscode.l10n.t('Show in Latent Lab'),
    noModelTraining: (link) => vscode.l10n.t('No model is training — {0}', link),
    otherModelTraining: (running, link) => vscode.l10n.t('The lab is training {0} — {1}', running, link),
    train: (model) => vscode.l10n.t('Train {0}', model),
    noValueYet: vscode.l10n.t('no value yet'),
    step: (step) => vscode.l10n.t('step {0}', step),
    shape: vscode.l10n.t('shape'),
    mean: vscode.l10n.t('mean'),
    std: vscode.l10n.t('std'),
    min: vscode.l10n.t('min'),
    max: vscode.l10n.t('max'),
    setting: (symbol, setting, value) => vscode.l10n.t('{0} is the setting `{1}` = {2}', symbol, setting, value),
  };
}

export class EquationHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly notes: NoteDocuments,
    private readonly renderer: EquationRenderer,
    private readonly run: LiveRunReader,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const note = this.notes.of(document);
    const equation = note.equationAt(document.offsetAt(position));
    if (!equation) return undefined;
    const context = note.contextAt(equation.start);
    const model = context.model ?? this.run.status?.model;
    const bindings = resolveBindings(equation.tex, model, context.bindings);
    const color = themeForeground();
    const rendered = await this.renderer.render(equation.tex.trim(), equation.display, { color });
    const tensorModel = model && model !== 'none' ? model : undefined;
    const config = vscode.workspace.getConfiguration();
    const text = buildHoverMarkdown({
      tex: equation.tex,
      display: equation.display,
      rendered,
      model,
      tensors: bindings.tensors.map((name) => ({ name, snapshot: this.run.latest(name, tensorModel) })),
      settings: bindings.settings.map((s) => ({ setting: s.setting, symbol: s.source, value: config.get(s.setting) })),
      status: this.run.status,
      strings: localisedHoverStrings(),
      pictureColor: color,
    });
    const markdown = new vscode.MarkdownString(text);
    markdown.supportHtml = true;
    markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
    const { start, end } = equation.range;
    return new vscode.Hover(markdown, new vscode.Range(start.line, start.character, end.line, end.character));
  }
}
