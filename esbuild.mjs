// Bundles the three programs: the extension (Node, CommonJS, `vscode` external), the webview UI
// and the training worker (one classic script each: webview workers cannot use dynamic imports).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // tfjs publishes ESM under "module"; picking it everywhere keeps a single tfjs-core instance.
  mainFields: ['module', 'main'],
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120' },
  { ...common, entryPoints: ['src/webview/worker/trainer.ts'], outfile: 'dist/trainer.worker.js', platform: 'browser', format: 'iife', target: 'chrome120' },
];

// The wasm backend loads its binaries at run time from the extension's own files.
mkdirSync('dist/wasm', { recursive: true });
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, `dist/wasm/${f}`);
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
