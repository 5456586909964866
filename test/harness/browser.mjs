// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the flags that keep it
// quiet and offline, plus collection of every frame's console for failure reports.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * @param {{ webgpu?: boolean }} [options] webgpu: add --enable-unsafe-webgpu (a software adapter here)
 */
export async function launchChromium(options = {}) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const args = [...BASE_FLAGS, ...(options.webgpu ? ['--enable-unsafe-webgpu', '--enable-features=Vulkan'] : [])];
  // playwright adds its own --headless unless told not to; we pass the new headless mode ourselves.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: false, args, timeout: 60_000 });
}

/**
 * Records console messages and page errors of the page and all its frames (webview iframes included).
 * @param {import('playwright-core').Page} page
 */
export function collectConsole(page) {
  /** @type {string[]} */
  const lines = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (message) => {
    const frameUrl = message.location()?.url ?? '';
    const where = frameUrl.includes('extensionId=') || frameUrl.includes('vscode-resource') || frameUrl.includes('vscode-cdn') ? ' [webview]' : '';
    lines.push(`${stamp()} ${message.type()}${where}: ${message.text()}`);
  });
  page.on('pageerror', (error) => lines.push(`${stamp()} pageerror: ${error.stack ?? error.message}`));
  page.on('crash', () => lines.push(`${stamp()} page crashed`));
  return {
    lines,
    /** Lines mentioning the extension's webview or worker (helps when the workbench is noisy). */
    text: () => lines.join('\n'),
  };
}
