// Everything the editor features need from one version of a note, computed once: its equations, its front
// matter (model, bindings) and its `<!-- latent-lab: ... -->` directives, with the model and explicit
// bindings in force at any offset.
import type { ModelKind } from '../../../domain/config';
import { MODEL_KIND_LIST } from '../../../domain/modelKinds';
import type { ExplicitBinding, NoteModel } from './bindings';
import { equationAt, scanMarkdown, type Equation, type ScanResult } from './equations';
import { parseYamlSubset, type YamlMap, type YamlValue } from './frontMatter';
import type { TextPosition } from './lineIndex';

const MODELS: readonly NoteModel[] = [...MODEL_KIND_LIST, 'none'];

export interface Directive {
  start: number;
  end: number;
  position: TextPosition;
  model?: NoteModel;
  bindings: ExplicitBinding[];
}

export interface NoteContext {
  /** Model from the nearest preceding directive, else the front matter; undefined when the note names none. */
  model: NoteModel | undefined;
  /** Explicit bindings in force: front matter's, then every directive's before the offset (later wins). */
  bindings: readonly ExplicitBinding[];
}

export function toNoteModel(v: unknown): NoteModel | undefined {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return (MODELS as readonly string[]).includes(s) ? (s as NoteModel) : undefined;
}

/** `\mathbf{x} -> x; \boldsymbol{\mu} -> mu` (also `=>`), one pair per `;` or line. */
export function parseBindingList(text: string): ExplicitBinding[] {
  const out: ExplicitBinding[] = [];
  for (const part of text.split(/[;\n]/)) {
    const m = /^\s*(?:bind\s+)?(.+?)\s*(?:->|=>|→)\s*([A-Za-z_][\w]*)\s*$/.exec(part);
    if (m && m[1].trim()) out.push({ tex: m[1].trim(), tensor: m[2] });
  }
  return out;
}

/** Parses the body of a `<!-- latent-lab: ... -->` comment; undefined when it is not one. */
export function parseDirective(body: string): { model?: NoteModel; bindings: ExplicitBinding[] } | undefined {
  const m = /^\s*latent-lab\s*:([\s\S]*)$/.exec(body);
  if (!m) return undefined;
  let model: NoteModel | undefined;
  const bindings: ExplicitBinding[] = [];
  for (const part of m[1].split(/[;\n]/)) {
    const mm = /^\s*model\s*[=:]\s*([\w-]+)\s*$/.exec(part);
    if (mm) model = toNoteModel(mm[1]) ?? model;
    else bindings.push(...parseBindingList(part));
  }
  return { model, bindings };
}

function bindingsFromYaml(v: YamlValue | undefined): ExplicitBinding[] {
  if (!v || typeof v !== 'object') return [];
  if (Array.isArray(v)) {
    // - "\\mathbf{x} -> x"   or   - {tex: ..., tensor: ...}
    return v.flatMap((item) => (typeof item === 'string' ? parseBindingList(item) : bindingsFromYaml(item)));
  }
  return Object.entries(v)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '')
    .map(([tex, tensor]) => ({ tex, tensor: tensor.trim() }));
}

export class NoteIndex {
  readonly scan: ScanResult;
  readonly frontMatter: YamlMap;
  /** The model named by the front matter (`latent-lab: model: vae`). */
  readonly model: NoteModel | undefined;
  readonly title: string | undefined;
  readonly directives: Directive[];
  private readonly frontBindings: ExplicitBinding[];
  /** Cumulative explicit bindings after each directive (same index as `directives`). */
  private readonly bindingsAfter: ExplicitBinding[][];
  private readonly modelAfter: (NoteModel | undefined)[];

  constructor(readonly text: string) {
    this.scan = scanMarkdown(text);
    const fm = this.scan.frontMatter;
    this.frontMatter = fm ? parseYamlSubset(text.slice(fm.bodyStart, fm.bodyEnd)) : {};
    const lab = this.frontMatter['latent-lab'];
    const labMap = lab && typeof lab === 'object' && !Array.isArray(lab) ? lab : {};
    this.model = toNoteModel(labMap.model ?? this.frontMatter['latent-lab.model']);
    this.title = typeof this.frontMatter.title === 'string' ? this.frontMatter.title : undefined;
    this.frontBindings = bindingsFromYaml(labMap.bindings);

    this.directives = [];
    this.bindingsAfter = [];
    this.modelAfter = [];
    let bindings = this.frontBindings;
    let model = this.model;
    for (const c of this.scan.comments) {
      const d = parseDirective(c.body);
      if (!d) continue;
      if (d.bindings.length) bindings = [...bindings, ...d.bindings];
      if (d.model) model = d.model;
      this.directives.push({ start: c.start, end: c.end, position: this.scan.lines.positionAt(c.start), ...d });
      this.bindingsAfter.push(bindings);
      this.modelAfter.push(model);
    }
  }

  get equations(): readonly Equation[] {
    return this.scan.equations;
  }

  equationAt(offset: number): Equation | undefined {
    return equationAt(this.scan.equations, offset);
  }

  contextAt(offset: number): NoteContext {
    let lo = 0;
    let hi = this.directives.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.directives[mid].end <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return { model: this.model, bindings: this.frontBindings };
    return { model: this.modelAfter[found], bindings: this.bindingsAfter[found] };
  }

  /** The model an equation at `offset` belongs to, falling back to the running model. */
  modelAt(offset: number, activeModel: ModelKind | undefined): NoteModel | undefined {
    return this.contextAt(offset).model ?? activeModel;
  }
}

/** Keeps one NoteIndex per document, rebuilt only when the document's version changes. */
export class NoteIndexCache {
  private readonly entries = new Map<string, { version: number; index: NoteIndex }>();

  constructor(private readonly capacity = 32) {}

  get(key: string, version: number, getText: () => string): NoteIndex {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.index;
    const index = new NoteIndex(getText());
    this.entries.delete(key);
    this.entries.set(key, { version, index });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return index;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
