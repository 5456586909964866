// Bundles the four programs: the extension (Node, CommonJS, `vscode` external), MathJax for its equation hovers (a
// bundle of its own, loaded on the first equation rendered: activation does not pay for it), the webview UI and the
// training worker (one classic script each: webview workers cannot use dynamic imports).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

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

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

// The notes' renderer loads MathJax with `import('./mathjaxEngine')` (src/extension/notes/core/render.ts). In the
// extension bundle that import becomes `require('./mathjax.js')`, the bundle beside it, so dist/extension.js holds
// no MathJax and reads dist/mathjax.js on the first equation it renders. Unit tests and benches run the sources
// under tsx, where the same import loads mathjaxEngine.ts itself.
const MATHJAX_ENGINE = resolve('src/extension/notes/core/mathjaxEngine');
const mathjaxApart = {
  name: 'mathjax-apart',
  setup(build) {
    build.onResolve({ filter: /mathjaxEngine/ }, (args) => {
      if (resolve(args.resolveDir, args.path).replace(/\.ts$/, '') !== MATHJAX_ENGINE) return undefined;
      // A static import would load MathJax at activation again.
      if (args.kind !== 'dynamic-import') return { errors: [{ text: `${args.importer} imports mathjaxEngine statically: only import() it` }] };
      return { path: './mathjax.js', external: true };
    });
    // Guard: an import of MathJax anywhere else would bring it back into the extension bundle.
    build.onEnd((result) => {
      const leaked = Object.keys(result.metafile?.inputs ?? {}).filter((f) => f.includes('mathjax-full/'));
      if (leaked.length === 0) return;
      const text = `MathJax is bundled into dist/extension.js (${leaked.length} files, e.g. ${leaked[0]}): load it only through render.ts's import('./mathjaxEngine')`;
      return { errors: [{ text }] };
    });
  },
};

const builds = [
  {
    ...node,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    // import() of an external file becomes a plain require() (in a promise), as everything else the host loads.
    supported: { 'dynamic-import': false },
    metafile: true,
    plugins: [mathjaxApart],
  },
  { ...node, entryPoints: ['src/extension/notes/core/mathjaxEngine.ts'], outfile: 'dist/mathjax.js' },
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
