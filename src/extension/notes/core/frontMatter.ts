// A small YAML subset for note front matter: nested block maps by indentation, `- item` lists, flow maps
// `{a: b, "c": d}` and flow lists `[a, b]`, single- and double-quoted scalars, `#` comments.
// Enough for `latent-lab: {model: vae, bindings: {...}}` in either form; not a general YAML parser.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };
export type YamlMap = { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
}

/** Strips a `#` comment that is outside quotes and preceded by whitespace (or starts the line). */
function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,]/.test(s[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) return s.slice(0, i);
  }
  return s;
}

/** Reads a quoted scalar starting at s[i]; returns the value and the index after the closing quote. */
function readQuoted(s: string, i: number): { value: string; next: number } {
  const q = s[i];
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (q === "'" && c === "'") {
      if (s[j + 1] === "'") {
        out += "'";
        j += 2;
        continue;
      }
      return { value: out, next: j + 1 };
    }
    if (q === '"' && c === '"') return { value: out, next: j + 1 };
    if (q === '"' && c === '\\' && j + 1 < s.length) {
      const e = s[j + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', b: '\b' };
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) {
        out += String.fromCharCode(parseInt(s.slice(j + 2, j + 6), 16));
        j += 6;
      } else {
        out += map[e] ?? '\\' + e;
        j += 2;
      }
      continue;
    }
    out += c;
    j++;
  }
  return { value: out, next: j };
}

function plainScalar(raw: string): YamlValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return s;
}

/** Parses a flow collection or scalar starting at s[i]. */
function readFlow(s: string, i: number, stops: string): { value: YamlValue; next: number } {
  while (i < s.length && /\s/.test(s[i])) i++;
  const c = s[i];
  if (c === '{' || c === '[') {
    const isMap = c === '{';
    const close = isMap ? '}' : ']';
    const map: YamlMap = {};
    const list: YamlValue[] = [];
    i++;
    for (;;) {
      while (i < s.length && /[\s,]/.test(s[i])) i++;
      if (i >= s.length) break;
      if (s[i] === close) {
        i++;
        break;
      }
      if (isMap) {
        const key = readKey(s, i, ':' + close + ',');
        i = key.next;
        let value: YamlValue = null;
        if (s[i] === ':') {
          const v = readFlow(s, i + 1, ',' + close);
          value = v.value;
          i = v.next;
        }
        map[key.key] = value;
      } else {
        const v = readFlow(s, i, ',' + close);
        list.push(v.value);
        i = v.next;
      }
    }
    return { value: isMap ? map : list, next: i };
  }
  if (c === '"' || c === "'") {
    const q = readQuoted(s, i);
    return { value: q.value, next: q.next };
  }
  let j = i;
  while (j < s.length && !stops.includes(s[j])) j++;
  return { value: plainScalar(s.slice(i, j)), next: j };
}

/** A map key at s[i]: quoted, or plain up to ': ' (or ':' at the end) or one of `stops`. */
function readKey(s: string, i: number, stops = ':'): { key: string; next: number } {
  while (i < s.length && /\s/.test(s[i])) i++;
  if (s[i] === '"' || s[i] === "'") {
    const q = readQuoted(s, i);
    let j = q.next;
    while (j < s.length && /\s/.test(s[j])) j++;
    return { key: q.value, next: j };
  }
  let j = i;
  while (j < s.length) {
    if (s[j] === ':' && (j + 1 >= s.length || /[\s,}\]]/.test(s[j + 1]))) break;
    if (s[j] !== ':' && stops.includes(s[j])) break;
    j++;
  }
  return { key: s.slice(i, j).trim(), next: j };
}

function parseBlock(lines: Line[], pos: { i: number }, indent: number): YamlValue {
  const first = lines[pos.i];
  if ((first && first.text.startsWith('- ')) || first?.text === '-') {
    const list: YamlValue[] = [];
    while (pos.i < lines.length && lines[pos.i].indent === indent && (lines[pos.i].text.startsWith('- ') || lines[pos.i].text === '-')) {
      const rest = lines[pos.i].text.slice(1).trim();
      pos.i++;
      list.push(rest === '' ? nestedOrNull(lines, pos, indent) : readFlow(rest, 0, '').value);
    }
    return list;
  }
  const map: YamlMap = {};
  while (pos.i < lines.length && lines[pos.i].indent === indent) {
    const { text } = lines[pos.i];
    const key = readKey(text, 0);
    pos.i++;
    if (text[key.next] !== ':') {
      map[key.key] = null;
      continue;
    }
    const rest = text.slice(key.next + 1).trim();
    map[key.key] = rest === '' ? nestedOrNull(lines, pos, indent) : readFlow(rest, 0, '').value;
  }
  return map;
}

function nestedOrNull(lines: Line[], pos: { i: number }, indent: number): YamlValue {
  const next = lines[pos.i];
  if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('-')))) {
    return parseBlock(lines, pos, next.indent);
  }
  return null;
}

/** Parses the YAML subset; never throws (unparseable lines are skipped). */
export function parseYamlSubset(source: string): YamlMap {
  const lines: Line[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const noComment = stripComment(raw).replace(/\s+$/, '');
    if (noComment.trim() === '') continue;
    const indent = noComment.length - noComment.trimStart().length;
    lines.push({ indent, text: noComment.trimStart() });
  }
  const pos = { i: 0 };
  const result: YamlMap = {};
  while (pos.i < lines.length) {
    const start = pos.i;
    const block = parseBlock(lines, pos, lines[pos.i].indent);
    if (block && typeof block === 'object' && !Array.isArray(block)) Object.assign(result, block);
    if (pos.i === start) pos.i++;
  }
  return result;
}
