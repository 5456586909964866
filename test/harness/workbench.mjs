// Acting on the VS Code workbench in a browser the way a person does: the palette, the activity bar, and
// the Latent Lab webview (two nested iframes). Selectors are VS Code internals: pinned to code-server 4.139.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installExtension, startCodeServer } from '../../scripts/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { isVscodeInstalled, setupVscode } from '../../scripts/setup-vscode.mjs';
import { repoRoot, saveLogs } from './artifacts.mjs';
import { collectConsole, launchChromium } from './browser.mjs';
import { pollUntil } from './run.mjs';

export const EXTENSION_ID = 'latent-lab.latent-lab';

/** Waits until the workbench has rendered and the remote extension host is connected. */
export async function waitForWorkbench(page, timeoutMs = 90_000) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  // The status bar shows the remote indicator once the server connection is up.
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  // The extension's contributions are in once its view container shows in the activity bar.
  await activityBarItem(page, 'Latent Lab').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Gives keyboard focus to the workbench (not a webview iframe), so F1 and Ctrl+B reach it. */
export async function focusWorkbench(page) {
  await page.locator('.statusbar').click({ position: { x: 5, y: 5 } });
}

/**
 * F1, type the command's title, Enter: exactly what a person does. The palette lists what was registered when
 * it opened, so when the extension's commands are not there yet it is closed and opened again.
 */
export async function runFromPalette(page, title, timeoutMs = 60_000) {
  const label = title.split(':').pop().trim();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type(title, { delay: 15 });
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    const found = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (found) {
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`the command palette never offered "${title}"`);
    await page.waitForTimeout(2000);
  }
}

/** The inner frame of the Lab webview, as a FrameLocator (re-resolved on each use, so it survives a reload). */
export function labFrame(page) {
  return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('iframe#active-frame');
}

/** Text of the element with `data-testid`, or undefined when it is not there (yet). */
export async function testIdText(frame, testId) {
  const locator = frame.locator(`[data-testid="${testId}"]`).first();
  if ((await locator.count()) === 0) return undefined;
  return (await locator.textContent({ timeout: 5000 }))?.trim();
}

/** The step shown in the lab header, or -1 when not shown. */
export async function shownStep(frame) {
  const text = await testIdText(frame, 'step').catch(() => undefined);
  const n = text === undefined ? NaN : Number(text.replace(/[^\d]/g, ''));
  return Number.isFinite(n) && text !== '' ? n : -1;
}

/** Waits until the shown step exceeds `than`; returns it. */
export async function waitForStepAbove(frame, than, timeoutMs, what = '') {
  let last = -1;
  return pollUntil(
    async () => {
      last = await shownStep(frame);
      return last > than ? last : 0;
    },
    { timeoutMs, intervalMs: 300, message: () => `step did not pass ${than}${what ? ` (${what})` : ''}; shown: ${last}` },
  );
}

/** The activity bar entry of a view container, by its title. */
export function activityBarItem(page, title) {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
}

// ---------------------------------------------------------------------------------------------------------
// Editor helpers (Monaco, as a person uses it: Quick Open, Go to Line, the mouse over text, the status bar).

/**
 * Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab to be active. On a loaded machine
 * Quick Open can refill its list as Enter lands and open nothing: then, as a person would, it tries again.
 */
export async function openWorkspaceFile(page, fileName, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const activeTab = page.locator('.tabs-container .tab.active', { hasText: fileName }).first();
  for (;;) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type(fileName, { delay: 15 });
    const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName }).first();
    const listed = await row.waitFor({ state: 'visible', timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    if (listed) {
      await page.keyboard.press('Enter');
      if (
        await activeTab.waitFor({ state: 'visible', timeout: 15_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    } else {
      await page.keyboard.press('Escape');
    }
    if (Date.now() > deadline) throw new Error(`Quick Open never opened ${fileName}`);
  }
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Ctrl+G, the line number, Enter: the cursor goes to the start of `line` (1-based), which is scrolled into view. */
export async function goToLine(page, line) {
  await focusWorkbench(page);
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type(String(line), { delay: 15 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await pollUntil(async () => (await editorCursor(page))?.line === line, { timeoutMs: 10_000, message: `the cursor did not reach line ${line}` });
}

/** The cursor as the status bar shows it ("Ln 12, Col 3 (20 selected)"), or undefined when no editor is focused. */
export async function editorCursor(page) {
  const item = page.locator('.statusbar-item[id="status.editor.selection"]').first();
  if ((await item.count()) === 0) return undefined;
  const text = ((await item.textContent({ timeout: 2000 })) ?? '').trim();
  const m = /Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]), selected: Number(m[3] ?? 0), text } : undefined;
}

/**
 * Page coordinates of the character `offset` characters into a visible editor line holding `text` (one holding
 * only `text` first; Monaco draws spaces as no-break spaces), or undefined when no rendered line holds it.
 */
export async function editorTextPoint(page, text, offset = 0) {
  return page.evaluate(
    ({ text, offset }) => {
      const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')];
      const shownText = (line) => (line.textContent ?? '').replace(/\u00a0/g, ' ');
      // A line holding just the text (a display equation) first, then any line holding it.
      lines.sort((a, b) => Number(shownText(b).trim() === text) - Number(shownText(a).trim() === text));
      for (const line of lines) {
        const at = shownText(line).indexOf(text);
        if (at < 0) continue;
        let remaining = at + offset;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (remaining < length) {
            const range = document.createRange();
            range.setStart(node, remaining);
            range.setEnd(node, remaining + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          remaining -= length;
        }
      }
      return undefined;
    },
    { text, offset },
  );
}

/**
 * Moves the mouse onto `text` in the editor and waits for a hover widget that `accept`s (default: any with
 * content); returns its locator. The mouse first leaves the editor so the hover opens afresh.
 */
export async function hoverEditorText(page, text, { offset = 0, timeoutMs = 60_000, accept = async () => true } = {}) {
  // The widget is not inside .monaco-editor: the workbench lays hovers out in an overflow layer.
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  return pollUntil(
    async () => {
      if ((await hover.isVisible()) && (await accept(hover))) return hover;
      const point = await editorTextPoint(page, text, offset);
      if (!point) return undefined;
      // Away from the text (and any open hover), then onto it: a fresh hover asks the providers again.
      await page.mouse.move(point.x + 40, point.y + 250);
      await page.keyboard.press('Escape');
      await hover.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
      await page.mouse.move(point.x, point.y, { steps: 4 });
      await hover.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
      return (await hover.isVisible()) && (await accept(hover)) ? hover : undefined;
    },
    { timeoutMs, intervalMs: 500, message: `no hover over "${text}" in the editor` },
  );
}

/** Merges `settings` into a code-server profile's user settings (call before the workbench page loads). */
export function mergeUserSettings(userDataDir, settings) {
  const file = join(userDataDir, 'User', 'settings.json');
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// One VS Code + Chromium for a test file, with the packaged extension installed (shared by every file).

let preparedExtensions;

/**
 * Packages the VSIX (unless LATENT_LAB_VSIX names one) and installs it into a scratch extensions folder, once
 * per process. The VSIX path is left in LATENT_LAB_VSIX so later test files install the same build.
 */
export function prepareExtension() {
  preparedExtensions ??= (async () => {
    if (!isVscodeInstalled()) await setupVscode();
    const vsix = process.env.LATENT_LAB_VSIX ?? (await packageExtension());
    process.env.LATENT_LAB_VSIX = vsix;
    const extensionsDir = mkdtempSync(join(tmpdir(), 'latent-lab-ui-ext-'));
    await installExtension(vsix, extensionsDir);
    process.once('exit', () => rmSync(extensionsDir, { recursive: true, force: true }));
    return extensionsDir;
  })();
  return preparedExtensions;
}

/** A scratch workspace holding the English notes, as a learner who copied them would have. */
export function makeNotesWorkspace() {
  const workspace = mkdtempSync(join(tmpdir(), 'latent-lab-ui-ws-'));
  const notesDir = join(repoRoot, 'media', 'notes', 'en');
  for (const f of readdirSync(notesDir).filter((n) => n.endsWith('.md'))) cpSync(join(notesDir, f), join(workspace, f));
  process.once('exit', () => rmSync(workspace, { recursive: true, force: true }));
  return workspace;
}

/**
 * Mocha hooks for one describe block: a fresh code-server (with `settings` merged into its user settings) and
 * Chromium page on a notes workspace; on a failed test a screenshot, the logs and the console go to `dir`.
 * @param {string} dir
 * @param {{ viewport?: { width: number, height: number }, settings?: Record<string, unknown>, webgpu?: boolean }} [options]
 */
export function useLabWorkbench(dir, options = {}) {
  const ctx = {
    page: /** @type {import('playwright-core').Page} */ (undefined),
    server: undefined,
    browser: undefined,
    console: undefined,
    dir,
    workspace: '',
  };
  before(async function () {
    this.timeout(15 * 60_000);
    mkdirSync(dir, { recursive: true });
    const extensionsDir = await prepareExtension();
    ctx.server = await startCodeServer({ extensionsDir, quiet: true });
    if (options.settings) mergeUserSettings(ctx.server.userDataDir, options.settings);
    ctx.browser = await launchChromium({ webgpu: options.webgpu });
    ctx.page = await ctx.browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    ctx.console = collectConsole(ctx.page);
    ctx.workspace = makeNotesWorkspace();
    await ctx.page.goto(ctx.server.workbenchUrl(ctx.workspace));
    await waitForWorkbench(ctx.page);
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !ctx.page) return;
    const shot = join(dir, `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
    await ctx.page.screenshot({ path: shot }).catch(() => {});
    const files = saveLogs(dir, ctx.server, ctx.console?.text());
    console.error(`      failure artifacts:\n${[shot, ...files].map((f) => `        ${f}`).join('\n')}`);
  });
  after(async function () {
    this.timeout(60_000);
    await ctx.browser?.close().catch(() => {});
    await ctx.server?.stop();
    ctx.server?.removeScratch();
  });
  return ctx;
}
