// UI tests of the DDPM in the lab (issue 5), in a real VS Code (code-server) driven in headless Chromium:
// "Train DDPM" from the palette, the forward and reverse diagrams that change while it trains, the timestep
// scrubber against the closed form of the linear schedule, and "Sample" from the palette.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputRoot, repoRoot } from '../harness/artifacts.mjs';
import { pollUntil } from '../harness/run.mjs';
import { labFrame, runFromPalette, shownStep, testIdText, useLabWorkbench, waitForStepAbove } from '../harness/workbench.mjs';

const FIRST_STEP_MS = 180_000;

const settingDefault = (key) => JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).contributes.configuration.properties[key].default;

/**
 * √ᾱ_t of DDPM's linear schedule (betas 1e-4 .. 0.02 over T steps) as the lab numbers its scrubber: t runs over
 * 0..T-1 and ᾱ_t = ∏_{i=0..t} (1 − β_i).
 */
/** sqrt(alpha_bar_t) of the linear schedule in the paper's convention: t = 0 is the data, beta_s for s = 1..T. */
function sqrtAlphaBar(t, T) {
  let alphaBar = 1;
  for (let s = 1; s <= t; s++) alphaBar *= 1 - (1e-4 + ((0.02 - 1e-4) * (s - 1)) / (T - 1));
  return Math.sqrt(alphaBar);
}

/** The reverse-process cloud as drawn (its canvas of points and its trajectory overlay), as one string. */
async function reversePoints(frame) {
  const svg = frame.locator('svg[data-testid="reverse-cloud"]').first();
  if ((await svg.count()) === 0) return '';
  return svg.evaluate((el) => {
    const circles = [...el.querySelectorAll('circle')].map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`);
    const canvases = [...(el.parentElement?.querySelectorAll('canvas') ?? [])].map((c) => c.toDataURL());
    const paths = [...el.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
    return [...circles, ...canvases, ...paths].join(';');
  });
}

describe('DDPM in the lab (code-server, WASM/WebGL Chromium)', function () {
  this.timeout(FIRST_STEP_MS + 60_000);
  const dir = join(outputRoot, 'ui', 'diffusion');
  const ctx = useLabWorkbench(dir);
  const frame = () => labFrame(ctx.page);

  it('"Latent Lab: Train DDPM" from the palette shows the diffusion sections and trains', async () => {
    await runFromPalette(ctx.page, 'Latent Lab: Train DDPM');
    await waitForStepAbove(frame(), 0, FIRST_STEP_MS, 'first DDPM steps');
    assert.match((await testIdText(frame(), 'model')) ?? '', /DDPM/i);
    for (const section of ['pipeline', 'forward', 'reverse', 'schedule']) {
      assert.equal(await frame().locator(`vscode-collapsible[data-section="${section}"]`).count(), 1, `the ${section} section is shown`);
    }
    assert.equal(await frame().locator('vscode-collapsible[data-section="latent"]').count(), 0, 'no latent-space section for a 2D DDPM');
  });

  it('the reverse process redraws as the model trains', async () => {
    const first = await pollUntil(() => reversePoints(frame()), { timeoutMs: 60_000, message: 'the reverse process drew nothing' });
    const stepA = await shownStep(frame());
    await frame().locator('[data-testid="reverse"]').first().scrollIntoViewIfNeeded();
    await ctx.page.screenshot({ path: join(dir, 'reverse-early.png') });
    const later = await pollUntil(
      async () => {
        const now = await reversePoints(frame());
        return now && now !== first ? now : '';
      },
      { timeoutMs: 90_000, message: 'the reverse process never changed while training' },
    );
    assert.notEqual(later, first);
    assert.ok((await shownStep(frame())) > stepA, 'the step moved on meanwhile');
    await ctx.page.screenshot({ path: join(dir, 'reverse-later.png') });
  });

  it('setting the timestep scrubber changes the shown t and sqrt(alpha_bar) to the schedule’s value', async () => {
    const T = settingDefault('latentLab.diffusion.timesteps');
    assert.equal(settingDefault('latentLab.diffusion.schedule'), 'linear');
    const scrubber = frame().locator('[data-testid="t-scrubber"]').first();
    await scrubber.scrollIntoViewIfNeeded();
    const readCoef = async () => Number(await testIdText(frame(), 'sqrt-alpha-bar'));
    for (const t of [100, 500, 900]) {
      await scrubber.fill(String(t));
      const shown = await pollUntil(
        async () => {
          const text = await testIdText(frame(), 't-value');
          return text?.startsWith(`${t} `) ? text : '';
        },
        { timeoutMs: 10_000, message: (text) => `t-value did not show ${t}: ${text}` },
      );
      assert.equal(shown, `${t} / ${T}`);
      const coef = await readCoef();
      assert.ok(Math.abs(coef - sqrtAlphaBar(t, T)) < 1e-4, `√ᾱ at t=${t}: shown ${coef}, closed form ${sqrtAlphaBar(t, T).toFixed(4)}`);
    }
    // The schedule chart's marker follows the scrubber.
    await pollUntil(async () => (await frame().locator('[data-testid="t-rule"]').first().getAttribute('data-t')) === '900', {
      timeoutMs: 10_000,
      message: 'the schedule marker did not follow the scrubber',
    });
    await ctx.page.screenshot({ path: join(dir, 'scrubbed.png') });
  });

  it('"Latent Lab: Sample" from the palette draws a fresh reverse process', async () => {
    // Paused, so only Sample can redraw; the replay is rewound to its first frame, and a fresh one shows its last.
    await frame().locator('[data-testid="pause"]').click();
    await pollUntil(async () => (await testIdText(frame(), 'state')) === 'paused', { timeoutMs: 20_000, message: 'state never became paused' });
    const reverseScrubber = frame().locator('[data-testid="reverse-scrubber"]').first();
    await reverseScrubber.scrollIntoViewIfNeeded();
    const frames = Number(await reverseScrubber.getAttribute('max')) + 1;
    assert.ok(frames > 1, `the reverse process has frames: ${frames}`);
    await reverseScrubber.fill('0');
    await pollUntil(async () => (await testIdText(frame(), 'reverse-frame'))?.includes(`1/${frames}`), {
      timeoutMs: 10_000,
      message: 'the replay did not rewind',
    });
    await runFromPalette(ctx.page, 'Latent Lab: Sample');
    const label = await pollUntil(
      async () => {
        const text = await testIdText(frame(), 'reverse-frame');
        return text?.includes(`${frames}/${frames}`) ? text : '';
      },
      { timeoutMs: 60_000, message: (text) => `no fresh sample run was shown (frame label: ${text})` },
    );
    assert.match(label, /^t=0\b/, `a finished sample run ends at t=0: ${label}`);
    assert.equal(await testIdText(frame(), 'state'), 'paused', 'sampling does not resume training');
    assert.ok((await frame().locator('[data-testid="message"]:not([hidden])').count()) === 0, `no error message: ${await testIdText(frame(), 'message')}`);
    assert.ok((await frame().locator('[data-testid="notice"]:not([hidden])').count()) === 0, `no error notice: ${await testIdText(frame(), 'notice')}`);
    await ctx.page.screenshot({ path: join(dir, 'sampled.png') });
    await frame().locator('[data-testid="pause"]').click();
  });
});
