// The real webview bundle (UI thread + training worker) in headless Chromium, driven through the same
// messages the extension sends: it trains, reports its backend, posts snapshots and draws the diagrams.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IMAGE_DATASETS } from '../../src/models/datasets';
import type { FromWebview, ToWebview } from '../../src/protocol';
import type { TrainConfig } from '../../src/domain/config';
import { openPage, REPO_ROOT, type WebviewPage } from './harness';

const config = (model: TrainConfig['model'], backend: TrainConfig['backend'] = 'auto'): TrainConfig => ({
  model,
  backend,
  autoencoder: { dataset: 'mnist', latentDim: 2, hiddenDim: 256, beta: 1, learningRate: 1e-3, batchSize: 64, seed: 1 },
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
});

async function send(p: WebviewPage, m: ToWebview): Promise<void> {
  await p.page.evaluate((msg) => window.postMessage(msg, '*'), m);
}

async function posted(p: WebviewPage): Promise<FromWebview[]> {
  return p.page.evaluate(() => window.posted);
}

async function waitFor<T>(p: WebviewPage, what: string, pick: (msgs: FromWebview[]) => T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pick(await posted(p));
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; errors: ${p.errors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Console errors, less the test page's missing favicon (a 404 the harness page makes, not the webview). */
const realErrors = (p: WebviewPage) => p.errors.filter((e) => !/Failed to load resource: .*404/.test(e));

/** The 8x8 digits' training images (the sheet less the held-out ones): an epoch's last batch holds the remainder. */
const DIGITS_TRAIN =
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'media', 'data', IMAGE_DATASETS['digits-8x8'].json), 'utf8')) as { count: number }).count -
  IMAGE_DATASETS['digits-8x8'].heldOut;
/** `rows` when it is a full batch or an epoch's last one, else the full batch size (so deepEqual reports it). */
const batchRows = (rows: number, batchSize: number) => (rows === batchSize || rows === DIGITS_TRAIN % batchSize ? rows : batchSize);

const lastStatus = (msgs: FromWebview[]) => [...msgs].reverse().find((m): m is Extract<FromWebview, { type: 'status' }> => m.type === 'status')?.status;

describe('webview: the Lab view in headless Chromium', function () {
  this.timeout(240_000);
  let p: WebviewPage;

  before(() => {
    if (!process.env.LATENT_LAB_SKIP_BUILD) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  });

  afterEach(async function () {
    if (p && this.currentTest?.state === 'failed') {
      mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
      await p.page
        .screenshot({ path: path.join(REPO_ROOT, 'test-output', `webview-${this.currentTest.title.replace(/\W+/g, '-')}.png`), fullPage: true })
        .catch(() => undefined);
    }
    await p?.close();
  });

  it('trains a VAE: reports the backend, steps, snapshots and draws every diagram', async () => {
    p = await openPage({
      entry: 'test/webview/lab/lab-entry.ts',
      styles: ['/test/webview/fixtures/vscode-dark.css', '/media/css/lab.css', '/media/css/diagrams.css'],
      viewport: { width: 420, height: 1600 },
    });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    await send(p, { type: 'train', runId: 1, config: config('vae'), checkpoint: null, base: null, startPaused: false });

    // The backend in use is timed by a measurement or, with nothing to measure against, by its first training steps.
    const timedReport = (r: Extract<FromWebview, { type: 'backend' }>['report']) => r.probes.some((x) => x.name === r.chosen && x.stepMs !== undefined);
    const report = await waitFor(
      p,
      'backend report',
      (m) => m.find((x): x is Extract<FromWebview, { type: 'backend' }> => x.type === 'backend' && timedReport(x.report))?.report,
    );
    assert.ok(['webgpu', 'webgl', 'wasm', 'cpu'].includes(report.chosen));
    assert.ok(report.reason.length > 10, 'the report says why');
    assert.ok(
      report.probes.some((x) => x.name === report.chosen && x.ok && (x.stepMs ?? 0) > 0),
      'the chosen backend was timed',
    );

    const first = await waitFor(p, 'step > 20', (m) => ((lastStatus(m)?.step ?? 0) > 20 ? lastStatus(m) : undefined));
    assert.equal(first.model, 'vae');
    assert.equal(first.state, 'training');
    assert.ok(Number.isFinite(first.loss), `loss ${first.loss} is finite`);

    const snaps = await waitFor(
      p,
      'snapshots',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'snapshots' }> => x.type === 'snapshots' && x.snapshots.length > 0).at(-1)?.snapshots,
    );
    const byName = new Map(snaps.map((s) => [s.name, s]));
    for (const name of ['x', 'h_enc', 'mu', 'logvar', 'sigma', 'eps', 'z', 'x_hat', 'recon', 'kl', 'elbo'])
      assert.ok(byName.has(name), `snapshot of ${name} in ${[...byName.keys()].join(',')}`);
    assert.deepEqual(byName.get('z')!.shape, [64, 2]);
    assert.ok(byName.get('sigma')!.stats.min > 0, 'sigma is positive');

    // What a user sees: the step counter moves and the diagrams have content.
    const stepText = async () => Number(await p.page.textContent('[data-testid="step"]'));
    const s1 = await stepText();
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok((await stepText()) > s1, 'the shown step grows');
    assert.ok(Number.isFinite(Number(await p.page.textContent('[data-testid="loss"]'))), 'a finite loss is shown');
    assert.match((await p.page.textContent('[data-testid="backend"]')) ?? '', new RegExp(report.chosen, 'i'));
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid="latent"] circle').length >= 100, undefined, { timeout: 30_000 });
    for (const id of ['pipeline', 'loss-chart', 'latent']) {
      const n = await p.page.locator(`svg[data-testid="${id}"] *`).count();
      assert.ok(n > 5, `${id} svg has content (${n} elements)`);
    }
    assert.ok((await p.page.locator('[data-testid="gallery"] canvas').count()) >= 8, 'gallery shows images');
    // The path between two held-out inputs of different digits, decoded in 10 steps.
    assert.equal(await p.page.locator('[data-testid="gallery-interpolation"] canvas').count(), 10);
    const ends = (await p.page.textContent('[data-testid="gallery-interpolation-label"]'))?.match(/Interpolation: .*(\d) → (\d)$/);
    assert.ok(ends && ends[1] !== ends[2], `the path joins two different digits: ${ends?.[0]}`);
    // The model switch marks the VAE and asks the extension to train the autoencoder side by side.
    assert.equal(await p.page.getAttribute('[data-testid="model-switch"] [data-model="vae"]', 'aria-pressed'), 'true');
    await p.page.click('[data-testid="model-switch"] [data-model="ae"]');
    await waitFor(p, 'switch to the AE', (m) => (m.some((x) => x.type === 'runCommand' && x.command === 'trainAe') ? true : undefined));

    // The extension's "Show in Latent Lab" highlights the tensor's node in the pipeline.
    await send(p, { type: 'highlight', tensor: 'sigma' });
    await p.page.waitForSelector('g.ll-node.ll-highlight[data-tensor="sigma"]', { state: 'attached', timeout: 10_000 });

    // The settings show the run's values (the select's visible label, inside its shadow root).
    await p.page.click('.lab-settings-box > summary');
    await p.page.waitForFunction(() => /MNIST/.test(document.querySelector('[data-field="dataset"]')?.shadowRoot?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-vae.png'), fullPage: true });

    // Pause stops the steps; a single step advances by exactly one.
    await p.page.click('[data-testid="pause"]');
    await waitFor(p, 'paused', (m) => (lastStatus(m)?.state === 'paused' ? true : undefined));
    const paused = await stepText();
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await stepText(), paused, 'no steps while paused');
    await p.page.click('[data-testid="step-once"]');
    await waitFor(p, 'one step', (m) => (lastStatus(m)?.step === paused + 1 ? true : undefined));

    // A checkpoint, restored into a fresh start, resumes at the same step.
    await send(p, { type: 'requestCheckpoint', reason: 'hidden' });
    const cp = await waitFor(
      p,
      'checkpoint',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'checkpoint' }> => x.type === 'checkpoint').at(-1)?.checkpoint,
    );
    assert.equal(cp.step, paused + 1);
    await send(p, { type: 'train', runId: 2, config: config('vae'), checkpoint: cp, base: null, startPaused: true });
    await waitFor(p, 'restored', (m) => {
      const s = lastStatus(m);
      return s?.state === 'paused' && s.step === cp.step ? true : undefined;
    });
    assert.deepEqual(realErrors(p), []);
  });

  it('trains on the 8x8 digits and on Fashion-MNIST with their own image sizes and class names', async () => {
    p = await openPage({ entry: 'test/webview/lab/lab-entry.ts', styles: ['/media/css/lab.css', '/media/css/diagrams.css'] });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    const digits = config('ae', 'wasm');
    digits.autoencoder.dataset = 'digits-8x8';
    await send(p, { type: 'train', runId: 3, config: digits, checkpoint: null, base: null, startPaused: false });
    const snaps = await waitFor(
      p,
      '8x8 snapshots',
      (m) =>
        m.filter((x): x is Extract<FromWebview, { type: 'snapshots' }> => x.type === 'snapshots').find((x) => x.snapshots.some((s) => s.model === 'ae'))
          ?.snapshots,
    );
    const x = snaps.find((s) => s.name === 'x')!;
    assert.deepEqual(x.shape, [batchRows(x.shape[0], 64), 64]);
    assert.deepEqual(x.preview.shape, [8, 8]);
    assert.ok(!snaps.some((s) => s.name === 'mu'), 'the autoencoder has a code z, no mu');

    const fashion = config('vae', 'wasm');
    fashion.autoencoder.dataset = 'fashion-mnist';
    await send(p, { type: 'train', runId: 4, config: fashion, checkpoint: null, base: null, startPaused: false });
    await p.page.waitForFunction(() => /Sneaker|Trouser|Bag/.test(document.querySelector('[data-section="latent"]')?.textContent ?? ''), undefined, {
      timeout: 60_000,
    });
  });

  it('pauses with a message naming the step when the loss becomes NaN', async () => {
    p = await openPage({ entry: 'test/webview/lab/lab-entry.ts', styles: ['/media/css/lab.css'] });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    const bad = config('vae', 'cpu');
    bad.autoencoder.learningRate = 1e6;
    bad.autoencoder.hiddenDim = 32;
    await send(p, { type: 'train', runId: 5, config: bad, checkpoint: null, base: null, startPaused: false });
    const s = await waitFor(p, 'error state', (m) => (lastStatus(m)?.state === 'error' ? lastStatus(m) : undefined), 120_000);
    assert.match(s.message ?? '', /loss became (NaN|Infinity|-Infinity) at step \d+/);
    assert.match(s.message ?? '', /learning rate/);
    assert.match((await p.page.textContent('[data-testid="message"]')) ?? '', /at step \d+/);
  });

  it('a lost WebGL context: says so, switches backend and resumes from the last checkpoint', async () => {
    p = await openPage({ entry: 'test/webview/lab/lab-entry.ts', styles: ['/media/css/lab.css'] });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    const c = config('vae', 'webgl');
    c.autoencoder.hiddenDim = 64;
    await send(p, { type: 'train', runId: 6, config: c, checkpoint: null, base: null, startPaused: false });
    const first = await waitFor(
      p,
      'the webgl backend',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'backend' }> => x.type === 'backend').at(-1)?.report,
      120_000,
    );
    assert.equal(first.chosen, 'webgl', `this Chromium should train on WebGL: ${first.reason}`);
    await waitFor(p, 'steps on webgl', (m) => ((lastStatus(m)?.step ?? 0) > 5 ? true : undefined), 120_000);
    await send(p, { type: 'requestCheckpoint', reason: 'periodic' });
    const cp = await waitFor(
      p,
      'a checkpoint',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'checkpoint' }> => x.type === 'checkpoint').at(-1)?.checkpoint,
    );
    await send(p, { type: 'simulateBackendLoss' });
    const warning = await waitFor(p, 'the loss reported', (m) =>
      m.find((x): x is Extract<FromWebview, { type: 'log' }> => x.type === 'log' && /context was lost/.test(x.message)),
    );
    assert.match(warning.message, /webgl backend failed at step \d+ \(the WebGL context was lost\)\. Switching backend and resuming from step \d+/);
    // The view says why the backend changed, and keeps saying it while training goes on, until dismissed.
    assert.match((await p.page.textContent('[data-testid="notice"]')) ?? '', /WebGL context was lost/);
    const next = await waitFor(
      p,
      'a new backend',
      (m) =>
        m
          .filter((x): x is Extract<FromWebview, { type: 'backend' }> => x.type === 'backend')
          .slice(1)
          .at(-1)?.report,
      120_000,
    );
    assert.notEqual(next.chosen, 'webgl');
    assert.ok(
      next.probes.some((b) => b.name === 'webgl' && !b.ok && /failed earlier/.test(b.detail ?? '')),
      JSON.stringify(next.probes),
    );
    // It resumes from the checkpoint taken before the loss, not from 0, and trains with finite losses.
    const resumed = await waitFor(
      p,
      'training past the checkpoint',
      (m) => {
        const after = m.slice(m.indexOf(m.filter((x) => x.type === 'backend').at(-1)!));
        const s = after.filter((x): x is Extract<FromWebview, { type: 'status' }> => x.type === 'status').map((x) => x.status);
        return s.length && s[0].step >= cp.step && s.at(-1)!.state === 'training' && s.at(-1)!.step > cp.step + 3 ? s : undefined;
      },
      120_000,
    );
    assert.ok(
      resumed.every((s) => s.loss === null || Number.isFinite(s.loss)),
      'finite losses after the switch',
    );
    assert.ok(Number.isFinite(resumed.at(-1)!.loss) && resumed.at(-1)!.loss! > 50, `a VAE loss, not the zeros a lost context reads: ${resumed.at(-1)!.loss}`);
    assert.ok(await p.page.isVisible('[data-testid="notice"]'), 'the notice outlives the status updates');
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-backend-lost.png') });
    await p.page.click('[data-testid="dismiss-notice"]');
    assert.equal(await p.page.isVisible('[data-testid="notice"]'), false);
    assert.deepEqual(realErrors(p), []);
  });
});

describe('webview: a 2D DDPM in headless Chromium', function () {
  this.timeout(240_000);
  let p: WebviewPage;
  afterEach(async () => p?.close());

  it('trains, animates the forward and reverse processes, and the scrubber changes the shown t', async () => {
    p = await openPage({
      entry: 'test/webview/lab/lab-entry.ts',
      styles: ['/test/webview/fixtures/vscode-dark.css', '/media/css/lab.css', '/media/css/diagrams.css'],
      viewport: { width: 420, height: 1800 },
    });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
    await send(p, { type: 'train', runId: 7, config: config('ddpm', 'wasm'), checkpoint: null, base: null, startPaused: false });
    const s = await waitFor(p, 'ddpm step > 50', (m) => ((lastStatus(m)?.step ?? 0) > 50 ? lastStatus(m) : undefined));
    assert.equal(s.model, 'ddpm');
    const snaps = await waitFor(
      p,
      'ddpm snapshots',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'snapshots' }> => x.type === 'snapshots').at(-1)?.snapshots,
    );
    for (const name of ['x_0', 'eps', 't', 'beta_t', 'alpha_bar_t', 'x_t', 'eps_theta', 'posterior_mean', 'posterior_var', 'loss'])
      assert.ok(
        snaps.some((x) => x.name === name),
        `snapshot of ${name}`,
      );
    await p.page.waitForSelector('[data-testid="reverse"] circle', { timeout: 60_000 });
    const scrubber = p.page.locator('[data-testid="t-scrubber"]');
    await scrubber.fill('150');
    await scrubber.dispatchEvent('input');
    await p.page.waitForFunction(() => /150/.test(document.querySelector('[data-section="forward"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
    // The DDIM steps slider samples again at once: 5 steps make 6 frames (noise, then one per step).
    await p.page.locator('[data-testid="ddim-steps"]').fill('5');
    await p.page.waitForFunction(() => /\b6\/6\b/.test(document.querySelector('[data-section="reverse"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await p.page.waitForSelector('[data-testid="timestep-loss"] rect.ll-bar', { timeout: 30_000 });
    // Sample quality over training: the EMA and raw-weight curves above the data's own floor.
    await p.page.waitForSelector('[data-testid="quality"] path[data-series="ema"]', { state: 'attached', timeout: 30_000 });
    assert.equal(await p.page.locator('[data-testid="quality"] path[data-series="raw"]').count(), 1);
    assert.equal(await p.page.locator('[data-testid="quality-floor"]').count(), 1);
    mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-ddpm.png'), fullPage: true });
    assert.deepEqual(realErrors(p), []);
  });
});

describe('webview: image DDPM and latent diffusion in headless Chromium', function () {
  this.timeout(300_000);
  let p: WebviewPage;
  afterEach(async () => p?.close());

  const open = async () => {
    p = await openPage({
      entry: 'test/webview/lab/lab-entry.ts',
      styles: ['/test/webview/fixtures/vscode-dark.css', '/media/css/lab.css', '/media/css/diagrams.css'],
      viewport: { width: 420, height: 1800 },
    });
    await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
  };
  const lastSnapshots = (m: FromWebview[]) => m.filter((x): x is Extract<FromWebview, { type: 'snapshots' }> => x.type === 'snapshots').at(-1)?.snapshots;
  /** Trains the U-Net DDPM on `dataset` until a few steps have run; returns the latest snapshots. */
  const trainImageDdpm = async (dataset: TrainConfig['diffusion']['dataset'], batchSize: number, steps: number) => {
    await open();
    const c = config('ddpm', 'wasm');
    c.diffusion.dataset = dataset;
    c.diffusion.batchSize = batchSize;
    await send(p, { type: 'train', runId: 8, config: c, checkpoint: null, base: null, startPaused: false });
    await waitFor(p, `${dataset} ddpm step > ${steps}`, (m) => ((lastStatus(m)?.step ?? 0) > steps ? true : undefined), 180_000);
    return waitFor(p, `${dataset} snapshots`, (m) => lastSnapshots(m));
  };
  /** The pixel widths of the visible image canvases of a section, once the forward strip and a reverse frame are drawn. */
  const stripWidths = async (): Promise<{ forward: number[]; reverse: number[] }> => {
    const widths = (s: string) =>
      p.page.evaluate(
        (sel) =>
          [...document.querySelectorAll(`[data-section="${sel}"] canvas`)]
            .filter((el) => (el as HTMLElement).offsetParent !== null)
            .map((el) => (el as HTMLCanvasElement).width),
        s,
      );
    const end = Date.now() + 120_000;
    for (;;) {
      const strips = { forward: await widths('forward'), reverse: await widths('reverse') };
      if (strips.forward.length >= 4 && strips.reverse.length >= 1) return strips;
      if (Date.now() > end) throw new Error(`image strips not drawn: forward ${strips.forward.length}, reverse ${strips.reverse.length}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  it('trains the U-Net DDPM on MNIST and shows image strips of the forward and reverse processes', async () => {
    const snaps = await trainImageDdpm('mnist', 8, 2);
    assert.deepEqual(snaps.find((s) => s.name === 'x_t')?.shape, [8, 784]);
    await stripWidths();
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-ddpm-images.png'), fullPage: true });
    assert.deepEqual(realErrors(p), []);
  });

  it('trains the U-Net DDPM on the 8x8 digits: 64-pixel tensors and 8x8 strips', async () => {
    const snaps = await trainImageDdpm('digits-8x8', 16, 10);
    const xt = snaps.find((s) => s.name === 'x_t')!;
    assert.deepEqual(xt.shape, [batchRows(xt.shape[0], 16), 64]);
    assert.deepEqual(snaps.find((s) => s.name === 'x_0')?.preview.shape, [8, 8]);
    const { forward, reverse } = await stripWidths();
    // Every strip cell is one image of the data's own size (a width of 8 pixels, or a row of 8-pixel images).
    for (const w of [...forward, ...reverse]) assert.equal(w % 8, 0, `strip canvas width ${w} is not made of 8-pixel images`);
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-ddpm-digits-8x8.png'), fullPage: true });
    assert.deepEqual(realErrors(p), []);
  });

  it('latent diffusion trains its VAE first, then diffuses in the latent space, and resumes from a checkpoint', async () => {
    await open();
    const c = config('ldm', 'wasm');
    c.autoencoder.hiddenDim = 64;
    c.diffusion.timesteps = 100;
    await send(p, { type: 'train', runId: 9, config: c, checkpoint: null, base: null, startPaused: false });
    const phase1 = await waitFor(p, 'phase note', (m) => (/Phase 1 of 2/.test(lastStatus(m)?.message ?? '') ? lastStatus(m) : undefined));
    assert.equal(phase1.model, 'ldm');
    const snaps = await waitFor(
      p,
      'latent diffusion snapshots',
      (m) => (lastSnapshots(m)?.some((s) => s.name === 'z_t') ? lastSnapshots(m) : undefined),
      240_000,
    );
    for (const name of ['z_0', 'eps', 't', 'alpha_bar_t', 'z_t', 'eps_theta', 'x_hat', 'loss'])
      assert.ok(
        snaps.some((s) => s.name === name),
        `snapshot of ${name}`,
      );
    assert.deepEqual(snaps.find((s) => s.name === 'z_t')?.shape, [64, 2]);
    // The phase change is sent whole: the status before the first latent tensors already names no VAE phase.
    const log = await posted(p);
    const firstLatents = log.findIndex((x) => x.type === 'snapshots' && x.snapshots.some((s) => s.name === 'z_t'));
    const statusThen = lastStatus(log.slice(0, firstLatents));
    assert.ok(statusThen && !/Phase 1/.test(statusThen.message ?? ''), `status beside the first latent tensors: ${JSON.stringify(statusThen)}`);
    await p.page.waitForSelector('[data-section="reverse"] canvas', { timeout: 60_000 });

    await p.page.click('[data-testid="pause"]');
    await waitFor(p, 'paused', (m) => (lastStatus(m)?.state === 'paused' ? true : undefined));
    await send(p, { type: 'requestCheckpoint', reason: 'hidden' });
    const cp = await waitFor(
      p,
      'ldm checkpoint',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'checkpoint' }> => x.type === 'checkpoint').at(-1)?.checkpoint,
    );
    assert.equal(cp.model, 'ldm');
    await send(p, { type: 'train', runId: 10, config: c, checkpoint: cp, base: null, startPaused: false });
    const resumed = await waitFor(p, 'resumed past the checkpoint', (m) => {
      const s = lastStatus(m);
      return s && s.state === 'training' && s.step > cp.step ? s : undefined;
    });
    assert.ok(!/Phase 1/.test(resumed.message ?? ''), 'no second VAE phase after resuming');
    assert.deepEqual(realErrors(p), []);
  });

  it('latent diffusion over a trained VAE skips the VAE phase', async () => {
    await open();
    const vae = config('vae', 'wasm');
    vae.autoencoder.hiddenDim = 64;
    await send(p, { type: 'train', runId: 11, config: vae, checkpoint: null, base: null, startPaused: false });
    await waitFor(p, 'vae step > 30', (m) => ((lastStatus(m)?.step ?? 0) > 30 ? true : undefined));
    await send(p, { type: 'requestCheckpoint', reason: 'periodic' });
    const base = await waitFor(
      p,
      'vae checkpoint',
      (m) => m.filter((x): x is Extract<FromWebview, { type: 'checkpoint' }> => x.type === 'checkpoint' && x.checkpoint.model === 'vae').at(-1)?.checkpoint,
    );
    const ldm = { ...vae, model: 'ldm' as const, diffusion: { ...vae.diffusion, timesteps: 100 } };
    const before = (await posted(p)).length;
    await send(p, { type: 'train', runId: 12, config: ldm, checkpoint: null, base, startPaused: false });
    const snaps = await waitFor(
      p,
      'ldm snapshots',
      (m) =>
        m
          .slice(before)
          .filter((x): x is Extract<FromWebview, { type: 'snapshots' }> => x.type === 'snapshots')
          .find((x) => x.snapshots.some((s) => s.name === 'z_t'))?.snapshots,
      120_000,
    ).catch(async (e) => {
      throw new Error(
        `${(e as Error).message}\n${JSON.stringify(
          (await posted(p))
            .slice(before)
            .filter((x) => x.type !== 'snapshots')
            .slice(-6),
        )}`,
      );
    });
    assert.ok(snaps.every((s) => s.model === 'ldm'));
    const statuses = (await posted(p)).slice(before).filter((x): x is Extract<FromWebview, { type: 'status' }> => x.type === 'status');
    assert.ok(statuses.length > 0 && statuses.every((x) => !/Phase 1/.test(x.status.message ?? '')), 'no VAE phase when a trained VAE is given');
  });
});
