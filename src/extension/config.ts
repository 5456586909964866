// Reads the run configuration from the `latentLab.*` settings and writes changes made in the sidebar back
// (what each setting is, and which need a fresh model: src/domain/settings.ts).
import * as vscode from 'vscode';
import type { ModelKind, TrainConfig } from '../domain/config';
import { changedSettings, configFrom } from '../domain/settings';

/** The configuration for `model` from the settings; a value no setting can take is reported once and replaced. */
export function readConfig(model: ModelKind): TrainConfig {
  const c = vscode.workspace.getConfiguration('latentLab');
  const { config, invalid } = configFrom(model, (key, fallback) => c.get(key, fallback));
  for (const bad of invalid) {
    const what = `${bad.key}=${JSON.stringify(bad.value)}`;
    if (reported.has(what)) continue;
    reported.add(what);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The setting latentLab.{0} has the value {1}, which it cannot take: using {2}.',
        bad.key,
        JSON.stringify(bad.value),
        JSON.stringify(bad.used),
      ),
    );
  }
  return config;
}

/** Invalid values already reported (a run reads its settings on every change). */
const reported = new Set<string>();

/**
 * Writes the settings on which `next` differs from `prev`, leaving the others as they are: in the workspace where
 * the workspace sets that setting (a user-scope value would not show through it), otherwise in the user's settings.
 */
export async function writeConfig(next: TrainConfig, prev: TrainConfig): Promise<void> {
  const c = vscode.workspace.getConfiguration('latentLab');
  for (const [key, value] of changedSettings(next, prev)) {
    const inWorkspace = c.inspect(key)?.workspaceValue !== undefined;
    await c.update(key, value, inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  }
}
