// Every user-visible string of the extension host has its Simplified Chinese translation, and every
// placeholder of the manifest has its entry in both languages.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((f) => {
    const rel = path.join(dir, f);
    return statSync(path.join(root, rel)).isDirectory() ? sources(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('localisation', () => {
  it('translates every vscode.l10n.t string of the extension host into zh-cn, with the same placeholders', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;
    const used = new Set<string>();
    for (const file of sources('src/extension')) {
      for (const m of read(file).matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
    }
    assert.ok(used.size > 20, `found ${used.size} strings`);
    const missing = [...used].filter((s) => !(s in bundle));
    assert.deepEqual(missing, [], 'strings without a zh-cn translation');
    for (const [en, zh] of Object.entries(bundle)) {
      const ph = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(ph(zh), ph(en), `placeholders of "${en}"`);
    }
  });

  it('gives every %placeholder% of package.json an English and a Chinese text', () => {
    const placeholders = [...read('package.json').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(placeholders.length > 20);
    for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
      const nls = JSON.parse(read(file)) as Record<string, string>;
      assert.deepEqual(
        placeholders.filter((p) => !nls[p]),
        [],
        `${file} lacks entries`,
      );
    }
  });
});
