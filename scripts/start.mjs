// `npm start`: build and package Latent Lab, install it into a private VS Code (code-server), open a workspace
// holding the notes and print the URL. Runs until Ctrl-C. Options: --port N (default: a free port).
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, startCodeServer } from './codeServer.mjs';
import { packageExtension } from './package.mjs';
import { isVscodeInstalled, setupVscode, vscodeTestDir } from './setup-vscode.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(repoRoot, '.lab-workspace');
// Kept between runs, so settings and checkpoints survive a restart of `npm start`.
const stateDir = join(vscodeTestDir, 'start');

/**
 * Copies the bundled notes into the workspace (English at the top, Simplified Chinese in zh-cn/), leaving a note the
 * user changed since alone.
 */
function prepareWorkspace() {
  let count = 0;
  for (const [lang, dir] of [
    ['en', workspace],
    ['zh-cn', join(workspace, 'zh-cn')],
  ]) {
    mkdirSync(dir, { recursive: true });
    const notesDir = join(repoRoot, 'media', 'notes', lang);
    const notes = existsSync(notesDir) ? readdirSync(notesDir).filter((f) => f.endsWith('.md')) : [];
    for (const note of notes) {
      const source = join(notesDir, note);
      const target = join(dir, note);
      if (!existsSync(target) || statSync(target).mtimeMs < statSync(source).mtimeMs) copyFileSync(source, target);
    }
    count += notes.length;
  }
  return count;
}

function portArgument() {
  const i = process.argv.indexOf('--port');
  if (i < 0) return undefined;
  const port = Number(process.argv[i + 1]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port needs a port number, got ${process.argv[i + 1]}`);
  return port;
}

async function main() {
  const port = portArgument();
  const vsix = await packageExtension();
  if (!isVscodeInstalled()) await setupVscode();
  const extensionsDir = join(stateDir, 'extensions');
  console.log(`[start] installing ${vsix}`);
  console.log(await installExtension(vsix, extensionsDir));
  const noteCount = prepareWorkspace();
  const server = await startCodeServer({ extensionsDir, userDataDir: join(stateDir, 'user-data'), quiet: true, port, readyTimeoutMs: 90_000 });
  const url = server.workbenchUrl(workspace);
  console.log('');
  console.log(`  Latent Lab is running in VS Code (code-server) at:`);
  console.log(`    ${url}`);
  console.log(`  Workspace ${workspace} (${noteCount} notes). Open the Latent Lab icon in the activity bar, or F1 > "Latent Lab: Train VAE".`);
  console.log(`  Server log: ${server.logFile}. Press Ctrl-C to stop.`);
  console.log('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping code-server');
    await server.stop();
    server.removeScratch();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keep the process alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
