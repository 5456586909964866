// UI tests of the notes linked to the live model (issue 4), in a real VS Code (code-server) driven in headless
// Chromium as a person uses it: open the VAE note, train, hover the reparameterisation equation, follow its
// "Show in Latent Lab" link, click a pipeline node to find its equation. Ends with the README screenshot
// (dark theme, wide window, the note beside the lab with the hover open): test-output/ui/readme.png.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputRoot, repoRoot } from '../harness/artifacts.mjs';
import { pollUntil } from '../harness/run.mjs';
import {
  editorCursor,
  focusWorkbench,
  goToLine,
  hoverEditorText,
  labFrame,
  openWorkspaceFile,
  runFromPalette,
  useLabWorkbench,
  waitForStepAbove,
} from '../harness/workbench.mjs';

/** The backend probe trains a step on every backend first, on 2 shared cores: be generous, but poll. */
const FIRST_STEP_MS = 180_000;
const NOTE = '03-vae.md';
const REPARAM = 'z = \\mu + \\sigma \\odot \\epsilon';
const noteLines = readFileSync(join(repoRoot, 'media', 'notes', 'en', NOTE), 'utf8').split('\n');
/** 1-based line of the first occurrence of the reparameterisation equation, read from the file on disk. */
const REPARAM_LINE = noteLines.findIndex((l) => l.includes(REPARAM)) + 1;
/** 1-based line of the display-math block holding only the equation (the README screenshot hovers it). */
const REPARAM_DISPLAY_LINE = noteLines.findIndex((l) => l.trim() === REPARAM) + 1;

const DIFFUSION_NOTE = '04-diffusion.md';
const diffusionLines = readFileSync(join(repoRoot, 'media', 'notes', 'en', DIFFUSION_NOTE), 'utf8').split('\n');
/** The display block of the closed form x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps. */
const CLOSED_FORM = diffusionLines.find((l) => l.trim().startsWith('x_t = \\sqrt{\\bar\\alpha_t}'))?.trim() ?? '';
const CLOSED_FORM_LINE = diffusionLines.findIndex((l) => l.trim() === CLOSED_FORM) + 1;

const settingDefault = (key) => JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).contributes.configuration.properties[key].default;
/** z is batch size x latent size: the shape the hover must show for mu, sigma, eps and z. */
const EXPECTED_SHAPE = `[${settingDefault('latentLab.batchSize')}, ${settingDefault('latentLab.latentDim')}]`;

/** The text of the hover, with its step ("step 1,234") parsed. */
async function readHover(hover) {
  const text = ((await hover.textContent()) ?? '').replace(/\s+/g, ' ');
  const steps = [...text.matchAll(/step ([\d,]+)/g)].map((m) => Number(m[1].replace(/,/g, '')));
  return { text, step: steps.length ? Math.max(...steps) : -1 };
}

/** A hover of the equation that already shows live values (the extension has snapshots). */
const liveHover = async (hover) => (await hover.locator('img[src^="data:image/svg+xml"]').count()) > 0 && /step [\d,]+/.test((await hover.textContent()) ?? '');

/** Waits for the pipeline node of `tensor` to carry the highlight class (it fades after a few seconds). */
async function waitForHighlight(frame, tensor, timeoutMs) {
  return pollUntil(async () => (await frame.locator(`g.ll-node.ll-highlight[data-tensor="${tensor}"]`).count()) > 0, {
    timeoutMs,
    intervalMs: 100,
    message: `the pipeline node of ${tensor} was never highlighted`,
  });
}

describe('Notes linked to the live VAE (code-server, dark theme, 1600x1000)', function () {
  this.timeout(FIRST_STEP_MS + 120_000);
  const dir = join(outputRoot, 'ui', 'notes');
  const ctx = useLabWorkbench(dir, {
    viewport: { width: 1600, height: 1000 },
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.minimap.enabled': false,
      'editor.stickyScroll.enabled': false,
      'workbench.layoutControl.enabled': false,
    },
  });
  const frame = () => labFrame(ctx.page);
  let firstHoverStep = -1;

  before(() => {
    assert.ok(REPARAM_LINE > 0 && REPARAM_DISPLAY_LINE > 0, `${NOTE} should hold ${REPARAM} inline and as a display block`);
  });

  it(`opens ${NOTE} and trains the VAE from the palette`, async () => {
    await openWorkspaceFile(ctx.page, NOTE);
    await runFromPalette(ctx.page, 'Latent Lab: Train VAE');
    const first = await waitForStepAbove(frame(), 0, FIRST_STEP_MS, 'first training steps');
    await waitForStepAbove(frame(), first, 60_000, 'training goes on');
  });

  it('hovering z = mu + sigma * eps shows the rendered equation and the live tensors mu, sigma, eps, z', async () => {
    await goToLine(ctx.page, REPARAM_LINE);
    const hover = await hoverEditorText(ctx.page, REPARAM, { offset: 4, accept: liveHover }); // on \mu
    const { text, step } = await readHover(hover);
    const equation = hover.locator('img[src^="data:image/svg+xml"]').first();
    assert.ok((await equation.boundingBox())?.width > 20, 'the equation image is drawn');
    for (const name of ['mu', 'sigma', 'eps', 'z']) assert.match(text, new RegExp(`\\b${name}\\b.*?step`), `the hover names ${name}: ${text.slice(0, 600)}`);
    assert.ok(text.includes(EXPECTED_SHAPE), `the hover shows the shape ${EXPECTED_SHAPE}: ${text.slice(0, 800)}`);
    const means = [...text.matchAll(/mean (-?\d[\d.e+-]*)/g)].map((m) => Number(m[1]));
    assert.ok(means.length >= 4 && means.every(Number.isFinite), `the hover shows numbers for each tensor: ${text.slice(0, 800)}`);
    assert.ok(step > 0, `the hover names the step: ${text.slice(0, 300)}`);
    firstHoverStep = step;
    await hover.screenshot({ path: join(dir, 'hover.png') });
  });

  it('a second hover a few seconds later shows a later step', async () => {
    // Wait until training has moved past the hovered step, as a person reading on would.
    await waitForStepAbove(frame(), firstHoverStep + 5, 90_000, 'training moves on');
    const hover = await hoverEditorText(ctx.page, REPARAM, {
      offset: 4,
      accept: async (h) => (await liveHover(h)) && (await readHover(h)).step > firstHoverStep,
    });
    const { step } = await readHover(hover);
    assert.ok(step > firstHoverStep, `second hover at step ${step}, first at ${firstHoverStep}`);
  });

  /** Once the hover's images have loaded, the whole window as the README shows it: test-output/ui/`name`. */
  async function readmeScreenshot(hover, name) {
    await pollUntil(() => hover.evaluate((el) => [...el.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0)), {
      timeoutMs: 10_000,
      message: 'the hover images did not finish loading',
    });
    const file = join(outputRoot, 'ui', name);
    await ctx.page.screenshot({ path: file });
    console.log(`      README screenshot: ${file}`);
  }

  /** Hovers the equation and clicks its first "Show in Latent Lab" link; returns the tensor the link names. */
  async function clickShowInLab() {
    const hover = await hoverEditorText(ctx.page, REPARAM, { offset: 4, accept: liveHover });
    const link = hover.locator('a', { hasText: 'Show in Latent Lab' }).first();
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    const target = (await link.getAttribute('data-href')) ?? (await link.getAttribute('href')) ?? '';
    const tensor = JSON.parse(decodeURIComponent(target.split('?')[1] ?? '[]'))[0];
    assert.ok(['mu', 'sigma', 'eps', 'z'].includes(tensor), `the first link reveals one of the equation's tensors: ${target}`);
    await link.click();
    return tensor;
  }

  it('"Show in Latent Lab" in the hover highlights the tensor in the pipeline', async () => {
    const tensor = await clickShowInLab();
    await waitForHighlight(frame(), tensor, 15_000);
    await ctx.page.screenshot({ path: join(dir, 'highlighted.png') });
  });

  it('"Show in Latent Lab" with the Explorer in the side bar reveals the lab and highlights the tensor', async () => {
    await ctx.page.mouse.move(5, 500);
    await focusWorkbench(ctx.page);
    await ctx.page.keyboard.press('Control+Shift+E');
    await ctx.page.locator('.sidebar .composite.title', { hasText: /explorer/i }).waitFor({ timeout: 10_000 });
    const tensor = await clickShowInLab();
    await ctx.page.locator('.sidebar .composite.title', { hasText: /latent lab/i }).waitFor({ timeout: 15_000 });
    // The highlight lasts a few seconds from when the view is visible again: look for it first.
    await waitForHighlight(frame(), tensor, 30_000);
    await waitForStepAbove(frame(), 0, 60_000, 'the revealed lab shows the run');
    await ctx.page.screenshot({ path: join(dir, 'revealed-highlighted.png') });
  });

  it('clicking the z node in the pipeline selects the first equation binding z in the note', async () => {
    await goToLine(ctx.page, 1);
    assert.equal((await editorCursor(ctx.page))?.selected, 0);
    const node = frame().locator('g.ll-node[data-tensor="z"]').first();
    await node.scrollIntoViewIfNeeded();
    await node.click();
    const cursor = await pollUntil(
      async () => {
        const c = await editorCursor(ctx.page);
        return c && c.line > 1 && c.selected > 0 ? c : undefined;
      },
      { timeoutMs: 20_000, message: (c) => `the editor selection did not move to an equation (status bar: ${c?.text ?? 'none'})` },
    );
    const line = noteLines[cursor.line - 1];
    // The selection is the TeX of an equation that names z, starting at the cursor's line.
    assert.match(line, /(^|[^a-zA-Z\\])z([^a-zA-Z]|$)/, `selected line ${cursor.line} does not name z: ${line}`);
    const firstMathWithZ = noteLines.findIndex((l) => /\$[^$]*(^|[^a-zA-Z\\])z([^a-zA-Z]|$)[^$]*\$/.test(l)) + 1;
    assert.ok(
      cursor.line <= Math.max(firstMathWithZ, REPARAM_LINE),
      `line ${cursor.line} is later than the first equations naming z (${firstMathWithZ}, ${REPARAM_LINE})`,
    );
    assert.equal(await ctx.page.locator('.tabs-container .tab.active', { hasText: NOTE }).count(), 1, 'the note stays the active editor');
    await ctx.page.screenshot({ path: join(dir, 'revealed-equation.png') });
  });

  it('README screenshot: the note beside the training lab, hovering the reparameterisation', async () => {
    // A wider side bar so the pipeline cards have room: drag the sash between the side bar and the editor.
    const sidebar = await ctx.page.locator('.part.sidebar').boundingBox();
    const sash = { x: sidebar.x + sidebar.width, y: sidebar.y + sidebar.height / 2 };
    await ctx.page.mouse.move(sash.x, sash.y);
    await ctx.page.mouse.down();
    await ctx.page.mouse.move(sash.x + 280, sash.y, { steps: 8 });
    await ctx.page.mouse.up();
    const wider = await ctx.page.locator('.part.sidebar').boundingBox();
    assert.ok(wider.width > sidebar.width + 100, `the side bar should be wider: ${sidebar.width} -> ${wider.width}`);
    // The lab scrolled to its header and pipeline.
    await frame().locator('svg[data-testid="pipeline"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    await frame()
      .locator('body')
      .evaluate(() => window.scrollTo(0, 0));
    await goToLine(ctx.page, REPARAM_DISPLAY_LINE);
    const hover = await hoverEditorText(ctx.page, REPARAM, { offset: 4, accept: liveHover });
    await readmeScreenshot(hover, 'readme.png');
  });

  it('README screenshot: the diffusion note beside the training DDPM, hovering the closed form of q(x_t | x_0)', async () => {
    assert.ok(CLOSED_FORM_LINE > 0, `${DIFFUSION_NOTE} should hold the closed form as a display block`);
    // The note first: "Train DDPM" reveals the lab, which may take the focus from a Quick Open still in progress.
    await openWorkspaceFile(ctx.page, DIFFUSION_NOTE);
    await runFromPalette(ctx.page, 'Latent Lab: Train DDPM');
    await pollUntil(async () => /DDPM/.test((await frame().locator('[data-testid="model"]').textContent()) ?? ''), {
      timeoutMs: 30_000,
      message: 'the lab did not switch to the DDPM',
    });
    await waitForStepAbove(frame(), 400, FIRST_STEP_MS, 'the DDPM trains');
    // The lab scrolled to the forward process, scrubbed to a t where data and noise are both visible.
    const scrubber = frame().locator('[data-testid="t-scrubber"]').first();
    await scrubber.fill('200');
    await frame()
      .locator('[data-section="forward"]')
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await goToLine(ctx.page, CLOSED_FORM_LINE);
    // Its opening only: the whole line wraps in the editor, and the hover finds text within one view line.
    const hover = await hoverEditorText(ctx.page, CLOSED_FORM.slice(0, CLOSED_FORM.indexOf('x_0') + 3), { offset: 0, accept: liveHover });
    assert.match((await hover.textContent()) ?? '', /DDPM/, 'the hover shows the DDPM tensors');
    await readmeScreenshot(hover, 'readme-diffusion.png');
  });
});
