// The host side of the run: turns commands, the view's messages, settings and the view's life into intents for the
// one owner of the run (run/runOwner.ts), and carries out what it decides with vscode (the view, the checkpoint
// store, the session mirror, the status bar, messages). It decides nothing itself.
import * as vscode from 'vscode';
import { backendKey, type RememberedBackend } from '../domain/backendChoice';
import type { ModelKind, TrainConfig } from '../domain/config';
import { MODEL_KINDS, MODEL_LABELS, modelOfCommandName } from '../domain/modelKinds';
import type { Checkpoint } from '../domain/run';
import { configFrom, learningRateKey, needsRebuild, settingValues } from '../domain/settings';
import type { FromWebview, ViewCommand } from '../protocol';
import type { CheckpointStore } from './checkpointStore';
import { readConfig, writeConfig } from './config';
import type { LabViewProvider } from './labView';
import { RunOwner, type Effect, type Intent, type Report, type Run } from './run/runOwner';
import type { Session } from './session';
import type { LabStatusBar } from './statusBar';

/** How long an export waits for a checkpoint at least as new as the step shown (a busy machine can take seconds). */
const EXPORT_WAIT_MS = 10_000;
const INSPECT_WAIT_MS = 10_000;
/** The global-state key of the measured backend choices, by backendKey. */
const BACKENDS_KEY = 'latentLab.backends';
/** How long "Show in Latent Lab" waits for a view it revealed to become visible. */
const REVEAL_WAIT_MS = 3000;

export class LabController implements vscode.Disposable {
  private readonly owner = new RunOwner({
    switching: (m) => vscode.l10n.t('Switching to the {0}…', MODEL_LABELS[m]),
    restarting: (m) => vscode.l10n.t('Latent Lab: settings changed, the {0} restarts', MODEL_LABELS[m]),
    closed: () => vscode.l10n.t('The Lab view is closed; training resumes from the last checkpoint when it opens.'),
  });
  private view!: LabViewProvider;
  private readonly disposables: vscode.Disposable[] = [];
  /** Checkpoint-store work in the order it was decided (a clear must not land after the save that follows it). */
  private storeQueue: Promise<unknown> = Promise.resolve();
  /** Settings writes in flight: the change events they cause are our own, read once when they are done. */
  private writing = 0;
  private readonly checkpointWaiters = new Set<(cp: Checkpoint, runId: number) => void>();
  private readonly inspectWaiters = new Map<number, (values: Record<string, number | string>) => void>();
  /** When (savedAt) the checkpoints the live webview's worker made were taken: it still holds the last of each model. */
  private readonly madeByView = new Set<number>();
  private inspectRequest = 0;

  constructor(
    private readonly session: Session,
    private readonly store: CheckpointStore,
    private readonly statusBar: LabStatusBar,
    private readonly log: vscode.LogOutputChannel,
    /** Where measured backend choices are kept, across windows and sessions. */
    private readonly memory: vscode.Memento,
  ) {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('latentLab') && this.writing === 0 && this.readSettings()));
  }

  attach(view: LabViewProvider): void {
    this.view = view;
  }

  get current(): Run | undefined {
    return this.owner.current;
  }

  /** "Train X": shows the lab and trains X, resuming X's last checkpoint when there is one. */
  async train(model: ModelKind): Promise<void> {
    this.log.info(`train ${model}`);
    this.do({ kind: 'train', model, settings: readConfig(model) });
    await this.view.reveal();
  }

  togglePause(): void {
    this.do({ kind: 'togglePause' });
  }

  step(): void {
    this.do({ kind: 'step' });
  }

  reset(): void {
    this.do({ kind: 'reset' });
  }

  /** Forgets every measured backend choice and has the live run's backends timed again. */
  async measureBackends(): Promise<void> {
    await this.memory.update(BACKENDS_KEY, undefined);
    this.view.post({ type: 'measureBackends' });
  }

  sample(): void {
    if (!this.current) return void vscode.window.showInformationMessage(vscode.l10n.t('Train a model first: nothing to sample from.'));
    this.view.post({ type: 'sample' });
  }

  /** The live run's latest checkpoint, asked of the worker first when the view is live; null before the first one. */
  async currentCheckpoint(): Promise<Checkpoint | null> {
    const run = this.current;
    if (!run) return null;
    if (this.view.isLive) {
      const shown = this.owner.shown?.step ?? 0;
      const fresh = await this.waitFor(
        this.checkpointWaiters,
        (cp, runId) => runId === run.id && cp.step >= shown,
        EXPORT_WAIT_MS,
        () => this.view.post({ type: 'requestCheckpoint' }),
      );
      if (!fresh) this.log.warn(`no checkpoint of run ${run.id} at step ${shown} or later within ${EXPORT_WAIT_MS} ms: using the last one kept`);
    }
    await this.storeQueue;
    return this.current?.id === run.id ? this.store.load(run.config.model) : null;
  }

  /** The settings the live model applies, read from the model in the worker (for tests: a setting reached the run). */
  async applied(): Promise<Record<string, number | string> | undefined> {
    if (!this.view.isLive || !this.current) return undefined;
    const requestId = ++this.inspectRequest;
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.inspectWaiters.delete(requestId), resolve(undefined)), INSPECT_WAIT_MS);
      this.inspectWaiters.set(requestId, (values) => (clearTimeout(timer), resolve(values)));
      this.view.post({ type: 'inspect', requestId });
    });
  }

  /** Makes an imported model the live run: its settings become the user's, and it waits, paused, at its step. */
  async adopt(cp: Checkpoint): Promise<void> {
    // The backend is this machine's choice, not the file's.
    const config: TrainConfig = { ...cp.config, model: cp.model, backend: readConfig(cp.model).backend };
    this.log.info(`import ${cp.model} at step ${cp.step}`);
    this.do({ kind: 'import', checkpoint: { ...cp, config } });
    await this.writeSettings(config);
    await this.view.reveal();
  }

  async highlight(tensor: string): Promise<void> {
    this.log.info(`highlight ${tensor} (view ${this.view.isLive ? 'live' : 'not live'}, ${this.view.isVisible ? 'visible' : 'hidden'})`);
    await this.view.reveal(false);
    if (!this.view.isVisible) await this.view.whenVisible(REVEAL_WAIT_MS);
    this.view.post({ type: 'highlight', tensor });
  }

  onMessage(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready':
        // A new webview: its worker holds no checkpoint yet.
        this.madeByView.clear();
        return this.do({ kind: 'viewReady' });
      case 'checkpointMissing': {
        const run = this.current;
        if (run?.id === msg.runId) void this.queueStore(() => this.start(run, 'stored', false, true));
        return;
      }
      case 'status':
      case 'snapshots':
      case 'checkpoint':
        return this.report(
          msg.type === 'status'
            ? { kind: 'status', runId: msg.runId, status: msg.status }
            : msg.type === 'snapshots'
              ? { kind: 'snapshots', runId: msg.runId, snapshots: msg.snapshots }
              : { kind: 'checkpoint', runId: msg.runId, checkpoint: msg.checkpoint },
        );
      case 'backend':
        if (msg.runId !== this.current?.id) return;
        this.session.setBackend(msg.report);
        this.log.info(`backend ${msg.report.chosen}: ${msg.report.reason}`);
        if (msg.report.remember) void this.memory.update(BACKENDS_KEY, { ...this.rememberedBackends(), [msg.report.remember.key]: msg.report.remember });
        return;
      case 'applied':
        this.inspectWaiters.get(msg.requestId)?.(msg.values);
        this.inspectWaiters.delete(msg.requestId);
        return;
      case 'control':
        return this.do({ kind: msg.action });
      case 'draw':
        return this.do({ kind: 'draw', points: msg.points });
      case 'configChanged':
        return void this.onConfigFromView(msg.config);
      case 'revealEquation':
        return void vscode.commands.executeCommand('latentLab.revealEquation', { tensor: msg.tensor });
      case 'runCommand':
        return void vscode.commands.executeCommand(commandOf(msg.command));
      case 'log':
        return this.log[msg.level](`[webview] ${msg.message}`);
    }
  }

  onVisibility(visible: boolean): void {
    this.do({ kind: 'viewVisible', visible });
  }

  onDisposed(): void {
    this.do({ kind: 'viewDisposed' });
  }

  onRefused(problem: string): void {
    this.log.warn(`dropped a message from the view: ${problem}`);
  }

  private do(intent: Intent): void {
    this.apply(this.owner.handle(intent));
  }

  private report(r: Report): void {
    if (r.kind === 'checkpoint') for (const settle of this.checkpointWaiters) settle(r.checkpoint, r.runId);
    const effects = this.owner.handle(r);
    for (const e of effects) if (e.kind === 'store') this.madeByView.add(e.checkpoint.savedAt);
    this.apply(effects);
  }

  private apply(effects: Effect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'start':
          void this.queueStore(() => this.start(e.run, e.from, e.checkpointPrevious));
          break;
        case 'control':
          this.view.post({ type: 'control', action: e.action });
          break;
        case 'configure':
          this.view.post({ type: 'configure', config: e.config });
          break;
        case 'requestCheckpoint':
          this.view.post({ type: 'requestCheckpoint' });
          break;
        case 'store':
          void this.queueStore(() => this.store.save(e.checkpoint));
          break;
        case 'forget':
          this.session.clear(e.model);
          void this.queueStore(() => this.store.clear(e.model));
          break;
        case 'show':
          this.session.setStatus(e.status);
          this.statusBar.update(e.status);
          break;
        case 'snapshots':
          this.session.addSnapshots(e.snapshots);
          break;
        case 'failed':
          void this.offerRecovery(e.message);
          break;
        case 'noRun':
          void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is training. Run "Latent Lab: Train VAE" to start.'));
          break;
        case 'dropped':
          this.log.info(`dropped ${e.what} (a run that was replaced)`);
          break;
      }
    }
  }

  private queueStore(work: () => Promise<unknown>): Promise<unknown> {
    this.storeQueue = this.storeQueue.then(work, work);
    return this.storeQueue;
  }

  /** Sends `run` to the view, from the stored checkpoint of its model when that fits the run's settings. */
  private async start(run: Run, from: 'stored' | 'none' | Checkpoint, checkpointPrevious: boolean, whole = false): Promise<void> {
    let checkpoint = from === 'stored' ? await this.store.load(run.config.model) : from === 'none' ? null : from;
    if (checkpoint && needsRebuild(checkpoint.config, run.config)) {
      this.log.info(`checkpoint of ${checkpoint.model} does not match the settings; starting afresh`);
      checkpoint = null;
    }
    const base = await this.baseFor(run.config);
    // Replaced while the checkpoint loaded: the run that replaced it is sent instead.
    if (this.current?.id !== run.id) return;
    const remembered = this.rememberedBackends()[backendKey(run.config)];
    const train = { type: 'train', runId: run.id, config: run.config, base, startPaused: !run.running, checkpointPrevious, remembered } as const;
    // A checkpoint the view's worker made is named, not sent back: a VAE's is megabytes, slow through a remote window.
    if (checkpoint && !whole && this.madeByView.has(checkpoint.savedAt)) {
      this.view.post({ ...train, checkpoint: null, checkpointRef: { model: checkpoint.model, savedAt: checkpoint.savedAt, step: checkpoint.step } });
    } else {
      this.view.post({ ...train, checkpoint });
    }
  }

  private rememberedBackends(): Record<string, RememberedBackend> {
    return this.memory.get<Record<string, RememberedBackend>>(BACKENDS_KEY) ?? {};
  }

  /** Latent diffusion builds on the VAE trained by "Train VAE" when its settings match. */
  private async baseFor(config: TrainConfig): Promise<Checkpoint | null> {
    if (config.model !== 'ldm') return null;
    const vae = await this.store.load('vae');
    const a = vae?.config.autoencoder,
      b = config.autoencoder;
    return vae && a && a.dataset === b.dataset && a.latentDim === b.latentDim && a.hiddenDim === b.hiddenDim ? vae : null;
  }

  private async offerRecovery(message: string): Promise<void> {
    const lower = vscode.l10n.t('Halve learning rate');
    const reset = vscode.l10n.t('Reset');
    const pick = await vscode.window.showWarningMessage(message, lower, reset);
    const run = this.current;
    if (pick === lower && run) {
      const key = learningRateKey(run.config.model);
      const lr = settingValues(run.config).find(([k]) => k === key)?.[1] as number;
      await this.writeSettings(undefined, [[key, lr / 2]]);
      this.do({ kind: 'resume' });
    } else if (pick === reset) {
      this.reset();
    }
  }

  /** The view's settings panel: the run takes the change at once, and the settings file follows. */
  private async onConfigFromView(raw: TrainConfig): Promise<void> {
    const run = this.current;
    if (!run) return;
    // The webview is not trusted: its values pass the same checks as the settings file's.
    const values = new Map(settingValues(raw));
    const { config } = configFrom(run.config.model, (key, fallback) => (values.has(key) ? values.get(key) : fallback) as typeof fallback);
    if (raw.diffusion?.dataset === 'drawn') config.diffusion.dataset = 'drawn';
    this.do({ kind: 'settings', settings: config });
    await this.writeSettings(config);
  }

  /** Writes settings (all of `config`'s that differ, or the given pairs), then reads them once as a change. */
  private async writeSettings(config: TrainConfig | undefined, pairs?: [string, unknown][]): Promise<void> {
    this.writing++;
    try {
      if (config) await writeConfig(config, readConfig(config.model));
      const c = vscode.workspace.getConfiguration('latentLab');
      for (const [key, value] of pairs ?? [])
        await c.update(key, value, c.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    } catch (e) {
      this.log.error(`could not write the settings: ${(e as Error).message}`);
    } finally {
      this.writing--;
    }
    if (this.writing === 0) this.readSettings();
  }

  private readSettings(): void {
    this.do({ kind: 'settings', settings: readConfig(this.current?.config.model ?? 'vae') });
  }

  /** Waits (bounded) for a reply that `accept`s, after `ask`ing for it; false when none came in time. */
  private waitFor<A extends unknown[]>(
    waiters: Set<(...args: A) => void>,
    accept: (...args: A) => boolean,
    timeoutMs: number,
    ask: () => void,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(ok);
      };
      const waiter = (...args: A) => accept(...args) && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      waiters.add(waiter);
      ask();
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function commandOf(name: ViewCommand): string {
  if (name === 'openNotes' || name === 'measureBackends') return `latentLab.${name}`;
  return MODEL_KINDS[modelOfCommandName(name)!].command;
}
