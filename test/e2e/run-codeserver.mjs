// Runs the extension-host suite inside a real VS Code: code-server (VS Code 1.139) in headless Chromium.
// This is what @vscode/test-electron's runTests does on desktop: the workbench is opened with an
// extensionDevelopmentPath and an extensionTestsPath, and reports the suite's result to
// window.codeAutomationExit (code-server honours the payload only with enable-smoke-test-driver).
// Usage: node test/e2e/run-codeserver.mjs [--no-build] [--grep PATTERN] [--keep-open]
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from '../../scripts/codeServer.mjs';
import { isVscodeInstalled, setupVscode } from '../../scripts/setup-vscode.mjs';
import { outputDir, repoRoot, saveLogs } from '../harness/artifacts.mjs';
import { collectConsole, launchChromium } from '../harness/browser.mjs';
import { runCommand } from '../harness/run.mjs';
import { buildSuite } from './build-suite.mjs';

const argv = process.argv.slice(2);
const grepIndex = argv.indexOf('--grep');
const grep = grepIndex >= 0 ? argv[grepIndex + 1] : undefined;
const SUITE_TIMEOUT_MS = Number(process.env.LATENT_LAB_E2E_TIMEOUT_MS ?? 12 * 60_000);

/** A workspace folder holding the bundled notes, as a user would have. */
function makeWorkspace(baseDir) {
  const workspace = join(baseDir, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const notesDir = join(repoRoot, 'media', 'notes', 'en');
  if (existsSync(notesDir)) for (const f of readdirSync(notesDir).filter((n) => n.endsWith('.md'))) cpSync(join(notesDir, f), join(workspace, f));
  writeFileSync(join(workspace, '.vscode', 'settings.json'), '{}\n');
  return workspace;
}

/** Prints what the suite appends to its report file, as it appears. */
function followReport(file) {
  let printed = 0;
  const flush = () => {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    if (text.length > printed) {
      process.stdout.write(text.slice(printed));
      printed = text.length;
    }
  };
  const timer = setInterval(flush, 500);
  return () => {
    clearInterval(timer);
    flush();
    return printed > 0;
  };
}

async function main() {
  if (!argv.includes('--no-build')) {
    const build = await runCommand(process.execPath, ['esbuild.mjs'], { quiet: true });
    if (build.code !== 0) {
      process.stdout.write(build.output);
      throw new Error('building the extension failed');
    }
  }
  const suiteIndex = await buildSuite();
  if (!isVscodeInstalled()) await setupVscode();

  const artifacts = outputDir('e2e');
  const reportFile = join(artifacts, 'mocha-report.txt');
  writeFileSync(reportFile, '');
  const server = await startCodeServer({
    smokeTestDriver: true,
    quiet: true,
    env: { LATENT_LAB_E2E_REPORT: reportFile, ...(grep ? { LATENT_LAB_E2E_GREP: grep } : {}) },
  });
  const workspace = makeWorkspace(server.baseDir);
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(suiteIndex)],
  ]);
  const url = server.workbenchUrl(workspace, { payload });
  console.log(`[e2e] code-server ${server.url} (pid ${server.pid}); suite ${suiteIndex}`);

  const browser = await launchChromium();
  let exitCode = 1;
  let consoleCapture;
  const stopFollowing = followReport(reportFile);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    consoleCapture = collectConsole(page);
    /** @type {(code: number) => void} */
    let settle = () => {};
    const settled = new Promise((r) => (settle = r));
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) =>
      consoleCapture.lines.push(`exthost ${type}: ${Array.isArray(args) ? args.join(' ') : String(args)}`),
    );
    await page.goto(url);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS));
    const result = await Promise.race([settled, timeout]);
    if (result === 'timeout') {
      console.error(`[e2e] the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
      await page.screenshot({ path: join(artifacts, 'timeout.png') }).catch(() => {});
    } else {
      exitCode = result;
    }
    if (exitCode !== 0) await page.screenshot({ path: join(artifacts, 'failure.png') }).catch(() => {});
  } finally {
    const printedReport = stopFollowing();
    await browser.close().catch(() => {});
    await server.stop();
    const written = saveLogs(artifacts, server, consoleCapture?.text() ?? '');
    server.removeScratch();
    if (!printedReport) {
      console.error('[e2e] the suite wrote no report: the extension host probably failed to load it. Browser console tail:');
      console.error((consoleCapture?.lines ?? []).slice(-40).join('\n'));
    }
    if (exitCode !== 0) {
      console.error('[e2e] FAILED. Artifacts:');
      for (const f of [reportFile, ...written, join(artifacts, 'failure.png')].filter((f) => existsSync(f))) console.error(`  ${f}`);
    } else {
      console.log(`[e2e] logs: ${artifacts}`);
    }
  }
  console.log(`[e2e] extension-host suite ${exitCode === 0 ? 'passed' : 'failed'} (exit ${exitCode})`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e] ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
