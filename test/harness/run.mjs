// Small process helpers shared by the runners.
import { spawn } from 'node:child_process';
import { repoRoot } from './artifacts.mjs';

/**
 * Run a command in the repository root, streaming its output; resolves to the exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, quiet?: boolean, cwd?: string }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
export function runCommand(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (stream) => (chunk) => {
      output += chunk;
      if (!options.quiet) stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', (error) => {
      output += String(error);
      resolvePromise({ code: 127, output });
    });
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Poll `probe` until it returns a truthy value or `timeoutMs` passes; returns the value or throws `message`. */
export async function pollUntil(probe, { timeoutMs, intervalMs = 250, message }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${typeof message === 'function' ? message(last) : message} (after ${timeoutMs} ms)`);
}
