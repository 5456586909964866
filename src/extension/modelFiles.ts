// "Export Trained Model…" and "Import Trained Model…": a checkpoint as a JSON file the user keeps or shares.
// Both take an optional file URI (scripts and tests); without one they ask with the file dialogs.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { MODEL_LABELS } from '../domain/modelKinds';
import type { Checkpoint } from '../domain/run';
import { parseModelFile } from '../domain/checkpointFormat';
import type { LabController } from './labController';

export type ImportResult = { imported: true; model: string; step: number } | { imported: false; error?: string };

function filters(): Record<string, string[]> {
  return { [vscode.l10n.t('Latent Lab model')]: ['json'] };
}

export async function exportModel(controller: LabController, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const cp = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Latent Lab: taking a checkpoint…') }, () =>
    controller.currentCheckpoint(),
  );
  if (!cp) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export yet: train a model until it has taken its first checkpoint.'));
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export the trained {0}', MODEL_LABELS[cp.model]),
      defaultUri: vscode.Uri.joinPath(folder, `latent-lab-${cp.model}-step${cp.step}.json`),
      filters: filters(),
    }));
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(cp)));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', uri.fsPath, (e as Error).message));
    return undefined;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported the {0} at step {1} to {2}.', MODEL_LABELS[cp.model], cp.step, uri.fsPath));
  return uri;
}

export async function importModel(controller: LabController, source?: vscode.Uri): Promise<ImportResult> {
  const uri = source ?? (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Import a trained model'), canSelectMany: false, filters: filters() }))?.[0];
  if (!uri) return { imported: false };
  let cp: Checkpoint;
  try {
    cp = parseModelFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch (e) {
    return refuse(uri, (e as Error).message);
  }
  await controller.adopt(cp);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Imported the {0} at step {1}, with the settings it was trained with. It is paused: Resume trains it on.', MODEL_LABELS[cp.model], cp.step),
  );
  return { imported: true, model: cp.model, step: cp.step };
}

function refuse(uri: vscode.Uri, why: string): ImportResult {
  const error = vscode.l10n.t('{0} is not a Latent Lab model ({1}). Nothing was changed.', uri.fsPath, why);
  void vscode.window.showErrorMessage(error);
  return { imported: false, error };
}
