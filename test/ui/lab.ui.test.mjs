// UI tests: the packaged VSIX installed into a real VS Code (code-server) and driven in headless Chromium
// the way a person uses it. Screenshots go to test-output/ui/; on failure, logs and the console too.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputRoot } from '../harness/artifacts.mjs';
import { pollUntil } from '../harness/run.mjs';
import {
  activityBarItem,
  focusWorkbench,
  labFrame,
  prepareExtension,
  runFromPalette,
  shownStep,
  testIdText,
  useLabWorkbench,
  waitForStepAbove,
} from '../harness/workbench.mjs';

/** The backend probe trains a step on every backend first, on 2 shared cores: be generous, but poll. */
const FIRST_STEP_MS = 180_000;

before(async function () {
  this.timeout(15 * 60_000);
  const installed = readdirSync(await prepareExtension()).filter((d) => d.startsWith('latent-lab.latent-lab-'));
  assert.equal(installed.length, 1, `the VSIX should install one extension folder, found ${installed.join(', ') || 'none'}`);
});

/**
 * One fresh VS Code + Chromium per describe block, screenshots in test-output/ui/`name`.
 * @param {string} name
 * @param {{ webgpu?: boolean }} browserOptions
 */
const useWorkbench = (name, browserOptions) => useLabWorkbench(join(outputRoot, 'ui', name), browserOptions);

/** Counts the drawn marks (paths, circles, rects, text, images) inside an svg of the webview. */
async function svgMarks(frame, testId) {
  const svg = frame.locator(`svg[data-testid="${testId}"]`).first();
  if ((await svg.count()) === 0) return 0;
  return svg.evaluate((el) => el.querySelectorAll('path, circle, rect, line, polyline, text, image, use').length);
}

describe('Latent Lab in VS Code (code-server, WASM/WebGL Chromium)', function () {
  this.timeout(FIRST_STEP_MS + 60_000);
  const ctx = useWorkbench('default', {});
  const frame = () => labFrame(ctx.page);

  it('"Latent Lab: Train VAE" from the palette opens the lab and the step grows', async () => {
    await runFromPalette(ctx.page, 'Latent Lab: Train VAE');
    const first = await waitForStepAbove(frame(), 0, FIRST_STEP_MS, 'first training steps');
    await waitForStepAbove(frame(), first + 2, 60_000, 'training goes on');
    assert.equal(await testIdText(frame(), 'state'), 'training');
    await ctx.page.screenshot({ path: join(ctx.dir, 'training.png') });
  });

  it('shows the loss as a finite number and the backend with its reason', async () => {
    const loss = Number(await testIdText(frame(), 'loss'));
    assert.ok(Number.isFinite(loss) && loss > 0, `loss shown: ${await testIdText(frame(), 'loss')}`);
    const backend = await pollUntil(
      async () => {
        const t = await testIdText(frame(), 'backend');
        return t && !/choosing/i.test(t) ? t : '';
      },
      { timeoutMs: 30_000, message: 'backend never chosen' },
    );
    assert.match(backend, /(WEBGPU|WEBGL|WASM|CPU)\s+—\s+\S/);
  });

  it('draws the pipeline, the loss chart and the latent space, and shows a gallery', async () => {
    const counts = await pollUntil(
      async () => {
        const c = { pipeline: await svgMarks(frame(), 'pipeline'), loss: await svgMarks(frame(), 'loss-chart'), latent: await svgMarks(frame(), 'latent') };
        return c.pipeline > 3 && c.loss > 3 && c.latent > 10 ? c : undefined;
      },
      { timeoutMs: 60_000, message: 'diagrams stayed empty' },
    );
    assert.ok(counts.latent > 10, `latent points drawn: ${counts.latent}`);
    const gallery = frame().locator('[data-testid="gallery"]').first();
    assert.equal(await gallery.count(), 1, 'a gallery is shown');
    const drawn = await gallery.evaluate((el) => el.querySelectorAll('canvas, svg, img').length);
    assert.ok(drawn > 0, 'the gallery holds images');
    await frame().locator('svg[data-testid="latent"]').first().scrollIntoViewIfNeeded();
    await ctx.page.screenshot({ path: join(ctx.dir, 'diagrams.png') });
  });

  it('Pause stops the step; Resume goes on', async () => {
    await frame().locator('[data-testid="pause"]').click();
    await pollUntil(async () => (await testIdText(frame(), 'state')) === 'paused', { timeoutMs: 20_000, message: 'state never became paused' });
    const pausedAt = await shownStep(frame());
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await shownStep(frame()), pausedAt, 'the step moved while paused');
    await ctx.page.screenshot({ path: join(ctx.dir, 'paused.png') });
    await frame().locator('[data-testid="pause"]').click();
    await waitForStepAbove(frame(), pausedAt, 60_000, 'after Resume');
  });

  it('hiding and re-showing the view resumes from the same step, not from 0', async () => {
    const before = await waitForStepAbove(frame(), 0, 10_000);
    // Switch the side bar to the Explorer (the lab is hidden), then back to Latent Lab.
    await focusWorkbench(ctx.page);
    await ctx.page.keyboard.press('Control+Shift+E');
    await ctx.page.locator('.sidebar .composite.title', { hasText: /explorer/i }).waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2000));
    await ctx.page.screenshot({ path: join(ctx.dir, 'hidden.png') });
    await activityBarItem(ctx.page, 'Latent Lab').click();
    const resumedAt = await pollUntil(
      async () => {
        const s = await shownStep(frame());
        return s > 0 ? s : 0;
      },
      { timeoutMs: 60_000, message: 'lab did not come back' },
    );
    assert.ok(resumedAt >= before, `came back at step ${resumedAt}, before hiding it was ${before}`);
    await waitForStepAbove(frame(), resumedAt + 3, 90_000, 'training resumes after re-showing');
    assert.equal(await testIdText(frame(), 'state'), 'training');
    // And once more with the side bar toggled (Ctrl+B) rather than switched.
    const beforeToggle = await shownStep(frame());
    await focusWorkbench(ctx.page);
    await ctx.page.keyboard.press('Control+B');
    await ctx.page.locator('.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1500));
    await ctx.page.keyboard.press('Control+B');
    await ctx.page.locator('.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
    const afterToggle = await waitForStepAbove(frame(), beforeToggle, 90_000, 'after Ctrl+B twice');
    // It keeps training (a late "pause" from the hide must not win over the "resume" from the show).
    await waitForStepAbove(frame(), afterToggle + 3, 60_000, 'training goes on after the view is back');
    assert.equal(await testIdText(frame(), 'state'), 'training');
    await ctx.page.screenshot({ path: join(ctx.dir, 'resumed.png') });
  });

  it('"Export Trained Model…" asks where to save, offering the workspace, and writes the model there', async () => {
    const shownAt = await waitForStepAbove(frame(), 0, 10_000);
    await focusWorkbench(ctx.page);
    await ctx.page.keyboard.press('F1');
    await ctx.page.keyboard.type('Latent Lab: Export Trained Model', { delay: 15 });
    await ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Export Trained Model' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await ctx.page.keyboard.press('Enter');
    // VS Code's own save dialog (in a browser, its quick-input form) titled for the model, on a default path.
    const dialog = ctx.page.locator('.quick-input-widget', { hasText: 'Export the trained VAE' });
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    // The dialog fills its path in as it lists the folder.
    const input = dialog.locator('input').first();
    const offered = await pollUntil(
      async () => {
        const v = await input.inputValue();
        return /latent-lab-vae-step\d+\.json$/.test(v) ? v : undefined;
      },
      { timeoutMs: 15_000, message: `the dialog offers no model file name: ${await input.inputValue()}` },
    );
    assert.ok(offered.startsWith(ctx.workspace), `offered in the workspace: ${offered}`);
    await ctx.page.screenshot({ path: join(ctx.dir, 'export-dialog.png') });
    await ctx.page.keyboard.press('Enter');
    const file = await pollUntil(() => readdirSync(ctx.workspace).find((f) => /^latent-lab-vae-step\d+\.json$/.test(f)), {
      timeoutMs: 20_000,
      message: 'no exported file in the workspace',
    });
    const saved = JSON.parse(readFileSync(join(ctx.workspace, file), 'utf8'));
    assert.equal(saved.model, 'vae');
    assert.ok(saved.step >= shownAt, `the file holds step ${saved.step}; the view showed ${shownAt} before exporting`);
    assert.equal(file, `latent-lab-vae-step${saved.step}.json`, 'the offered name carries the step saved');
  });
});

describe('Latent Lab with WebGPU enabled in Chromium (software adapter)', function () {
  this.timeout(FIRST_STEP_MS + 60_000);
  const ctx = useWorkbench('webgpu', { webgpu: true });
  const frame = () => labFrame(ctx.page);

  it('probes WebGPU, reports the choice and trains', async () => {
    const hasGpu = await ctx.page.evaluate(async () => {
      const gpu = /** @type {any} */ (navigator).gpu;
      return Boolean(gpu && (await gpu.requestAdapter()));
    });
    assert.equal(hasGpu, true, 'Chromium with --enable-unsafe-webgpu should expose an adapter');
    await runFromPalette(ctx.page, 'Latent Lab: Train VAE');
    await waitForStepAbove(frame(), 0, FIRST_STEP_MS, 'first training steps with WebGPU enabled');
    const probes = frame().locator('[data-testid="backend"] tr', { hasText: 'webgpu' });
    await probes.first().waitFor({ state: 'attached', timeout: 30_000 });
    const row = (await probes.first().textContent())?.trim() ?? '';
    const chosen = await frame().locator('[data-testid="backend"] summary').first().textContent();
    console.log(`      webgpu probe: ${row}\n      chosen: ${chosen}`);
    // With the flag Chromium has an adapter, so the probe must have got past "no adapter" to judge it.
    assert.ok(row.length > 'webgpu'.length, 'the webgpu probe row says what happened');
    assert.doesNotMatch(row, /no webgpu adapter|adapter is null/i, `the probe should have reached the adapter: ${row}`);
    await ctx.page.screenshot({ path: join(ctx.dir, 'webgpu.png') });
  });
});
