import { strict as assert } from 'node:assert';
import { resolveBindings } from '../../src/extension/notes/core/bindings';
import { equationAt } from '../../src/extension/notes/core/equations';
import { LineIndex } from '../../src/extension/notes/core/lineIndex';
import { NoteIndex } from '../../src/extension/notes/core/noteIndex';
import { mulberry32 } from '../../src/models/random';

/** Seeded, so a failure can be replayed from its seed. */
const rng = mulberry32;

const PIECES = [
  '$',
  '$$',
  '\\',
  '\\$',
  '\\(',
  '\\)',
  '\\[',
  '\\]',
  '`',
  '```',
  '~~~',
  '{',
  '}',
  '\n',
  '\r\n',
  '\n\n',
  '    ',
  ' ',
  'x',
  'z_t',
  '\\mu',
  '\\sigma^2',
  '\\bar\\alpha_t',
  '中文',
  '公式',
  '5',
  '10',
  '<!--',
  '-->',
  '<!-- latent-lab: model=ldm -->',
  '<!-- latent-lab: bind \\mathbf{x} -> x -->',
  '---\n',
  '- ',
  '^',
  '_',
  "'",
  '%',
  '\t',
  '😀',
];

function randomMarkdown(next: () => number): string {
  const n = Math.floor(next() * 80);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('notes on random markdown (property)', () => {
  it('never throws and returns well-formed, ordered ranges inside the text', function () {
    this.timeout(60000);
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomMarkdown(rng(seed));
      const ctx = `seed ${seed}: ${JSON.stringify(text)}`;
      const note = new NoteIndex(text);
      const lines = new LineIndex(text);
      let prevEnd = -1;
      for (const e of note.equations) {
        assert.ok(0 <= e.start && e.start < e.texStart && e.texStart <= e.texEnd && e.texEnd < e.end && e.end <= text.length, ctx);
        assert.ok(e.start >= prevEnd, `overlap, ${ctx}`);
        prevEnd = e.end;
        assert.equal(e.tex, text.slice(e.texStart, e.texEnd), ctx);
        assert.deepEqual(e.range.start, lines.positionAt(e.start), ctx);
        assert.deepEqual(e.range.end, lines.positionAt(e.end), ctx);
        assert.equal(equationAt(note.equations, e.texStart), e, ctx);
        const c = note.contextAt(e.start);
        const b = resolveBindings(e.tex, c.model, c.bindings);
        for (const s of b.symbols) assert.ok(0 <= s.start && s.start <= s.end && s.end <= e.tex.length, ctx);
      }
      for (const d of note.directives) assert.ok(d.start >= 0 && d.end <= text.length, ctx);
    }
  });

  it('resolves bindings of random TeX without throwing', () => {
    const tex = ['\\', '{', '}', '_', '^', "'", 'x', '\\mu', '\\hat', '\\mathbf', '\\log', '\\sigma', 'K', 'L', ' ', '\\frac', '%', '\n'];
    for (let seed = 1; seed <= 3000; seed++) {
      const next = rng(seed);
      let s = '';
      for (let i = Math.floor(next() * 30); i > 0; i--) s += tex[Math.floor(next() * tex.length)];
      for (const model of ['vae', 'ddpm', 'none', undefined] as const) {
        const b = resolveBindings(s, model, [{ tex: '\\mathbf{x}', tensor: 'x' }]);
        for (const sym of b.symbols) assert.ok(sym.end <= s.length && sym.start <= sym.end, `seed ${seed}: ${JSON.stringify(s)}`);
      }
    }
  });
});
