// The d3 diagrams in headless Chromium, fed synthetic data by test/webview/fixtures/diagrams-entry.ts, checked
// for what a user sees: nodes, labels, numbers, marks, pixels, and the events interaction sends to main.ts.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { openPage, REPO_ROOT, type WebviewPage } from './harness';

const STYLES = ['/test/webview/fixtures/vscode-dark.css', '/media/css/diagrams.css'];

/** Evaluates `expr` in the page (a string, so no test-side transpiler helpers leak into the page). */
async function ev<T>(wp: WebviewPage, expr: string): Promise<T> {
  return (await wp.page.evaluate(expr)) as T;
}

/** Polls `expr` in the page until it is truthy (page.waitForFunction evaluates strings with eval, which the CSP blocks). */
async function waitFor(wp: WebviewPage, expr: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ev<boolean>(wp, expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function nodeText(wp: WebviewPage, tensor: string): Promise<string> {
  return (await wp.page.locator(`[data-testid=pipeline] [data-tensor="${tensor}"]`).textContent()) ?? '';
}

describe('webview diagrams (headless Chromium)', function () {
  let wp: WebviewPage;

  before(async function () {
    wp = await openPage({ entry: 'test/webview/fixtures/diagrams-entry.ts', styles: STYLES, viewport: { width: 380, height: 900 } });
    await wp.page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    await ev(wp, 'fixture.nextFrame()');
  });

  after(async function () {
    await wp?.close();
  });

  it('draws the VAE pipeline: x, mu, sigma, eps, z, x_hat with their shapes, and the gradient path', async () => {
    // The shape as the hover writes it too (domain/tensorFormat.ts: one notation everywhere).
    for (const [tensor, shape] of [
      ['x', '[128, 784]'],
      ['mu', '[128, 2]'],
      ['sigma', '[128, 2]'],
      ['eps', '[128, 2]'],
      ['z', '[128, 2]'],
      ['x_hat', '[128, 784]'],
    ]) {
      const text = await nodeText(wp, tensor);
      assert.ok(text.includes(shape), `${tensor} shows its shape ${shape}: "${text}"`);
    }
    assert.ok((await nodeText(wp, 'z')).includes('μ + σ ⊙ ε'));
    // Gradient reaches mu and sigma but not eps; eps enters on a dashed "random" edge.
    const edges = await wp.page.locator('[data-testid=pipeline] .ll-edge[data-edge]').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')));
    assert.ok(edges.includes('grad:z->mu') && edges.includes('grad:z->sigma'), edges.join(' '));
    assert.ok(!edges.some((e) => e?.startsWith('grad:') && e.endsWith('->eps')), 'no gradient edge into eps');
    assert.equal(await wp.page.locator('[data-testid=pipeline] [data-edge="eps->z"]').getAttribute('class'), 'll-edge ll-edge-random');
    const dash = await wp.page.locator('[data-testid=pipeline] [data-edge="eps->z"] path').evaluate((p) => getComputedStyle(p).strokeDasharray);
    assert.notEqual(dash, 'none');
    assert.ok((await wp.page.locator('[data-testid=pipeline] .ll-legend-item').allTextContents()).join('|').includes('gradient'));
    // The image tensors are drawn as images with ink on them.
    const lit = await ev<number[]>(wp, 'fixture.litFractions(\'[data-testid=pipeline] [data-tensor="x"]\')');
    assert.ok(lit[0] > 0.05 && lit[0] < 0.9, `x preview has a drawn glyph (lit ${lit[0]})`);
  });

  it('updates the numbers on new snapshots without rebuilding the nodes', async () => {
    const before = await nodeText(wp, 'mu');
    await wp.page.evaluate('window.__muNode = document.querySelector(\'[data-testid=pipeline] [data-tensor="mu"]\')');
    await ev(wp, 'fixture.setModel("vae", 1900)');
    const after = await nodeText(wp, 'mu');
    assert.notEqual(after, before);
    const stats = await ev<{ mean: number }>(
      wp,
      'fixture.diagrams.pipeline && (() => { const m = document.querySelector(\'[data-testid=pipeline] [data-tensor="mu"] .ll-node-mean\'); return { mean: Number(m.textContent) }; })()',
    );
    assert.ok(Number.isFinite(stats.mean));
    assert.equal(await ev<boolean>(wp, 'window.__muNode === document.querySelector(\'[data-testid=pipeline] [data-tensor="mu"]\')'), true);
    const recon = await wp.page.locator('[data-testid=pipeline] [data-tensor="recon"]').getAttribute('class');
    assert.ok(recon?.includes('ll-node-loss'));
  });

  it('shows the AE without mu, sigma or eps, and the DDPM with x_t and eps_theta', async () => {
    await ev(wp, 'fixture.setModel("ae", 500)');
    for (const gone of ['mu', 'sigma', 'eps', 'kl']) assert.equal(await wp.page.locator(`[data-testid=pipeline] [data-tensor="${gone}"]`).count(), 0, gone);
    for (const kept of ['x', 'z', 'x_hat']) assert.equal(await wp.page.locator(`[data-testid=pipeline] [data-tensor="${kept}"]`).count(), 1, kept);
    assert.equal(await wp.page.locator('[data-testid=pipeline] .ll-edge-random').count(), 0);
    await ev(wp, 'fixture.setModel("ddpm", 500)');
    assert.ok((await nodeText(wp, 'x_t')).includes('√ᾱₜ'));
    assert.ok((await nodeText(wp, 'loss')).includes('‖ε − ε_θ‖²'));
    assert.equal(await wp.page.locator('[data-testid=pipeline] [data-edge="eps->loss"]').count(), 1);
    await ev(wp, 'fixture.setModel("vae", 800)');
  });

  it('reports node clicks and highlights a tensor for a few seconds', async () => {
    await wp.page.locator('[data-testid=pipeline] [data-tensor="sigma"]').click();
    assert.deepEqual(await ev<string[]>(wp, 'fixture.events.click'), ['sigma']);
    await ev(wp, 'fixture.diagrams.pipeline.highlight("kl")');
    assert.ok((await wp.page.locator('[data-testid=pipeline] [data-tensor="kl"]').getAttribute('class'))?.includes('ll-highlight'));
    // New snapshots redraw the nodes several times a second: the highlight must outlive them.
    await ev(wp, 'fixture.setModel("vae", 900)');
    assert.ok(
      (await wp.page.locator('[data-testid=pipeline] [data-tensor="kl"]').getAttribute('class'))?.includes('ll-highlight'),
      'a redraw keeps the highlight',
    );
    await waitFor(wp, '!document.querySelector(\'[data-testid=pipeline] [data-tensor="kl"]\').classList.contains("ll-highlight")', 6000);
  });

  it('draws one loss line per term spanning the steps, with a legend and last values', async () => {
    const terms = await wp.page.locator('[data-testid=loss-chart] path.ll-line').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-term')));
    assert.deepEqual(terms.sort(), ['kl', 'loss', 'recon']);
    const plotW = await ev<number>(wp, 'document.querySelector("[data-testid=loss-chart] .ll-axis-x .domain").getBBox().width');
    for (const term of terms) {
      const w = await wp.page.locator(`[data-testid=loss-chart] path[data-term="${term}"]`).evaluate((p) => (p as SVGPathElement).getBBox().width);
      assert.ok(Math.abs(w - plotW) < 2, `${term} spans the x axis (${w} vs ${plotW})`);
    }
    assert.deepEqual(await wp.page.locator('.ll-legend-entry[data-term]').allTextContents(), ['reconstruction', 'KL', 'total']);
    const lastRecon = Number(await wp.page.locator('[data-testid=loss-chart] text.ll-last-value[data-term="recon"]').textContent());
    assert.ok(lastRecon > 150 && lastRecon < 200, `last recon ${lastRecon}`);
    // Appending extends the lines; the history is decimated at MAX_POINTS.
    await ev(wp, 'fixture.appendLoss(1200, 3000, "vae")');
    await ev(wp, 'fixture.nextFrame()');
    const count = await ev<number>(wp, 'fixture.diagrams.loss.pointCount');
    assert.ok(count <= 2000 && count > 1000, `kept ${count} points`);
    const lastTick = await wp.page.locator('[data-testid=loss-chart] .ll-axis-x .tick text').last().textContent();
    assert.match(lastTick ?? '', /k$/);
    const yLabels = await wp.page
      .locator('[data-testid=loss-chart] text.ll-last-value')
      .evaluateAll((ts) => ts.map((t) => Number(t.getAttribute('y'))).sort((a, b) => a - b));
    for (let i = 1; i < yLabels.length; i++) assert.ok(yLabels[i] - yLabels[i - 1] >= 11.9, 'last-value labels do not overlap');
  });

  it('scatters one circle per latent point in class colours, with a legend', async () => {
    const circles = wp.page.locator('[data-testid=latent] circle.ll-latent-point');
    assert.equal(await circles.count(), 400);
    const fills = await circles.evaluateAll((cs) => cs.map((c) => `${c.getAttribute('data-label')}:${c.getAttribute('fill')}`));
    const byLabel = new Map(fills.map((f) => f.split(':') as [string, string]));
    assert.equal(new Set(byLabel.values()).size, 10, 'ten distinct class colours');
    assert.equal(new Set(fills).size, 10, 'one colour per class');
    assert.deepEqual(await wp.page.locator('[data-testid=latent-legend] .ll-legend-entry').allTextContents(), [
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    const axisTitles = await wp.page.locator('[data-testid=latent] .ll-axis-title').allTextContents();
    assert.deepEqual(axisTitles, ['z1', 'z2']);
    await ev(wp, 'fixture.setLatentProjection("pca")');
    assert.deepEqual(await wp.page.locator('[data-testid=latent] .ll-axis-title').allTextContents(), ['PC1', 'PC2']);
    await ev(wp, 'fixture.setLatentProjection("exact")');
  });

  it('fires onHover with latent coordinates inside the extent and shows the decoded inset', async () => {
    const box = await wp.page.locator('[data-testid=latent] .ll-hover-target').boundingBox();
    assert.ok(box);
    await wp.page.locator('[data-testid=latent]').scrollIntoViewIfNeeded();
    const b = (await wp.page.locator('[data-testid=latent] .ll-hover-target').boundingBox())!;
    await wp.page.mouse.move(b.x + b.width * 0.75, b.y + b.height * 0.25);
    await waitFor(wp, 'fixture.events.hover.length > 0');
    const [z1, z2] = (await ev<[number, number][]>(wp, 'fixture.events.hover')).at(-1)!;
    assert.ok(z1 > 0 && z1 < 3.5 && z2 > 0 && z2 < 3.5, `z = ${z1}, ${z2}`);
    assert.ok(Math.abs(z1 - 1.75) < 0.2 && Math.abs(z2 - 1.75) < 0.2, `z follows the cursor: ${z1}, ${z2}`);
    assert.equal(await wp.page.locator('[data-testid=latent-inset]').isVisible(), true);
    const lit = await ev<number[]>(wp, 'fixture.litFractions("[data-testid=latent-inset]")');
    assert.ok(lit[0] > 0.02);
    await wp.page.mouse.move(0, 0);
    assert.equal(await wp.page.locator('[data-testid=latent-inset]').isVisible(), false);
  });

  it('shows inputs above reconstructions, a grid of samples and an interpolation path, all with ink', async () => {
    assert.equal(await wp.page.locator('[data-testid=gallery-inputs] canvas').count(), 8);
    assert.equal(await wp.page.locator('[data-testid=gallery-reconstructions] canvas').count(), 8);
    assert.equal(await wp.page.locator('[data-testid=gallery-samples] canvas').count(), 16);
    assert.equal(await wp.page.locator('[data-testid=gallery-interpolation] canvas').count(), 10);
    assert.match((await wp.page.textContent('[data-testid=gallery-interpolation-label]')) ?? '', /Interpolation: .*3 → 8$/);
    assert.equal(await wp.page.getAttribute('[data-testid=gallery-interpolation] canvas >> nth=9', 'title'), 'α = 1.00');
    const lit = await ev<number[]>(wp, 'fixture.litFractions("[data-testid=gallery]")');
    assert.equal(lit.length, 42);
    assert.ok(
      lit.every((f) => f > 0.02 && f < 0.95),
      `every image has ink: ${lit.map((f) => f.toFixed(2)).join(' ')}`,
    );
    await ev(wp, 'fixture.setSamples(0)');
    assert.equal(await wp.page.locator('[data-testid=gallery-samples]').isVisible(), false);
    await ev(wp, 'fixture.setSamples(16)');
    await ev(wp, 'fixture.dropInterpolation()');
    assert.equal(await wp.page.locator('[data-testid=gallery-interpolation]').isVisible(), false);
    assert.equal(await wp.page.locator('[data-testid=gallery-interpolation-label]').isVisible(), false);
    await ev(wp, 'fixture.setSamples(16)');
  });

  it('scrubbing the forward process changes t, the closed-form numbers, the scheduled rule and asks the worker', async () => {
    const forward = wp.page.locator('[data-testid=forward-process]').first();
    await forward.locator('[data-testid=t-scrubber]').fill('400');
    assert.equal(await forward.locator('[data-testid=t-value]').textContent(), '400 / 1000');
    // Linear betas 1e-4..0.02 over T = 1000: alpha_bar_400 = prod_{s=1..400} (1 - beta_s), the paper's t.
    let ab = 1;
    for (let s = 1; s <= 400; s++) ab *= 1 - (1e-4 + ((0.02 - 1e-4) * (s - 1)) / 999);
    assert.equal(await forward.locator('[data-testid=sqrt-alpha-bar]').textContent(), Math.sqrt(ab).toFixed(4));
    assert.equal(await forward.locator('[data-testid=sqrt-one-minus-alpha-bar]').textContent(), Math.sqrt(1 - ab).toFixed(4));
    await waitFor(wp, 'fixture.events.scrub.at(-1) === 400');
    assert.equal(await wp.page.locator('[data-testid=t-rule]').getAttribute('data-t'), '400');
    const ruleX = Number(await wp.page.locator('[data-testid=t-rule] line').getAttribute('x1'));
    const axis = await ev<{ x0: number; x1: number }>(
      wp,
      '(() => { const t = [...document.querySelectorAll("[data-testid=schedule] .ll-axis-x .tick")]; const x = (e) => Number(e.getAttribute("transform").match(/translate\\(([-0-9.]+)/)[1]); const z = t.find(e => e.textContent === "0"); const f = t.find(e => e.textContent === "800"); return { x0: x(z), x1: x(f) }; })()',
    );
    assert.ok(Math.abs(ruleX - (axis.x0 + (axis.x1 - axis.x0) * (400 / 800))) < 1, `rule at t=400 (${ruleX})`);
    assert.match((await wp.page.locator('[data-testid=t-rule] text').textContent()) ?? '', /t=400/);
    // The 2D cloud is drawn; the image variant highlights the ladder cell nearest to t.
    assert.ok(Number(await forward.locator('canvas').first().getAttribute('data-points')) > 0);
    assert.equal(await wp.page.locator('[data-testid=forward-strip] .ll-current span').textContent(), 't=250');
  });

  it('plays the reverse process and draws trajectories; schedule and timestep loss have their marks', async () => {
    assert.equal(await wp.page.locator('[data-testid=reverse-cloud] path.ll-trajectory').first().count(), 1);
    assert.equal(await wp.page.locator('[data-testid=reverse-cloud] path.ll-trajectory').count(), 8);
    const reverse = wp.page.locator('[data-testid=reverse]').first();
    await reverse.locator('[data-testid=reverse-play]').click();
    await waitFor(wp, 'Number(document.querySelector("[data-testid=reverse]").dataset.frame) >= 3');
    await reverse.locator('[data-testid=reverse-play]').click();
    const frame = Number(await reverse.getAttribute('data-frame'));
    assert.ok(frame >= 3 && frame < 40);
    assert.match((await reverse.locator('[data-testid=reverse-frame]').textContent()) ?? '', new RegExp(`${frame + 1}/40`));
    assert.deepEqual(await wp.page.locator('[data-testid=schedule] .ll-schedule-panel').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series'))), [
      'beta',
      'alphaBar',
      'snr',
    ]);
    assert.equal(await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar').count(), 10);
    const heights = await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    assert.ok(heights[0] > heights[9] * 3, 'bars follow the loss (high at small t)');
  });

  it("keeps the reverse cloud on the data's scale: samples far outside sit on the border and are counted", async () => {
    const cloud = '[data-testid=reverse-cloud]';
    const domainMax = async () =>
      Math.max(...(await wp.page.locator(`${cloud} .ll-axis-x .tick text`).allTextContents()).map((t) => Math.abs(Number(t.replace('−', '-')))));
    const trained = await domainMax();
    // Swiss roll data reach about ±2.8: the axes show the data padded, not the ±1000 of an untrained sampler.
    assert.ok(trained >= 2.5 && trained <= 4, `axes reach ${trained}`);
    assert.equal(
      await wp.page.locator('[data-testid=reverse]').first().locator('[data-testid=reverse-cloud-outside]').isVisible(),
      false,
      'no outside count while every sample is inside',
    );
    await ev(wp, 'fixture.untrainedReverse(300)');
    assert.equal(await domainMax(), trained, 'the axes do not follow the samples');
    const outside = Number(await wp.page.locator('[data-testid=reverse] canvas').first().getAttribute('data-outside'));
    const frame = await ev<[number, number][]>(wp, 'fixture.diagrams.reverse["view"].reverse.points.at(-1)');
    const half = await ev<number>(wp, 'fixture.diagrams.reverse["cloud"].extent');
    const expected = frame.filter(([a, b]) => Math.abs(a) > half || Math.abs(b) > half).length;
    assert.ok(expected > 100, `most samples of the blown-up frame lie outside (${expected})`);
    assert.equal(outside, expected);
    assert.equal(await wp.page.locator('[data-testid=reverse]').first().locator('[data-testid=reverse-cloud-outside]').textContent(), `${expected} outside ▸`);
    // Trajectory ends stay inside the plot square, on its border.
    const plot = await wp.page.locator(`${cloud} .ll-axis-x .domain`).boundingBox();
    const ends = await wp.page
      .locator(`${cloud} circle.ll-trajectory-end`)
      .evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect()).map((r) => r.x + r.width / 2));
    for (const x of ends) assert.ok(x >= plot!.x - 1 && x <= plot!.x + plot!.width + 1, `end at ${x}`);
    await ev(wp, 'fixture.restoreReverse()');
    assert.equal(await wp.page.locator('[data-testid=reverse]').first().locator('[data-testid=reverse-cloud-outside]').isVisible(), false);
  });

  it("puts the forward cloud on the data's scale for every t", async () => {
    const forward = wp.page.locator('[data-testid=forward-process]').first();
    const ticks = async () => (await forward.locator('[data-testid=forward-cloud] .ll-axis-x .tick text').allTextContents()).join(',');
    await forward.locator('[data-testid=t-scrubber]').fill('0');
    const atZero = await ticks();
    await forward.locator('[data-testid=t-scrubber]').fill('1000');
    assert.equal(await ticks(), atZero);
  });

  it('labels loss axes with plain numbers, not SI suffixes', async () => {
    await ev(wp, 'fixture.diagrams.loss.reset()');
    await ev(wp, 'fixture.appendLoss(0, 1500, "ddpm")');
    await ev(wp, 'fixture.nextFrame()');
    const yTicks = await wp.page.locator('[data-testid=loss-chart] .ll-axis-y .tick text').allTextContents();
    assert.ok(yTicks.length >= 3, yTicks.join(' '));
    for (const t of yTicks) assert.match(t, /^[0-9.,]+$/, `plain tick "${t}"`);
    assert.ok(
      yTicks.some((t) => /^0\.\d+$/.test(t)),
      `decimal ticks: ${yTicks.join(' ')}`,
    );
    assert.equal(await wp.page.locator('[data-testid=loss-chart]').getAttribute('data-layout'), 'single');
    await ev(wp, 'fixture.diagrams.loss.reset()');
    await ev(wp, 'fixture.appendLoss(0, 1200, "vae")');
    await ev(wp, 'fixture.nextFrame()');
  });

  it('gives each VAE loss term its own panel, so the KL term fills its height', async () => {
    const chart = '[data-testid=loss-chart]';
    assert.equal(await wp.page.locator(chart).getAttribute('data-layout'), 'panels');
    const panels = await wp.page.locator(`${chart} g.ll-loss-panel`).evaluateAll((gs) =>
      gs.map((g) => ({
        term: g.getAttribute('data-term'),
        title: g.querySelector('.ll-panel-title')?.textContent,
        line: (({ x, y, width, height }) => ({ x, y, width, height }))((g.querySelector('path.ll-line') as SVGPathElement).getBBox()),
        ticks: Array.from(g.querySelectorAll('.ll-axis-y .tick text')).map((t) => t.textContent),
      })),
    );
    assert.deepEqual(
      panels.map((p) => p.term),
      ['recon', 'kl', 'loss'],
    );
    assert.deepEqual(
      panels.map((p) => p.title),
      ['━ reconstruction', '━ KL', '━ total'],
    );
    // KL goes from about 2 to 6.5 in the fixture: in its own panel the line spans most of the panel's height.
    const kl = panels[1];
    assert.ok(kl.line.height > 30, `KL line is ${kl.line.height}px tall`);
    assert.ok(
      kl.ticks.some((t) => Number(t) > 4 && Number(t) <= 10),
      `KL axis in units: ${kl.ticks.join(' ')}`,
    );
    // Panels are stacked without overlapping.
    for (let i = 1; i < panels.length; i++) assert.ok(panels[i].line.y >= panels[i - 1].line.y + panels[i - 1].line.height, 'stacked panels');
  });

  it('draws the held-out loss beside each training term, and the PyTorch reference dotted where the run matches it', async () => {
    const chart = '[data-testid=loss-chart]';
    // The fixture's VAE run (steps 0-1199), its held-out figures every 150 steps, and the reference's own settings.
    await ev(wp, 'fixture.diagrams.loss.reset()');
    await ev(wp, 'fixture.appendLoss(0, 1200, "vae")');
    await ev(wp, 'fixture.showLossConfig("vae")');
    await ev(wp, 'fixture.addHeldOut(0, 1200, 150)');
    await ev(wp, 'fixture.nextFrame()');
    const lines = await wp.page.locator(`${chart} g.ll-loss-panel`).evaluateAll((gs) =>
      gs.map((g) => {
        const held = g.querySelector('path.ll-heldout-line') as SVGPathElement;
        return {
          term: g.getAttribute('data-term'),
          heldTerm: held.getAttribute('data-heldout'),
          held: held.getAttribute('d') ? getComputedStyle(held).stroke : null,
          train: getComputedStyle(g.querySelector('path.ll-line')!).stroke,
          dots: g.querySelectorAll('.ll-heldout-dots circle').length,
          marks: Array.from(g.querySelectorAll('.ll-reference-marks circle')).map((c) => Number(c.getAttribute('data-epoch'))),
          reference: !!g.querySelector('path.ll-reference-line')?.getAttribute('d'),
        };
      }),
    );
    assert.deepEqual(
      lines.map((l) => [l.term, l.heldTerm, l.dots]),
      [
        ['recon', 'recon', 8],
        ['kl', 'kl', 8],
        ['loss', 'loss', 8],
      ],
    );
    // One held-out colour on every panel, apart from every training line's.
    assert.equal(new Set(lines.map((l) => l.held)).size, 1);
    assert.ok(lines[0].held && !lines.some((l) => l.train === lines[0].held), `held-out ${lines[0].held} vs ${lines.map((l) => l.train).join(' ')}`);
    // The reference only on the total's panel, with the epochs reached by step 1,199 (an epoch is 9,000 / 128 steps).
    assert.deepEqual(
      lines.map((l) => [l.reference, l.marks]),
      [
        [false, []],
        [false, []],
        [true, [1, 2, 5, 10]],
      ],
    );
    const dash = await wp.page.locator(`${chart} g[data-term=loss] path.ll-reference-line`).evaluate((p) => getComputedStyle(p).strokeDasharray);
    assert.notEqual(dash, 'none', 'the reference is dotted');
    // Epoch 10's mark sits at step 703.125 on the shared step axis, at 174.3 on the total's axis.
    const geometry = await ev<{ markX: number; plotW: number; markY: number; y0: number; y1: number; v0: number; v1: number }>(
      wp,
      `(() => {
        const panel = document.querySelector('[data-testid=loss-chart] g[data-term=loss]');
        const mark = panel.querySelector('.ll-reference-marks circle[data-epoch="10"]');
        const ticks = [...panel.querySelectorAll('.ll-axis-y .tick')].map((t) => ({ v: Number(t.textContent.replace(/,/g, '')), y: Number(t.getAttribute('transform').match(/,([-0-9.]+)\\)/)[1]) }));
        const [a, b] = [ticks[0], ticks[ticks.length - 1]];
        return { markX: Number(mark.getAttribute('cx')), plotW: document.querySelector('[data-testid=loss-chart] .ll-axis-x .domain').getBBox().width, markY: Number(mark.getAttribute('cy')), y0: a.y, y1: b.y, v0: a.v, v1: b.v };
      })()`,
    );
    assert.ok(Math.abs(geometry.markX - (geometry.plotW * 703.125) / 1199) < 1, `epoch 10 at x ${geometry.markX} of ${geometry.plotW}`);
    const expectedY = geometry.y0 + ((174.3 - geometry.v0) * (geometry.y1 - geometry.y0)) / (geometry.v1 - geometry.v0);
    assert.ok(Math.abs(geometry.markY - expectedY) < 1, `epoch 10 at y ${geometry.markY}, expected ${expectedY}`);
    assert.match(
      (await wp.page.locator(`${chart} .ll-reference-marks circle[data-epoch="5"] title`).textContent()) ?? '',
      /PyTorch reference \(held-out\): 182\.0 after 5 epochs/,
    );
    // The legend: the terms as before, then the held-out series with its latest value, then the reference.
    assert.deepEqual(await wp.page.locator('.ll-legend-entry[data-term]').allTextContents(), ['reconstruction', 'KL', 'total']);
    const heldEntry = (await wp.page.locator('.ll-legend-eval[data-series=heldOut]').textContent()) ?? '';
    const lastHeld = 176 + 370 * Math.exp(-1050 / 250) + 0.004 * 1050 + 6.3 - 4.5 * Math.exp(-1050 / 400);
    assert.equal(heldEntry, `held-out${lastHeld.toPrecision(4)}`);
    assert.equal(await wp.page.locator('.ll-legend-eval[data-series=reference]').textContent(), 'PyTorch reference (held-out)');
    assert.match((await wp.page.locator('.ll-legend-eval[data-series=reference]').getAttribute('title')) ?? '', /784-512-2-512-784.*162\.7 after 50 epochs/);
    // Each panel's latest held-out value at the right, apart from the training value's and inside the chart.
    const held = await wp.page.locator(`${chart} text.ll-heldout-value`).evaluateAll((ts) => ts.map((t) => [t.getAttribute('data-heldout'), t.textContent]));
    assert.deepEqual(held.map(([term]) => term).sort(), ['kl', 'loss', 'recon']);
    assert.equal(held.find(([t]) => t === 'loss')?.[1], `━ ${lastHeld.toPrecision(3)}`);
    const boxes = await wp.page
      .locator(`${chart} text.ll-last-value`)
      .evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => [r.top, r.bottom, r.right]));
    const svgRight = await wp.page.locator(chart).evaluate((s) => s.getBoundingClientRect().right);
    assert.equal(boxes.length, 6);
    for (const [, , right] of boxes) assert.ok(right <= svgRight + 0.5, `a last value ends at ${right}, the chart at ${svgRight}`);
    const tops = boxes.map(([top]) => top).sort((a, b) => a - b);
    for (let i = 1; i < tops.length; i++) assert.ok(tops[i] - tops[i - 1] >= 11.9, `last-value labels do not overlap: ${tops.join(' ')}`);

    // Settings the reference was not measured with: no reference, no legend entry; the held-out series stays.
    await ev(wp, 'fixture.showLossConfig("vae", { latentDim: 8 })');
    await ev(wp, 'fixture.nextFrame()');
    assert.equal(await wp.page.locator(`${chart} .ll-reference-marks circle`).count(), 0);
    assert.equal(await wp.page.locator('.ll-legend-eval[data-series=reference]').count(), 0);
    assert.equal(await wp.page.locator(`${chart} text.ll-heldout-value`).count(), 3);
    for (const other of [{ beta: 0.5 }, { batchSize: 64 }, { hiddenDim: 256 }, { learningRate: 3e-3 }, { dataset: 'fashion-mnist' }]) {
      await ev(wp, `fixture.showLossConfig("vae", ${JSON.stringify(other)})`);
      await ev(wp, 'fixture.nextFrame()');
      assert.equal(await wp.page.locator('.ll-legend-eval[data-series=reference]').count(), 0, JSON.stringify(other));
    }
    // z = 16 has one figure, after 20 epochs (step 1,406.25): it shows once training gets there.
    await ev(wp, 'fixture.showLossConfig("vae", { latentDim: 16 })');
    await ev(wp, 'fixture.nextFrame()');
    assert.equal(await wp.page.locator(`${chart} .ll-reference-marks circle`).count(), 0);
    await ev(wp, 'fixture.appendLoss(1200, 1600, "vae")');
    await ev(wp, 'fixture.nextFrame()');
    assert.deepEqual(await wp.page.locator(`${chart} .ll-reference-marks circle`).evaluateAll((cs) => cs.map((c) => c.getAttribute('data-epoch'))), ['20']);
    assert.match((await wp.page.locator('.ll-legend-eval[data-series=reference]').getAttribute('title')) ?? '', /784-512-16-512-784.*116\.3 after 20 epochs/);

    // The autoencoder: its held-out reconstruction on its one panel, no reference.
    await ev(wp, 'fixture.diagrams.loss.reset()');
    await ev(wp, 'fixture.showLossConfig("ae")');
    await ev(
      wp,
      'fixture.diagrams.loss.update(Array.from({ length: 600 }, (_, i) => ({ step: i + 1, loss: 200 + 300 * Math.exp(-i / 100), terms: { recon: 200 + 300 * Math.exp(-i / 100) } })))',
    );
    await ev(wp, 'fixture.diagrams.loss.addHeldOut({ step: 300, loss: 230, terms: { recon: 230 } })');
    await ev(wp, 'fixture.diagrams.loss.addHeldOut({ step: 600, loss: 212, terms: { recon: 212 } })');
    await ev(wp, 'fixture.nextFrame()');
    assert.equal(await wp.page.locator(chart).getAttribute('data-layout'), 'single');
    assert.deepEqual(
      await wp.page.locator(`${chart} text.ll-heldout-value`).evaluateAll((ts) => ts.map((t) => [t.getAttribute('data-heldout'), t.textContent])),
      [['recon', '━ 212']],
    );
    assert.equal(await wp.page.locator('.ll-legend-eval[data-series=heldOut]').textContent(), 'held-out212');
    assert.equal(await wp.page.locator('.ll-legend-eval[data-series=reference]').count(), 0);
    // A new run (a step not after the last) starts the held-out series again with the training loss.
    await ev(wp, 'fixture.diagrams.loss.update([{ step: 1, loss: 500, terms: { recon: 500 } }])');
    await ev(wp, 'fixture.nextFrame()');
    assert.equal(await wp.page.locator(`${chart} text.ll-heldout-value`).count(), 0);
    assert.equal(await wp.page.locator('.ll-legend-eval[data-series=heldOut]').count(), 0);

    // Back to the VAE run with its held-out figures and reference, for the contrast check and the screenshot.
    await ev(wp, 'fixture.diagrams.loss.reset()');
    await ev(wp, 'fixture.showLossConfig("vae")');
    await ev(wp, 'fixture.appendLoss(0, 1200, "vae")');
    await ev(wp, 'fixture.addHeldOut(0, 1200, 150)');
    await ev(wp, 'fixture.nextFrame()');
    mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
    await wp.page.locator(chart).screenshot({ path: path.join(REPO_ROOT, 'test-output', 'loss-heldout.png') });
  });

  it('draws the timestep buckets that have a loss and marks the ones not reached yet', async () => {
    await ev(wp, 'fixture.setBuckets([0.9, NaN, 0.5, NaN, 0.2, 0.1, NaN, 0.05, 0.04, 0.03])');
    const bars = await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-bucket'))));
    assert.deepEqual(bars, [0, 2, 4, 5, 7, 8, 9]);
    assert.deepEqual(
      await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar-unseen').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-bucket')))),
      [1, 3, 6],
    );
    assert.equal(await wp.page.locator('[data-testid=timestep-loss] .ll-empty-text').isVisible(), false);
    await ev(wp, 'fixture.setBuckets(new Array(10).fill(NaN))');
    assert.equal(await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar').count(), 0);
    assert.match((await wp.page.locator('[data-testid=timestep-loss] .ll-empty-text').textContent()) ?? '', /step 3/);
    await ev(wp, 'fixture.diagrams.timestepLoss.update(fixture.diagrams.forward["view"])');
    assert.equal(await wp.page.locator('[data-testid=timestep-loss] rect.ll-bar').count(), 10);
  });

  for (const width of [300, 420]) {
    it(`lays every model's pipeline out at ${width}px without text overlapping or leaving its card`, async () => {
      await ev(wp, `fixture.setPipelineWidth(${width})`);
      await ev(wp, 'fixture.nextFrame()');
      for (const m of ['ae', 'vae', 'ddpm', 'ldm']) {
        await ev(wp, `fixture.setModel("${m}", 700)`);
        const svgW = Number(await wp.page.locator('[data-testid=pipeline]').getAttribute('width'));
        assert.equal(svgW, width);
        assert.deepEqual(await ev<string[]>(wp, 'fixture.layoutIssues()'), [], m);
      }
      // The long name is shortened, not dropped, where there is room for part of it.
      await ev(wp, 'fixture.setModel("ddpm", 700)');
      const head = await wp.page.locator('[data-testid=pipeline] [data-tensor="eps_theta"] .ll-node-head').textContent();
      assert.match(head ?? '', /^ε_θ\s*eps/);
      mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
      await wp.page.locator('[data-testid=pipeline]').screenshot({ path: path.join(REPO_ROOT, 'test-output', `pipeline-ddpm-${width}.png`) });
      await ev(wp, 'fixture.setPipelineWidth(null)');
      await ev(wp, 'fixture.setModel("vae", 800)');
      await ev(wp, 'fixture.nextFrame()');
    });
  }

  it('has readable text in the dark theme', async () => {
    assert.deepEqual(await ev<string[]>(wp, 'fixture.contrastIssues(4.3)'), []);
  });

  it('renders without console errors, and leaves a screenshot', async () => {
    await ev(wp, 'fixture.setModel("vae", 1200)');
    await wp.page.mouse.move(0, 0);
    await wp.page.waitForTimeout(200);
    const out = path.join(REPO_ROOT, 'test-output');
    mkdirSync(out, { recursive: true });
    await wp.page.screenshot({ path: path.join(out, 'diagrams.png'), fullPage: true });
    assert.deepEqual(wp.errors, []);
  });
});

const THEMES = [
  // Light+'s descriptionForeground (#717171) on its sidebar (#f3f3f3) is 4.4:1: text of ours must not be worse.
  { name: 'Light+', css: 'vscode-light.css', bodyClass: 'vscode-light', shot: 'diagrams-light.png', minContrast: 4.3 },
  { name: 'Dark High Contrast', css: 'vscode-high-contrast.css', bodyClass: 'vscode-high-contrast', shot: 'diagrams-high-contrast.png', minContrast: 7 },
];

for (const theme of THEMES) {
  describe(`webview diagrams in the ${theme.name} theme (headless Chromium)`, function () {
    let wp: WebviewPage;

    before(async function () {
      wp = await openPage({
        entry: 'test/webview/fixtures/diagrams-entry.ts',
        styles: [`/test/webview/fixtures/${theme.css}`, '/media/css/diagrams.css'],
        bodyClass: theme.bodyClass,
        viewport: { width: 380, height: 900 },
      });
      await wp.page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
      await ev(wp, 'fixture.nextFrame()');
    });

    after(async function () {
      await wp?.close();
    });

    it(`has readable text: contrast with the background at least ${theme.minContrast}:1`, async () => {
      assert.deepEqual(await ev<string[]>(wp, `fixture.contrastIssues(${theme.minContrast})`), []);
    });

    it('has readable held-out values and reference legend on the loss chart', async () => {
      await ev(wp, 'fixture.showLossConfig("vae")');
      await ev(wp, 'fixture.addHeldOut(0, 1200, 150)');
      await ev(wp, 'fixture.nextFrame()');
      assert.equal(await wp.page.locator('[data-testid=loss-chart] text.ll-heldout-value').count(), 3);
      assert.equal(await wp.page.locator('.ll-legend-eval[data-series=reference]').count(), 1);
      assert.deepEqual(await ev<string[]>(wp, `fixture.contrastIssues(${theme.minContrast})`), []);
    });

    it('lays the pipeline out without overlaps, and leaves a screenshot', async () => {
      assert.deepEqual(await ev<string[]>(wp, 'fixture.layoutIssues()'), []);
      await ev(wp, 'fixture.untrainedReverse(300)');
      await wp.page.mouse.move(0, 0);
      const out = path.join(REPO_ROOT, 'test-output');
      mkdirSync(out, { recursive: true });
      await wp.page.screenshot({ path: path.join(out, theme.shot), fullPage: true });
      assert.deepEqual(wp.errors, []);
    });
  });
}
