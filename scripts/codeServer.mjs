// Start and stop a private code-server (a real VS Code served to a browser) for tests and `npm start`.
// Every start gets its own port, user-data dir, extensions dir (unless one is given) and HOME, so runs never
// share state with each other or with the machine's own code-server config.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codeServerEntry, isVscodeInstalled, node24Bin } from './setup-vscode.mjs';

/** Ask the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

function requireInstall() {
  if (!isVscodeInstalled()) throw new Error('code-server is not installed: run `node scripts/setup-vscode.mjs` first');
}

/** Environment for code-server processes: scratch HOME, no marketplace, no telemetry. */
function codeServerEnv(home) {
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share') };
  env.EXTENSIONS_GALLERY = '{}';
  // Inherited variables that would point code-server at the machine's own VS Code state.
  for (const name of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_CLI', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']) delete env[name];
  return env;
}

/**
 * Install a VSIX into an extensions directory with code-server's CLI.
 * @param {string} vsixPath
 * @param {string} extensionsDir
 */
export async function installExtension(vsixPath, extensionsDir) {
  requireInstall();
  mkdirSync(extensionsDir, { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'latent-lab-home-'));
  const args = [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', join(home, 'user-data'), '--install-extension', vsixPath, '--force'];
  const output = await new Promise((resolvePromise, reject) => {
    const child = spawn(node24Bin, args, { env: codeServerEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(text) : reject(new Error(`installing ${vsixPath} failed (${code}):\n${text}`))));
  });
  rmSync(home, { recursive: true, force: true });
  if (!/successfully installed/i.test(output)) throw new Error(`installing ${vsixPath} printed no success:\n${output}`);
  return output.trim();
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} [extensionsDir] extensions directory (default: a fresh empty one)
 * @property {string} [userDataDir] user-data directory (default: a fresh one)
 * @property {boolean} [smokeTestDriver] pass `--vscode-option enable-smoke-test-driver` (needed for payload test runs)
 * @property {string[]} [extraArgs]
 * @property {boolean} [quiet] do not echo code-server's output to this process
 * @property {Record<string, string>} [env] extra environment (the extension host inherits it)
 * @property {number} [readyTimeoutMs]
 * @property {number} [port] fixed port (default: a free one)
 */

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url base URL, e.g. http://127.0.0.1:1234/
 * @property {number} port
 * @property {number} pid
 * @property {string} baseDir scratch folder holding home, user data and the server log
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile code-server's stdout and stderr
 * @property {(folder?: string, query?: Record<string, string>) => string} workbenchUrl
 * @property {() => Promise<void>} stop stops the process tree
 * @property {() => void} removeScratch deletes baseDir (call after copying any logs you want to keep)
 */

/**
 * Start code-server on 127.0.0.1 at a free port and wait until it answers.
 * @param {CodeServerOptions} [options]
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(options = {}) {
  requireInstall();
  const baseDir = mkdtempSync(join(tmpdir(), 'latent-lab-code-server-'));
  const home = join(baseDir, 'home');
  const userDataDir = options.userDataDir ?? join(baseDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(baseDir, 'extensions');
  for (const dir of [home, userDataDir, extensionsDir]) mkdirSync(dir, { recursive: true });
  writeDefaultSettings(userDataDir);
  const port = options.port ?? (await freePort());
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '10',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.extraArgs ?? []),
  ];
  const logFile = join(baseDir, 'code-server.log');
  const logStream = createWriteStream(logFile);
  // detached: code-server leads its own process group, so stop() can signal the whole tree at once.
  const child = spawn(node24Bin, args, { env: { ...codeServerEnv(home), ...(options.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const echo = (chunk) => {
    logStream.write(chunk);
    if (!options.quiet) process.stdout.write(`[code-server] ${chunk}`);
  };
  child.stdout.on('data', echo);
  child.stderr.on('data', echo);
  let exited = false;
  child.on('exit', () => (exited = true));

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    await killTree(child.pid, () => exited);
    logStream.end();
  };
  try {
    await waitForHealthy(url, () => exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    throw new Error(`${error instanceof Error ? error.message : error}\ncode-server log (${logFile}):\n${log}`, { cause: error });
  }
  return {
    url,
    port,
    pid: child.pid ?? -1,
    baseDir,
    userDataDir,
    extensionsDir,
    logFile,
    workbenchUrl(folder, query = {}) {
      const params = new URLSearchParams();
      if (folder) params.set('folder', folder);
      for (const [k, v] of Object.entries(query)) params.set(k, v);
      const search = params.toString();
      return search ? `${url}?${search}` : url;
    },
    stop,
    removeScratch: () => rmSync(baseDir, { recursive: true, force: true }),
  };
}

/**
 * A quiet, predictable workbench for a fresh profile: no chat panel or AI features, no welcome page, no git
 * scanning (CPU is scarce). Written only when the profile has no settings yet, so `npm start` keeps the user's.
 */
function writeDefaultSettings(userDataDir) {
  const file = join(userDataDir, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const settings = {
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
  };
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

async function waitForHealthy(url, hasExited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('code-server exited before it was ready');
    try {
      const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not become ready at ${url} within ${timeoutMs} ms (${lastError})`);
}

/** PIDs of every descendant of `rootPid`, from /proc (children may have left the process group). */
function descendants(rootPid) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields after it are space-separated.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we read
    }
  }
  const result = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift();
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** SIGTERM the process group and every descendant of `pid`, then SIGKILL whatever is left after 5 s. */
export async function killTree(pid, hasExited = () => false) {
  if (!pid) return;
  const tree = [pid, ...descendants(pid)];
  signal(-pid, 'SIGTERM');
  for (const p of tree) signal(p, 'SIGTERM');
  const alive = (p) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !(hasExited() && tree.every((p) => !alive(p)))) await new Promise((r) => setTimeout(r, 100));
  signal(-pid, 'SIGKILL');
  for (const p of tree) if (alive(p)) signal(p, 'SIGKILL');
}

/** Files under the user-data dir's logs folder (extension host, renderer, server logs), newest run only. */
export function listLogFiles(userDataDir) {
  const logsDir = join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return [];
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(logsDir);
  return files;
}
