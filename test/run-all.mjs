// `npm test`: every test layer in order: build, typecheck, lint, format, unit, webview, extension host (code-server), UI.
// One summary line per layer, then a closing line `N passed, M failed` (tests; build, typecheck, lint and format count as
// one each). Exits non-zero when anything failed. Options: --only a,b  --skip a,b  (layer names below).
import { isVscodeInstalled, setupVscode } from '../scripts/setup-vscode.mjs';
import { runCommand } from './harness/run.mjs';

const npx = 'npx';
const node = process.execPath;

/** @typedef {{ name: string, command: string, args: string[], kind: 'mocha' | 'single', needsVscode?: boolean }} Layer */
/** @type {Layer[]} */
const LAYERS = [
  { name: 'build', command: node, args: ['esbuild.mjs'], kind: 'single' },
  { name: 'typecheck', command: npx, args: ['tsc', '--noEmit', '-p', '.'], kind: 'single' },
  { name: 'lint', command: npx, args: ['eslint', '.'], kind: 'single' },
  { name: 'format', command: npx, args: ['prettier', '--check', '.'], kind: 'single' },
  { name: 'unit', command: npx, args: ['mocha'], kind: 'mocha' },
  {
    name: 'webview',
    command: npx,
    args: ['mocha', '--config', 'test/webview/.mocharc.json'],
    kind: 'mocha',
  },
  { name: 'e2e', command: node, args: ['test/e2e/run-codeserver.mjs', '--no-build'], kind: 'mocha', needsVscode: true },
  { name: 'ui', command: npx, args: ['mocha', '--config', 'test/ui/.mocharc.json'], kind: 'mocha', needsVscode: true },
];

function listOption(flag) {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1].split(',').map((s) => s.trim()) : undefined;
}

/** Counts from mocha's reporter output ("12 passing", "2 failing"); undefined when it printed none. */
export function mochaCounts(output) {
  // Strip colour codes, then take the last summary (the e2e runner may echo nested output).
  // eslint-disable-next-line no-control-regex -- the colour codes are escape sequences
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const passing = [...text.matchAll(/^\s*(\d+) passing\b/gm)].pop();
  const failing = [...text.matchAll(/^\s*(\d+) failing\b/gm)].pop();
  const pending = [...text.matchAll(/^\s*(\d+) pending\b/gm)].pop();
  if (!passing && !failing) return undefined;
  return { passed: Number(passing?.[1] ?? 0), failed: Number(failing?.[1] ?? 0), pending: Number(pending?.[1] ?? 0) };
}

async function main() {
  const only = listOption('--only');
  const skip = listOption('--skip') ?? [];
  const chosen = LAYERS.filter((l) => (!only || only.includes(l.name)) && !skip.includes(l.name));
  // The e2e runner builds for itself unless the build layer just did.
  if (!chosen.some((l) => l.name === 'build')) for (const l of chosen) l.args = l.args.filter((a) => a !== '--no-build');
  const summaries = [];
  let passed = 0;
  let failed = 0;

  if (chosen.some((l) => l.needsVscode) && !isVscodeInstalled()) {
    console.log('[test] .vscode-test is missing: installing code-server first');
    try {
      await setupVscode();
    } catch (error) {
      console.error(`[test] setting up code-server failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  for (const layer of chosen) {
    console.log(`\n===== ${layer.name}: ${[layer.command === node ? 'node' : layer.command, ...layer.args].join(' ')}`);
    const started = Date.now();
    const { code, output } = await runCommand(layer.command, layer.args, { env: { ...process.env, FORCE_COLOR: '0' } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    let p = 0;
    let f = 0;
    let note = '';
    if (layer.kind === 'single') {
      if (code === 0) p = 1;
      else f = 1;
    } else {
      const counts = mochaCounts(output);
      if (counts) {
        p = counts.passed;
        f = counts.failed;
        if (counts.pending) note = `, ${counts.pending} pending`;
      }
      // A runner that crashed, or exited non-zero without reporting a failing test, still fails the layer.
      if (code !== 0 && f === 0) {
        f = 1;
        note += counts ? ` (exit ${code})` : ` (no results, exit ${code})`;
      }
    }
    passed += p;
    failed += f;
    summaries.push(`${layer.name}: ${p} passed, ${f} failed${note} in ${seconds} s${code === 0 && f === 0 ? '' : '  <-- FAILED'}`);
  }

  console.log('\n===== summary');
  for (const line of summaries) console.log(line);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
