// Finds the TeX in a markdown text: inline `$...$`, display `$$...$$`, `\(...\)` and `\[...\]`, skipping
// front matter, fenced and indented code blocks, inline code spans and HTML comments. Inline `$` follows
// pandoc's rule so money is not math: the opening `$` is followed by a non-space, the closing one is
// preceded by a non-space and not followed by a digit. `\$` is never a delimiter.
import { LineIndex, type TextPosition } from './lineIndex';

export type MathDelimiter = '$' | '$$' | '\\(' | '\\[';

export interface Equation {
  /** Offsets of the whole span, delimiters included (end exclusive). */
  start: number;
  end: number;
  /** Offsets of the TeX between the delimiters. */
  texStart: number;
  texEnd: number;
  tex: string;
  delimiter: MathDelimiter;
  display: boolean;
  range: { start: TextPosition; end: TextPosition };
}

/** An HTML comment `<!-- ... -->` outside code (notes carry `latent-lab:` directives in them). */
export interface HtmlComment {
  start: number;
  end: number;
  body: string;
}

export interface ScanResult {
  equations: Equation[];
  comments: HtmlComment[];
  lines: LineIndex;
  /** Lines that are code (fenced, indented) or front matter: no math there. */
  codeLines: Uint8Array;
  /** [start, end) offsets of the front matter block including its `---` lines, when there is one. */
  frontMatter?: { start: number; end: number; bodyStart: number; bodyEnd: number };
}

const enum LineKind {
  Text = 0,
  Blank = 1,
  Code = 2,
  FrontMatter = 3,
}

const FENCE = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

function leadingIndent(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
}

/** Classifies every line: text, blank, code (fences, indented code) or front matter. */
function classifyLines(lines: LineIndex): { kinds: Uint8Array; frontMatter?: ScanResult['frontMatter'] } {
  const n = lines.lineCount;
  const kinds = new Uint8Array(n);
  let first = 0;
  let frontMatter: ScanResult['frontMatter'];
  if (n > 1 && lines.lineText(0).trimEnd() === '---') {
    for (let i = 1; i < n; i++) {
      const t = lines.lineText(i).trimEnd();
      if (t === '---' || t === '...') {
        for (let k = 0; k <= i; k++) kinds[k] = LineKind.FrontMatter;
        frontMatter = {
          start: 0,
          end: i + 1 < n ? lines.starts[i + 1] : lines.text.length,
          bodyStart: lines.starts[1],
          bodyEnd: lines.starts[i],
        };
        first = i + 1;
        break;
      }
    }
  }
  let fence: { ch: string; len: number } | null = null;
  let inList = false;
  let prev: LineKind = LineKind.Blank;
  for (let i = first; i < n; i++) {
    const line = lines.lineText(i);
    if (fence) {
      kinds[i] = LineKind.Code;
      const t = line.trim();
      if (t.length >= fence.len && t[0] === fence.ch && [...t].every((c) => c === fence!.ch)) fence = null;
      prev = LineKind.Code;
      continue;
    }
    const m = FENCE.exec(line);
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      fence = { ch: m[1][0], len: m[1].length };
      kinds[i] = LineKind.Code;
      prev = LineKind.Code;
      continue;
    }
    if (line.trim() === '') {
      // A blank line inside an indented code block stays code only if code follows; text is harmless either way.
      kinds[i] = LineKind.Blank;
      prev = prev === LineKind.Code ? LineKind.Code : LineKind.Blank;
      continue;
    }
    const indent = leadingIndent(line);
    if (LIST_ITEM.test(line)) inList = true;
    else if (indent === 0 && (prev === LineKind.Blank || line.startsWith('#'))) inList = false;
    if (indent >= 4 && !inList && (prev === LineKind.Blank || prev === LineKind.Code)) {
      kinds[i] = LineKind.Code;
      prev = LineKind.Code;
      continue;
    }
    kinds[i] = LineKind.Text;
    prev = LineKind.Text;
  }
  return { kinds, frontMatter };
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0x3000;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const DOLLAR = 36;
const BACKSLASH = 92;
const BACKTICK = 96;

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** Scans a markdown text for equations and HTML comments. */
export function scanMarkdown(text: string): ScanResult {
  const lines = new LineIndex(text);
  const { kinds, frontMatter } = classifyLines(lines);
  const equations: Equation[] = [];
  const comments: HtmlComment[] = [];
  const n = lines.lineCount;

  // End offset of each line's paragraph (the next blank line or code line) and of its block (next code line).
  const paraEnd = new Int32Array(n);
  const blockEnd = new Int32Array(n);
  let nextPara = text.length;
  let nextBlock = text.length;
  for (let i = n - 1; i >= 0; i--) {
    if (kinds[i] === LineKind.Code || kinds[i] === LineKind.FrontMatter) {
      nextPara = nextBlock = lines.starts[i];
    } else if (kinds[i] === LineKind.Blank) {
      nextPara = lines.starts[i];
    }
    paraEnd[i] = nextPara;
    blockEnd[i] = nextBlock;
  }

  const push = (start: number, texStart: number, texEnd: number, end: number, delimiter: MathDelimiter): void => {
    equations.push({
      start,
      end,
      texStart,
      texEnd,
      tex: text.slice(texStart, texEnd),
      delimiter,
      display: delimiter === '$$' || delimiter === '\\[',
      range: { start: lines.positionAt(start), end: lines.positionAt(end) },
    });
  };

  let i = 0;
  while (i < n) {
    if (kinds[i] === LineKind.Code || kinds[i] === LineKind.FrontMatter || kinds[i] === LineKind.Blank) {
      i++;
      continue;
    }
    const from = lines.starts[i];
    const to = blockEnd[i];
    scanBlock(from, to);
    i = to >= text.length ? n : lines.lineAt(to);
  }
  return { equations, comments, lines, codeLines: kinds.map((k) => (k === LineKind.Code || k === LineKind.FrontMatter ? 1 : 0)), frontMatter };

  function scanBlock(from: number, to: number): void {
    let p = from;
    while (p < to) {
      const c = text.charCodeAt(p);
      if (c === BACKSLASH) {
        const d = text.charCodeAt(p + 1);
        if (p + 1 < to && (d === 40 || d === 91)) {
          // \( or \[
          const display = d === 91;
          const limit = display ? to : paraEnd[lines.lineAt(p)];
          const close = findBackslashClose(p + 2, limit, display ? 93 : 41);
          if (close >= 0) {
            push(p, p + 2, close, close + 2, display ? '\\[' : '\\(');
            p = close + 2;
          } else p += 2;
        } else if (p + 1 < to && isAsciiPunctuation(d)) p += 2;
        else p++;
      } else if (c === BACKTICK) {
        let run = 1;
        while (text.charCodeAt(p + run) === BACKTICK) run++;
        const close = findBacktickRun(p + run, paraEnd[lines.lineAt(p)], run);
        p = close >= 0 ? close + run : p + run;
      } else if (c === 60 && text.startsWith('<!--', p)) {
        const close = text.indexOf('-->', p + 4);
        if (close >= 0 && close + 3 <= to) {
          comments.push({ start: p, end: close + 3, body: text.slice(p + 4, close) });
          p = close + 3;
        } else p += 4;
      } else if (c === DOLLAR) {
        if (text.charCodeAt(p + 1) === DOLLAR) {
          const close = findDisplayDollarClose(p + 2, to);
          if (close > p + 2 && text.slice(p + 2, close).trim() !== '') {
            push(p, p + 2, close, close + 2, '$$');
            p = close + 2;
          } else p += 2;
        } else {
          const close = findInlineDollarClose(p, paraEnd[lines.lineAt(p)]);
          if (close >= 0) {
            push(p, p + 1, close, close + 1, '$');
            p = close + 1;
          } else p++;
        }
      } else p++;
    }
  }

  function findBackslashClose(from: number, limit: number, closeCh: number): number {
    for (let q = from; q + 1 < limit; q++) {
      if (text.charCodeAt(q) === BACKSLASH) {
        if (text.charCodeAt(q + 1) === closeCh) return q;
        q++;
      }
    }
    return -1;
  }

  function findBacktickRun(from: number, limit: number, run: number): number {
    for (let q = from; q < limit; q++) {
      if (text.charCodeAt(q) !== BACKTICK) continue;
      let r = 1;
      while (q + r < limit && text.charCodeAt(q + r) === BACKTICK) r++;
      if (r === run) return q;
      q += r - 1;
    }
    return -1;
  }

  function findDisplayDollarClose(from: number, limit: number): number {
    for (let q = from; q + 1 < limit; q++) {
      const c = text.charCodeAt(q);
      if (c === BACKSLASH) q++;
      else if (c === DOLLAR && text.charCodeAt(q + 1) === DOLLAR) return q;
    }
    return -1;
  }

  /** Closing `$` of an inline equation opened at `open`, preferring one at brace depth 0. */
  function findInlineDollarClose(open: number, limit: number): number {
    const first = text.charCodeAt(open + 1);
    if (open + 1 >= limit || Number.isNaN(first) || isSpace(first)) return -1;
    let depth = 0;
    let fallback = -1;
    for (let q = open + 1; q < limit; q++) {
      const c = text.charCodeAt(q);
      if (c === BACKSLASH) {
        q++;
      } else if (c === 123) depth++;
      else if (c === 125) depth = Math.max(0, depth - 1);
      else if (c === DOLLAR) {
        const valid = !isSpace(text.charCodeAt(q - 1)) && !isDigit(text.charCodeAt(q + 1));
        if (!valid) continue;
        if (depth === 0) return q;
        if (fallback < 0) fallback = q;
      }
    }
    return fallback;
  }
}

/** Equations of a text (see scanMarkdown). */
export function findEquations(text: string): Equation[] {
  return scanMarkdown(text).equations;
}

/** The equation whose span holds `offset` (its end counts too, so a cursor just after `$` finds it). */
export function equationAt(equations: readonly Equation[], offset: number): Equation | undefined {
  let lo = 0;
  let hi = equations.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = equations[mid];
    if (offset < e.start) hi = mid - 1;
    else if (offset > e.end) lo = mid + 1;
    else return e;
  }
  return undefined;
}
