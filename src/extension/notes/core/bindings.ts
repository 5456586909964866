// Which live tensors an equation talks about: its TeX is parsed into atoms (texAtoms.ts) and each atom,
// or run of atoms, is looked up in the note's explicit bindings and then in the built-in dictionary of
// the usual notations, keeping only tensors the model publishes.
import { TENSOR_NAMES } from '../../../domain/tensors';
import type { ModelKind } from '../../../domain/config';
import { atomKey, parseAtoms, type Atom } from './texAtoms';

/** The model an equation belongs to: a model, `none` (a note that trains nothing), or unknown. */
export type NoteModel = ModelKind | 'none';

export interface ExplicitBinding {
  tex: string;
  tensor: string;
}

export interface SymbolBinding {
  tensor: string;
  /** Offsets of the symbol in the TeX, and its source text. */
  start: number;
  end: number;
  source: string;
  explicit: boolean;
}

export interface SettingBinding {
  /** A `latentLab.*` setting key. */
  setting: string;
  start: number;
  end: number;
  source: string;
}

export interface EquationBindings {
  symbols: SymbolBinding[];
  /** Distinct tensor names, in order of first appearance. */
  tensors: string[];
  settings: SettingBinding[];
}

/** The built-in dictionary: notation -> tensor names it may mean (the first one the model publishes wins). */
const DICTIONARY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['x', ['x']],
  ['\\hat x', ['x_hat']],
  ['\\widehat{x}', ['x_hat']],
  ["x'", ['x_hat']],
  ['\\tilde x', ['x_hat']],
  ['h', ['h_enc']],
  ['\\mu', ['mu']],
  ['\\mu_\\phi', ['mu']],
  ['\\sigma', ['sigma']],
  ['\\sigma_\\phi', ['sigma']],
  ['\\log\\sigma^2', ['logvar']],
  ['\\log\\sigma_\\phi^2', ['logvar']],
  ['\\epsilon', ['eps']],
  ['\\varepsilon', ['eps']],
  ['z', ['z']],
  ['D_{KL}', ['kl']],
  ['D_{\\mathrm{KL}}', ['kl']],
  ['D_{\\text{KL}}', ['kl']],
  ['\\mathrm{KL}', ['kl']],
  ['\\text{KL}', ['kl']],
  ['\\operatorname{KL}', ['kl']],
  ['KL', ['kl']],
  ['\\mathcal{L}', ['elbo', 'loss', 'recon']],
  ['\\text{ELBO}', ['elbo']],
  ['\\mathrm{ELBO}', ['elbo']],
  ['\\operatorname{ELBO}', ['elbo']],
  ['ELBO', ['elbo']],
  ['L_{\\text{simple}}', ['loss']],
  ['\\mathcal{L}_{\\text{simple}}', ['loss']],
  ['\\beta_t', ['beta_t']],
  ['\\alpha_t', ['alpha_t']],
  ['\\bar\\alpha_t', ['alpha_bar_t']],
  ['x_t', ['x_t']],
  ['x_0', ['x_0']],
  ['\\epsilon_\\theta', ['eps_theta']],
  ['\\varepsilon_\\theta', ['eps_theta']],
  ['\\tilde\\mu_t', ['posterior_mean']],
  ['\\tilde\\beta_t', ['posterior_var']],
  ['t', ['t']],
  ['z_t', ['z_t']],
  ['z_0', ['z_0']],
];

/** Symbols that stand for a setting of the model rather than a tensor. */
const SETTINGS: Partial<Record<ModelKind, ReadonlyArray<readonly [string, string]>>> = {
  vae: [['\\beta', 'latentLab.beta']],
  ddpm: [['T', 'latentLab.diffusion.timesteps']],
  ldm: [['T', 'latentLab.diffusion.timesteps']],
};

interface Entry {
  /** Canonical keys of the atoms it spans. */
  keys: string[];
  targets: readonly string[];
  explicit: boolean;
}

interface Compiled {
  /** Single-atom entries by key. */
  single: Map<string, Entry[]>;
  /** Entries of several atoms, longest first. */
  sequences: Entry[];
}

function compile(pairs: ReadonlyArray<readonly [string, readonly string[]]>, explicit: boolean): Compiled {
  const single = new Map<string, Entry[]>();
  const sequences: Entry[] = [];
  for (const [tex, targets] of pairs) {
    const atoms = parseAtoms(tex);
    if (atoms.length === 0) continue;
    const entry: Entry = { keys: atoms.map((a) => atomKey(a)), targets, explicit };
    if (atoms.length === 1) {
      const list = single.get(entry.keys[0]) ?? [];
      list.push(entry);
      single.set(entry.keys[0], list);
    } else sequences.push(entry);
  }
  sequences.sort((a, b) => b.keys.length - a.keys.length);
  return { single, sequences };
}

const BUILT_IN = compile(DICTIONARY, false);
const SETTINGS_COMPILED = new Map<ModelKind, Compiled>(
  (Object.keys(SETTINGS) as ModelKind[]).map((m) => [
    m,
    compile(
      SETTINGS[m]!.map(([t, s]) => [t, [s]] as const),
      false,
    ),
  ]),
);
const explicitCache = new WeakMap<readonly ExplicitBinding[], Compiled>();
const ALL_TENSORS = new Set(Object.values(TENSOR_NAMES).flat());

function compiledExplicit(list: readonly ExplicitBinding[]): Compiled {
  let c = explicitCache.get(list);
  if (!c) {
    c = compile(
      list.map((b) => [b.tex, [b.tensor]] as const),
      true,
    );
    explicitCache.set(list, c);
  }
  return c;
}

interface Candidate {
  key: string;
  consumesSub: boolean;
  consumesSup: boolean;
}

/** Keys an atom may be known by, most specific first: `\sigma_\phi^2`, `\sigma_\phi`, `\sigma^2`, `\sigma`. */
function candidates(a: Atom): Candidate[] {
  const out: Candidate[] = [];
  for (const base of a.plainBase !== undefined ? [a.base, a.plainBase] : [a.base]) {
    out.push({ key: atomKey(a, { base }), consumesSub: true, consumesSup: true });
    if (a.sup) out.push({ key: atomKey(a, { base, sup: false }), consumesSub: true, consumesSup: false });
    if (a.sub) out.push({ key: atomKey(a, { base, sub: false }), consumesSub: false, consumesSup: true });
    if (a.sub && a.sup) out.push({ key: atomKey(a, { base, sub: false, sup: false }), consumesSub: false, consumesSup: false });
  }
  return out;
}

/** Resolves the symbols of one equation to tensor names (and settings) of `model`. */
export function resolveBindings(tex: string, model: NoteModel | undefined, explicit: readonly ExplicitBinding[] = []): EquationBindings {
  const published: ReadonlySet<string> | null = model === 'none' ? new Set() : model === undefined ? ALL_TENSORS : new Set(TENSOR_NAMES[model]);
  const tables: Compiled[] = [];
  if (explicit.length) tables.push(compiledExplicit(explicit));
  if (model !== 'none') tables.push(BUILT_IN);
  const settings = model && model !== 'none' ? SETTINGS_COMPILED.get(model) : undefined;

  const result: EquationBindings = { symbols: [], tensors: [], settings: [] };
  const accepts = (e: Entry): string | undefined => e.targets.find((t) => e.explicit || published?.has(t));
  const bind = (tensor: string, start: number, end: number, isExplicit: boolean): void => {
    result.symbols.push({ tensor, start, end, source: tex.slice(start, end), explicit: isExplicit });
    if (!result.tensors.includes(tensor)) result.tensors.push(tensor);
  };

  const walk = (atoms: readonly Atom[]): void => {
    const keySets = atoms.map((a) => new Set(candidates(a).map((c) => c.key)));
    let i = 0;
    while (i < atoms.length) {
      const seq = matchSequence(atoms, keySets, i);
      if (seq) {
        bind(seq.tensor, atoms[i].start, atoms[i + seq.length - 1].end, seq.explicit);
        i += seq.length;
        continue;
      }
      const a = atoms[i];
      let consumed: Candidate | undefined;
      for (const c of candidates(a)) {
        const hit = lookup(c.key);
        if (hit) {
          bind(hit.tensor, a.start, a.end, hit.explicit);
          consumed = c;
          break;
        }
      }
      if (!consumed && settings) {
        for (const c of candidates(a)) {
          const setting = settings.single.get(c.key)?.[0]?.targets[0];
          if (setting) {
            result.settings.push({ setting, start: a.start, end: a.end, source: tex.slice(a.start, a.end) });
            consumed = c;
            break;
          }
        }
      }
      if (!consumed && a.children) walk(a.children);
      // A script of several atoms (`e^{-(x-\mu)^2}`, `\mathbb{E}_{q(z|x)}`) holds symbols of its own;
      // a one-atom script is an index (`x_t`, `\sigma^2`) and binds nothing alone.
      if (a.sub && !consumed?.consumesSub && a.sub.atoms.length > 1) walk(a.sub.atoms);
      if (a.sup && !consumed?.consumesSup && a.sup.atoms.length > 1) walk(a.sup.atoms);
      i++;
    }
  };

  const lookup = (key: string): { tensor: string; explicit: boolean } | undefined => {
    for (const table of tables) {
      for (const e of table.single.get(key) ?? []) {
        const tensor = accepts(e);
        if (tensor) return { tensor, explicit: e.explicit };
      }
    }
    return undefined;
  };

  const matchSequence = (atoms: readonly Atom[], keySets: Set<string>[], i: number): { tensor: string; length: number; explicit: boolean } | undefined => {
    for (const table of tables) {
      for (const e of table.sequences) {
        if (i + e.keys.length > atoms.length) continue;
        if (!e.keys.every((k, j) => keySets[i + j].has(k))) continue;
        const tensor = accepts(e);
        if (tensor) return { tensor, length: e.keys.length, explicit: e.explicit };
      }
    }
    return undefined;
  };

  walk(parseAtoms(tex));
  return result;
}

const memo = new Map<string, EquationBindings>();
const MEMO_CAPACITY = 8000;
const explicitKeys = new WeakMap<readonly ExplicitBinding[], string>();

/** resolveBindings, memoised by (TeX, model, explicit bindings): notes repeat their equations across edits. */
export function resolveBindingsCached(tex: string, model: NoteModel | undefined, explicit: readonly ExplicitBinding[] = []): EquationBindings {
  let ek = explicitKeys.get(explicit);
  if (ek === undefined) {
    ek = explicit.map((b) => `${b.tex}\u0001${b.tensor}`).join('\u0002');
    explicitKeys.set(explicit, ek);
  }
  const key = `${model ?? ''}\u0000${ek}\u0000${tex}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = resolveBindings(tex, model, explicit);
    memo.set(key, hit);
    if (memo.size > MEMO_CAPACITY) memo.delete(memo.keys().next().value as string);
  }
  return hit;
}
