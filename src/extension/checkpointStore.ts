// Keeps the latest checkpoint of each model in memory and on disk (global storage), so a moved, closed or
// reloaded view resumes where it was. A file that does not parse is set aside, never silently dropped.
import * as vscode from 'vscode';
import type { Checkpoint } from '../domain/run';
import type { ModelKind } from '../domain/config';
import { validateCheckpoint } from '../domain/checkpointFormat';

export class CheckpointStore {
  private readonly memory = new Map<ModelKind, Checkpoint>();

  constructor(
    private readonly dir: vscode.Uri,
    private readonly warn: (message: string) => void,
  ) {}

  async save(cp: Checkpoint): Promise<void> {
    this.memory.set(cp.model, cp);
    try {
      await vscode.workspace.fs.createDirectory(this.dir);
      await vscode.workspace.fs.writeFile(this.file(cp.model), new TextEncoder().encode(JSON.stringify(cp)));
    } catch (e) {
      this.warn(vscode.l10n.t('Latent Lab could not save a checkpoint to disk: {0}', String(e)));
    }
  }

  async load(model: ModelKind): Promise<Checkpoint | null> {
    const cached = this.memory.get(model);
    if (cached) return cached;
    const uri = this.file(model);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return null;
    }
    try {
      const cp = validateCheckpoint(JSON.parse(new TextDecoder().decode(bytes)), model);
      this.memory.set(model, cp);
      return cp;
    } catch (e) {
      const aside = uri.with({ path: `${uri.path}.corrupt-${Date.now()}` });
      await vscode.workspace.fs.rename(uri, aside, { overwrite: true }).then(undefined, () => undefined);
      this.warn(
        vscode.l10n.t(
          'The saved {0} checkpoint is unreadable ({1}); training starts afresh. The file was kept as {2}.',
          model,
          (e as Error).message,
          aside.fsPath,
        ),
      );
      return null;
    }
  }

  async clear(model: ModelKind): Promise<void> {
    this.memory.delete(model);
    await vscode.workspace.fs.delete(this.file(model)).then(undefined, () => undefined);
  }

  private file(model: ModelKind): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, `checkpoint-${model}.json`);
  }
}
