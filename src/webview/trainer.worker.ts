// The training worker: chooses the backend, builds the model, runs the loop in time slices so control
// messages get through, and streams status, losses, tensor snapshots, pictures and checkpoints.
import * as tf from '@tensorflow/tfjs';
import type { AssetUrls } from '../domain/assets';
import type { BackendName, TrainConfig } from '../domain/config';
import type { Checkpoint, LossPoint, RunState } from '../domain/run';
import type { FromWorker, ToWorker } from '../protocol';
import { decodeNamed, encodeNamed } from '../models/checkpointCodec';
import { t, useLang } from './i18n';
import { chooseBackend, configureWasm } from './worker/backend';
import { BackendLossWatch } from './worker/backendLoss';
import { makeRunner, timeOneStep } from './worker/makeRunner';
import type { Runner } from './worker/runner';

const TICK_MS = 60;
const STATUS_EVERY_MS = 200;
const SNAPSHOT_EVERY_MS = 500;
const VISUALS_EVERY_MS = 2000;
const CHECKPOINT_EVERY_MS = 15_000;
const MAX_LOSS_POINTS = 4000;

const scope = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (m: FromWorker) => scope.postMessage(m);

class Trainer {
  private runner: Runner | null = null;
  private config: TrainConfig | null = null;
  private assets: AssetUrls | null = null;
  private base: Checkpoint | null = null;
  private backend: BackendName | null = null;
  private lossWatch: BackendLossWatch | null = null;
  private readonly failedBackends: BackendName[] = [];
  private step = 0;
  private running = false;
  private pendingSteps = 0;
  private looping = false;
  /** Bumped by start/reset so that a loop or load of an older run stops touching state. */
  private generation = 0;
  /** The extension's name for the run this worker trains (see ToWebview 'train'). */
  runId = 0;
  private stepsPerTick = 1;
  private lossHistory: LossPoint[] = [];
  private lastGood: Checkpoint | null = null;
  private state: RunState = 'idle';
  private message: string | undefined;
  private samplesPerSec: number | null = null;
  private lastLoss: number | null = null;
  private due = { status: 0, snapshots: 0, visuals: 0, checkpoint: 0 };

  async start(config: TrainConfig, checkpoint: Checkpoint | null, base: Checkpoint | null, assets: AssetUrls, startPaused: boolean): Promise<void> {
    const gen = ++this.generation;
    this.disposeRunner();
    this.config = config;
    this.assets = assets;
    this.base = base;
    this.step = 0;
    this.lossHistory = [];
    this.lastGood = null;
    this.lastLoss = null;
    this.samplesPerSec = null;
    this.running = !startPaused;
    this.message = undefined;
    this.setState('loading', t('Choosing a backend and loading data…'));
    configureWasm(assets.wasm);
    try {
      const report = await chooseBackend(config.backend, () => timeOneStep(config, assets), this.failedBackends);
      if (gen !== this.generation) return;
      this.backend = report.chosen;
      this.lossWatch = new BackendLossWatch(report.chosen);
      post({ type: 'backend', report });
      const runner = await makeRunner(config, assets, checkpoint?.epoch ?? 0, base);
      if (gen !== this.generation) return runner.dispose();
      this.runner = runner;
      if (checkpoint) this.restore(checkpoint);
      await runner.prepare?.();
    } catch (e) {
      if (gen !== this.generation) return;
      this.running = false;
      this.setState('error', t('Could not start: {0}', (e as Error).message));
      return;
    }
    this.message = undefined;
    post({ type: 'loss', points: this.lossHistory });
    this.setState(this.running ? 'training' : 'paused');
    await this.publish(true);
    this.kick();
  }

  private restore(cp: Checkpoint): void {
    try {
      // Extra state first: it can decide which model the weights belong to (latent diffusion's phases).
      if (cp.extra && this.runner!.restoreExtra) this.runner!.restoreExtra(decodeNamed(cp.extra), cp.step);
      this.runner!.model.restore(decodeNamed(cp.weights), decodeNamed(cp.optimizer));
      this.step = cp.step;
      this.lossHistory = cp.lossHistory.slice(-MAX_LOSS_POINTS);
      this.lastGood = cp;
    } catch (e) {
      post({ type: 'error', message: t('The saved checkpoint does not fit this model ({0}); training starts afresh.', (e as Error).message), recoverable: true });
      this.rebuildAfresh();
    }
  }

  private rebuildAfresh(): void {
    // A partly restored model is not trustworthy: rebuild it from the seed.
    const cfg = this.config!, assets = this.assets!;
    this.disposeRunner();
    this.step = 0;
    this.lossHistory = [];
    void makeRunner(cfg, assets, 0, this.base).then(async (r) => {
      await r.prepare?.();
      this.runner = r;
      this.kick();
    });
  }

  control(action: 'pause' | 'resume' | 'step' | 'reset'): void {
    if (action === 'pause') {
      this.running = false;
      // A slice in flight still finishes: its last publish reports "paused" with the final step.
      if (this.looping) this.state = 'paused';
      else if (this.runner) this.setState('paused');
    } else if (action === 'resume') {
      this.running = true;
      if (this.state === 'error') this.message = undefined;
      if (this.runner) this.setState('training');
      this.kick();
    } else if (action === 'step') {
      this.running = false;
      this.pendingSteps++;
      if (this.runner) this.setState('paused');
      this.kick();
    } else if (action === 'reset') {
      void this.reset();
    }
  }

  private async reset(): Promise<void> {
    if (!this.config || !this.assets) return;
    const gen = ++this.generation;
    this.disposeRunner();
    this.step = 0;
    this.lossHistory = [];
    this.lastGood = null;
    this.lastLoss = null;
    this.running = true;
    this.message = undefined;
    post({ type: 'loss', points: [] });
    const runner = await makeRunner(this.config, this.assets, 0, this.base);
    await runner.prepare?.();
    if (gen !== this.generation) return runner.dispose();
    this.runner = runner;
    this.setState('training');
    await this.publish(true);
    this.kick();
  }

  configure(config: TrainConfig): void {
    this.config = config;
    this.runner?.configure(config);
  }

  private kick(): void {
    if (!this.looping && this.runner && (this.running || this.pendingSteps > 0)) void this.loop();
  }

  private async loop(): Promise<void> {
    this.looping = true;
    const gen = this.generation;
    try {
      while (gen === this.generation && this.runner && (this.running || this.pendingSteps > 0)) {
        const lost = await (this.lossWatch?.race(this.tick(gen)) ?? this.tick(gen));
        if (lost) {
          if (gen === this.generation) this.onBackendFailure(new Error(lost));
          break;
        }
        // Let control messages in between slices.
        await new Promise((r) => setTimeout(r, 0));
      }
    } finally {
      this.looping = false;
      // Paused during the last slice: report the state with the step that slice reached.
      if (gen === this.generation && !this.running) this.postStatus();
      // A new run may have started while this loop finished its last slice: it could not start its own loop.
      if (gen !== this.generation) this.kick();
    }
  }

  private async tick(gen: number): Promise<void> {
    const runner = this.runner!;
    const n = this.running ? this.stepsPerTick : 1;
    if (!this.running) this.pendingSteps = Math.max(0, this.pendingSteps - 1);
    const t0 = performance.now();
    const losses: tf.Scalar[] = [];
    const terms: Record<string, tf.Scalar[]> = {};
    let values: Float32Array;
    let termValues: Record<string, Float32Array> = {};
    try {
      for (let i = 0; i < n; i++) {
        const r = runner.step(this.step + i);
        losses.push(r.loss);
        for (const [k, v] of Object.entries(r.terms)) (terms[k] ??= []).push(v);
      }
      // One read-back per slice: WebGPU has no dataSync and every read stalls the queue.
      const stacked = [tf.stack(losses), ...Object.values(terms).map((t) => tf.stack(t))];
      const read = await Promise.all(stacked.map((t) => t.data() as Promise<Float32Array>));
      stacked.forEach((t) => t.dispose());
      values = read[0];
      termValues = Object.fromEntries(Object.keys(terms).map((k, i) => [k, read[i + 1]]));
      // A lost GPU reads back zeros or stale values without an error: this slice's numbers mean nothing.
      const lost = this.lossWatch?.lost();
      if (lost) throw new Error(lost);
    } catch (e) {
      tf.dispose([...losses, ...Object.values(terms).flat()]);
      if (gen === this.generation) this.onBackendFailure(new Error(this.lossWatch?.lost() ?? (e as Error).message));
      return;
    }
    tf.dispose([...losses, ...Object.values(terms).flat()]);
    if (gen !== this.generation) return;
    await runner.prepare?.();
    if (gen !== this.generation) return;
    // A new phase changes every view: send all of it at once, status first, so no view shows the old phase's
    // status beside the new phase's tensors.
    const phaseChanged = runner.consumePhaseChange?.() ?? false;
    if (phaseChanged) {
      this.lossHistory = [];
      post({ type: 'loss', points: [] });
    }
    const elapsed = performance.now() - t0;
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return this.onNonFinite(this.step + bad + 1, values[bad]);
    this.step += n;
    this.stepsPerTick = Math.max(1, Math.min(64, Math.round((this.stepsPerTick * TICK_MS) / Math.max(1, elapsed)) || 1));
    this.samplesPerSec = (n * runner.batchSize * 1000) / Math.max(1, elapsed);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    this.lastLoss = values[values.length - 1];
    const point: LossPoint = { step: this.step, loss: mean(values), terms: Object.fromEntries(Object.entries(termValues).map(([k, v]) => [k, mean(v)])) };
    this.lossHistory.push(point);
    if (this.lossHistory.length > MAX_LOSS_POINTS) this.lossHistory = decimate(this.lossHistory);
    post({ type: 'loss', points: [point] });
    await this.publish(!this.running || phaseChanged);
  }

  /** Sends what is due: status often, snapshots and pictures less often, checkpoints rarely. */
  private async publish(all: boolean): Promise<void> {
    const now = performance.now();
    const runner = this.runner;
    if (!runner) return;
    if (all || now >= this.due.status) {
      this.due.status = now + STATUS_EVERY_MS;
      this.postStatus();
    }
    if (all || now >= this.due.snapshots) {
      this.due.snapshots = now + SNAPSHOT_EVERY_MS;
      const snapshots = await runner.snapshots(this.step);
      if (snapshots.length) post({ type: 'snapshots', runId: this.runId, snapshots });
    }
    if (all || now >= this.due.visuals) {
      this.due.visuals = now + VISUALS_EVERY_MS;
      for (const m of await runner.visuals(this.step)) post(m);
    }
    if (this.running && now >= this.due.checkpoint) {
      this.due.checkpoint = now + CHECKPOINT_EVERY_MS;
      if (this.step > 0) await this.checkpoint();
    }
  }

  async checkpoint(): Promise<void> {
    const runner = this.runner;
    if (!runner || !this.config || runner.checkpointable === false) return;
    const cp: Checkpoint = {
      version: 1,
      model: runner.kind,
      config: this.config,
      step: this.step,
      epoch: runner.epoch,
      weights: await encodeNamed(runner.model.weights()),
      optimizer: await encodeNamed(runner.model.optimizerState()),
      extra: runner.extraState ? await encodeNamed(runner.extraState()) : undefined,
      lossHistory: this.lossHistory.length > 1000 ? decimate(this.lossHistory, 1000) : this.lossHistory,
      savedAt: Date.now(),
    };
    // Weights read from a lost GPU are not weights: keep the last good checkpoint instead.
    if (this.lossWatch?.lost()) return;
    this.lastGood = cp;
    post({ type: 'checkpoint', runId: this.runId, checkpoint: cp });
  }

  private onNonFinite(step: number, value: number): void {
    this.running = false;
    this.pendingSteps = 0;
    const lr = this.config!.model === 'ddpm' || this.config!.model === 'ldm' ? this.config!.diffusion.learningRate : this.config!.autoencoder.learningRate;
    let back = '';
    if (this.lastGood) {
      this.runner!.model.restore(decodeNamed(this.lastGood.weights), decodeNamed(this.lastGood.optimizer));
      this.step = this.lastGood.step;
      back = t(' The model is back at step {0}, its last good checkpoint.', this.step);
    }
    this.setState('error', t('The loss became {0} at step {1} (learning rate {2}). Training is paused.{3} Lower the learning rate, then resume or reset.', String(value), step, lr, back));
  }

  private onBackendFailure(e: Error): void {
    const failed = this.backend;
    if (failed && failed !== 'cpu') this.failedBackends.push(failed);
    const from = this.lastGood ? t('step {0}', this.lastGood.step) : t('the start');
    post({ type: 'error', message: t('The {0} backend failed at step {1} ({2}). Switching backend and resuming from {3}.', failed ?? '?', this.step, e.message, from), recoverable: true });
    if (this.config && this.assets) void this.start(this.config, this.lastGood, this.base, this.assets, !this.running);
  }

  /** Fault injection for the tests: loses the GPU context or device the run trains on, for real. */
  simulateBackendLoss(): void {
    if (!this.lossWatch?.simulateLoss()) post({ type: 'error', message: t('The {0} backend has no GPU device to lose.', this.backend ?? '?'), recoverable: true });
  }

  async decode(z: [number, number], requestId: number): Promise<void> {
    if (!this.runner?.decode) return;
    const { image, imageSize } = await this.runner.decode(z);
    post({ type: 'decoded', requestId, image, imageSize });
  }

  async sample(opts: { sampler?: 'ddpm' | 'ddim'; steps?: number; eta?: number; useEma?: boolean }): Promise<void> {
    if (!this.runner) return;
    if (this.runner.sample) for (const m of await this.runner.sample(opts, this.step)) post(m);
    else for (const m of await this.runner.visuals(this.step)) post(m);
  }

  async scrub(t: number): Promise<void> {
    if (this.runner?.forwardAt) post(await this.runner.forwardAt(t));
  }

  private setState(state: RunState, message?: string): void {
    this.state = state;
    if (message !== undefined) this.message = message;
    this.postStatus();
  }

  private postStatus(): void {
    post({
      type: 'status',
      runId: this.runId,
      status: {
        model: this.config?.model ?? 'vae',
        state: this.state,
        step: this.step,
        epoch: this.runner?.epoch ?? 0,
        loss: this.lastLoss,
        samplesPerSec: this.state === 'training' ? this.samplesPerSec : null,
        backend: this.backend,
        message: this.message ?? this.runner?.note,
      },
    });
  }

  private disposeRunner(): void {
    this.runner?.dispose();
    this.runner = null;
  }
}

/** Halves a loss history by averaging neighbours, keeping the chart's shape and its last point. */
function decimate(points: LossPoint[], target = MAX_LOSS_POINTS / 2): LossPoint[] {
  const k = Math.ceil(points.length / target);
  const out: LossPoint[] = [];
  for (let i = 0; i < points.length; i += k) {
    const chunk = points.slice(i, i + k);
    const last = chunk[chunk.length - 1];
    const terms: Record<string, number> = {};
    for (const key of Object.keys(last.terms)) terms[key] = chunk.reduce((s, p) => s + (p.terms[key] ?? 0), 0) / chunk.length;
    out.push({ step: last.step, loss: chunk.reduce((s, p) => s + p.loss, 0) / chunk.length, terms });
  }
  return out;
}

const trainer = new Trainer();

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const fail = (err: unknown) => post({ type: 'error', message: (err as Error).message ?? String(err), recoverable: true });
  switch (m.type) {
    case 'start':
      useLang(m.lang);
      trainer.runId = m.runId;
      trainer.start(m.config, m.checkpoint, m.base, m.assets, m.startPaused).catch(fail);
      break;
    case 'control':
      trainer.control(m.action);
      break;
    case 'configure':
      trainer.configure(m.config);
      break;
    case 'checkpoint':
      trainer.checkpoint().catch(fail);
      break;
    case 'decode':
      trainer.decode(m.z, m.requestId).catch(fail);
      break;
    case 'sample':
      trainer.sample(m).catch(fail);
      break;
    case 'scrub':
      trainer.scrub(m.t).catch(fail);
      break;
    case 'simulateBackendLoss':
      trainer.simulateBackendLoss();
      break;
  }
};
