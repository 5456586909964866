// The same extension-host suite on desktop VS Code via @vscode/test-electron (it downloads VS Code, so it
// needs access to update.code.visualstudio.com; CI here uses run-codeserver.mjs instead).
// Usage: node test/e2e/run-electron.mjs [--no-build] [--grep PATTERN]   (VSCODE_TEST_VERSION=stable|insiders|1.x.y)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../harness/artifacts.mjs';
import { runCommand } from '../harness/run.mjs';
import { buildSuite } from './build-suite.mjs';

const argv = process.argv.slice(2);
const grepIndex = argv.indexOf('--grep');

async function main() {
  if (!argv.includes('--no-build')) {
    const build = await runCommand(process.execPath, ['esbuild.mjs'], { quiet: true });
    if (build.code !== 0) throw new Error(`building the extension failed:\n${build.output}`);
  }
  const extensionTestsPath = await buildSuite();
  const workspace = mkdtempSync(join(tmpdir(), 'latent-lab-e2e-ws-'));
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const notesDir = join(repoRoot, 'media', 'notes', 'en');
  if (existsSync(notesDir)) for (const f of readdirSync(notesDir).filter((n) => n.endsWith('.md'))) cpSync(join(notesDir, f), join(workspace, f));
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    extensionTestsEnv: grepIndex >= 0 ? { LATENT_LAB_E2E_GREP: argv[grepIndex + 1] } : {},
    // A clean profile: no other extensions, no trust prompt, no welcome page.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().then(
  () => console.log('[e2e:electron] passed'),
  (error) => {
    console.error(`[e2e:electron] failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
