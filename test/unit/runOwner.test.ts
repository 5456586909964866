// The one owner of the run, driven by random sequences of what a user, the view and the worker do, with the
// worker's replies delivered late and out of order. A fake view and worker carry out the owner's effects as the
// real ones do (messages in order; the worker tags its output with the run it was working for).
import { strict as assert } from 'node:assert';
import type { ModelKind, TrainConfig } from '../../src/domain/config';
import type { Checkpoint, RunStatus } from '../../src/domain/run';
import { RunOwner, type Effect, type Intent, type Report } from '../../src/extension/run/runOwner';
import { mulberry32 } from '../../src/models/random';

const MODELS: ModelKind[] = ['ae', 'vae', 'ddpm', 'ldm'];
const words = { switching: (m: ModelKind) => `switching to ${m}`, restarting: (m: ModelKind) => `restarting ${m}`, closed: () => 'closed' };

const settings = (over: { beta?: number; latentDim?: number; lr?: number; dataset?: TrainConfig['diffusion']['dataset'] } = {}): TrainConfig => ({
  model: 'vae',
  backend: 'auto',
  autoencoder: { dataset: 'mnist', latentDim: over.latentDim ?? 2, hiddenDim: 64, beta: over.beta ?? 1, learningRate: over.lr ?? 1e-3, batchSize: 64, seed: 1 },
  diffusion: {
    dataset: over.dataset ?? 'swiss-roll',
    schedule: 'linear',
    timesteps: 100,
    sampler: 'ddim',
    samplerSteps: 20,
    eta: 0,
    learningRate: 1e-3,
    batchSize: 128,
    seed: 1,
  },
});

/** A checkpoint; `savedAt` carries the id of the run that made it (the tests' way to tell whose it is). */
const checkpoint = (model: ModelKind, step: number, by: number, config: TrainConfig): Checkpoint => ({
  version: 1,
  model,
  config: { ...config, model },
  step,
  epoch: 0,
  weights: [],
  optimizer: [],
  lossHistory: [],
  savedAt: by,
});

const status = (model: ModelKind, state: RunStatus['state'], step: number, message?: string): RunStatus => ({
  model,
  state,
  step,
  epoch: 0,
  loss: 1,
  samplesPerSec: null,
  backend: 'wasm',
  message,
});

/** The view and its worker as the owner sees them: messages arrive in order; the worker's replies come back in any order. */
class FakeLab {
  live = false;
  visible = false;
  inbox: Effect[] = [];
  outbox: Report[] = [];
  worker: { runId: number; model: ModelKind; config: TrainConfig; running: boolean; step: number } | undefined;

  deliverOne(): void {
    const e = this.inbox.shift();
    if (!e || !this.live) return;
    const w = this.worker;
    switch (e.kind) {
      case 'start': {
        if (e.checkpointPrevious && w) this.outbox.push({ kind: 'checkpoint', runId: w.runId, checkpoint: checkpoint(w.model, w.step, w.runId, w.config) });
        const from = e.from === 'none' ? null : e.from === 'stored' ? null : e.from;
        this.worker = { runId: e.run.id, model: e.run.config.model, config: e.run.config, running: e.run.running, step: from?.step ?? 0 };
        this.outbox.push({ kind: 'status', runId: e.run.id, status: status(e.run.config.model, 'loading', this.worker.step) });
        break;
      }
      case 'control':
        if (w) w.running = e.action === 'resume';
        if (w && e.action === 'step') w.step++;
        break;
      case 'configure':
        if (w) w.config = e.config;
        break;
      case 'requestCheckpoint':
        if (w) this.outbox.push({ kind: 'checkpoint', runId: w.runId, checkpoint: checkpoint(w.model, w.step, w.runId, w.config) });
        break;
    }
  }

  /** The worker trains a little and reports (status, snapshots, sometimes a checkpoint or a NaN loss). */
  work(rand: () => number): void {
    const w = this.worker;
    if (!this.live || !w) return;
    if (w.running && this.visible) w.step += 1 + Math.floor(rand() * 20);
    const nan = rand() < 0.03;
    if (nan) w.running = false;
    this.outbox.push({
      kind: 'status',
      runId: w.runId,
      status: status(w.model, nan ? 'error' : w.running && this.visible ? 'training' : 'paused', w.step, nan ? `NaN at ${w.step}` : undefined),
    });
    this.outbox.push({ kind: 'snapshots', runId: w.runId, snapshots: [] });
    if (rand() < 0.3) this.outbox.push({ kind: 'checkpoint', runId: w.runId, checkpoint: checkpoint(w.model, w.step, w.runId, w.config) });
  }

  dispose(): void {
    this.live = false;
    this.visible = false;
    this.inbox = [];
    this.outbox = [];
    this.worker = undefined;
  }
}

function runSequence(seed: number, length: number): void {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const owner = new RunOwner(words);
  const lab = new FakeLab();
  const store = new Map<ModelKind, Checkpoint>();
  /** For each model, the id of its latest run; for each run, the runs whose checkpoints it went on from. */
  const latestRun = new Map<ModelKind, number>();
  const ancestors = new Map<number, Set<number>>();
  const storedBy = new Set<number>();
  let current = settings();
  let expectRunning: boolean | undefined;
  const log: string[] = [];

  const apply = (effects: Effect[], cause: Intent | Report) => {
    for (const e of effects) {
      if (e.kind === 'show' && 'runId' in cause)
        assert.equal(cause.runId, owner.current?.id, `a status of run ${cause.runId} is shown under run ${owner.current?.id}`);
      if (e.kind === 'snapshots') assert.equal((cause as Report).runId, owner.current?.id, 'snapshots of a replaced run reach the mirror');
      if (e.kind === 'forget') store.delete(e.model);
      if (e.kind === 'store') {
        store.set(e.checkpoint.model, e.checkpoint);
        storedBy.add(e.checkpoint.savedAt);
      }
      if (e.kind === 'start') {
        // What the adapter does: the stored checkpoint, when it fits the run's settings, goes with the run.
        const stored = store.get(e.run.config.model);
        if (e.from === 'stored' && stored && stored.config.autoencoder.latentDim === e.run.config.autoencoder.latentDim) e.from = stored;
        lab.inbox.push(e);
      } else if (e.kind === 'control' || e.kind === 'configure' || e.kind === 'requestCheckpoint') {
        lab.inbox.push(e);
      }
    }
  };
  /** A new run goes on from what is stored for its model when it starts (nothing after a Reset or a rebuild). */
  const noteNewRun = () => {
    const run = owner.current;
    if (!run || latestRun.get(run.config.model) === run.id) return;
    const stored = store.get(run.config.model);
    ancestors.set(run.id, stored ? new Set([stored.savedAt, ...(ancestors.get(stored.savedAt) ?? [])]) : new Set());
    latestRun.set(run.config.model, run.id);
  };
  const checkStore = () => {
    // The stored checkpoint of each model is its latest run's, or one that run went on from (kept on purpose).
    for (const [model, cp] of store) {
      const latest = latestRun.get(model);
      if (latest === undefined) continue;
      const allowed = new Set([latest, ...(ancestors.get(latest) ?? [])]);
      assert.ok(
        allowed.has(cp.savedAt),
        `the stored ${model} checkpoint is run ${cp.savedAt}'s, not from run ${latest}'s line (${[...allowed]})\n${log.join('\n')}`,
      );
      if (storedBy.has(latest))
        assert.equal(cp.savedAt, latest, `the stored ${model} checkpoint went back from run ${latest}'s to run ${cp.savedAt}'s\n${log.join('\n')}`);
    }
  };
  const send = (x: Intent | Report) => {
    log.push(JSON.stringify(x).slice(0, 160));
    const effects = owner.handle(x);
    log.push(
      '  -> ' +
        effects
          .map((e) => e.kind + ('action' in e ? ':' + e.action : '') + (e.kind === 'start' ? ':' + e.run.id + (e.run.running ? ':run' : ':paused') : ''))
          .join(' '),
    );
    if (x.kind === 'import') {
      // An import is stored under the id of the run it becomes.
      for (const e of effects) if (e.kind === 'store') e.checkpoint = { ...e.checkpoint, savedAt: owner.current!.id };
    }
    if (x.kind === 'status' && x.runId === owner.current?.id && x.status.state === 'error') expectRunning = false;
    apply(effects, x);
    noteNewRun();
    checkStore();
  };

  for (let i = 0; i < length; i++) {
    const r = rand();
    if (r < 0.12) {
      const model = pick(MODELS);
      const was = owner.current;
      send({ kind: 'train', model, settings: current });
      expectRunning = true;
      assert.equal(owner.current?.config.model, model, 'Train X makes X the run at once');
      if (was && was.config.model !== model) assert.equal(owner.shown?.model, model, 'the new model is shown at once, not the old one');
    } else if (r < 0.2) {
      const kind = pick(['togglePause', 'pause', 'resume', 'step'] as const);
      const before = owner.current?.running;
      send({ kind });
      if (owner.current) expectRunning = kind === 'togglePause' ? !before : kind === 'resume';
    } else if (r < 0.24) {
      send({ kind: 'reset' });
      if (owner.current) expectRunning = true;
    } else if (r < 0.27) {
      const model = pick(MODELS);
      send({ kind: 'import', checkpoint: checkpoint(model, 500 + Math.floor(rand() * 500), -1, settings({ latentDim: pick([2, 8]) })) });
      expectRunning = false;
    } else if (r < 0.34) {
      current = settings({ beta: pick([1, 4]), latentDim: pick([2, 2, 2, 8]), lr: pick([1e-3, 5e-4]), dataset: pick(['swiss-roll', 'swiss-roll', 'rings']) });
      const before = owner.current?.id;
      send({ kind: 'settings', settings: current });
      // A setting that rebuilds the model starts the run again, training (which settings do is tested below).
      if (owner.current && owner.current.id !== before) expectRunning = true;
    } else if (r < 0.36) {
      send({
        kind: 'draw',
        points: [
          [0, 0],
          [1, 1],
        ],
      });
      if (owner.current) expectRunning = true;
    } else if (r < 0.4) {
      if (lab.live) {
        lab.visible = !lab.visible;
        send({ kind: 'viewVisible', visible: lab.visible });
      } else {
        lab.live = true;
        lab.visible = true;
        send({ kind: 'viewReady' });
      }
    } else if (r < 0.42) {
      lab.dispose();
      send({ kind: 'viewDisposed' });
    } else if (r < 0.6) {
      for (let k = Math.floor(rand() * 3); k >= 0; k--) lab.deliverOne();
    } else if (r < 0.75) {
      lab.work(rand);
    } else if (lab.outbox.length) {
      // Out of order: any reply may come next.
      const [report] = lab.outbox.splice(Math.floor(rand() * lab.outbox.length), 1);
      send(report);
    }
  }

  // Everything settles: the view is live and visible, every message and reply arrives.
  if (!lab.live) {
    lab.live = true;
    send({ kind: 'viewReady' });
  }
  if (!lab.visible) {
    lab.visible = true;
    send({ kind: 'viewVisible', visible: true });
  }
  while (lab.inbox.length || lab.outbox.length) {
    while (lab.inbox.length) lab.deliverOne();
    if (lab.outbox.length) send(lab.outbox.shift()!);
  }
  const run = owner.current;
  if (!run) return;
  assert.equal(lab.worker?.runId, run.id, 'the worker trains the run the owner decided last');
  assert.deepEqual(lab.worker?.config, run.config, "the worker has the run's settings");
  assert.equal(run.running, expectRunning, `the last request decides whether it trains\n${log.join('\n')}`);
  assert.equal(
    lab.worker?.running,
    run.running,
    `the worker trains exactly when the owner says so\n${log
      .filter((l) => !l.includes('snapshots') && !l.includes('dropped') && !l.includes('"status"'))
      .slice(-30)
      .join('\n')}`,
  );
  assert.equal(owner.shown?.model, run.config.model, 'the status shown is the live model');
}

describe('the run owner', () => {
  it('keeps its invariants over 2,000 random sequences of intents and out-of-order worker replies', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      try {
        runSequence(seed, 80);
      } catch (e) {
        (e as Error).message = `seed ${seed}: ${(e as Error).message}`;
        throw e;
      }
    }
  });

  it("switching model shows the new one at once and keeps the old run's last checkpoint, once", () => {
    const owner = new RunOwner(words);
    owner.handle({ kind: 'viewReady' });
    owner.handle({ kind: 'viewVisible', visible: true });
    owner.handle({ kind: 'train', model: 'vae', settings: settings() });
    const vae = owner.current!.id;
    const effects = owner.handle({ kind: 'train', model: 'ddpm', settings: settings() });
    assert.deepEqual(
      effects.map((e) => e.kind),
      ['show', 'start'],
    );
    const start = effects.find((e): e is Extract<Effect, { kind: 'start' }> => e.kind === 'start')!;
    assert.equal(start.checkpointPrevious, true);
    assert.equal(owner.shown?.model, 'ddpm');
    assert.equal(owner.shown?.state, 'loading');
    const final = checkpoint('vae', 300, vae, settings());
    assert.deepEqual(owner.handle({ kind: 'checkpoint', runId: vae, checkpoint: final }), [{ kind: 'store', checkpoint: final }]);
    assert.equal(owner.handle({ kind: 'checkpoint', runId: vae, checkpoint: final })[0].kind, 'dropped', 'only the one final checkpoint is kept');
    assert.equal(owner.handle({ kind: 'status', runId: vae, status: status('vae', 'training', 310) })[0].kind, 'dropped');
  });

  it('Reset is a new run: a checkpoint taken before it and arriving after it is dropped', () => {
    const owner = new RunOwner(words);
    owner.handle({ kind: 'viewReady' });
    owner.handle({ kind: 'train', model: 'vae', settings: settings() });
    const before = owner.current!.id;
    const effects = owner.handle({ kind: 'reset' });
    assert.ok(
      effects.some((e) => e.kind === 'forget' && e.model === 'vae'),
      'the old checkpoint and tensors are forgotten',
    );
    assert.notEqual(owner.current!.id, before);
    assert.equal(owner.handle({ kind: 'checkpoint', runId: before, checkpoint: checkpoint('vae', 20, before, settings()) })[0].kind, 'dropped');
  });

  it('a live setting reaches the run as configure; a rebuilding one starts a new run', () => {
    const owner = new RunOwner(words);
    owner.handle({ kind: 'viewReady' });
    owner.handle({ kind: 'train', model: 'vae', settings: settings() });
    const id = owner.current!.id;
    assert.deepEqual(
      owner.handle({ kind: 'settings', settings: settings({ beta: 4 }) }).map((e) => e.kind),
      ['configure'],
    );
    assert.equal(owner.current!.id, id);
    assert.equal(owner.current!.config.autoencoder.beta, 4);
    const rebuild = owner.handle({ kind: 'settings', settings: settings({ beta: 4, latentDim: 8 }) });
    assert.deepEqual(
      rebuild.map((e) => e.kind),
      ['forget', 'show', 'start'],
    );
    assert.notEqual(owner.current!.id, id);
  });

  it('an imported model trained on a drawing is not restarted when its settings are written back', () => {
    const owner = new RunOwner(words);
    owner.handle({ kind: 'viewReady' });
    owner.handle({ kind: 'train', model: 'ddpm', settings: settings() });
    const drawn = settings();
    drawn.diffusion = { ...drawn.diffusion, dataset: 'drawn', drawnPoints: [[0, 1]] };
    owner.handle({ kind: 'import', checkpoint: checkpoint('ddpm', 700, -1, drawn) });
    const id = owner.current!.id;
    assert.deepEqual(owner.handle({ kind: 'settings', settings: settings() }), []);
    assert.equal(owner.current!.id, id);
    assert.equal(owner.current!.config.diffusion.dataset, 'drawn');
  });

  it('an error status stops the run and offers recovery once', () => {
    const owner = new RunOwner(words);
    owner.handle({ kind: 'viewReady' });
    owner.handle({ kind: 'train', model: 'vae', settings: settings() });
    const id = owner.current!.id;
    const first = owner.handle({ kind: 'status', runId: id, status: status('vae', 'error', 40, 'NaN') });
    assert.deepEqual(
      first.map((e) => e.kind),
      ['show', 'control', 'failed'],
    );
    assert.equal(owner.current!.running, false);
    assert.deepEqual(
      owner.handle({ kind: 'status', runId: id, status: status('vae', 'error', 40, 'NaN') }).map((e) => e.kind),
      ['show'],
    );
  });
});
