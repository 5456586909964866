// Where tests leave screenshots, logs and console captures: test-output/<run>/, printed on failure.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLogFiles } from '../../scripts/codeServer.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputRoot = join(repoRoot, 'test-output');

/** A folder under test-output/ for one run, emptied of an earlier run's files. */
export function outputDir(name) {
  const dir = join(outputRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Copy code-server's log, the user-data logs (extension host, renderer, exthost output channels) and a
 * console capture into `dir`; returns the paths written.
 * @param {string} dir
 * @param {{ logFile?: string, userDataDir?: string } | undefined} server
 * @param {string} [consoleText]
 */
export function saveLogs(dir, server, consoleText) {
  const written = [];
  if (server?.logFile && existsSync(server.logFile)) {
    const target = join(dir, 'code-server.log');
    copyFileSync(server.logFile, target);
    written.push(target);
  }
  if (server?.userDataDir) {
    const logsRoot = join(server.userDataDir, 'logs');
    for (const file of listLogFiles(server.userDataDir)) {
      const target = join(dir, 'logs', relative(logsRoot, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      written.push(target);
    }
  }
  if (consoleText !== undefined) {
    const target = join(dir, 'browser-console.log');
    writeFileSync(target, consoleText);
    written.push(target);
  }
  return written;
}

/** Paths of the extension host logs among `files` (the ones people look at first). */
export function extensionHostLogs(files) {
  return files.filter((f) => /exthost|remoteexthost|Latent Lab/i.test(f) || basename(f).includes('extensionHost'));
}
