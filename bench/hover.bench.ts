// Time to build an equation hover on a synthetic 5,000-line note: find the equation at a position,
// resolve its bindings, render it (MathJax cached and uncached), build the markdown with live snapshots.
// Run: npx tsx bench/hover.bench.ts   (writes bench/hover-results.json; goal p95 < 50 ms)
// With --json it writes no file and prints one line `HOVER_RESULT {...}` instead (npm run bench reads it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TENSOR_NAMES, type TensorSnapshot } from '../src/domain/tensors';
import type { ModelKind } from '../src/domain/config';
import type { RunStatus } from '../src/domain/run';
import { resolveBindings } from '../src/extension/notes/core/bindings';
import { buildHoverMarkdown } from '../src/extension/notes/core/hoverContent';
import { NoteIndexCache } from '../src/extension/notes/core/noteIndex';
import { EquationRenderer } from '../src/extension/notes/core/render';

const LINES = 5000;
const HOVERS = 300;

function syntheticNote(): string {
  const out = ['---', 'title: Bench', 'latent-lab:', '  model: vae', '---', ''];
  let k = 0;
  while (out.length < LINES) {
    k++;
    out.push(
      `## Section ${k}`,
      '',
      `The encoder gives $\\mu_\\phi(x^{(${k})})$ and $\\log\\sigma^2_{${k}}$; it costs \\$${k} and $5 and $10 of \`code $x$\`.`,
      '中文说明：编码器输出$\\sigma$，然后采样$\\epsilon$。',
      '',
      '$$',
      `z_{${k}} = \\mu + \\sigma \\odot \\epsilon + \\frac{${k}}{1 + ${k}}`,
      '$$',
      '',
      '```python',
      'z = mu + sigma * eps  # $not math$',
      '```',
      k % 10 === 0 ? '<!-- latent-lab: model=ldm -->' : '',
      k % 10 === 0 ? `$z_t = \\sqrt{\\bar\\alpha_t} z_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon_{${k}}$` : '',
      k % 10 === 0 ? '<!-- latent-lab: model=vae -->' : '',
      '',
    );
  }
  return out.join('\n');
}

function fakeSnapshot(name: string, model: ModelKind, step: number): TensorSnapshot {
  const image = name === 'x' || name === 'x_hat';
  const shape = image ? [28, 28] : [16, 2];
  const data = Array.from({ length: shape[0] * shape[1] }, (_, i) => Math.sin(i * 0.37 + step) * (image ? 0.5 : 2) + (image ? 0.5 : 0));
  return {
    name,
    model,
    step,
    shape: image ? [128, 784] : [128, 2],
    dtype: 'float32',
    stats: { mean: 0.01, std: 1.02, min: -2.5, max: 2.7 },
    histogram: { min: -2.5, max: 2.7, counts: Array.from({ length: 24 }, (_, i) => Math.round(100 * Math.exp(-((i - 12) ** 2) / 20))) },
    preview: { shape, data },
  };
}

const status: RunStatus = { model: 'vae', state: 'training', step: 500, epoch: 1, loss: 190, samplesPerSec: 4000, backend: 'wasm' };
const snapshots = new Map<string, TensorSnapshot>();
for (const model of Object.keys(TENSOR_NAMES) as ModelKind[]) {
  for (const name of TENSOR_NAMES[model]) snapshots.set(`${model}/${name}`, fakeSnapshot(name, model, 500));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(times: number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...times].sort((a, b) => a - b);
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s[s.length - 1]) };
}

async function main(): Promise<void> {
  const text = syntheticNote();
  const cache = new NoteIndexCache();
  let version = 1;
  const probe = cache.get('bench', version, () => text);
  const equations = probe.equations;
  // Positions inside equations (where a hover does work) and some in plain text.
  const positions: number[] = [];
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < HOVERS; i++) {
    if (i % 10 === 9) positions.push(Math.floor(next() * text.length));
    else {
      const e = equations[Math.floor(next() * equations.length)];
      positions.push(e.texStart + Math.floor(next() * Math.max(1, e.texEnd - e.texStart)));
    }
  }

  const renderer = new EquationRenderer(100_000);
  /** Whether the hover at `offset` will have to run MathJax (its TeX is not rendered yet). */
  const needsRender = (offset: number): boolean => {
    const eq = cache.get('bench', version, () => text).equationAt(offset);
    return !!eq && !renderer.cached(eq.tex.trim(), eq.display, { color: '#d4d4d4' });
  };
  const hover = async (offset: number, docVersion: number): Promise<number> => {
    const t0 = performance.now();
    const note = cache.get('bench', docVersion, () => text);
    const eq = note.equationAt(offset);
    if (eq) {
      const ctx = note.contextAt(eq.start);
      const model = ctx.model ?? status.model;
      const b = resolveBindings(eq.tex, model, ctx.bindings);
      const rendered = await renderer.render(eq.tex.trim(), eq.display, { color: '#d4d4d4' });
      const m = model !== 'none' ? model : undefined;
      const md = buildHoverMarkdown({
        tex: eq.tex,
        display: eq.display,
        rendered,
        model,
        tensors: b.tensors.map((name) => ({ name, snapshot: snapshots.get(`${m ?? 'vae'}/${name}`) })),
        status,
      });
      if (md.length === 0) throw new Error('empty hover');
    }
    return performance.now() - t0;
  };

  const t0 = performance.now();
  await renderer.render('x', false, { color: '#d4d4d4' });
  const mathjaxLoadMs = performance.now() - t0;

  // 1. MathJax uncached: hovers on equations whose TeX was not rendered before (document unchanged).
  const uncached: number[] = [];
  for (const p of positions) {
    const fresh = needsRender(p);
    const ms = await hover(p, version);
    if (fresh) uncached.push(ms);
  }
  // 2. Warm: same positions again, everything cached.
  const warm: number[] = [];
  for (const p of positions) warm.push(await hover(p, version));
  // 3. After an edit: a new document version forces a rescan of the 5,000 lines; MathJax cached.
  const afterEdit: number[] = [];
  for (const p of positions.slice(0, 60)) afterEdit.push(await hover(p, ++version));

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    lines: text.split('\n').length,
    chars: text.length,
    equations: equations.length,
    hovers: positions.length,
    mathjaxLoadMs: Math.round(mathjaxLoadMs),
    uncachedRenderMs: summary(uncached),
    cachedMs: summary(warm),
    afterEditRescanMs: summary(afterEdit),
    goal: 'p95 < 50 ms',
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`HOVER_RESULT ${JSON.stringify(results)}\n`);
    return;
  }
  console.log(`note: ${results.lines} lines, ${results.equations} equations; MathJax load ${results.mathjaxLoadMs} ms`);
  for (const [label, s] of [
    ['MathJax uncached', results.uncachedRenderMs],
    ['all cached', results.cachedMs],
    ['after an edit (rescan)', results.afterEditRescanMs],
  ] as const) {
    console.log(`${label.padEnd(24)} p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  max ${s.max.toFixed(2)} ms  (n=${s.n})`);
  }
  writeFileSync(join(__dirname, 'hover-results.json'), JSON.stringify(results, null, 2) + '\n');
}

void main();
