// `npm run bench`: trains the VAE 784-512-2 (batch 128, MNIST) with our hand-written backward pass and with
// stock TF.js autodiff, on every backend that initialises: Node (cpu, wasm) and headless Chromium
// (wasm, webgl, webgpu, cpu). Prints a table and writes bench/results.json.
// Flags: --quick (short windows, for tests), --only=node|browser, --out=FILE.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const outFile = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(root, 'bench', 'results.json');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const dataDir = join(root, 'media', 'data');
const started = Date.now();
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png' };

const work = mkdtempSync(join(tmpdir(), 'latent-bench-'));
try {
  await bundle();
  const rows = [];
  if (only !== 'browser') rows.push(...(await nodeRows()));
  if (only !== 'node') rows.push(...(await browserRows()));
  report(rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function bundle() {
  const common = { bundle: true, mainFields: ['module', 'main'], logLevel: 'warning', absWorkingDir: root };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['bench/node-entry.ts'], outfile: join(work, 'node-bench.cjs'), platform: 'node', format: 'cjs', target: 'node20' }),
    esbuild.build({ ...common, entryPoints: ['bench/browser-entry.ts'], outfile: join(work, 'bench.js'), platform: 'browser', format: 'iife', target: 'chrome120' }),
  ]);
}

/** One child process per backend: a clean TF.js engine each time. */
async function nodeRows() {
  const rows = [];
  for (const backend of ['cpu', 'wasm']) {
    const args = [join(work, 'node-bench.cjs'), `--backend=${backend}`, `--wasm-dir=${wasmDir}/`, `--data-dir=${dataDir}`];
    if (quick) args.push('--quick');
    log(`node ${backend}...`);
    const { code, stdout, stderr } = await runProcess(process.execPath, args, quick ? 120_000 : 240_000);
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_ROWS '));
    if (line) rows.push(...JSON.parse(line.slice('BENCH_ROWS '.length)));
    else {
      const why = `process exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`;
      for (const variant of ['ours', 'stock']) rows.push({ environment: `node ${process.version}`, backend, variant, ok: false, detail: why });
    }
  }
  return rows;
}

function runProcess(cmd, args, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function browserRows() {
  const backends = ['wasm', 'webgl', 'webgpu', 'cpu'];
  const failAll = (detail) => backends.flatMap((backend) => ['ours', 'stock'].map((variant) => ({ environment: 'chromium', backend, variant, ok: false, detail })));
  if (!existsSync(chromiumPath)) return failAll(`no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return failAll('playwright-core is not installed');
  }
  const server = await serve();
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
  });
  const rows = [];
  try {
    for (const backend of backends) {
      log(`chromium ${backend}...`);
      const page = await browser.newPage(); // a fresh page: a clean TF.js engine per backend
      const consoleErrors = [];
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      try {
        await page.goto(`http://127.0.0.1:${port}/index.html`);
        page.setDefaultTimeout(quick ? 120_000 : 240_000);
        rows.push(...(await page.evaluate(({ b, q }) => globalThis.latentBench.run(b, q), { b: backend, q: quick })));
      } catch (e) {
        const detail = `page failed: ${String(e.message).split('\n')[0]}${consoleErrors.length ? `; ${consoleErrors[0]}` : ''}`;
        for (const variant of ['ours', 'stock']) rows.push({ environment: 'chromium', backend, variant, ok: false, detail });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}

/** Serves the bundle, the wasm binaries and the datasets on 127.0.0.1 at a random port. */
function serve() {
  const html = '<!doctype html><meta charset="utf-8"><title>latent-lab bench</title><script src="bench.js"></script>';
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (path === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(html);
    }
    if (path === '/bench.js') file = join(work, 'bench.js');
    else if (path.startsWith('/wasm/')) file = join(wasmDir, normalize(path.slice(6)));
    else if (path.startsWith('/data/')) file = join(dataDir, normalize(path.slice(6)));
    if (!file || file.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

function report(rows) {
  const ratios = [];
  for (const r of rows.filter((x) => x.variant === 'ours' && x.ok)) {
    const stock = rows.find((x) => x.variant === 'stock' && x.ok && x.environment === r.environment && x.backend === r.backend);
    if (stock) ratios.push({ environment: r.environment, backend: r.backend, oursOverStock: r.samplesPerSec / stock.samplesPerSec });
  }
  const fmt = (v, d = 0) => (v === undefined ? '' : v.toFixed(d));
  const table = [['environment', 'backend', 'variant', 'samples/s', 'ms/step', 'first step ms', 'steps', 'tensors held', 'growth', 'left', 'detail']];
  for (const r of rows) {
    table.push([r.environment, r.backend, r.variant, r.ok ? fmt(r.samplesPerSec) : 'n/a', fmt(r.stepMs, 1), fmt(r.firstStepMs), String(r.steps ?? ''), String(r.tensorsAlive ?? ''), String(r.tensorGrowth ?? ''), String(r.tensorsAfterDispose ?? ''), r.detail ?? '']);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  console.log('\nVAE 784-512-2, batch 128' + (quick ? ' (quick)' : ''));
  for (const row of table) console.log(row.map((cell, c) => (c === table[0].length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
  console.log('');
  for (const r of ratios) console.log(`ours / stock on ${r.environment} ${r.backend}: ${r.oursOverStock.toFixed(1)}x`);
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${seconds.toFixed(0)} s in all; results in ${outFile}`);
  const cpu = cpus();
  writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), quick, model: 'VAE 784-512-2, batch 128, Adam 1e-3', machine: { cpus: cpu.length, cpuModel: cpu[0]?.model }, seconds, rows, ratios }, null, 2) + '\n');
}

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}
