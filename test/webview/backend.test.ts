// The backend a run trains on, in the real webview bundle and worker: a measurement the user asks for is
// remembered, the next run starts on the remembered backend without measuring, and a measurement that finds a
// clearly faster backend moves the live run there from a checkpoint of the step it reached.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import type { RememberedBackend } from '../../src/domain/backendChoice';
import type { TrainConfig } from '../../src/domain/config';
import type { BackendReport } from '../../src/domain/run';
import type { FromWebview, ToWebview } from '../../src/protocol';
import { openPage, REPO_ROOT, type WebviewPage } from './harness';

const config: TrainConfig = {
  model: 'vae',
  backend: 'auto',
  autoencoder: { dataset: 'digits-8x8', latentDim: 2, hiddenDim: 32, beta: 1, learningRate: 1e-3, batchSize: 32, seed: 1 },
  diffusion: {
    dataset: 'swiss-roll',
    schedule: 'linear',
    timesteps: 200,
    sampler: 'ddim',
    samplerSteps: 20,
    eta: 0,
    learningRate: 1e-3,
    batchSize: 256,
    seed: 1,
  },
};

const send = (p: WebviewPage, m: ToWebview) => p.page.evaluate((msg) => window.postMessage(msg, '*'), m);
const posted = (p: WebviewPage): Promise<FromWebview[]> => p.page.evaluate(() => window.posted);

async function waitFor<T>(p: WebviewPage, what: string, pick: (msgs: FromWebview[]) => T | undefined, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pick(await posted(p));
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; errors: ${p.errors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Tagged<T extends FromWebview['type']> = Extract<FromWebview, { type: T }>;
const reports = (m: FromWebview[], runId: number): BackendReport[] =>
  m.filter((x): x is Tagged<'backend'> => x.type === 'backend' && x.runId === runId).map((x) => x.report);
const statuses = (m: FromWebview[], runId: number) => m.filter((x): x is Tagged<'status'> => x.type === 'status' && x.runId === runId).map((x) => x.status);

describe('webview: the backend a run trains on', function () {
  this.timeout(300_000);
  let p: WebviewPage;

  before(() => {
    if (!process.env.LATENT_LAB_SKIP_BUILD) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  });

  after(async () => p?.close());

  it('remembers a measurement, starts the next run on the remembered backend without measuring, and moves to a faster one at the step reached', async () => {
    p = await openPage({ entry: 'test/webview/lab/lab-entry.ts', styles: ['/media/css/lab.css'] });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));

    // A first run, then the user's "Measure again": every backend is timed and the choice comes back to remember.
    await send(p, { type: 'train', runId: 1, config, checkpoint: null, base: null, startPaused: false });
    await waitFor(p, 'steps', (m) => ((statuses(m, 1).at(-1)?.step ?? 0) > 5 ? true : undefined));
    await send(p, { type: 'measureBackends' });
    const measured = await waitFor(p, 'a measurement to remember', (m) => reports(m, 1).find((r) => r.remember)?.remember);
    assert.ok(
      measured.probes.some((x) => x.name === 'wasm' && x.ok && (x.stepMs ?? 0) > 0),
      JSON.stringify(measured.probes),
    );
    assert.ok(measured.fingerprint.includes('tfjs='), measured.fingerprint);

    // The next run of this kind starts on the remembered backend (here: the plain-JS CPU one, as if it had been
    // measured fastest), says so, and measures nothing.
    const remembered: RememberedBackend = { ...measured, chosen: 'cpu', probes: [{ name: 'cpu', ok: true, stepMs: 1, measuredAt: measured.measuredAt }] };
    await send(p, { type: 'train', runId: 2, config, checkpoint: null, base: null, startPaused: false, remembered });
    const first = await waitFor(p, 'the remembered backend', (m) => reports(m, 2)[0]);
    assert.equal(first.chosen, 'cpu');
    assert.match(first.reason, /fastest measured for this model on this machine/);
    await waitFor(p, 'steps on the remembered backend', (m) => ((statuses(m, 2).at(-1)?.step ?? 0) > 10 ? true : undefined));
    assert.equal(reports(await posted(p), 2).length, 1, 'no measurement ran: one backend report');

    // Measured again: WASM is far faster than plain JS, so the run moves there, from the step it had reached.
    await send(p, { type: 'measureBackends' });
    const moved = await waitFor(p, 'the move to wasm', (m) => reports(m, 2).find((r) => r.chosen === 'wasm'));
    const at = Number(moved.reason.match(/moved to it at step (\d+)/)?.[1]);
    assert.ok(at > 10, moved.reason);
    assert.ok(moved.remember?.chosen === 'wasm', 'the new choice is remembered');
    const after = await waitFor(p, 'training on after the move', (m) => {
      const s = statuses(m, 2);
      const since = s.slice(s.findIndex((x) => x.backend === 'wasm'));
      return since.length && since.at(-1)!.state === 'training' && since.at(-1)!.step > at + 5 ? since : undefined;
    });
    assert.ok(after[0].step >= at, `the run went on from step ${at}, not from ${after[0].step}`);
    assert.ok(
      after.every((s) => s.step >= at),
      'no step was lost',
    );
  });

  it('a run can resume from a checkpoint its worker made, named instead of sent back; one it no longer holds is asked for whole', async () => {
    await p?.close();
    p = await openPage({ entry: 'test/webview/lab/lab-entry.ts', styles: ['/media/css/lab.css'] });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    await send(p, { type: 'train', runId: 1, config, checkpoint: null, base: null, startPaused: false });
    await waitFor(p, 'steps', (m) => ((statuses(m, 1).at(-1)?.step ?? 0) > 20 ? true : undefined));
    // The checkpoint asked for now (a periodic one may have come before): the last one the worker made.
    const checkpoints = (m: FromWebview[]) => m.filter((x): x is Tagged<'checkpoint'> => x.type === 'checkpoint' && x.runId === 1);
    const before = checkpoints(await posted(p)).length;
    await send(p, { type: 'requestCheckpoint' });
    const cp = await waitFor(p, 'a checkpoint', (m) => checkpoints(m)[before]?.checkpoint);

    await send(p, {
      type: 'train',
      runId: 2,
      config,
      checkpoint: null,
      base: null,
      startPaused: false,
      checkpointRef: { model: 'vae', savedAt: cp.savedAt, step: cp.step },
    });
    const resumed = await waitFor(p, 'run 2 training', (m) => {
      const s = statuses(m, 2);
      return s.some((x) => x.state === 'training' && x.step > cp.step) ? s : undefined;
    });
    assert.ok(
      resumed.every((x) => x.step >= cp.step),
      `run 2 went on from step ${cp.step}: ${resumed.map((x) => x.step)}`,
    );

    await send(p, { type: 'train', runId: 3, config, checkpoint: null, base: null, startPaused: false, checkpointRef: { model: 'vae', savedAt: 1, step: 5 } });
    await waitFor(p, 'the missing checkpoint asked for', (m) => (m.some((x) => x.type === 'checkpointMissing' && x.runId === 3) ? true : undefined));
    assert.equal(statuses(await posted(p), 3).length, 0, 'run 3 does not start from nothing');
  });
});
