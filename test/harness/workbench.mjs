// Acting on the VS Code workbench in a browser the way a person does: the palette, the activity bar, and
// the Latent Lab webview (two nested iframes). Selectors are VS Code internals: pinned to code-server 4.139.
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
    const found = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
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
