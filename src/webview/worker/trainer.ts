// The training worker: chooses the backend, builds the model, runs the loop in time slices so control
// messages get through, and streams status, losses, tensor snapshots, pictures and checkpoints. Everything it
// sends carries the run it was made for, captured when the work started: the view and the extension drop the
// output of a run they replaced. It decides nothing about which run is live (the extension does).
import * as tf from '@tensorflow/tfjs';
import type { FromWorker, ToWorker, WorkerPost } from '../../protocol';
import type { AssetUrls } from '../../domain/assets';
import { backendKey, fasterBackend, planBackend, remember, type BackendPlan, type RememberedBackend } from '../../domain/backendChoice';
import type { BackendName, ModelKind, TrainConfig } from '../../domain/config';
import type { BackendFault, WorkerNotice } from '../../domain/notices';
import type { BackendProbe, BackendReport, Checkpoint, LossPoint, RunState } from '../../domain/run';
import { learningRateKey } from '../../domain/settings';
import { decodeNamed, encodeNamed } from '../../models/checkpointCodec';
import { backendEnvironment, configureWasm, initBackend, measureBackends } from './backend';
import { BackendLossWatch } from './backendLoss';
import { makeRunner, prefetchData, timeOneStep } from './makeRunner';
import type { Runner } from './runner';

const TICK_MS = 60;
const STATUS_EVERY_MS = 200;
const SNAPSHOT_EVERY_MS = 500;
const VISUALS_EVERY_MS = 2000;
const CHECKPOINT_EVERY_MS = 15_000;
const MAX_LOSS_POINTS = 4000;
/**
 * How often the held-out loss is evaluated while training (a few forward passes over the held-out images). Not in
 * the loss history: checkpoints keep only the training loss, and the chart's held-out series starts again where a
 * run resumes.
 */
const HELD_OUT_EVERY_MS = 5000;

const scope = self as unknown as { postMessage(m: WorkerPost): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (runId: number, m: FromWorker) => scope.postMessage({ ...m, runId } as WorkerPost);

class Trainer {
  private runner: Runner | null = null;
  private config: TrainConfig | null = null;
  private assets: AssetUrls | null = null;
  private base: Checkpoint | null = null;
  private backend: BackendName | null = null;
  private lossWatch: BackendLossWatch | null = null;
  private readonly failedBackends: BackendName[] = [];
  /** The backend measured fastest for runs of this kind, as the extension remembers it. */
  private remembered: RememberedBackend | undefined;
  /** The replaced run's last checkpoint, sent after the new run's first slice. */
  private sendLater: (() => void) | undefined;
  /** The last checkpoint sent of each model: a later start can name it instead of receiving it back whole. */
  private readonly sent = new Map<ModelKind, Checkpoint>();
  /** The backend report of the live run, as last sent. */
  private report: BackendReport | null = null;
  /** The loop in flight, if any. */
  private loopDone: Promise<void> = Promise.resolve();
  private step = 0;
  private running = false;
  private pendingSteps = 0;
  private looping = false;
  /** Bumped by start so that a loop or load of an older run stops touching state. */
  private generation = 0;
  /** The extension's name for the run this worker trains (see ToWebview 'train'). */
  private runId = 0;

  get liveRunId(): number {
    return this.runId;
  }
  private stepsPerTick = 1;
  private lossHistory: LossPoint[] = [];
  private lastGood: Checkpoint | null = null;
  private state: RunState = 'idle';
  private notice: WorkerNotice | undefined;
  private samplesPerSec: number | null = null;
  private lastLoss: number | null = null;
  private due = { status: 0, snapshots: 0, visuals: 0, checkpoint: 0, heldOut: 0 };
  /** The step the held-out loss was last evaluated at (never twice at one step). */
  private heldOutStep = -1;

  /** Starts run `runId`, after one last checkpoint of the run it replaces when `checkpointPrevious`. */
  async start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
    const gen = ++this.generation;
    this.flushLater();
    // The last checkpoint reads the old run before anything changes; controls that follow are the new run's.
    const previous = this.runId;
    const final = m.checkpointPrevious ? this.makeCheckpoint().catch(() => null) : undefined;
    this.runId = m.runId;
    this.remembered = m.remembered;
    this.running = !m.startPaused;
    this.pendingSteps = 0;
    const cp = await final;
    // Megabytes for a VAE: sent once the new run has shown its first step, so the switch does not wait for it.
    if (cp) this.sendLater = () => this.send(previous, cp);
    if (gen !== this.generation) return;
    let checkpoint = m.checkpoint;
    if (m.checkpointRef) {
      const held = this.sent.get(m.checkpointRef.model);
      if (held?.savedAt !== m.checkpointRef.savedAt) {
        // Nothing trains until the extension sends it whole.
        this.disposeRunner();
        return post(m.runId, { type: 'checkpointMissing' });
      }
      checkpoint = held;
    }
    await this.begin(m.config, checkpoint, m.base, m.assets, gen);
  }

  /**
   * Builds the run and starts the loop: on the backend `plan` names, or else on the one remembered for runs of this
   * kind, or else on WASM while faster candidates are measured beside it. Whether it trains is `running`.
   */
  private async begin(
    config: TrainConfig,
    checkpoint: Checkpoint | null,
    base: Checkpoint | null,
    assets: AssetUrls,
    gen: number,
    plan?: BackendPlan,
  ): Promise<void> {
    const runId = this.runId;
    this.disposeRunner();
    this.config = config;
    this.assets = assets;
    this.base = base;
    // A run resumed from a checkpoint shows its step while it loads, not 0.
    this.step = checkpoint?.step ?? 0;
    this.backend = null;
    this.lossHistory = [];
    this.lastGood = null;
    this.lastLoss = null;
    this.samplesPerSec = null;
    this.setState('loading', { code: 'loading' });
    configureWasm(assets.wasm);
    try {
      // The data decodes while the backend starts.
      const data = prefetchData(config, assets);
      const env = await backendEnvironment();
      plan ??= planBackend(config.backend, this.remembered, env);
      const chosen = await this.startBackend(plan.start);
      if (gen !== this.generation) return;
      this.backend = chosen;
      this.lossWatch = new BackendLossWatch(chosen);
      const reason = chosen === plan.start ? plan.reason : `${chosen}: ${plan.start} could not start here`;
      this.report = { chosen, reason, probes: plan.probes, forced: config.backend !== 'auto', remember: plan.remember };
      post(runId, { type: 'backend', report: this.report });
      await data;
      const runner = await makeRunner(config, assets, checkpoint?.epoch ?? 0, base);
      if (gen !== this.generation) return runner.dispose();
      this.runner = runner;
      if (checkpoint) this.restore(checkpoint);
      await runner.prepare?.();
    } catch (e) {
      if (gen !== this.generation) return;
      this.running = false;
      this.setState('error', { code: 'couldNotStart', detail: (e as Error).message });
      this.flushLater();
      return;
    }
    this.notice = undefined;
    post(runId, { type: 'loss', points: this.lossHistory });
    this.setState(this.running ? 'training' : 'paused');
    // A run that trains shows its first step first: its tensors and pictures come with the first slice. One that
    // waits paused shows them now.
    this.due.snapshots = this.due.visuals = this.due.heldOut = 0;
    this.heldOutStep = -1;
    this.due.checkpoint = performance.now() + CHECKPOINT_EVERY_MS;
    if (!this.running) {
      await this.publish(true);
      this.flushLater();
    }
    this.kick();
    // Measured beside the training, in a second worker: the run does not wait for it.
    if (plan.measure.length && gen === this.generation) post(runId, { type: 'measure', config, backends: [...plan.measure, this.backend!] });
  }

  /** The backend in use, timed by the training itself when no measurement did: the report says how fast it runs. */
  private reportStepTime(runId: number, stepMs: number): void {
    const report = this.report;
    if (!report || report.probes.some((p) => p.name === report.chosen && p.stepMs !== undefined)) return;
    const timed = { name: report.chosen, ok: true, stepMs, measuredAt: Date.now(), detail: 'timed by the training itself' };
    this.report = { ...report, probes: [timed, ...report.probes.filter((p) => p.name !== report.chosen)], remember: undefined };
    post(runId, { type: 'backend', report: this.report });
  }

  /** Starts `first`, or the safe backends after it when it cannot run here (or failed earlier in this worker). */
  private async startBackend(first: BackendName): Promise<BackendName> {
    const order = [first, 'wasm', 'cpu'].filter((b, i, all) => all.indexOf(b) === i && !this.failedBackends.includes(b as BackendName)) as BackendName[];
    let error: unknown;
    for (const name of order) {
      try {
        await initBackend(name);
        return name;
      } catch (e) {
        error = e;
      }
    }
    throw error instanceof Error ? error : new Error('no TF.js backend could start here');
  }

  /** A measurement of the backends for the live run came back: remember it, and move the run when one is clearly faster. */
  async onProbed(runId: number, probes: BackendProbe[]): Promise<void> {
    const { config, assets, backend } = this;
    if (runId !== this.runId || !config || !assets || !backend) return;
    const env = await backendEnvironment();
    const better = fasterBackend(backend, probes);
    const chosen = better ?? backend;
    const record = remember(backendKey(config), env, chosen, probes, Date.now());
    const timings = probes.map((p) => (p.stepMs !== undefined ? `${p.name} ${p.stepMs.toFixed(1)} ms` : `${p.name}: ${p.detail}`)).join('; ');
    if (!better) {
      this.report = { chosen, reason: `${chosen}: fastest measured training step (${timings})`, probes, forced: false, remember: record };
      post(runId, { type: 'backend', report: this.report });
      return;
    }
    // Let the slice in flight finish, so the checkpoint holds exactly the step reached; then the same run goes on there.
    const wasRunning = this.running;
    this.running = false;
    await this.loopDone;
    const cp = await this.makeCheckpoint();
    if (runId !== this.runId) return;
    this.running = wasRunning;
    const reason = `${better}: measured faster than ${backend} (${timings}); the run moved to it at step ${this.step}`;
    await this.begin(config, cp ?? this.lastGood, this.base, assets, ++this.generation, { start: better, reason, measure: [], probes, remember: record });
  }

  /** The user asked: time every backend again for the live run. */
  measureAgain(): void {
    if (this.config && this.backend) post(this.runId, { type: 'measure', config: this.config, backends: ['webgpu', 'webgl', 'wasm', this.backend] });
  }

  /** In the measuring worker: times a step of `config` on each backend and answers once. */
  async probe(m: Extract<ToWorker, { type: 'probe' }>): Promise<void> {
    configureWasm(m.assets.wasm);
    const names = m.backends.filter((b, i) => m.backends.indexOf(b) === i);
    post(m.runId, { type: 'probed', probes: await measureBackends(names, () => timeOneStep(m.config, m.assets)) });
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
      post(this.runId, { type: 'error', notice: { code: 'checkpointMismatch', detail: (e as Error).message }, recoverable: true });
      this.rebuildAfresh();
    }
  }

  private rebuildAfresh(): void {
    // A partly restored model is not trustworthy: rebuild it from the seed.
    const cfg = this.config!,
      assets = this.assets!;
    this.disposeRunner();
    this.step = 0;
    this.lossHistory = [];
    void makeRunner(cfg, assets, 0, this.base).then(async (r) => {
      await r.prepare?.();
      this.runner = r;
      this.kick();
    });
  }

  control(action: 'pause' | 'resume' | 'step'): void {
    if (action === 'pause') {
      this.running = false;
      // A slice in flight still finishes: its last publish reports "paused" with the final step.
      if (this.state === 'error') return;
      if (this.looping) this.state = 'paused';
      else if (this.runner) this.setState('paused');
    } else if (action === 'resume') {
      this.running = true;
      if (this.state === 'error') this.notice = undefined;
      if (this.runner) this.setState('training');
      this.kick();
    } else {
      this.running = false;
      this.pendingSteps++;
      if (this.runner) this.setState('paused');
      this.kick();
    }
  }

  configure(config: TrainConfig): void {
    this.config = config;
    this.runner?.configure(config);
  }

  private kick(): void {
    if (!this.looping && this.runner && (this.running || this.pendingSteps > 0)) this.loopDone = this.loop();
  }

  private async loop(): Promise<void> {
    this.looping = true;
    const gen = this.generation;
    try {
      while (gen === this.generation && this.runner && (this.running || this.pendingSteps > 0)) {
        const lost = await (this.lossWatch?.race(this.tick(gen)) ?? this.tick(gen));
        if (lost) {
          if (gen === this.generation) this.onBackendFailure(lost);
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
    const runId = this.runId;
    const n = this.running ? this.stepsPerTick : 1;
    if (!this.running) this.pendingSteps = Math.max(0, this.pendingSteps - 1);
    const t0 = performance.now();
    const losses: tf.Scalar[] = [];
    const terms: Record<string, tf.Scalar[]> = {};
    let values: Float32Array;
    let termValues: Record<string, Float32Array>;
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
      if (lost) throw new Error('lost');
    } catch (e) {
      tf.dispose([...losses, ...Object.values(terms).flat()]);
      if (gen === this.generation) this.onBackendFailure(this.lossWatch?.lost() ?? { kind: 'error', detail: (e as Error).message });
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
      post(runId, { type: 'loss', points: [] });
    }
    const elapsed = performance.now() - t0;
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return this.onNonFinite(this.step + bad + 1, values[bad]);
    this.step += n;
    this.reportStepTime(runId, elapsed / n);
    this.flushLater();
    this.stepsPerTick = Math.max(1, Math.min(64, Math.round((this.stepsPerTick * TICK_MS) / Math.max(1, elapsed)) || 1));
    this.samplesPerSec = (n * runner.batchSize * 1000) / Math.max(1, elapsed);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    this.lastLoss = values[values.length - 1];
    const point: LossPoint = { step: this.step, loss: mean(values), terms: Object.fromEntries(Object.entries(termValues).map(([k, v]) => [k, mean(v)])) };
    this.lossHistory.push(point);
    if (this.lossHistory.length > MAX_LOSS_POINTS) this.lossHistory = decimate(this.lossHistory);
    post(runId, { type: 'loss', points: [point] });
    await this.publish(!this.running || phaseChanged);
  }

  /** Sends what is due: status often, snapshots and pictures less often, checkpoints rarely. */
  private async publish(all: boolean): Promise<void> {
    const now = performance.now();
    const runner = this.runner;
    const runId = this.runId;
    const step = this.step;
    if (!runner) return;
    if (all || now >= this.due.status) {
      this.due.status = now + STATUS_EVERY_MS;
      this.postStatus(runId);
    }
    if (all || now >= this.due.snapshots) {
      this.due.snapshots = now + SNAPSHOT_EVERY_MS;
      const snapshots = await runner.snapshots(step);
      if (snapshots.length) post(runId, { type: 'snapshots', snapshots });
    }
    if (all || now >= this.due.visuals) {
      this.due.visuals = now + VISUALS_EVERY_MS;
      for (const m of await runner.visuals(step)) post(runId, m);
    }
    if (runner.heldOut && (all || now >= this.due.heldOut) && step !== this.heldOutStep) {
      this.due.heldOut = now + HELD_OUT_EVERY_MS;
      this.heldOutStep = step;
      const { loss, terms } = await runner.heldOut();
      // A lost GPU reads back zeros without an error: such figures mean nothing.
      if (!this.lossWatch?.lost()) post(runId, { type: 'heldOut', step, loss, terms });
    }
    if (this.running && now >= this.due.checkpoint) {
      this.due.checkpoint = now + CHECKPOINT_EVERY_MS;
      if (step > 0) await this.checkpoint();
    }
  }

  /** Checkpoints the live run; what it reads of the run is taken before the first await. */
  async checkpoint(): Promise<void> {
    const runId = this.runId;
    const cp = await this.makeCheckpoint();
    if (cp) this.send(runId, cp);
  }

  private flushLater(): void {
    this.sendLater?.();
    this.sendLater = undefined;
  }

  private send(runId: number, cp: Checkpoint): void {
    this.sent.set(cp.model, cp);
    post(runId, { type: 'checkpoint', checkpoint: cp });
  }

  /** A checkpoint of the live run (null when it cannot be taken, or the GPU was lost while it was read). */
  private async makeCheckpoint(): Promise<Checkpoint | null> {
    const { runner, config, step, lossWatch } = this;
    if (!runner || !config || runner.checkpointable === false) return null;
    const epoch = runner.epoch;
    const lossHistory = this.lossHistory.length > 1000 ? decimate(this.lossHistory, 1000) : this.lossHistory.slice();
    const weights = runner.model.weights(),
      optimizer = runner.model.optimizerState(),
      extra = runner.extraState?.();
    const cp: Checkpoint = {
      version: 1,
      model: runner.kind,
      config,
      step,
      epoch,
      weights: await encodeNamed(weights),
      optimizer: await encodeNamed(optimizer),
      extra: extra ? await encodeNamed(extra) : undefined,
      lossHistory,
      savedAt: Date.now(),
    };
    // Weights read from a lost GPU are not weights: keep the last good checkpoint instead.
    if (lossWatch?.lost()) return null;
    if (runner === this.runner) this.lastGood = cp;
    return cp;
  }

  /** The settings the model applies, read from the model itself (for the tests: a setting reached the run). */
  inspect(requestId: number): void {
    if (this.runner) post(this.runId, { type: 'applied', requestId, values: this.runner.applied() });
  }

  private onNonFinite(step: number, value: number): void {
    this.running = false;
    this.pendingSteps = 0;
    // The rate the model trains with now (latent diffusion: its VAE's during the VAE phase).
    const applied = this.runner!.applied();
    const lr = Number(applied[learningRateKey(this.config!.model)] ?? applied.learningRate);
    let backAt: number | null = null;
    if (this.lastGood) {
      this.runner!.model.restore(decodeNamed(this.lastGood.weights), decodeNamed(this.lastGood.optimizer));
      this.step = backAt = this.lastGood.step;
    }
    this.setState('error', { code: 'nonFiniteLoss', value: String(value), step, learningRate: lr, backAt });
  }

  /** The backend failed: the same run goes on, on the next backend, from its last good checkpoint. */
  private onBackendFailure(reason: BackendFault): void {
    const failed = this.backend;
    if (failed && failed !== 'cpu') this.failedBackends.push(failed);
    const notice: WorkerNotice = { code: 'backendFailed', backend: failed ?? '?', step: this.step, reason, from: this.lastGood?.step ?? null };
    post(this.runId, { type: 'error', notice, recoverable: true });
    if (!this.config || !this.assets) return;
    const start = this.failedBackends.includes('wasm') ? 'cpu' : 'wasm';
    const probes = this.failedBackends.map((name) => ({ name, ok: false, detail: 'failed earlier in this run' }));
    const plan: BackendPlan = { start, reason: `${start}: ${failed ?? 'the backend'} failed, and ${start} runs on the CPU`, measure: [], probes };
    void this.begin(this.config, this.lastGood, this.base, this.assets, ++this.generation, plan);
  }

  /** Fault injection for the tests: loses the GPU context or device the run trains on, for real. */
  simulateBackendLoss(): void {
    if (!this.lossWatch?.simulateLoss()) post(this.runId, { type: 'error', notice: { code: 'noGpuToLose', backend: this.backend ?? '?' }, recoverable: true });
  }

  async decode(z: [number, number], requestId: number): Promise<void> {
    const { runner, runId } = this;
    if (!runner?.decode) return;
    const { image, imageSize } = await runner.decode(z);
    post(runId, { type: 'decoded', requestId, image, imageSize });
  }

  async sample(opts: { sampler?: 'ddpm' | 'ddim'; steps?: number; eta?: number; useEma?: boolean }): Promise<void> {
    const { runner, runId, step } = this;
    if (!runner) return;
    for (const m of await (runner.sample ? runner.sample(opts, step) : runner.visuals(step))) post(runId, m);
  }

  async scrub(t: number): Promise<void> {
    const { runner, runId } = this;
    if (runner?.forwardAt) post(runId, await runner.forwardAt(t));
  }

  private setState(state: RunState, notice?: WorkerNotice): void {
    this.state = state;
    if (notice !== undefined) this.notice = notice;
    this.postStatus();
  }

  private postStatus(runId = this.runId): void {
    post(runId, {
      type: 'status',
      status: {
        model: this.config?.model ?? 'vae',
        state: this.state,
        step: this.step,
        epoch: this.runner?.epoch ?? 0,
        loss: this.lastLoss,
        samplesPerSec: this.state === 'training' ? this.samplesPerSec : null,
        backend: this.backend,
        notice: this.notice ?? this.runner?.notice,
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
  const fail = (err: unknown) =>
    post(m.type === 'start' ? m.runId : trainer.liveRunId, {
      type: 'error',
      notice: { code: 'failed', detail: (err as Error).message ?? String(err) },
      recoverable: true,
    });
  switch (m.type) {
    case 'start':
      trainer.start(m).catch(fail);
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
    case 'inspect':
      trainer.inspect(m.requestId);
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
    case 'measureBackends':
      trainer.measureAgain();
      break;
    case 'probe':
      trainer.probe(m).catch(fail);
      break;
    case 'probed':
      trainer.onProbed(m.runId, m.probes).catch(fail);
      break;
  }
};
