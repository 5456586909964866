// `npm run bench`: on every backend that initialises, Node (cpu, wasm) and headless Chromium (wasm, webgl, webgpu,
// cpu), times ours against stock TF.js: VAE 784-512-2 training (batch 128, MNIST), 2D DDPM training (swiss roll,
// batch 512) and sampling (512 points, 1,000 ancestral steps and DDIM 50), U-Net image DDPM training (batch 32,
// 28x28 and 8x8, wasm), the editor hover's latency on a 5,000-line note, and the extension's activation (require +
// activate() of dist/extension.js). Prints one table and writes bench/results.json. Flags: --quick (short windows,
// for tests), --only=node|browser|hover|activation (or a comma list), --out=FILE.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (part) => !only || only.includes(part);
const outFile = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(root, 'bench', 'results.json');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const dataDir = join(root, 'media', 'data');
const started = Date.now();
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png' };

const TITLES = {
  'vae-train': 'VAE 784-512-2 training, batch 128',
  'ddpm2d-train': 'DDPM 2D training, batch 512',
  'ddpm2d-sample-ancestral': 'DDPM 2D sampling, 512 points, 1000 ancestral steps',
  'ddpm2d-sample-ddim': 'DDPM 2D sampling, 512 points, DDIM 50 steps',
  'unet-train': 'U-Net image DDPM training, batch 32',
  'unet8-train': 'U-Net image DDPM training at 8x8, batch 32',
  hover: 'equation hover, 5,000-line note (Node, extension host code)',
  activation: 'activation (require + activate) of dist/extension.js with a fake vscode (Node)',
  all: 'benchmarks that could not start',
};

const work = mkdtempSync(join(tmpdir(), 'latent-bench-'));
try {
  await bundle();
  const rows = [];
  if (wanted('node')) rows.push(...(await nodeRows()));
  if (wanted('browser')) rows.push(...(await browserRows()));
  if (wanted('hover')) rows.push(...(await hoverRows()));
  if (wanted('activation')) rows.push(...(await activationRows()));
  report(rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function bundle() {
  const common = { bundle: true, mainFields: ['module', 'main'], logLevel: 'warning', absWorkingDir: root };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['bench/node-entry.ts'],
      outfile: join(work, 'node-bench.cjs'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    esbuild.build({
      ...common,
      entryPoints: ['bench/browser-entry.ts'],
      outfile: join(work, 'bench.js'),
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    }),
  ]);
}

/** One child process per backend: a clean TF.js engine each time. */
async function nodeRows() {
  const rows = [];
  for (const backend of ['cpu', 'wasm']) {
    const args = [join(work, 'node-bench.cjs'), `--backend=${backend}`, `--wasm-dir=${wasmDir}/`, `--data-dir=${dataDir}`];
    if (quick) args.push('--quick');
    log(`node ${backend}...`);
    const { code, stdout, stderr } = await runProcess(process.execPath, args, quick ? 120_000 : 300_000, true);
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_ROWS '));
    if (line) rows.push(...JSON.parse(line.slice('BENCH_ROWS '.length)));
    else {
      const why = `process exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`;
      rows.push({ bench: 'all', environment: `node ${process.version}`, backend, variant: 'ours', ok: false, detail: why });
    }
  }
  return rows;
}

/** Runs a child process; with `progress`, its `[bench] ...` stderr lines are echoed as they come. */
function runProcess(cmd, args, timeoutMs, progress = false) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (progress) for (const l of String(d).split('\n')) if (l.startsWith('[bench] ')) log(l.slice(8));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function browserRows() {
  const backends = ['wasm', 'webgl', 'webgpu', 'cpu'];
  const failAll = (detail) => backends.map((backend) => ({ bench: 'all', environment: 'chromium', backend, variant: 'ours', ok: false, detail }));
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
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--enable-unsafe-webgpu',
    ],
  });
  const rows = [];
  try {
    for (const backend of backends) {
      log(`chromium ${backend}...`);
      const page = await browser.newPage(); // a fresh page: a clean TF.js engine per backend
      const consoleErrors = [];
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('console', (m) => m.text().startsWith('[bench] ') && log(m.text().slice(8)));
      try {
        await page.goto(`http://127.0.0.1:${port}/index.html`);
        page.setDefaultTimeout(quick ? 120_000 : 300_000);
        rows.push(...(await page.evaluate(({ b, q }) => globalThis.latentBench.run(b, q), { b: backend, q: quick })));
      } catch (e) {
        const detail = `page failed: ${String(e.message).split('\n')[0]}${consoleErrors.length ? `; ${consoleErrors[0]}` : ''}`;
        rows.push({ bench: 'all', environment: 'chromium', backend, variant: 'ours', ok: false, detail });
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

/** The hover benchmark (bench/hover.bench.ts) in a child process under tsx: p50/p95 of building a hover. */
async function hoverRows() {
  log('hover...');
  const environment = `node ${process.version}`;
  const { code, stdout, stderr } = await runProcess(process.execPath, ['--import', 'tsx', join(root, 'bench', 'hover.bench.ts'), '--json'], 180_000);
  const line = stdout.split('\n').find((l) => l.startsWith('HOVER_RESULT '));
  if (!line)
    return [
      {
        bench: 'hover',
        environment,
        backend: '-',
        variant: 'all',
        ok: false,
        detail: `process exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`,
      },
    ];
  const h = JSON.parse(line.slice('HOVER_RESULT '.length));
  const note = `${h.lines}-line note, ${h.equations} equations; goal ${h.goal}`;
  const cases = [
    ['MathJax uncached', h.uncachedRenderMs, `first render of each equation; ${note}`],
    ['all cached', h.cachedMs, note],
    ['after an edit', h.afterEditRescanMs, `new document version: rescan of the note; ${note}`],
  ];
  return cases.map(([variant, s, detail]) => ({
    bench: 'hover',
    environment,
    backend: '-',
    variant,
    ok: true,
    p50Ms: s.p50,
    p95Ms: s.p95,
    steps: s.n,
    firstStepMs: h.mathjaxLoadMs,
    detail,
  }));
}

/** bench/activation.bench.mjs in a child process: median of fresh processes requiring and activating dist/extension.js. */
async function activationRows() {
  log('activation...');
  const environment = `node ${process.version}`;
  const fail = (detail) => [{ bench: 'activation', environment, backend: '-', variant: 'require + activate', ok: false, detail }];
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    const build = await runProcess(process.execPath, [join(root, 'esbuild.mjs')], 120_000);
    if (build.code !== 0) return fail(`node esbuild.mjs exited ${build.code}`);
  }
  const args = [join(root, 'bench', 'activation.bench.mjs'), '--json', `--runs=${quick ? 5 : 9}`];
  const { code, stdout, stderr } = await runProcess(process.execPath, args, 120_000);
  const line = stdout.split('\n').find((l) => l.startsWith('ACTIVATION_RESULT '));
  const a = line ? JSON.parse(line.slice('ACTIVATION_RESULT '.length)) : undefined;
  if (!a?.ok) return fail(a?.detail ?? `process exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
  const kb = (b) => `${Math.round(b / 1024)} KB`;
  const detail =
    `median of ${a.runs} processes (require ${a.requireMs} + activate ${a.activateMs} ms); ${a.bundle} ${kb(a.bundleBytes)}, ` +
    `MathJax ${a.mathjaxInBundle || a.mathjaxAtActivation ? 'LOADED at activation' : `apart (mathjax.js ${kb(a.otherBundlesBytes['mathjax.js'] ?? 0)})`}; ` +
    `first underline pass after activation ${a.afterActivationMs} ms; first step ms: the first equation hover, which loads MathJax`;
  return [
    {
      bench: 'activation',
      environment,
      backend: '-',
      variant: 'require + activate',
      ok: true,
      activationMs: a.activationMs,
      limitMs: a.limitMs,
      firstStepMs: a.firstHoverMs,
      steps: a.runs,
      activation: a,
      detail,
    },
  ];
}

/** The figure a row is judged by, as text with its unit. */
function figure(r) {
  if (!r.ok) return 'n/a';
  if (r.bench === 'activation') return `${r.activationMs.toFixed(1)} ms | limit ${r.limitMs} ms`;
  if (r.bench === 'hover') return `p50 ${r.p50Ms.toFixed(2)} / p95 ${r.p95Ms.toFixed(2)} ms`;
  if (r.bench.startsWith('ddpm2d-sample')) return `${(r.wallMs / 1000).toFixed(2)} s`;
  if (r.bench === 'vae-train') return `${r.samplesPerSec.toFixed(0)} samples/s`;
  return `${r.stepsPerSec.toFixed(r.stepsPerSec < 10 ? 2 : 1)} steps/s (${r.samplesPerSec.toFixed(0)} samples/s)`;
}

/** Ours over stock (speed; sampling: stock time over ours) per benchmark and place, and DDIM's speedup. */
function ratios(rows) {
  const out = [];
  const same = (a, b) => a.environment === b.environment && a.backend === b.backend;
  for (const r of rows.filter((x) => x.variant === 'ours' && x.ok)) {
    const stock = rows.find((x) => x.variant === 'stock' && x.ok && x.bench === r.bench && same(x, r));
    if (stock) {
      const ratio = r.bench.startsWith('ddpm2d-sample') ? stock.wallMs / r.wallMs : r.samplesPerSec / stock.samplesPerSec;
      out.push({ kind: 'ours/stock', bench: r.bench, environment: r.environment, backend: r.backend, ratio });
    }
  }
  for (const r of rows.filter((x) => x.bench === 'ddpm2d-sample-ddim' && x.ok)) {
    const anc = rows.find((x) => x.bench === 'ddpm2d-sample-ancestral' && x.ok && x.variant === r.variant && same(x, r));
    if (anc)
      out.push({
        kind: 'ddim speedup',
        bench: 'ddpm2d-sample-ddim',
        environment: r.environment,
        backend: r.backend,
        variant: r.variant,
        ratio: anc.wallMs / r.wallMs,
      });
  }
  for (const r of rows.filter((x) => x.bench === 'unet8-train' && x.ok && x.variant === 'ours')) {
    const full = rows.find((x) => x.bench === 'unet-train' && x.ok && x.variant === r.variant && same(x, r));
    if (full)
      out.push({
        kind: '8x8 speedup',
        bench: 'unet8-train',
        environment: r.environment,
        backend: r.backend,
        variant: r.variant,
        ratio: r.samplesPerSec / full.samplesPerSec,
      });
  }
  return out;
}

function report(rows) {
  const order = Object.keys(TITLES);
  rows.sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
  const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '' : v.toFixed(d));
  const head = ['bench', 'environment', 'backend', 'variant', 'speed', 'ms/step', 'first step ms', 'steps', 'tensors held', 'growth', 'left', 'detail'];
  const table = [head];
  for (const r of rows) {
    table.push([
      r.bench,
      r.environment,
      r.backend,
      r.variant,
      figure(r),
      fmt(r.stepMs, r.stepMs < 10 ? 2 : 1),
      fmt(r.firstStepMs),
      String(r.steps ?? ''),
      String(r.tensorsAlive ?? ''),
      String(r.tensorGrowth ?? ''),
      String(r.tensorsAfterDispose ?? ''),
      r.detail ?? '',
    ]);
  }
  const widths = head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c === head.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  console.log(`\nLatent Lab benchmark${quick ? ' (quick)' : ''}`);
  console.log(line(head));
  let last = '';
  for (const row of table.slice(1)) {
    if (row[0] !== last) console.log(`-- ${TITLES[row[0]] ?? row[0]}`);
    last = row[0];
    console.log(line(row));
  }
  console.log('');
  const found = ratios(rows);
  for (const r of found) {
    if (r.kind === 'ours/stock' && r.bench.startsWith('unet'))
      console.log(`in-place / stock Slice kernels, ${r.bench} on ${r.environment} ${r.backend}: ${r.ratio.toFixed(2)}x`);
    else if (r.kind === 'ours/stock') console.log(`ours / stock, ${r.bench} on ${r.environment} ${r.backend}: ${r.ratio.toFixed(2)}x`);
    else if (r.kind === '8x8 speedup') console.log(`U-Net steps/s at 8x8 over 28x28 on ${r.environment} ${r.backend}: ${r.ratio.toFixed(1)}x`);
    else console.log(`DDIM 50 speedup over 1000 ancestral steps (${r.variant}) on ${r.environment} ${r.backend}: ${r.ratio.toFixed(1)}x`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${seconds.toFixed(0)} s in all; results in ${outFile}`);
  const cpu = cpus();
  const models = Object.fromEntries(Object.entries(TITLES).filter(([k]) => k !== 'all'));
  writeFileSync(
    outFile,
    JSON.stringify(
      { date: new Date().toISOString(), quick, models, machine: { cpus: cpu.length, cpuModel: cpu[0]?.model }, seconds, rows, ratios: found },
      null,
      2,
    ) + '\n',
  );
}

function log(msg) {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
}
