// The extension's mirror of the live model: the latest snapshot of every named tensor, the run status and
// the backend report, so an editor hover answers at once without asking the webview.
import * as vscode from 'vscode';
import type { BackendReport, RunStatus } from '../domain/run';
import type { ModelKind } from '../domain/config';
import type { TensorSnapshot } from '../domain/tensors';
import type { LiveRunReader } from './notes/core/liveRun';

/** What the extension's API hands out: the notes' view of the run, plus the backend report. */
export interface SessionReader extends LiveRunReader {
  readonly backend: BackendReport | undefined;
  readonly onDidUpdate: vscode.Event<void>;
}

export class Session implements SessionReader, vscode.Disposable {
  private readonly snapshots = new Map<string, TensorSnapshot>();
  private readonly updated = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.updated.event;
  status: RunStatus | undefined;
  backend: BackendReport | undefined;

  /** Latest snapshot of a tensor of the active model (or of `model` when given). */
  latest(name: string, model?: ModelKind): TensorSnapshot | undefined {
    const m = model ?? this.status?.model;
    if (m) return this.snapshots.get(key(m, name));
    for (const s of this.snapshots.values()) if (s.name === name) return s;
    return undefined;
  }

  /** Every latest snapshot, newest step first. */
  all(): TensorSnapshot[] {
    return [...this.snapshots.values()].sort((a, b) => b.step - a.step);
  }

  addSnapshots(list: readonly TensorSnapshot[]): void {
    for (const s of list) {
      const k = key(s.model, s.name);
      const prev = this.snapshots.get(k);
      if (!prev || prev.step <= s.step) this.snapshots.set(k, s);
    }
    this.updated.fire();
  }

  setStatus(status: RunStatus): void {
    this.status = status;
    this.updated.fire();
  }

  setBackend(report: BackendReport): void {
    this.backend = report;
    this.updated.fire();
  }

  /** Forget the tensors of a model (after Reset), so hovers do not show a dead run. */
  clear(model: ModelKind): void {
    for (const k of [...this.snapshots.keys()]) if (k.startsWith(`${model}/`)) this.snapshots.delete(k);
    this.updated.fire();
  }

  dispose(): void {
    this.updated.dispose();
  }
}

function key(model: ModelKind, name: string): string {
  return `${model}/${name}`;
}
