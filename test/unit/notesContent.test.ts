// Checks the shipped notes themselves (media/notes/{en,zh-cn}): what a learner sees in VS Code's markdown
// preview (KaTeX renders every equation the project's finder sees, links resolve, no `$` that is not math)
// and what the lab's hovers need (front matter, key equations bound to live tensors in both languages).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import katex from 'katex';
import { resolveBindings } from '../../src/extension/notes/core/bindings';
import type { Equation } from '../../src/extension/notes/core/equations';
import { NoteIndex } from '../../src/extension/notes/core/noteIndex';
import { TENSOR_NAMES } from '../../src/domain/tensors';
import { NOTE_FILES } from '../../src/extension/notes/core/noteFiles';

const ROOT = path.resolve(__dirname, '../..');
const NOTES_DIR = path.join(ROOT, 'media', 'notes');
const LANGUAGES = ['en', 'zh-cn'] as const;
const FRONT_MATTER_MODELS = ['ae', 'vae', 'ddpm', 'ldm', 'none'];
/** The notes the format promises (notes-common): an index and six chapters. */
const REQUIRED_FILES: readonly string[] = NOTE_FILES;

interface Note {
  /** `en/03-vae.md`, for messages. */
  name: string;
  file: string;
  dir: string;
  text: string;
  index: NoteIndex;
}

function loadNote(file: string, name: string, text = readFileSync(file, 'utf8')): Note {
  return { name, file, dir: path.dirname(file), text, index: new NoteIndex(text) };
}

function noteFiles(lang: string): string[] {
  return readdirSync(path.join(NOTES_DIR, lang))
    .filter((f) => f.endsWith('.md'))
    .sort();
}

const where = (note: Note, offset: number): string => `${note.name}:${note.index.scan.lines.positionAt(offset).line + 1}`;

// ---------------------------------------------------------------------------------------------------------
// Checkers: each returns one message per problem, so a failing assertion lists every place to fix.

/** Renders every equation with KaTeX as the preview does; errors, plus strict-mode (LaTeX-incompatible) warnings. */
function katexProblems(note: Note): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const eq of note.index.equations) {
    try {
      katex.renderToString(eq.tex, {
        throwOnError: true,
        displayMode: eq.display,
        strict: (code: string, message: string) => {
          warnings.push(`${where(note, eq.start)}: ${code}: ${message} in ${JSON.stringify(eq.tex.trim().slice(0, 80))}`);
          return 'ignore';
        },
      });
    } catch (err) {
      errors.push(`${where(note, eq.start)}: ${(err as Error).message} in ${JSON.stringify(eq.tex.trim().slice(0, 80))}`);
    }
  }
  return { errors, warnings };
}

/** The text with equations, HTML comments and code lines blanked (same length, offsets kept). */
function proseOnly(note: Note): string {
  const chars = note.text.split('');
  const blank = (start: number, end: number): void => {
    for (let k = start; k < end; k++) if (chars[k] !== '\n') chars[k] = ' ';
  };
  for (const eq of note.index.equations) blank(eq.start, eq.end);
  for (const c of note.index.scan.comments) blank(c.start, c.end);
  const lines = note.index.scan.lines;
  for (let i = 0; i < lines.lineCount; i++) {
    if (!note.index.scan.codeLines[i]) continue;
    blank(lines.starts[i], i + 1 < lines.lineCount ? lines.starts[i + 1] : note.text.length);
  }
  // Inline code spans (within a line; the notes keep them short).
  return chars.join('').replace(/(`+)[^`\n]*?\1/g, (m) => ' '.repeat(m.length));
}

/**
 * `$` that is not math: a `$` left in the prose once every equation is taken out (an unpaired or mis-paired
 * delimiter, e.g. money), and equations that read as a price followed by prose (`$5 and 10$`).
 */
function dollarProblems(note: Note): string[] {
  const problems: string[] = [];
  const prose = proseOnly(note);
  for (let p = prose.indexOf('$'); p >= 0; p = prose.indexOf('$', p + 1)) {
    if (prose[p - 1] === '\\') continue;
    problems.push(`${where(note, p)}: unpaired $ in ${JSON.stringify(lineAround(note, p))}`);
  }
  for (const eq of note.index.equations) {
    const words = eq.tex.replace(/\\(?:text\w*|mathrm|operatorname|mbox)\{[^{}]*\}/g, ' ').replace(/\\[A-Za-z]+/g, ' ');
    if (/^\s*[\d.,]+\s*[A-Za-z\u00c0-\uffff]{2,}/.test(words) || /[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(words)) {
      problems.push(`${where(note, eq.start)}: prose inside math (a $ used as money?): ${JSON.stringify(eq.tex.slice(0, 80))}`);
    }
  }
  return problems;
}

function lineAround(note: Note, offset: number): string {
  return note.index.scan.lines.lineText(note.index.scan.lines.positionAt(offset).line).trim().slice(0, 100);
}

/**
 * Markdown layout the preview depends on: `$`/`$$` delimiters only (it leaves `\(` and `\[` as text), display
 * math on lines of its own (the notes' format), and no `|` in
 * math inside a table row (the table splits cells at it, and turns `\|` into `|`, before KaTeX sees the TeX).
 */
function layoutProblems(note: Note): string[] {
  const problems: string[] = [];
  const lines = note.index.scan.lines;
  for (const eq of note.index.equations) {
    const first = eq.range.start.line;
    const last = eq.range.end.line;
    if (eq.delimiter !== '$' && eq.delimiter !== '$$') {
      problems.push(`${where(note, eq.start)}: ${eq.delimiter} math is shown as plain text by the preview; use $ or $$`);
    }
    if (eq.delimiter === '$$') {
      const before = note.text.slice(lines.starts[first], eq.start);
      const after = lines.lineText(last).slice(eq.range.end.character);
      if (!/^[\s>]*$/.test(before) || after.trim() !== '') {
        problems.push(`${where(note, eq.start)}: $$ display math not on lines of its own`);
      }
    }
    if (/^\s*\|/.test(lines.lineText(first)) && eq.tex.includes('|')) {
      problems.push(`${where(note, eq.start)}: "|" in math inside a table row (use \\mid, \\vert, \\lVert...\\rVert): ${JSON.stringify(eq.tex)}`);
    }
  }
  return problems;
}

/** Relative links that point nowhere, `command:` links to commands the extension does not contribute. */
function linkProblems(note: Note, commands: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const prose = proseOnly(note);
  const targets: Array<{ target: string; offset: number }> = [];
  const inline = /!?\[(?:[^\]\\\n]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  const reference = /^ {0,3}\[[^\]\n]+\]:\s*(<[^>\n]*>|\S+)/gm;
  const href = /\b(?:href|src)\s*=\s*"([^"]+)"/g;
  const autolink = /<((?:command|https?|mailto):[^>\s]+)>/g;
  for (const re of [inline, reference, href, autolink]) {
    for (const m of prose.matchAll(re)) targets.push({ target: m[1].replace(/^<|>$/g, ''), offset: m.index ?? 0 });
  }
  for (const { target, offset } of targets) {
    if (target.startsWith('#')) continue;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1].toLowerCase();
    if (scheme === 'command') {
      const command = target.slice('command:'.length).split('?')[0];
      if (!commands.has(command)) problems.push(`${where(note, offset)}: unknown command link ${target}`);
    } else if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') {
      continue;
    } else if (scheme) {
      problems.push(`${where(note, offset)}: unsupported link scheme ${target}`);
    } else {
      const relative = decodeURIComponent(target.split(/[#?]/)[0]);
      const resolved = path.resolve(note.dir, relative);
      if (path.relative(ROOT, resolved).startsWith('..') || !existsSync(resolved)) {
        problems.push(`${where(note, offset)}: broken link ${target}`);
      }
    }
  }
  return problems;
}

/**
 * Commands and settings named the way the palette and the settings editor show them (`Latent Lab: Train VAE`,
 * `Latent Lab: 训练 VAE`, `Latent Lab: Beta`) that the extension does not have.
 */
function namedCommandProblems(note: Note, titles: readonly string[]): string[] {
  const problems: string[] = [];
  const prose = proseOnly(note);
  const prefix = 'Latent Lab: ';
  for (let p = prose.indexOf(prefix); p >= 0; p = prose.indexOf(prefix, p + 1)) {
    const rest = prose.slice(p + prefix.length);
    const known = titles.some((t) => rest.startsWith(t) && !/^[\p{L}\p{N}]/u.test(rest.slice(t.length)));
    if (!known) problems.push(`${where(note, p)}: no command or setting titled ${JSON.stringify(prefix + rest.split(/[*|\n（(]/)[0].trim())}`);
  }
  return problems;
}

function frontMatterProblems(note: Note): string[] {
  const problems: string[] = [];
  const fm = note.index.frontMatter;
  if (!note.index.scan.frontMatter) return [`${note.name}: no front matter`];
  if (typeof fm.title !== 'string' || fm.title.trim() === '') problems.push(`${note.name}: front matter has no title`);
  const lab = fm['latent-lab'];
  const model = lab && typeof lab === 'object' && !Array.isArray(lab) ? lab.model : undefined;
  if (typeof model !== 'string' || !FRONT_MATTER_MODELS.includes(model)) {
    problems.push(`${note.name}: latent-lab.model is ${JSON.stringify(model)}, not one of ${FRONT_MATTER_MODELS.join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Key equations, found by their characteristic tokens.

/** TeX with spacing dropped and common spellings unified, so patterns need not care how an author typed it. */
function normalizeTex(tex: string): string {
  return tex
    .replace(/\\(?:[,;:! ]|quad|qquad)|\s+/g, '')
    .replace(/\\varepsilon/g, '\\epsilon')
    .replace(/\\bar\{(\\[A-Za-z]+)\}/g, '\\bar$1')
    .replace(/_\{(\w)\}/g, '_$1')
    .replace(/\\(?:left|right|big|Big|bigg|Bigg)(?=[()[\]])/g, '');
}

interface KeyEquation {
  what: string;
  /** Matches the normalized TeX. */
  matches: (normalized: string) => boolean;
  /** Tensors every matching equation must bind; `anyOf` groups need one of their members. */
  binds: string[];
  anyOf?: string[][];
  /** The model the equations must be read under. */
  model: string;
}

const KEY_EQUATIONS: Record<string, KeyEquation[]> = {
  '03-vae.md': [
    {
      what: 'reparameterisation z = \\mu + \\sigma \\odot \\epsilon',
      matches: (t) => /z=\\mu(?:_\\phi)?(?:\(x\))?\+\\sigma(?:_\\phi)?(?:\(x\))?\\odot\\epsilon/.test(t),
      binds: ['z', 'mu', 'sigma', 'eps'],
      model: 'vae',
    },
    {
      what: 'closed-form KL D_{KL} = 1/2 \\sum (\\mu^2 + \\sigma^2 - \\log\\sigma^2 - 1)',
      matches: (t) => /KL/.test(t) && /\\mu(?:_j)?\^2/.test(t) && /\\log\\sigma(?:_j)?\^2/.test(t) && /-1(?![\d.])/.test(t),
      binds: ['kl', 'mu'],
      anyOf: [['sigma', 'logvar']],
      model: 'vae',
    },
  ],
  '04-diffusion.md': [
    {
      what: 'forward closed form x_t = \\sqrt{\\bar\\alpha_t} x_0 + \\sqrt{1-\\bar\\alpha_t} \\epsilon',
      matches: (t) => /x_t=\\sqrt\{\\bar\\alpha_t\}x_0\+\\sqrt\{1-\\bar\\alpha_t\}\\epsilon/.test(t),
      binds: ['x_t', 'alpha_bar_t', 'x_0', 'eps'],
      model: 'ddpm',
    },
    {
      what: 'simple loss L_simple = E || \\epsilon - \\epsilon_\\theta(...) ||^2',
      // The pixel-space loss; its latent twin (with z_t) is the last key below.
      matches: (t) => /^(?:L|\\mathcal\{L\})_\{\\(?:mathrm|text)\{simple\}\}=/.test(t) && t.includes('\\epsilon_\\theta') && !/z_[t0]/.test(t),
      binds: ['eps_theta', 'eps', 'loss'],
      model: 'ddpm',
    },
    {
      what: 'latent forward closed form z_t = \\sqrt{\\bar\\alpha_t} z_0 + \\sqrt{1-\\bar\\alpha_t} \\epsilon',
      matches: (t) => /z_t=\\sqrt\{\\bar\\alpha_t\}z_0\+\\sqrt\{1-\\bar\\alpha_t\}\\epsilon/.test(t),
      binds: ['z_t', 'alpha_bar_t', 'z_0', 'eps'],
      model: 'ldm',
    },
    {
      what: 'latent diffusion loss with \\epsilon_\\theta(z_t, t)',
      matches: (t) => t.includes('\\epsilon_\\theta(z_t'),
      binds: ['eps_theta', 'eps', 'z_t'],
      model: 'ldm',
    },
  ],
};

function bindingsOf(note: Note, eq: Equation): { model: string | undefined; tensors: string[] } {
  const context = note.index.contextAt(eq.start);
  return { model: context.model, tensors: resolveBindings(eq.tex, context.model, context.bindings).tensors };
}

/** Every equation matching a key pattern is read under its model and binds its tensors; each pattern occurs. */
function keyEquationProblems(note: Note, keys: readonly KeyEquation[]): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const found = note.index.equations.filter((eq) => key.matches(normalizeTex(eq.tex)));
    if (found.length === 0) problems.push(`${note.name}: no equation for the ${key.what}`);
    for (const eq of found) {
      const { model, tensors } = bindingsOf(note, eq);
      const missing = key.binds.filter((t) => !tensors.includes(t));
      for (const group of key.anyOf ?? []) if (!group.some((t) => tensors.includes(t))) missing.push(group.join('|'));
      if (model !== key.model || missing.length) {
        problems.push(
          `${where(note, eq.start)}: ${key.what} under model ${model} binds [${tensors.join(', ')}]; ` + `needs model ${key.model} and [${missing.join(', ')}]`,
        );
      }
    }
  }
  return problems;
}

/** `<!-- latent-lab: ... -->` comments that say nothing the reader understands, or bind to a tensor the model lacks. */
function directiveProblems(note: Note): string[] {
  const problems: string[] = [];
  for (const comment of note.index.scan.comments) {
    if (!/^\s*latent-lab\s*:/.test(comment.body)) continue;
    const directive = note.index.directives.find((d) => d.start === comment.start);
    if (!directive || (!directive.model && directive.bindings.length === 0)) {
      problems.push(`${where(note, comment.start)}: unreadable directive <!--${comment.body}-->`);
      continue;
    }
    const model = note.index.contextAt(comment.end).model;
    const published: readonly string[] = model && model !== 'none' ? TENSOR_NAMES[model] : Object.values(TENSOR_NAMES).flat();
    for (const b of directive.bindings) {
      if (!published.includes(b.tensor)) problems.push(`${where(note, comment.start)}: binds ${b.tex} to ${b.tensor}, which model ${model} does not publish`);
    }
  }
  return problems;
}

/** In the latent-diffusion part of a note (model ldm in force), every bare z_t and z_0 binds its tensor. */
function latentSectionProblems(note: Note): string[] {
  if (!note.index.directives.some((d) => d.model === 'ldm')) return [`${note.name}: no <!-- latent-lab: model=ldm --> section`];
  const problems: string[] = [];
  for (const eq of note.index.equations) {
    const { model, tensors } = bindingsOf(note, eq);
    if (model !== 'ldm') continue;
    const mentioned = [...normalizeTex(eq.tex).matchAll(/z_([t0])(?![\w{])/g)].map((m) => `z_${m[1]}`);
    const missing = [...new Set(mentioned)].filter((t) => !tensors.includes(t));
    if (missing.length) problems.push(`${where(note, eq.start)}: ${missing.join(', ')} not bound under ldm: ${JSON.stringify(eq.tex.trim())}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

const contributedCommands = new Set<string>(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map(
    (c) => c.command,
  ),
);

/** Command titles in every shipped language, and setting titles as the settings editor derives them. */
const commandAndSettingTitles: string[] = (() => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }> };
  };
  const titles: string[] = [];
  for (const nls of readdirSync(ROOT).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f))) {
    const strings = JSON.parse(readFileSync(path.join(ROOT, nls), 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(strings)) if (key.startsWith('command.')) titles.push(value);
  }
  const configuration = manifest.contributes.configuration;
  for (const group of Array.isArray(configuration) ? configuration : [configuration]) {
    for (const key of Object.keys(group.properties)) {
      const last = key.split('.').pop() ?? key;
      titles.push(last.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()));
    }
  }
  return titles.sort((a, b) => b.length - a.length);
})();

const notes = new Map<string, Note[]>(LANGUAGES.map((lang) => [lang, noteFiles(lang).map((f) => loadNote(path.join(NOTES_DIR, lang, f), `${lang}/${f}`))]));
const allNotes = (): Note[] => LANGUAGES.flatMap((lang) => notes.get(lang) ?? []);
const noteNamed = (lang: string, file: string): Note | undefined => notes.get(lang)?.find((n) => path.basename(n.file) === file);
const report = (problems: string[]): string => `${problems.length} problem(s):\n  ${problems.join('\n  ')}`;
const assertNone = (problems: string[], what: string): void => assert.ok(problems.length === 0, `${what}: ${report(problems)}`);

describe('shipped notes: the checkers catch what they are for', () => {
  const bad = loadNote(
    path.join(NOTES_DIR, 'en', 'synthetic-bad.md'),
    'synthetic-bad.md',
    [
      '---',
      'title: ""',
      'latent-lab:',
      '  model: gan',
      '---',
      'Broken $\\frac{1}{$ here, and $\\badmacro x$ too, and $x = 中文$ (text in math mode), and \\(x\\).',
      '',
      'It costs $5, or about 10 dollars$ per run, and $3 alone.',
      '',
      'A [gone](missing-note.md), a [bad command](command:latentLab.noSuchCommand), a [fine one](03-vae.md).',
      'Run **Latent Lab: Train VAE** or **Latent Lab: 训练 VAE**, set **Latent Lab: Latent Dim**, not **Latent Lab: Train GAN**.',
      '',
      '| a | b |',
      '| - | - |',
      '| $p(x | z)$ | $x$ |',
      '',
      'text $$x^2$$ inline display',
      '',
      '$$',
      'z = \\mu + \\sigma \\odot \\epsilon',
      '$$',
      '',
      '<!-- latent-lab: model=ddpm -->',
      '<!-- latent-lab: bind \\mathbf{z} -> z; h -> h_enc -->',
      '<!-- latent-lab: modle=ldm -->',
    ].join('\n'),
  );

  it('flags KaTeX errors with file and line, and strict-mode warnings', () => {
    const { errors, warnings } = katexProblems(bad);
    assert.ok(warnings.length > 0 && warnings.every((w) => /^synthetic-bad\.md:6: unicodeTextInMathMode/.test(w)), report(warnings));
    assert.equal(errors.length, 2, report(errors));
    assert.match(errors[0], /^synthetic-bad\.md:6: KaTeX parse error/);
    assert.match(errors[1], /badmacro/);
  });

  it('flags money-like dollars, broken links, preview layout and bad front matter', () => {
    const dollars = dollarProblems(bad);
    assert.ok(
      dollars.some((p) => p.includes('prose inside math')),
      report(dollars),
    );
    assert.ok(
      dollars.some((p) => p.startsWith('synthetic-bad.md:8: unpaired $')),
      report(dollars),
    );
    const links = linkProblems(bad, contributedCommands);
    assert.deepEqual(
      links.map((p) => p.replace(/^synthetic-bad\.md:\d+: /, '')),
      ['broken link missing-note.md', 'unknown command link command:latentLab.noSuchCommand'],
    );
    assert.deepEqual(namedCommandProblems(bad, commandAndSettingTitles), ['synthetic-bad.md:11: no command or setting titled "Latent Lab: Train GAN"']);
    const directives = directiveProblems(bad);
    assert.equal(directives.length, 3, report(directives));
    assert.match(directives[0], /binds \\mathbf\{z\} to z, which model ddpm does not publish/);
    assert.match(directives[2], /unreadable directive <!-- latent-lab: modle=ldm -->/);
    const layout = layoutProblems(bad);
    assert.ok(layout.some((p) => p.includes('table row')) && layout.some((p) => p.includes('not on lines of its own')), report(layout));
    assert.ok(
      layout.some((p) => p.startsWith('synthetic-bad.md:6: \\( math is shown as plain text')),
      report(layout),
    );
    assert.equal(frontMatterProblems(bad).length, 2, report(frontMatterProblems(bad)));
  });

  it('flags a key equation that binds under the wrong model', () => {
    const problems = keyEquationProblems(bad, KEY_EQUATIONS['03-vae.md']);
    // The reparameterisation is found but the note names no valid model, so every tensor the dictionary
    // knows is accepted: it binds; the KL is missing.
    assert.ok(
      problems.some((p) => p.includes('no equation for the closed-form KL')),
      report(problems),
    );
    assert.ok(
      problems.some((p) => /reparameterisation .* under model undefined/.test(p)),
      report(problems),
    );
  });
});

describe('shipped notes (media/notes/en and zh-cn)', () => {
  it('have the same files in both languages, including the index and all chapters', () => {
    const [en, zh] = LANGUAGES.map(noteFiles);
    assert.deepEqual(zh, en, 'media/notes/en and media/notes/zh-cn hold different files');
    for (const f of REQUIRED_FILES) assert.ok(en.includes(f), `media/notes/en/${f} is missing`);
  });

  it('each start with front matter naming a title and a model, the same model in both languages', () => {
    const problems = allNotes().flatMap(frontMatterProblems);
    for (const note of notes.get('en') ?? []) {
      const other = noteNamed('zh-cn', path.basename(note.file));
      if (other && other.index.model !== note.index.model) {
        problems.push(`${note.name} trains ${note.index.model} but ${other.name} trains ${other.index.model}`);
      }
    }
    assertNone(problems, 'notes');
  });

  it('have equations the finder sees, all of which KaTeX renders', function () {
    this.timeout(20000);
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const note of allNotes()) {
      const r = katexProblems(note);
      errors.push(...r.errors);
      warnings.push(...r.warnings);
    }
    assertNone(errors, 'KaTeX cannot render');
    assertNone(warnings, 'KaTeX strict-mode warnings');
    for (const f of ['00-probability-primer.md', '02-autoencoder.md', '03-vae.md', '04-diffusion.md']) {
      for (const lang of LANGUAGES) assert.ok((noteNamed(lang, f)?.index.equations.length ?? 0) > 20, `${lang}/${f} has almost no math`);
    }
  });

  it('lay math out so the preview shows it: $ or $$ only, display math on its own lines, no | in table math', () => {
    const problems = allNotes().flatMap(layoutProblems);
    assertNone(problems, 'notes');
  });

  it('use $ only as a math delimiter (no money, no unpaired $)', () => {
    const problems = allNotes().flatMap(dollarProblems);
    assertNone(problems, 'notes');
  });

  it('link only to existing files and contributed commands, name only real commands; the index links every note', () => {
    const problems = allNotes().flatMap((n) => [...linkProblems(n, contributedCommands), ...namedCommandProblems(n, commandAndSettingTitles)]);
    for (const lang of LANGUAGES) {
      const readme = noteNamed(lang, 'README.md');
      for (const f of noteFiles(lang).filter((f) => f !== 'README.md')) {
        if (readme && !new RegExp(`\\]\\(\\s*(?:\\./)?${f.replace(/[.-]/g, '\\$&')}[#)\\s]`).test(readme.text)) {
          problems.push(`${lang}/README.md does not link ${f}`);
        }
      }
    }
    assertNone(problems, 'notes');
  });

  for (const [file, keys] of Object.entries(KEY_EQUATIONS)) {
    it(`bind the key equations of ${file} to live tensors in both languages`, () => {
      const problems: string[] = [];
      for (const lang of LANGUAGES) {
        const note = noteNamed(lang, file);
        if (!note) problems.push(`${lang}/${file} is missing`);
        else problems.push(...keyEquationProblems(note, keys));
      }
      assertNone(problems, 'notes');
    });
  }

  it('have directives that parse and bind only tensors of the model in force', () => {
    assertNone(allNotes().flatMap(directiveProblems), 'directives');
  });

  it('bind z_t and z_0 in the latent-diffusion section of 04-diffusion.md in both languages', () => {
    const problems = LANGUAGES.flatMap((lang) => {
      const note = noteNamed(lang, '04-diffusion.md');
      return note ? latentSectionProblems(note) : [`${lang}/04-diffusion.md is missing`];
    });
    assertNone(problems, 'notes');
  });
});
