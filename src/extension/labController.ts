// What runs in the lab: the chosen model and its settings, whether it should be training, and the latest
// checkpoint. The webview is a replaceable renderer of this state: whenever it (re)boots it is told what to
// run and from which checkpoint, so hiding, moving or closing the view loses nothing.
import * as vscode from 'vscode';
import { MODEL_LABELS } from '../domain/modelKinds';
import type { Checkpoint, RunStatus } from '../domain/run';
import type { FromWebview } from '../protocol';
import type { ModelKind, TrainConfig } from '../domain/config';
import type { CheckpointStore } from './checkpointStore';
import { needsRebuild, readConfig, writeConfig } from './config';
import { changedSettings } from './configValues';
import type { LabViewProvider } from './labView';
import type { Session } from './session';
import { wasResetInView } from './statusRules';
import type { LabStatusBar } from './statusBar';

/** How long an import waits for its settings to be written before settings events count again. */
const ADOPT_SETTLE_MS = 10_000;
/** How long a model switch, and an export, wait for the worker's checkpoint. */
const SWITCH_WAIT_MS = 3000;
const EXPORT_WAIT_MS = 10_000;

interface Run {
  config: TrainConfig;
  running: boolean;
}

const COMMAND_OF: Record<string, string> = {
  trainVae: 'latentLab.trainVae',
  trainAe: 'latentLab.trainAe',
  trainDdpm: 'latentLab.trainDdpm',
  trainLdm: 'latentLab.trainLdm',
  openNotes: 'latentLab.openNotes',
};

export class LabController implements vscode.Disposable {
  private run: Run | undefined;
  private view!: LabViewProvider;
  private readonly disposables: vscode.Disposable[] = [];
  private lastErrorShown = '';
  /** An imported model's configuration while its settings are being written: partial writes must not restart it. */
  private adopting: TrainConfig | undefined;
  /**
   * The name of the run sent to the view last. Status, snapshots and checkpoints of any other were in flight from
   * a run it replaced: they must not overwrite the new run's state, tensors or checkpoint.
   */
  private runId = 0;

  constructor(
    private readonly session: Session,
    private readonly store: CheckpointStore,
    private readonly statusBar: LabStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('latentLab') && this.onSettingsChanged(e)));
  }

  attach(view: LabViewProvider): void {
    this.view = view;
  }

  get current(): Run | undefined {
    return this.run;
  }

  /** "Train X": shows the lab and trains X, resuming X's last checkpoint when there is one. */
  async train(model: ModelKind): Promise<void> {
    if (this.run?.config.model === model) {
      this.run.running = true;
      this.view.post({ type: 'control', action: 'resume' });
      await this.view.reveal();
      return;
    }
    if (this.run) await this.requestCheckpointAndWait();
    this.run = { config: readConfig(model), running: true };
    this.log.info(`train ${model}`);
    await this.view.reveal();
    if (this.view.isLive) await this.sendRun();
  }

  togglePause(): void {
    if (!this.run) return void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is training. Run "Latent Lab: Train VAE" to start.'));
    this.run.running = !this.run.running;
    this.view.post({ type: 'control', action: this.run.running ? 'resume' : 'pause' });
    if (!this.run.running) this.view.post({ type: 'requestCheckpoint', reason: 'periodic' });
  }

  step(): void {
    if (!this.run) return void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is training. Run "Latent Lab: Train VAE" to start.'));
    this.run.running = false;
    this.view.post({ type: 'control', action: 'step' });
  }

  async reset(): Promise<void> {
    if (!this.run) return;
    const model = this.run.config.model;
    await this.store.clear(model);
    this.session.clear(model);
    this.run.running = true;
    this.view.post({ type: 'control', action: 'reset' });
  }

  sample(): void {
    if (!this.run) return void vscode.window.showInformationMessage(vscode.l10n.t('Train a model first: nothing to sample from.'));
    this.view.post({ type: 'sample' });
  }

  /** The live run's latest checkpoint, asked of the worker first when the view is live; null before the first one. */
  async currentCheckpoint(): Promise<Checkpoint | null> {
    if (!this.run) return null;
    // A file the user keeps is worth a longer wait than a model switch: a busy machine can take seconds.
    await this.requestCheckpointAndWait(EXPORT_WAIT_MS);
    return this.store.load(this.run.config.model);
  }

  /** Makes an imported model the live run: its settings become the user's, and it waits, paused, at its step. */
  async adopt(cp: Checkpoint): Promise<void> {
    if (this.run) await this.requestCheckpointAndWait();
    const current = readConfig(cp.model);
    // The backend is this machine's choice, not the file's.
    const config: TrainConfig = { ...cp.config, model: cp.model, backend: current.backend };
    this.adopting = config;
    setTimeout(() => this.adopting === config && (this.adopting = undefined), ADOPT_SETTLE_MS);
    // The live run is retired now: its last checkpoints must not overwrite the imported one.
    this.runId++;
    this.session.clear(cp.model);
    await this.store.save({ ...cp, config });
    this.run = { config, running: false };
    this.log.info(`import ${cp.model} at step ${cp.step}`);
    await writeConfig(config, current);
    await this.view.reveal();
    if (this.view.isLive) await this.sendRun();
  }

  async highlight(tensor: string): Promise<void> {
    this.log.info(`highlight ${tensor} (view ${this.view.isLive ? 'live' : 'not live'}, ${this.view.isVisible ? 'visible' : 'hidden'})`);
    await this.view.reveal(false);
    // A view shown just now is still coming back: post once it is visible and has had a moment to draw,
    // or the highlight would fade before anyone sees it (the webview keeps it until the node is drawn).
    if (!this.view.isVisible) {
      await this.view.whenVisible(3000);
      await new Promise((r) => setTimeout(r, 400));
    }
    this.view.post({ type: 'highlight', tensor });
  }

  onMessage(msg: FromWebview): void {
    if ((msg.type === 'status' || msg.type === 'snapshots' || msg.type === 'checkpoint') && msg.runId !== this.runId) return;
    switch (msg.type) {
      case 'ready':
        if (this.run) void this.sendRun();
        break;
      case 'status':
        this.onStatus(msg.status);
        break;
      case 'backend':
        this.session.setBackend(msg.report);
        this.log.info(`backend ${msg.report.chosen}: ${msg.report.reason}`);
        break;
      case 'snapshots':
        this.session.addSnapshots(msg.snapshots);
        break;
      case 'checkpoint':
        if (this.run && msg.checkpoint.model === this.run.config.model) void this.store.save(msg.checkpoint);
        this.checkpointWaiter?.(msg.checkpoint);
        break;
      case 'revealEquation':
        void vscode.commands.executeCommand('latentLab.revealEquation', { tensor: msg.tensor });
        break;
      case 'runCommand':
        if (COMMAND_OF[msg.command]) void vscode.commands.executeCommand(COMMAND_OF[msg.command]);
        break;
      case 'configChanged':
        if (this.run) void this.onConfigFromView(msg.config);
        break;
      case 'log':
        this.log[msg.level](`[webview] ${msg.message}`);
        break;
    }
  }

  onVisibility(visible: boolean): void {
    if (!this.run) return;
    if (!visible) {
      // A hidden webview's scripts are suspended: checkpoint now and say "paused" rather than pretend.
      this.view.post({ type: 'requestCheckpoint', reason: 'hidden' });
      this.view.post({ type: 'control', action: 'pause' });
      if (this.session.status) this.onStatus({ ...this.session.status, state: 'hidden' });
    } else if (this.run.running) {
      this.view.post({ type: 'control', action: 'resume' });
    }
  }

  onDisposed(): void {
    if (this.run && this.session.status) this.onStatus({ ...this.session.status, state: 'hidden', message: vscode.l10n.t('The Lab view is closed; training resumes from the last checkpoint when it opens.') });
  }

  private onStatus(status: RunStatus): void {
    const prev = this.session.status;
    if (wasResetInView(prev, status) && this.run?.config.model === status.model) {
      this.session.clear(status.model);
      void this.store.clear(status.model);
    }
    if (this.run && this.view.isVisible) {
      // The view's own Pause/Resume buttons talk to the worker directly: follow what it reports.
      if (status.state === 'training') this.run.running = true;
      else if (status.state === 'paused') this.run.running = false;
    }
    if (!this.view.isVisible && status.state === 'paused' && this.run?.running) status = { ...status, state: 'hidden' };
    this.session.setStatus(status);
    this.statusBar.update(status);
    if (status.state === 'error' && status.message && status.message !== this.lastErrorShown) {
      this.lastErrorShown = status.message;
      if (this.run) this.run.running = false;
      void this.offerRecovery(status.message);
    }
  }

  private async offerRecovery(message: string): Promise<void> {
    const lower = vscode.l10n.t('Halve learning rate');
    const reset = vscode.l10n.t('Reset');
    const pick = await vscode.window.showWarningMessage(message, lower, reset);
    if (pick === lower && this.run) {
      const lr = this.run.config.model === 'ddpm' ? this.run.config.diffusion.learningRate : this.run.config.autoencoder.learningRate;
      await vscode.workspace.getConfiguration('latentLab').update('learningRate', lr / 2, vscode.ConfigurationTarget.Global);
      this.run.running = true;
      this.view.post({ type: 'control', action: 'resume' });
    } else if (pick === reset) {
      await this.reset();
    }
  }

  private async sendRun(): Promise<void> {
    if (!this.run) return;
    const checkpoint = await this.store.load(this.run.config.model);
    const usable = checkpoint && !needsRebuild(checkpoint.config, this.run.config) ? checkpoint : null;
    if (checkpoint && !usable) this.log.info(`checkpoint of ${checkpoint.model} does not match the settings; starting afresh`);
    const base = await this.baseFor(this.run.config);
    this.view.post({ type: 'train', runId: ++this.runId, config: this.run.config, checkpoint: usable, base, startPaused: !this.run.running });
  }

  private async onConfigFromView(next: TrainConfig): Promise<void> {
    if (!this.run) return;
    if (next.diffusion.dataset === 'drawn') {
      // A drawing is data, not a setting: it lives with this run (and its checkpoints) only.
      this.run.config = { ...next, model: this.run.config.model };
      await this.store.clear(this.run.config.model);
      this.session.clear(this.run.config.model);
      this.run.running = true;
      await this.sendRun();
      return;
    }
    await writeConfig(next, this.run.config);
  }

  /** Latent diffusion builds on the VAE trained by "Train VAE" when its settings match. */
  private async baseFor(config: TrainConfig): Promise<Checkpoint | null> {
    if (config.model !== 'ldm') return null;
    const vae = await this.store.load('vae');
    const a = vae?.config.autoencoder, b = config.autoencoder;
    return vae && a && a.dataset === b.dataset && a.latentDim === b.latentDim && a.hiddenDim === b.hiddenDim ? vae : null;
  }

  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!this.run) return;
    const next = readConfig(this.run.config.model);
    if (this.adopting) {
      if (changedSettings(this.adopting, next).length > 0) return;
      this.adopting = undefined;
    }
    const drawn = this.run.config.diffusion;
    // A drawing is no setting: it stays until the data setting itself changes.
    if (drawn.dataset === 'drawn' && !e.affectsConfiguration('latentLab.diffusion.dataset')) next.diffusion = { ...next.diffusion, dataset: 'drawn', drawnPoints: drawn.drawnPoints };
    const rebuild = needsRebuild(next, this.run.config);
    this.run.config = next;
    if (rebuild) {
      void this.store.clear(next.model);
      this.session.clear(next.model);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Latent Lab: settings changed, the {0} restarts', MODEL_LABELS[next.model]), 4000);
      void this.sendRun();
    } else {
      this.view.post({ type: 'configure', config: next });
    }
  }

  private checkpointWaiter: ((cp: Checkpoint) => void) | undefined;

  /**
   * Asks for a checkpoint of the live run and waits (bounded) for one at least as new as the step shown now:
   * a periodic checkpoint still being encoded when the request is sent arrives first and is older.
   */
  private requestCheckpointAndWait(timeoutMs = SWITCH_WAIT_MS): Promise<void> {
    if (!this.view.isLive || !this.run) return Promise.resolve();
    const model = this.run.config.model;
    const shown = this.session.status?.model === model ? this.session.status.step : 0;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.checkpointWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(() => {
        this.log.warn(`no checkpoint of the ${model} at step ${shown} or later within ${timeoutMs} ms: using the last one kept`);
        done();
      }, timeoutMs);
      this.checkpointWaiter = (cp) => {
        this.log.info(`checkpoint of the ${cp.model} at step ${cp.step} (asked for step ${shown} or later)`);
        if (cp.model === model && cp.step >= shown) done();
      };
      this.view.post({ type: 'requestCheckpoint', reason: 'periodic' });
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
