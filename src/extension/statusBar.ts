// The status bar item: model, step and loss of the live run; clicking it reveals the Lab view.
import * as vscode from 'vscode';
import { MODEL_LABELS } from '../domain/modelKinds';
import type { RunStatus } from '../domain/run';

export class LabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('latentLab.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Latent Lab';
    this.item.command = 'latentLab.showLab';
  }

  update(s: RunStatus): void {
    const icon = s.state === 'training' ? '$(pulse)' : s.state === 'error' ? '$(warning)' : s.state === 'loading' ? '$(loading~spin)' : '$(debug-pause)';
    const loss = s.loss === null ? '' : ` · ${vscode.l10n.t('loss')} ${formatLoss(s.loss)}`;
    this.item.text = `${icon} ${MODEL_LABELS[s.model]} · ${vscode.l10n.t('step')} ${s.step}${loss}`;
    const state = stateLabel(s);
    this.item.tooltip = new vscode.MarkdownString(
      `**Latent Lab** — ${MODEL_LABELS[s.model]}, ${state}` +
        (s.backend ? `\n\n${vscode.l10n.t('Backend')}: \`${s.backend}\`` : '') +
        (s.samplesPerSec ? ` · ${Math.round(s.samplesPerSec)} ${vscode.l10n.t('samples/s')}` : '') +
        (s.message ? `\n\n${s.message}` : '') +
        `\n\n${vscode.l10n.t('Click to show the lab.')}`,
    );
    this.item.backgroundColor = s.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

function stateLabel(s: RunStatus): string {
  switch (s.state) {
    case 'training':
      return vscode.l10n.t('training');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'hidden':
      return vscode.l10n.t('paused while the view is hidden');
    case 'loading':
      return vscode.l10n.t('loading');
    case 'error':
      return vscode.l10n.t('stopped by an error');
    default:
      return vscode.l10n.t('idle');
  }
}
