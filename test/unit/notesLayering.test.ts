// The notes' core (src/extension/notes/core) is pure: it imports no `vscode`, no adapter of the notes and
// nothing of the extension host, only other core files, src/domain and packages.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CORE = path.join(ROOT, 'src', 'extension', 'notes', 'core');
const DOMAIN = path.join(ROOT, 'src', 'domain');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.[cm]?tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every module a file names: static imports and re-exports (also `import type`), side-effect imports, import() and require(). */
export function importedModules(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]));
}

const inside = (dir: string, file: string): boolean => !path.relative(dir, file).startsWith('..');

function violation(file: string, spec: string): string | undefined {
  if (spec === 'vscode' || spec.startsWith('vscode/')) return 'imports vscode';
  if (!spec.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(file), spec);
  if (inside(CORE, target) || inside(DOMAIN, target)) return undefined;
  return `imports ${path.relative(ROOT, target)}, outside the notes core and src/domain`;
}

describe('notes layering', () => {
  const files = sourceFiles(CORE);

  it('finds the core files', () => {
    const names = files.map((f) => path.basename(f));
    for (const f of ['equations.ts', 'bindings.ts', 'noteIndex.ts', 'hoverContent.ts', 'liveRun.ts']) assert.ok(names.includes(f), f);
  });

  it('reads every kind of import statement', () => {
    const text = [
      "import * as vscode from 'vscode';",
      "import type { A } from '../session';",
      "import {\n  B,\n  C,\n} from './b';",
      "export { D } from '../../../domain/d';",
      "import 'side-effect';",
      "const m = await import('./lazy');",
      "// import { E } from 'commented';",
    ].join('\n');
    assert.deepEqual(importedModules(text).sort(), ['../../../domain/d', '../session', './b', './lazy', 'side-effect', 'vscode']);
  });

  it('tells a core import from an adapter, host or vscode import', () => {
    const file = path.join(CORE, 'x.ts');
    assert.equal(violation(file, './bindings'), undefined);
    assert.equal(violation(file, '../../../domain/tensors'), undefined);
    assert.equal(violation(file, 'mathjax-full/js/mathjax.js'), undefined);
    assert.ok(violation(file, 'vscode'));
    assert.ok(violation(file, '../documents'));
    assert.ok(violation(file, '../../session'));
    assert.ok(violation(file, '../../../webview/i18n'));
  });

  it('imports neither vscode nor an adapter nor anything outside the core and src/domain', () => {
    const problems = files.flatMap((file) =>
      importedModules(readFileSync(file, 'utf8')).flatMap((spec) => {
        const why = violation(file, spec);
        return why ? [`${path.relative(ROOT, file)}: '${spec}' ${why}`] : [];
      }),
    );
    assert.deepEqual(problems, []);
  });
});
