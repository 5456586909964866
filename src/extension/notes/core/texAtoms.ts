// A TeX tokeniser and a small parser into "atoms": a base (letter, command, accent or font command with its
// argument, or a braced group) with its subscript, superscript and primes. Every atom gets a canonical key,
// so `\bar\alpha_t`, `\bar{\alpha}_{t}` and `\bar{\alpha}_t` all read `\bar{\alpha}_{t}`.

export type TokenKind = 'cmd' | 'char' | 'open' | 'close' | 'sub' | 'sup' | 'prime';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export interface Script {
  /** Canonical content, without braces. */
  key: string;
  atoms: Atom[];
}

export interface Atom {
  start: number;
  end: number;
  /** Canonical base: `x`, `\mu`, `\hat{x}`, `\mathrm{KL}`, or `{...}` for a group of several atoms. */
  base: string;
  /** The base without a font command (`\mathbf{x}` -> `x`), when it has one around a single atom. */
  plainBase?: string;
  sub?: Script;
  sup?: Script;
  primes: number;
  /** Atoms inside a group base, or inside a font command's multi-atom argument. */
  children?: Atom[];
}

/** Commands whose argument is part of the symbol: accents and fonts. */
const ACCENTS = new Set([
  '\\hat',
  '\\widehat',
  '\\tilde',
  '\\widetilde',
  '\\bar',
  '\\overline',
  '\\vec',
  '\\dot',
  '\\ddot',
  '\\check',
  '\\breve',
  '\\acute',
  '\\grave',
  '\\mathring',
  '\\underline',
  '\\overrightarrow',
]);
const FONTS = new Set(['\\mathbf', '\\boldsymbol', '\\bm', '\\mathit', '\\bold', '\\pmb', '\\mathbfit']);
/** Commands whose braced argument is a name or text, never a symbol to bind inside. */
const NAMED = new Set([
  '\\mathrm',
  '\\mathcal',
  '\\mathbb',
  '\\mathfrak',
  '\\mathscr',
  '\\mathsf',
  '\\mathtt',
  '\\text',
  '\\textrm',
  '\\textbf',
  '\\textit',
  '\\textsf',
  '\\texttt',
  '\\operatorname',
  '\\mbox',
  '\\begin',
  '\\end',
  '\\label',
  '\\tag',
  '\\color',
  '\\hspace',
  '\\vspace',
  '\\mathop',
]);

const isLetter = (c: string): boolean => /[A-Za-z]/.test(c);

export function tokenize(tex: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < tex.length) {
    const c = tex[i];
    if (c === '\\') {
      let j = i + 1;
      if (j < tex.length && isLetter(tex[j])) {
        while (j < tex.length && isLetter(tex[j])) j++;
      } else if (j < tex.length) j++;
      tokens.push({ kind: 'cmd', text: tex.slice(i, j), start: i, end: j });
      i = j;
    } else if (c === '%') {
      while (i < tex.length && tex[i] !== '\n') i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const cp = tex.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      const kind: TokenKind = c === '{' ? 'open' : c === '}' ? 'close' : c === '_' ? 'sub' : c === '^' ? 'sup' : c === "'" ? 'prime' : 'char';
      tokens.push({ kind, text: tex.slice(i, i + len), start: i, end: i + len });
      i += len;
    }
  }
  return tokens;
}

/** Keys joined the way TeX source would be: a space only where a command name would run into a letter. */
export function joinKeys(keys: readonly string[]): string {
  let out = '';
  for (const k of keys) {
    if (out && /\\[A-Za-z]+$/.test(out) && /^[A-Za-z]/.test(k)) out += ' ';
    out += k;
  }
  return out;
}

export function atomKey(a: Atom, opts: { base?: string; sub?: boolean; sup?: boolean } = {}): string {
  let key = opts.base ?? a.base;
  if (a.sub && opts.sub !== false) key += `_{${a.sub.key}}`;
  if (a.sup && opts.sup !== false) key += `^{${a.sup.key}}`;
  return key + "'".repeat(a.primes);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  /** Atoms up to the matching `}` (consumed) or the end. */
  parseList(): Atom[] {
    const atoms: Atom[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i];
      if (t.kind === 'close') {
        this.i++;
        return atoms;
      }
      const atom = this.parseAtom();
      if (atom) atoms.push(atom);
    }
    return atoms;
  }

  private parseAtom(): Atom | undefined {
    const base = this.parseBase();
    if (!base) return undefined;
    for (;;) {
      const t = this.tokens[this.i];
      if (!t) break;
      if (t.kind === 'prime') {
        base.primes++;
        base.end = t.end;
        this.i++;
      } else if ((t.kind === 'sub' && !base.sub) || (t.kind === 'sup' && !base.sup)) {
        this.i++;
        const arg = this.parseArgument();
        if (!arg) break;
        base.end = arg.end;
        if (t.kind === 'sup' && arg.key === '\\prime') base.primes++;
        else if (t.kind === 'sub') base.sub = { key: arg.key, atoms: arg.atoms };
        else base.sup = { key: arg.key, atoms: arg.atoms };
      } else break;
    }
    return base;
  }

  /** A braced group or a single base, as atoms with a canonical key. */
  private parseArgument(): { key: string; atoms: Atom[]; end: number } | undefined {
    const t = this.tokens[this.i];
    if (!t || t.kind === 'close') return undefined;
    if (t.kind === 'open') {
      this.i++;
      const atoms = this.parseList();
      const end = this.tokens[this.i - 1]?.end ?? t.end;
      return { key: joinKeys(atoms.map((a) => atomKey(a))), atoms, end };
    }
    const atom = this.parseBase();
    if (!atom) return undefined;
    return { key: atomKey(atom), atoms: [atom], end: atom.end };
  }

  private parseBase(): Atom | undefined {
    const t = this.tokens[this.i];
    if (!t) return undefined;
    if (t.kind === 'sub' || t.kind === 'sup' || t.kind === 'prime') {
      // A script with no base (`^2` at the start): an empty base carries it.
      return { start: t.start, end: t.start, base: '', primes: 0 };
    }
    this.i++;
    if (t.kind === 'open') {
      const atoms = this.parseList();
      const end = this.tokens[this.i - 1]?.end ?? t.end;
      if (atoms.length === 1 && !atoms[0].sub && !atoms[0].sup && atoms[0].primes === 0) {
        return { ...atoms[0], start: t.start, end };
      }
      return { start: t.start, end, base: `{${joinKeys(atoms.map((a) => atomKey(a)))}}`, primes: 0, children: atoms };
    }
    if (t.kind === 'cmd' && (ACCENTS.has(t.text) || FONTS.has(t.text) || NAMED.has(t.text))) {
      const arg = this.parseArgument();
      if (!arg) return { start: t.start, end: t.end, base: t.text, primes: 0 };
      const atom: Atom = { start: t.start, end: arg.end, base: `${t.text}{${arg.key}}`, primes: 0 };
      if (FONTS.has(t.text)) {
        if (arg.atoms.length === 1) atom.plainBase = atomKey(arg.atoms[0]);
        else atom.children = arg.atoms;
      }
      return atom;
    }
    return { start: t.start, end: t.end, base: t.text, primes: 0 };
  }
}

/** Parses TeX into a list of atoms; never throws (unbalanced braces close at the end). */
export function parseAtoms(tex: string): Atom[] {
  const parser = new Parser(tokenize(tex));
  const atoms: Atom[] = [];
  // A stray `}` ends parseList early: keep going so the rest is not lost. Every call consumes a token.
  while (!parser.done) atoms.push(...parser.parseList());
  return atoms;
}
