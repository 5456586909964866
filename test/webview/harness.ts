// Helpers for tests that run webview code in headless Chromium: bundle a TS entry with esbuild, serve the
// repository and the bundle over HTTP on 127.0.0.1, open a page under a webview-like CSP, collect console
// errors, and close everything at the end.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Bundles `entry` (a path relative to the repo root) into `outDir` as one browser IIFE; returns the file name. */
export async function bundle(entry: string, outDir: string, outName = path.basename(entry).replace(/\.tsx?$/, '.js')): Promise<string> {
  await esbuild.build({
    entryPoints: [path.resolve(REPO_ROOT, entry)],
    outfile: path.join(outDir, outName),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  return outName;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `/__test/<file>` from `testDir` and every other path from the repo root. Paths are confined to
 * their root (no `..` escapes).
 */
export async function serve(testDir: string): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [root, rel] = urlPath.startsWith('/__test/') ? [testDir, urlPath.slice('/__test/'.length)] : [REPO_ROOT, urlPath.slice(1)];
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A CSP like the one the extension gives its webview: no inline script or style, resources from one origin. */
export function webviewCsp(origin: string): string {
  return [
    "default-src 'none'",
    `img-src ${origin} data: blob:`,
    `style-src ${origin}`,
    `font-src ${origin}`,
    `script-src ${origin} 'wasm-unsafe-eval'`,
    `connect-src ${origin} blob:`,
    'worker-src blob:',
  ].join('; ');
}

export interface PageOptions {
  /** TS entry, relative to the repo root, bundled and loaded as the page's only script. */
  entry: string;
  /** Stylesheets, as URL paths on the server (e.g. '/media/css/diagrams.css'). */
  styles?: string[];
  /** Class of <body>, as VS Code sets it: 'vscode-dark', 'vscode-light', 'vscode-high-contrast'. */
  bodyClass?: string;
  /** Markup inside <body> before the script. */
  body?: string;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** Extra Chromium flags (e.g. '--enable-unsafe-webgpu'). */
  extraArgs?: string[];
}

export interface WebviewPage {
  page: Page;
  browser: Browser;
  url: string;
  /** Console errors, page errors and failed requests, in order. */
  errors: string[];
  close(): Promise<void>;
}

/** Bundles the entry, serves it in a generated page and opens it in headless Chromium. */
export async function openPage(opts: PageOptions): Promise<WebviewPage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'll-webview-'));
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  try {
    const script = await bundle(opts.entry, dir);
    server = await serve(dir);
    const links = (opts.styles ?? []).map((s) => `<link rel="stylesheet" href="${s}">`).join('\n');
    writeFileSync(
      path.join(dir, 'index.html'),
      `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(server.url)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
${links}
</head><body class="${opts.bodyClass ?? 'vscode-dark'}">${opts.body ?? ''}
<script src="/__test/${script}"></script>
</body></html>`,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])] });
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 360, height: 900 }, deviceScaleFactor: opts.deviceScaleFactor ?? 1 });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    await page.goto(`${server.url}/__test/index.html`);
    const srv = server;
    const br = browser;
    return {
      page,
      browser: br,
      url: srv.url,
      errors,
      close: async () => {
        await br.close().catch(() => undefined);
        await srv.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
