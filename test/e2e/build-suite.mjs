// Bundles the extension-host suite (test/e2e/suite/*.ts) into out/e2e/suite/*.js: CommonJS for Node, with
// `vscode` (given by the host) and `mocha` (resolved from the repo's node_modules) left external.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../harness/artifacts.mjs';

export const suiteSourceDir = join(repoRoot, 'test', 'e2e', 'suite');
export const suiteOutDir = join(repoRoot, 'out', 'e2e', 'suite');
export const suiteIndex = join(suiteOutDir, 'index.js');

export async function buildSuite() {
  const entryPoints = readdirSync(suiteSourceDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => join(suiteSourceDir, f));
  await esbuild.build({
    entryPoints,
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    mainFields: ['module', 'main'],
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return suiteIndex;
}
