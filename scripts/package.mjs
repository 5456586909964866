// `npm run package`: production build, then `vsce package --no-dependencies` (everything is bundled by
// esbuild, so node_modules is not shipped). Writes latent-lab-<version>.vsix in the repository root.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    console.log(`[package] $ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Builds and packages; returns the path of the VSIX. */
export async function packageExtension() {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const vsixPath = join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  await run(process.execPath, ['esbuild.mjs', '--production']);
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = ['package', '--no-dependencies', '--out', vsixPath];
  // Without a repository vsce cannot make README links absolute (and would ask interactively): keep them
  // relative; they resolve inside the installed extension, which ships media/.
  if (!manifest.repository) args.push('--allow-missing-repository', '--no-rewrite-relative-links');
  if (!existsSync(join(repoRoot, 'LICENSE')) && !existsSync(join(repoRoot, 'LICENSE.md'))) args.push('--skip-license');
  await run(process.execPath, [vsce, ...args]);
  if (!existsSync(vsixPath)) throw new Error(`vsce reported success but ${vsixPath} is missing`);
  console.log(`[package] ${vsixPath} (${(statSync(vsixPath).size / 1024 / 1024).toFixed(1)} MB)`);
  return vsixPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageExtension().catch((error) => {
    console.error(`[package] failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
