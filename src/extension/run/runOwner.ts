// The one owner of the run (pure: no vscode, no DOM). Every control (palette commands, the view's buttons and
// model switch, Import, settings, the view's life) arrives here as an intent; the owner decides, and answers with
// effects that the host carries out (tell the view, store or forget a checkpoint, show a status). The worker's
// output comes back as reports tagged with the run they belong to, and the owner drops any of a replaced run.
// The states and transitions are written down in ./runOwner.md.
import type { ModelKind, TrainConfig } from '../../domain/config';
import type { Checkpoint, RunStatus } from '../../domain/run';
import type { TensorSnapshot } from '../../domain/tensors';
import { needsRebuild } from '../../domain/settings';

export interface Run {
  /** Names this start of the run: every start (a switch, Reset, a rebuild, the view coming back) gets a new one. */
  readonly id: number;
  readonly config: TrainConfig;
  /** What the user asked for: train (true) or stay paused. A hidden view pauses the worker without changing it. */
  readonly running: boolean;
}

export type Intent =
  /** "Train X": `settings` is the configuration the settings give for X now. */
  | { kind: 'train'; model: ModelKind; settings: TrainConfig }
  | { kind: 'togglePause' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'step' }
  | { kind: 'reset' }
  /** An imported model: its configuration already carries this machine's backend. */
  | { kind: 'import'; checkpoint: Checkpoint }
  /** The user's settings as they are now (its `model` is ignored; a 'drawn' dataset means "the data as it was"). */
  | { kind: 'settings'; settings: TrainConfig }
  /** Train the diffusion model on points the user drew (data of this run only, never a setting). */
  | { kind: 'draw'; points: [number, number][] }
  | { kind: 'viewReady' }
  | { kind: 'viewVisible'; visible: boolean }
  | { kind: 'viewDisposed' };

/** The worker's output, through the view. `runId` is the run the work was started for. */
export type Report =
  | { kind: 'status'; runId: number; status: RunStatus }
  | { kind: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { kind: 'checkpoint'; runId: number; checkpoint: Checkpoint };

export type Effect =
  /**
   * Start `run` in the view: from the stored checkpoint of its model when it fits the run's configuration, from
   * none, or from the given one. `checkpointPrevious` asks the worker for a last checkpoint of the run it replaces.
   */
  | { kind: 'start'; run: Run; from: 'stored' | 'none' | Checkpoint; checkpointPrevious: boolean }
  | { kind: 'control'; action: 'pause' | 'resume' | 'step' }
  | { kind: 'configure'; config: TrainConfig }
  | { kind: 'requestCheckpoint' }
  | { kind: 'store'; checkpoint: Checkpoint }
  /** Forget a model's stored checkpoint and mirrored tensors: they belong to a run that is gone. */
  | { kind: 'forget'; model: ModelKind }
  | { kind: 'show'; status: RunStatus }
  | { kind: 'snapshots'; snapshots: TensorSnapshot[] }
  /** The run stopped on an error (a NaN loss): offer the ways out. */
  | { kind: 'failed'; message: string }
  /** A control with no run to act on. */
  | { kind: 'noRun' }
  /** Output of a replaced run, dropped at the door (logged). */
  | { kind: 'dropped'; what: string };

/** The owner's words in the statuses it shows itself (the host localises them). */
export interface OwnerWords {
  switching(model: ModelKind): string;
  restarting(model: ModelKind): string;
  closed(): string;
}

export class RunOwner {
  private run: Run | undefined;
  private lastId = 0;
  /** Whether the current run was sent to a live view (else it starts when the view is ready). */
  private started = false;
  private viewLive = false;
  private viewVisible = false;
  /** The settings as last read, before a drawing replaced the data. */
  private settings: TrainConfig | undefined;
  /** Replaced runs of another model whose last checkpoint is kept on purpose, by run id. */
  private readonly keepFinal = new Map<number, ModelKind>();
  private status: RunStatus | undefined;

  constructor(private readonly words: OwnerWords) {}

  get current(): Run | undefined {
    return this.run;
  }

  /** The status shown now: the worker's, as the owner mirrors it, or the owner's own while a run starts. */
  get shown(): RunStatus | undefined {
    return this.status;
  }

  /** Whether a checkpoint tagged `runId` may be kept: the live run's, or a replaced run's last one kept on purpose. */
  accepts(runId: number): boolean {
    return runId === this.run?.id || this.keepFinal.has(runId);
  }

  handle(e: Intent | Report): Effect[] {
    switch (e.kind) {
      case 'train':
        return this.train(e.model, e.settings);
      case 'togglePause':
        return this.run ? this.setRunning(!this.run.running) : [{ kind: 'noRun' }];
      case 'pause':
        return this.run ? this.setRunning(false) : [{ kind: 'noRun' }];
      case 'resume':
        return this.run ? this.setRunning(true) : [{ kind: 'noRun' }];
      case 'step':
        if (!this.run) return [{ kind: 'noRun' }];
        this.run = { ...this.run, running: false };
        return this.started ? [{ kind: 'control', action: 'step' }] : [];
      case 'reset':
        return this.run ? this.replace({ ...this.run, running: true }, 'none', this.words.restarting(this.run.config.model)) : [];
      case 'import':
        return this.adopt(e.checkpoint);
      case 'settings':
        return this.onSettings(e.settings);
      case 'draw':
        return this.run
          ? this.replace({ ...this.run, running: true, config: withDrawing(this.run.config, e.points) }, 'none', this.words.restarting(this.run.config.model))
          : [];
      case 'viewReady':
        // A view's scripts run only while it is shown: a view that says ready is visible.
        this.viewLive = true;
        this.viewVisible = true;
        this.keepFinal.clear();
        this.started = false;
        return this.run ? this.replace(this.run, 'stored', undefined, false) : [];
      case 'viewVisible':
        return this.onVisible(e.visible);
      case 'viewDisposed':
        this.viewLive = false;
        this.viewVisible = false;
        this.started = false;
        this.keepFinal.clear();
        return this.run && this.status ? [this.show({ ...this.status, state: 'hidden', message: this.words.closed() })] : [];
      case 'status':
        return this.onStatus(e.runId, e.status);
      case 'snapshots':
        if (e.runId !== this.run?.id) return [{ kind: 'dropped', what: `snapshots of run ${e.runId}` }];
        return [{ kind: 'snapshots', snapshots: e.snapshots }];
      case 'checkpoint':
        return this.onCheckpoint(e.runId, e.checkpoint);
    }
  }

  private train(model: ModelKind, settings: TrainConfig): Effect[] {
    this.settings = settings;
    if (this.run?.config.model === model) return this.setRunning(true);
    return this.replace({ id: 0, config: { ...settings, model }, running: true }, 'stored', this.words.switching(model));
  }

  private adopt(cp: Checkpoint): Effect[] {
    this.settings = this.asSettings(cp.config);
    const effects: Effect[] = [
      { kind: 'forget', model: cp.model },
      { kind: 'store', checkpoint: cp },
    ];
    return [...effects, ...this.replace({ id: 0, config: cp.config, running: false }, cp, undefined)];
  }

  /**
   * Makes `next` the live run under a new id. The run it replaces keeps its last checkpoint only when it is of
   * another model (a Reset, a rebuild or an import of the same model voids it).
   */
  private replace(next: Run, from: 'stored' | 'none' | Checkpoint, message: string | undefined, announce = true): Effect[] {
    const effects: Effect[] = [];
    const prev = this.run;
    const model = next.config.model;
    for (const [id, m] of this.keepFinal) if (m === model) this.keepFinal.delete(id);
    const keepPrevious = !!prev && this.started && prev.config.model !== model;
    if (keepPrevious) this.keepFinal.set(prev.id, prev.config.model);
    if (from === 'none') effects.push({ kind: 'forget', model });
    this.run = { ...next, id: ++this.lastId };
    if (announce || !this.status || this.status.model !== model) {
      effects.push(this.show({ model, state: 'loading', step: 0, epoch: 0, loss: null, samplesPerSec: null, backend: this.status?.backend ?? null, message }));
    }
    this.started = this.viewLive;
    if (this.viewLive) effects.push({ kind: 'start', run: this.run, from, checkpointPrevious: keepPrevious });
    return effects;
  }

  private setRunning(running: boolean): Effect[] {
    const run = this.run!;
    this.run = { ...run, running };
    if (!this.started) return [];
    if (running) return this.viewVisible ? [{ kind: 'control', action: 'resume' }] : [];
    // A paused run is checkpointed, so what the user stopped at is what comes back.
    return [{ kind: 'control', action: 'pause' }, { kind: 'requestCheckpoint' }];
  }

  private onSettings(next: TrainConfig): Effect[] {
    const before = this.settings;
    this.settings = this.asSettings(next);
    const dataset = this.settings.diffusion.dataset;
    if (!this.run) return [];
    let config: TrainConfig = { ...this.settings, model: this.run.config.model };
    // A drawing is no setting: it stays until the data setting itself changes.
    const drawing = this.run.config.diffusion;
    if (drawing.dataset === 'drawn' && dataset === before?.diffusion.dataset) config = withDrawing(config, drawing.drawnPoints ?? []);
    if (needsRebuild(config, this.run.config)) return this.replace({ ...this.run, config, running: true }, 'none', this.words.restarting(config.model));
    if (JSON.stringify(config) === JSON.stringify(this.run.config)) return [];
    this.run = { ...this.run, config };
    return this.started ? [{ kind: 'configure', config }] : [];
  }

  private onVisible(visible: boolean): Effect[] {
    this.viewVisible = visible;
    if (!this.run || !this.started) return [];
    if (visible) return this.run.running ? [{ kind: 'control', action: 'resume' }] : [];
    // A hidden webview's scripts are suspended: checkpoint now and say "paused" rather than pretend.
    const effects: Effect[] = [{ kind: 'requestCheckpoint' }, { kind: 'control', action: 'pause' }];
    if (this.status && this.run.running) effects.push(this.show({ ...this.status, state: 'hidden' }));
    return effects;
  }

  private onStatus(runId: number, status: RunStatus): Effect[] {
    if (runId !== this.run?.id) return [{ kind: 'dropped', what: `status of run ${runId}` }];
    const effects: Effect[] = [];
    if (status.state === 'error') {
      // The worker stopped itself; a Resume sent before this news arrived must not leave it training unseen.
      if (this.run.running) effects.push({ kind: 'control', action: 'pause' });
      this.run = { ...this.run, running: false };
      if (status.message && status.message !== this.status?.message) effects.push({ kind: 'failed', message: status.message });
    }
    if (!this.viewVisible && status.state === 'paused' && this.run.running) status = { ...status, state: 'hidden' };
    effects.unshift(this.show(status));
    return effects;
  }

  private onCheckpoint(runId: number, cp: Checkpoint): Effect[] {
    const kept = this.keepFinal.get(runId);
    if (kept) {
      this.keepFinal.delete(runId);
      return cp.model === kept ? [{ kind: 'store', checkpoint: cp }] : [{ kind: 'dropped', what: `checkpoint of run ${runId}` }];
    }
    if (runId !== this.run?.id || cp.model !== this.run.config.model) return [{ kind: 'dropped', what: `checkpoint of run ${runId} at step ${cp.step}` }];
    return [{ kind: 'store', checkpoint: cp }];
  }

  /** A configuration as the settings hold it: a drawing is data, so the data setting stays what it was. */
  private asSettings(config: TrainConfig): TrainConfig {
    const dataset = config.diffusion.dataset === 'drawn' ? (this.settings?.diffusion.dataset ?? 'swiss-roll') : config.diffusion.dataset;
    return { ...config, diffusion: { ...config.diffusion, dataset, drawnPoints: undefined } };
  }

  private show(status: RunStatus): Effect {
    this.status = status;
    return { kind: 'show', status };
  }
}

function withDrawing(config: TrainConfig, points: [number, number][]): TrainConfig {
  return { ...config, diffusion: { ...config.diffusion, dataset: 'drawn', drawnPoints: points } };
}
