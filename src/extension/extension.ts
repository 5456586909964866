// Wires the parts together; nothing else happens at activation.
import * as vscode from 'vscode';
import type { TrainConfig } from '../domain/config';
import { CheckpointStore } from './checkpointStore';
import { registerCommands } from './commands';
import { LabController } from './labController';
import { LAB_VIEW_ID, LabViewProvider } from './labView';
import { activateNotes } from './notes/index';
import { Session, type SessionReader } from './session';
import { LabStatusBar } from './statusBar';

export interface LatentLabApi {
  readonly session: SessionReader & { all(): ReturnType<Session['all']> };
  /** Resolves when the live run reaches `step` (for tests and other extensions); rejects after `timeoutMs`. */
  waitForStep(step: number, timeoutMs: number): Promise<number>;
  /** The configuration of the live run (settings as the lab applies them), if any. */
  runConfig(): TrainConfig | undefined;
  /** The settings the live model applies, read from the model in the worker, by setting key (undefined: no live view). */
  appliedSettings(): Promise<Record<string, number | string> | undefined>;
}

export function activate(context: vscode.ExtensionContext): LatentLabApi {
  const log = vscode.window.createOutputChannel('Latent Lab', { log: true });
  const session = new Session();
  const statusBar = new LabStatusBar();
  const store = new CheckpointStore(vscode.Uri.joinPath(context.globalStorageUri, 'checkpoints'), (m) => {
    log.warn(m);
    void vscode.window.showWarningMessage(m);
  });
  const controller = new LabController(session, store, statusBar, log, context.globalState);
  const view = new LabViewProvider(context.extensionUri, {
    onMessage: (m) => controller.onMessage(m),
    onVisibility: (v) => controller.onVisibility(v),
    onDisposed: () => controller.onDisposed(),
    onRefused: (problem) => controller.onRefused(problem),
  });
  controller.attach(view);
  context.subscriptions.push(
    log,
    session,
    statusBar,
    controller,
    vscode.window.registerWebviewViewProvider(LAB_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands(controller, view),
    activateNotes(context, session),
  );
  return {
    session,
    waitForStep: (step, timeoutMs) => waitForStep(session, step, timeoutMs),
    runConfig: () => controller.current?.config,
    appliedSettings: () => controller.applied(),
  };
}

function waitForStep(session: Session, step: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = session.status?.step ?? -1;
      if (s >= step) {
        sub.dispose();
        clearTimeout(timer);
        resolve(s);
      }
    };
    const sub = session.onDidUpdate(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`step ${step} not reached in ${timeoutMs} ms (at ${session.status?.step ?? 'no run'})`));
    }, timeoutMs);
    check();
  });
}

export function deactivate(): void {}
