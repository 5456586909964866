// Activation cost of the extension host bundle, in plain Node (no VS Code): `require` of the built dist/extension.js
// with a minimal fake `vscode` module, then `activate()` with a fake context, as the extension host does when a
// markdown file opens (`onLanguage:markdown`). One visible markdown editor holds the largest bundled note, since
// that is how activation happens. Each sample is a fresh Node process (nothing cached); the figure is the median.
// After the timed part each process also hovers an equation through the registered hover provider: that checks
// MathJax was not loaded at activation, and times the first hover, which loads it (dist/mathjax.js).
// Run: node esbuild.mjs && node bench/activation.bench.mjs [--runs=N] [--bundle=dist/extension.js] [--json]
// Prints a table and one line `ACTIVATION_RESULT {...}` (npm run bench reads it); --json prints only that line.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const bundle = resolve(root, arg('bundle') ?? 'dist/extension.js');
const LIMIT_MS = 50;

if (process.argv.includes('--child')) await child();
else await parent();

async function parent() {
  const runs = Number(arg('runs') ?? 9);
  const jsonOnly = process.argv.includes('--json');
  if (!existsSync(bundle)) {
    const result = { ok: false, bundle, detail: `no ${bundle}: run node esbuild.mjs first` };
    console.log(`ACTIVATION_RESULT ${JSON.stringify(result)}`);
    process.exit(1);
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { code, stdout, stderr } = await run(process.execPath, [fileURLToPath(import.meta.url), '--child', `--bundle=${bundle}`]);
    const line = stdout.split('\n').find((l) => l.startsWith('ACTIVATION_SAMPLE '));
    if (!line) {
      const detail = `sample ${i + 1} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`;
      console.log(`ACTIVATION_RESULT ${JSON.stringify({ ok: false, bundle, detail })}`);
      process.exit(1);
    }
    samples.push(JSON.parse(line.slice('ACTIVATION_SAMPLE '.length)));
  }
  const med = (key) => round(median(samples.map((s) => s[key])));
  const first = samples[0];
  const sizes = Object.fromEntries(
    readdirSync(dirname(bundle))
      .filter((f) => f.endsWith('.js'))
      .map((f) => [f, statSync(join(dirname(bundle), f)).size]),
  );
  const result = {
    ok: true,
    bundle: bundle.startsWith(root) ? bundle.slice(root.length + 1) : bundle,
    bundleBytes: statSync(bundle).size,
    // A message of MathJax's TeX parser: survives minification.
    mathjaxInBundle: readFileSync(bundle, 'utf8').includes('Extra open brace or missing close brace'),
    otherBundlesBytes: Object.fromEntries(Object.entries(sizes).filter(([f]) => join(dirname(bundle), f) !== bundle)),
    runs,
    limitMs: LIMIT_MS,
    activationMs: med('totalMs'),
    requireMs: med('requireMs'),
    activateMs: med('activateMs'),
    activationMsAll: samples.map((s) => round(s.totalMs)),
    heapMB: med('heapMB'),
    mathjaxAtActivation: samples.some((s) => s.mathjaxAtActivation),
    afterActivationMs: med('afterActivationMs'),
    underlinedAtActivation: first.underlinedAtActivation,
    underlined: first.underlined,
    firstHoverMs: med('firstHoverMs'),
    firstHoverRendered: samples.every((s) => s.firstHoverRendered),
    mathjaxAfterHover: samples.every((s) => s.mathjaxAfterHover),
    visibleNote: first.visibleNote,
    fakeVscodeMissing: [...new Set(samples.flatMap((s) => s.missing))],
    node: process.version,
  };
  result.pass = result.activationMs < LIMIT_MS && !result.mathjaxInBundle && !result.mathjaxAtActivation && result.firstHoverRendered;
  if (!jsonOnly) {
    const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
    console.log(`\nActivation of ${result.bundle} (${kb(result.bundleBytes)}), median of ${runs} fresh Node ${process.version} processes`);
    console.log(
      `activation (require + activate) | ${result.activationMs.toFixed(1)} ms | limit ${LIMIT_MS} ms | ${result.activationMs < LIMIT_MS ? 'ok' : 'OVER'}`,
    );
    console.log(`  require ${result.requireMs.toFixed(1)} ms, activate() ${result.activateMs.toFixed(1)} ms, heap after ${result.heapMB.toFixed(1)} MB`);
    console.log(
      `  queued after activation (first underline pass, ${result.underlined} equations on ${result.visibleNote}): ${result.afterActivationMs.toFixed(1)} ms` +
        (result.underlinedAtActivation ? ` (${result.underlinedAtActivation} underlined during activation)` : ''),
    );
    console.log(`  MathJax in the bundle: ${result.mathjaxInBundle ? 'YES' : 'no'}; loaded at activation: ${result.mathjaxAtActivation ? 'YES' : 'no'}`);
    console.log(
      `first equation hover (loads MathJax) | ${result.firstHoverMs.toFixed(1)} ms | rendered: ${result.firstHoverRendered ? 'yes' : 'NO'}` +
        (result.mathjaxAfterHover ? ', from dist/mathjax.js' : ''),
    );
    if (result.fakeVscodeMissing.length) console.log(`  vscode API the fake lacks (stubbed): ${result.fakeVscodeMissing.join(', ')}`);
  }
  console.log(`ACTIVATION_RESULT ${JSON.stringify(result)}`);
}

function run(cmd, args) {
  return new Promise((done) => {
    const p = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (code) => (clearTimeout(timer), done({ code, stdout, stderr })));
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round(x) {
  return Math.round(x * 100) / 100;
}

/** One sample: fake `vscode`, time require + activate, then hover an equation. */
async function child() {
  const notesDir = join(root, 'media', 'notes', 'en');
  const largest = readdirSync(notesDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ f, size: statSync(join(notesDir, f)).size }))
    .sort((a, b) => b.size - a.size)[0].f;
  const noteText = readFileSync(join(notesDir, largest), 'utf8');
  const fake = fakeVscode(join(notesDir, largest), noteText);
  const require = createRequire(import.meta.url);
  const Module = require('node:module');
  const FAKE_ID = join(root, '__fake_vscode__.js');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? FAKE_ID : resolveFilename.call(this, request, ...rest);
  };
  const m = new Module(FAKE_ID);
  m.filename = FAKE_ID;
  m.loaded = true;
  m.exports = fake.api;
  require.cache[FAKE_ID] = m;
  const mathjaxFile = join(dirname(bundle), 'mathjax.js');
  const context = fakeContext();

  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const ext = require(bundle);
  const t1 = performance.now();
  ext.activate(context);
  const t2 = performance.now();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const mathjaxAtActivation = require.cache[mathjaxFile] !== undefined;
  // What activation queued for right after it (the first underline pass on the visible note).
  const underlinedAtActivation = fake.decorated.ranges;
  await new Promise((r) => setTimeout(r, 0));
  const afterActivationMs = performance.now() - t2;

  // The first hover on an equation: the provider the extension registered, on the visible note.
  const provider = fake.hoverProviders[0];
  const offset = noteText.indexOf('$$') + 3;
  const t3 = performance.now();
  const hover = provider ? await provider.provideHover(fake.document, fake.document.positionAt(offset), { isCancellationRequested: false }) : undefined;
  const t4 = performance.now();
  const text = hover ? hover.contents.map((c) => c.value ?? String(c)).join('\n') : '';
  const sample = {
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    totalMs: t2 - t0,
    heapMB,
    mathjaxAtActivation,
    underlinedAtActivation,
    afterActivationMs,
    underlined: fake.decorated.ranges,
    firstHoverMs: t4 - t3,
    firstHoverRendered: text.includes('data:image/svg+xml;base64,'),
    mathjaxAfterHover: require.cache[mathjaxFile] !== undefined,
    visibleNote: `media/notes/en/${largest}`,
    missing: [...fake.missing],
  };
  console.log(`ACTIVATION_SAMPLE ${JSON.stringify(sample)}`);
  process.exit(0);
}

/**
 * The part of the `vscode` API activation touches, as no-ops (registrations return disposables, events never fire),
 * plus what the hover provider needs to build a hover. Anything else the bundle reads is stubbed too and named
 * in the result (`fakeVscodeMissing`), so a new dependency shows instead of failing.
 */
function fakeVscode(notePath, noteText) {
  const missing = new Set();
  const hoverProviders = [];
  class Disposable {
    constructor(fn = () => {}) {
      this.fn = fn;
    }
    static from(...items) {
      return new Disposable(() => items.forEach((d) => d?.dispose?.()));
    }
    dispose() {
      this.fn();
    }
  }
  const disposable = () => new Disposable();
  const event = () => disposable;
  class EventEmitter {
    listeners = new Set();
    event = (listener) => (this.listeners.add(listener), new Disposable(() => this.listeners.delete(listener)));
    fire(value) {
      for (const l of [...this.listeners]) l(value);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  class Position {
    constructor(line, character) {
      Object.assign(this, { line, character });
    }
  }
  class Range {
    constructor(a, b, c, d) {
      Object.assign(this, typeof a === 'number' ? { start: new Position(a, b), end: new Position(c, d) } : { start: a, end: b });
    }
  }
  class Selection extends Range {}
  class MarkdownString {
    constructor(value = '') {
      this.value = value;
    }
    appendMarkdown(v) {
      this.value += v;
      return this;
    }
  }
  class Hover {
    constructor(contents, range) {
      this.contents = Array.isArray(contents) ? contents : [contents];
      this.range = range;
    }
  }
  class CodeLens {
    constructor(range, command) {
      Object.assign(this, { range, command });
    }
  }
  class ThemeColor {
    constructor(id) {
      this.id = id;
    }
  }
  const uri = (path) => ({ scheme: 'file', path, fsPath: path, toString: () => `file://${path}`, with: () => uri(path) });
  const Uri = { file: uri, parse: (s) => uri(s.replace(/^file:\/\//, '')), joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)) };
  const lineStarts = [0];
  for (let i = 0; i < noteText.length; i++) if (noteText[i] === '\n') lineStarts.push(i + 1);
  const document = {
    uri: uri(notePath),
    fileName: notePath,
    languageId: 'markdown',
    version: 1,
    lineCount: lineStarts.length,
    getText: () => noteText,
    offsetAt: (p) => Math.min(noteText.length, lineStarts[p.line] + p.character),
    positionAt: (offset) => {
      // Binary search over the line starts, as VS Code's own document does.
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return new Position(lo, offset - lineStarts[lo]);
    },
  };
  const decorated = { ranges: 0 };
  const setDecorations = (_type, ranges) => (decorated.ranges = ranges.length);
  const editor = { document, setDecorations, selection: new Selection(0, 0, 0, 0), revealRange: () => {} };
  const logChannel = () => ({ name: 'log', info() {}, warn() {}, error() {}, debug() {}, trace() {}, append() {}, appendLine() {}, show() {}, dispose() {} });
  const configuration = { get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => {} };
  const api = {
    Disposable,
    EventEmitter,
    Position,
    Range,
    Selection,
    MarkdownString,
    Hover,
    CodeLens,
    ThemeColor,
    Uri,
    StatusBarAlignment: { Left: 1, Right: 2 },
    DecorationRangeBehavior: { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 },
    ColorThemeKind: { Light: 1, Dark: 2, HighContrast: 3, HighContrastLight: 4 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    env: { language: 'en' },
    l10n: { t: (message, ...args) => String(message).replace(/\{(\d+)\}/g, (_m, i) => String(args[i])) },
    window: {
      createOutputChannel: logChannel,
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      createTextEditorDecorationType: () => ({ key: 'decoration', dispose() {} }),
      registerWebviewViewProvider: disposable,
      onDidChangeVisibleTextEditors: event,
      onDidChangeActiveTextEditor: event,
      onDidChangeActiveColorTheme: event,
      visibleTextEditors: [editor],
      activeTextEditor: editor,
      activeColorTheme: { kind: 2 },
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
    },
    workspace: {
      getConfiguration: () => configuration,
      onDidChangeConfiguration: event,
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidOpenTextDocument: event,
      textDocuments: [document],
      workspaceFolders: undefined,
      fs: {
        readFile: async () => new Uint8Array(),
        writeFile: async () => {},
        createDirectory: async () => {},
        stat: async () => ({}),
        delete: async () => {},
      },
    },
    languages: {
      registerHoverProvider: (_selector, provider) => (hoverProviders.push(provider), disposable()),
      registerCodeLensProvider: disposable,
    },
    commands: { registerCommand: disposable, executeCommand: async () => undefined },
  };
  return { api: tolerant(api, 'vscode', missing), missing, hoverProviders, document, decorated };
}

/** The object, with any property it lacks answered by a no-op stub and recorded in `missing`. */
function tolerant(target, path, missing) {
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'symbol' || key === 'then' || key === '__esModule') return t[key];
      if (key in t) {
        const v = t[key];
        const namespace = v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
        return namespace ? tolerant(v, `${path}.${key}`, missing) : v;
      }
      missing.add(`${path}.${key}`);
      return anything(`${path}.${key}`, missing);
    },
  });
}

function anything(path, missing) {
  const fn = function () {};
  return new Proxy(fn, {
    get: (_t, key) =>
      key === Symbol.iterator ? [][Symbol.iterator].bind([]) : typeof key === 'symbol' || key === 'then' ? undefined : anything(`${path}.${key}`, missing),
    apply: () =>
      new Proxy({ dispose() {} }, { get: (t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : (t[key] ?? anything(`${path}()`, missing))) }),
    construct: () => ({ dispose() {} }),
  });
}

function fakeContext() {
  const storage = join(root, 'out', 'activation-bench-storage');
  const memento = () => {
    const values = new Map();
    return {
      get: (k, d) => (values.has(k) ? values.get(k) : d),
      update: async (k, v) => void values.set(k, v),
      keys: () => [...values.keys()],
      setKeysForSync() {},
    };
  };
  const u = (path) => ({ scheme: 'file', path, fsPath: path, toString: () => `file://${path}` });
  return {
    subscriptions: [],
    extensionUri: u(root),
    extensionPath: root,
    globalStorageUri: u(storage),
    storageUri: u(storage),
    logUri: u(storage),
    extensionMode: 1,
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    asAbsolutePath: (p) => join(root, p),
  };
}
