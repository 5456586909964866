// The webview's own text in English and Simplified Chinese. A source scan checks that every text the webview
// passes to t()/tc() has a zh-cn entry (and no entry is left over); headless Chromium checks what a user sees
// with data-lang="zh-cn" and with "en": the welcome, the header's buttons, the settings' labels and the
// section titles, while a VAE trains.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MODEL_LABELS } from '../../src/domain/modelKinds';
import type { FromWebview, ToWebview } from '../../src/protocol';
import type { TrainConfig } from '../../src/domain/config';
import { pickLang, translate, ZH_CN } from '../../src/webview/i18n';
import { openPage, REPO_ROOT, type WebviewPage } from './harness';

const WEBVIEW_SRC = path.join(REPO_ROOT, 'src', 'webview');

/** Keys in ZH_CN for text that main.ts (not yet localised) shows; they become used once it calls t(). */
const PENDING_MAIN = new Set<string>();
/** Texts that read the same in Chinese (model names). */
const SAME_IN_CHINESE = new Set(['VAE', 'DDPM']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** A single-quoted TS string literal's value. */
const unquote = (s: string): string => s.replace(/\\(.)/g, '$1');

interface Use {
  key: string;
  file: string;
}

/** Every t('…') and tc('context', '…') in the webview files that import the i18n module, and any other t( call. */
function scanUses(): { uses: Use[]; dynamic: string[] } {
  const uses: Use[] = [];
  const dynamic: string[] = [];
  for (const file of sourceFiles(WEBVIEW_SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!/from '\.\.?\/(\.\.\/)?i18n'/.test(text)) continue;
    const rel = path.relative(REPO_ROOT, file);
    const lit = String.raw`'((?:[^'\\]|\\.)*)'`;
    // The formatter may break a long call after its parenthesis.
    for (const m of text.matchAll(new RegExp(String.raw`\bt\(\s*${lit}`, 'g'))) uses.push({ key: unquote(m[1]), file: rel });
    for (const m of text.matchAll(new RegExp(String.raw`\btc\(\s*${lit},\s*${lit}`, 'g'))) uses.push({ key: `${unquote(m[1])}|${unquote(m[2])}`, file: rel });
    for (const m of text.matchAll(/\bt\((?!\s*')[^)\n]{0,40}/g)) dynamic.push(`${rel}: ${m[0]}`);
  }
  return { uses, dynamic };
}

const placeholders = (s: string): string => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort().join(',');

describe('webview i18n: the zh-cn dictionary', () => {
  const { uses, dynamic } = scanUses();

  it('finds the texts of every localised file', () => {
    const files = new Set(uses.map((u) => u.file));
    for (const f of [
      'ui/header.ts',
      'ui/welcome.ts',
      'ui/settingsPanel.ts',
      'ui/sections.ts',
      'ui/drawPanel.ts',
      'diagrams/pipeline.ts',
      'diagrams/lossChart.ts',
    ]) {
      assert.ok(files.has(path.join('src', 'webview', f)), `${f} calls t('…')`);
    }
    assert.ok(uses.length > 80, `${uses.length} texts found`);
  });

  it('has a zh-cn entry, with the same placeholders, for every text the webview shows', () => {
    // The only non-literal t() calls are models' names, taken from protocol's MODEL_LABELS.
    assert.deepEqual(dynamic.map((d) => d.replace(/^.*?: /, '')).sort(), ['t(MODEL_LABELS[m]', 't(MODEL_LABELS[s.model]'], dynamic.join('\n'));
    const keys = [...uses.map((u) => u.key), ...Object.values(MODEL_LABELS)];
    const missing = keys.filter((k) => !Object.prototype.hasOwnProperty.call(ZH_CN, k));
    assert.deepEqual([...new Set(missing)], [], `no zh-cn entry for: ${missing.join(' | ')}`);
    for (const k of keys) assert.equal(placeholders(ZH_CN[k]), placeholders(k.replace(/^[^|]*\|/, '')), `placeholders of "${k}"`);
  });

  it('translates into Chinese, and keeps no entry nothing uses', () => {
    const used = new Set([...uses.map((u) => u.key), ...Object.values(MODEL_LABELS), ...PENDING_MAIN]);
    assert.deepEqual(
      Object.keys(ZH_CN).filter((k) => !used.has(k)),
      [],
      'stale entries',
    );
    for (const [k, v] of Object.entries(ZH_CN)) {
      if (!SAME_IN_CHINESE.has(k)) assert.match(v, /[\u4e00-\u9fff]/, `"${k}" → "${v}" is Chinese`);
    }
  });

  it('picks Simplified Chinese for every zh-* display language and English for the rest', () => {
    for (const tag of ['zh-cn', 'zh-CN', 'zh-tw', 'zh-hk', 'zh']) assert.equal(pickLang(tag), 'zh-cn', tag);
    for (const tag of ['en', 'en-us', 'de', 'ja', 'zhx', '', undefined]) assert.equal(pickLang(tag), 'en', String(tag));
    assert.equal(translate('en', '{0} points', 42), '42 points');
    assert.equal(translate('zh-cn', '{0} points', 42), '42 个点');
    assert.equal(translate('zh-cn', 't {0}–{1}: loss {2}', 0, 99, '0.5'), 't 0–99：损失 0.5');
    assert.equal(translate('zh-cn', 'not a key {0}', 'x'), 'not a key x', 'unknown text falls back to English');
    assert.equal(translate('zh-cn', 'constructor'), 'constructor', 'no prototype lookups');
  });
});

// ------------------------------------------------------------------------------------------ in the browser

const config = (model: TrainConfig['model']): TrainConfig => ({
  model,
  backend: 'auto',
  autoencoder: { dataset: 'mnist', latentDim: 2, hiddenDim: 256, beta: 1, learningRate: 1e-3, batchSize: 64, seed: 1 },
  diffusion: {
    dataset: 'swiss-roll',
    schedule: 'linear',
    timesteps: 200,
    sampler: 'ddim',
    samplerSteps: 20,
    eta: 0,
    learningRate: 1e-3,
    batchSize: 256,
    seed: 1,
  },
});

const lastStatus = (msgs: FromWebview[]) => [...msgs].reverse().find((m): m is Extract<FromWebview, { type: 'status' }> => m.type === 'status')?.status;

async function waitFor<T>(p: WebviewPage, what: string, pick: (msgs: FromWebview[]) => T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pick(await p.page.evaluate(() => window.posted));
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; errors: ${p.errors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function send(p: WebviewPage, m: ToWebview): Promise<void> {
  await p.page.evaluate((msg) => window.postMessage(msg, '*'), m);
}

/** The Lab page (test/webview/lab/lab-entry.ts) with VS Code's display language `lang` on the body. */
async function openLab(lang: string, entryDir: string): Promise<WebviewPage> {
  const entry = path.join(entryDir, `lab-${lang}.ts`);
  writeFileSync(
    entry,
    `document.body.dataset.lang = ${JSON.stringify(lang)};\nvoid import(${JSON.stringify(path.join(REPO_ROOT, 'test', 'webview', 'lab', 'lab-entry'))});\n`,
  );
  const p = await openPage({
    entry,
    styles: ['/test/webview/fixtures/vscode-dark.css', '/media/css/lab.css', '/media/css/diagrams.css'],
    viewport: { width: 360, height: 1600 },
  });
  await waitFor(p, 'ready', (m) => (m.some((x) => x.type === 'ready') ? true : undefined));
  return p;
}

/** What a user reads in the places this test checks. */
async function visibleTexts(p: WebviewPage) {
  const text = (sel: string) =>
    p.page
      .locator(sel)
      .first()
      .textContent()
      .then((s) => (s ?? '').trim());
  return p.page
    .evaluate(() => ({
      labels: [...document.querySelectorAll('.lab-field vscode-label')].map((e) => e.textContent?.trim() ?? ''),
      sections: [...document.querySelectorAll('vscode-collapsible[data-section]')].map((e) => e.getAttribute('title') ?? ''),
      metrics: [...document.querySelectorAll('.lab-metric dt')].map((e) => e.textContent?.trim() ?? ''),
    }))
    .then(async (o) => ({
      ...o,
      pause: await text('[data-testid="pause"]'),
      stepOnce: await text('[data-testid="step-once"]'),
      reset: await text('[data-testid="reset"]'),
      notes: await text('[data-testid="open-notes"]'),
      state: await text('[data-testid="state"]'),
      model: await text('[data-testid="model"]'),
    }));
}

/**
 * Text nodes, tooltips and labels on the page that read as the English of a text that has a Chinese translation
 * (main.ts's own texts aside, until it calls t()).
 */
async function untranslated(p: WebviewPage): Promise<string[]> {
  const english = Object.keys(ZH_CN).filter((k) => !k.includes('|') && !k.includes('{') && ZH_CN[k] !== k && !PENDING_MAIN.has(k));
  return p.page.evaluate((keys) => {
    const set = new Set(keys);
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (set.has((n.textContent ?? '').trim())) out.push(n.textContent ?? '');
    for (const el of document.querySelectorAll('[title], [aria-label]')) {
      for (const a of ['title', 'aria-label']) if (set.has(el.getAttribute(a) ?? '')) out.push(`${a}=${el.getAttribute(a)}`);
    }
    return out;
  }, english);
}

describe('webview i18n: the Lab view in English and Simplified Chinese (headless Chromium)', function () {
  this.timeout(240_000);
  let p: WebviewPage | undefined;
  let entryDir: string;

  before(() => {
    if (!process.env.LATENT_LAB_SKIP_BUILD) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
    entryDir = mkdtempSync(path.join(tmpdir(), 'll-i18n-'));
  });

  afterEach(async function () {
    if (p && this.currentTest?.state === 'failed') {
      mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
      await p.page
        .screenshot({ path: path.join(REPO_ROOT, 'test-output', `i18n-${this.currentTest.title.replace(/\W+/g, '-')}.png`), fullPage: true })
        .catch(() => undefined);
    }
    await p?.close();
    p = undefined;
  });

  after(() => rmSync(entryDir, { recursive: true, force: true }));

  it('zh-cn: the welcome, header buttons, settings labels and section titles are in Chinese while a VAE trains', async () => {
    p = await openLab('zh-cn', entryDir);
    const welcome = p.page.locator('[data-testid="welcome"]');
    assert.match((await welcome.textContent()) ?? '', /训练自编码器、VAE 或扩散模型/);
    assert.equal((await p.page.textContent('[data-testid="welcome-trainVae"]'))?.trim(), '训练 VAE');
    assert.equal((await p.page.textContent('[data-testid="welcome-openNotes"]'))?.trim(), '打开笔记');
    mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-welcome-zh-cn.png') });

    await send(p, { type: 'train', runId: 1, config: config('vae'), checkpoint: null, base: null, startPaused: false });
    await waitFor(p, 'step > 20', (m) => ((lastStatus(m)?.step ?? 0) > 20 ? true : undefined));
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid="latent"] circle').length >= 100, undefined, { timeout: 60_000 });
    await p.page.waitForSelector('[data-testid="gallery"] canvas', { timeout: 30_000 });
    const v = await visibleTexts(p);
    assert.deepEqual([v.pause, v.stepOnce, v.reset, v.notes], ['暂停', '单步', '重置', '笔记']);
    assert.equal(v.state, '训练中');
    assert.equal(v.model, 'VAE');
    assert.deepEqual(v.metrics, ['步数', '轮次', '损失', '样本/秒']);
    assert.deepEqual(v.labels, ['数据集', '潜变量维度', 'β（KL 权重）', '学习率', '批大小', '后端']);
    assert.deepEqual(v.sections, ['计算流程', '损失', '潜空间', '重构与采样']);
    assert.deepEqual(await p.page.locator('[data-testid=pipeline] .ll-legend-item').allTextContents(), ['前向', '梯度', '随机，无 ∇']);
    assert.deepEqual(await p.page.locator('[data-testid=loss-chart-panel] .ll-legend-entry').allTextContents(), ['重构', 'KL', '总计']);

    assert.deepEqual(await untranslated(p), [], 'untranslated text');

    await p.page.evaluate(() => document.querySelector('details.lab-settings-box')?.setAttribute('open', ''));
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-vae-zh-cn.png'), fullPage: true });
    await p.page.click('[data-testid="pause"]');
    await waitFor(p, 'paused', (m) => (lastStatus(m)?.state === 'paused' ? true : undefined));
    await p.page.waitForFunction(() => document.querySelector('[data-testid="state"]')?.textContent === '已暂停', undefined, { timeout: 10_000 });
    assert.equal((await p.page.textContent('[data-testid="pause"]'))?.trim(), '继续');
    assert.deepEqual(
      p.errors.filter((e) => !/Failed to load resource: .*404/.test(e)),
      [],
    );
  });

  it('zh-cn: the diffusion sections, the forward and reverse processes and the drawing panel are in Chinese', async () => {
    p = await openLab('zh-cn', entryDir);
    const ddpm = config('ddpm');
    ddpm.backend = 'wasm';
    await send(p, { type: 'train', runId: 2, config: ddpm, checkpoint: null, base: null, startPaused: false });
    await waitFor(p, 'ddpm step > 50', (m) => ((lastStatus(m)?.step ?? 0) > 50 ? true : undefined));
    await p.page.waitForSelector('[data-testid="reverse"] circle', { timeout: 60_000 });
    await p.page.waitForSelector('[data-testid="timestep-loss"] rect.ll-bar', { timeout: 30_000 });
    await p.page.evaluate(() => ((document.querySelector('[data-section="draw"]') as HTMLElement & { open: boolean }).open = true));
    const v = await visibleTexts(p);
    assert.deepEqual(v.sections, [
      '计算流程',
      '损失',
      '前向过程 q(xₜ | x₀)',
      '反向过程（采样）',
      '噪声调度',
      '各时间步的损失',
      '样本质量（到数据的切片 Wasserstein 距离，越低越好）',
      '绘制你自己的数据',
    ]);
    assert.deepEqual(v.labels, ['数据', '噪声调度', '步数 T', '采样器', 'DDIM 步数', 'DDIM η（随机性）', '学习率', '后端']);
    assert.match((await p.page.textContent('[data-testid="forward-formula"]')) ?? '', /信号方差保留的比例/);
    assert.match((await p.page.textContent('[data-testid="reverse-play"]')) ?? '', /播放/);
    assert.equal((await p.page.textContent('[data-testid="draw-count"]'))?.trim(), '0 个点');
    assert.equal((await p.page.textContent('[data-testid="draw-train"]'))?.trim(), '用我的绘图训练');
    assert.deepEqual(await untranslated(p), [], 'untranslated text');
    mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
    await p.page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'webview-ddpm-zh-cn.png'), fullPage: true });
  });

  it("zh-cn: every model's pipeline keeps its Chinese captions inside its cards at 300px and 420px", async () => {
    const entry = path.join(entryDir, 'diagrams-zh-cn.ts');
    writeFileSync(
      entry,
      `document.body.dataset.lang = 'zh-cn';\nvoid import(${JSON.stringify(path.join(REPO_ROOT, 'test', 'webview', 'fixtures', 'diagrams-entry'))});\n`,
    );
    p = await openPage({ entry, styles: ['/test/webview/fixtures/vscode-dark.css', '/media/css/diagrams.css'], viewport: { width: 380, height: 900 } });
    await p.page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
    const ev = <T>(expr: string) => p!.page.evaluate(expr) as Promise<T>;
    for (const width of [300, 420]) {
      await ev(`fixture.setPipelineWidth(${width})`);
      await ev('fixture.nextFrame()');
      for (const m of ['ae', 'vae', 'ddpm', 'ldm']) {
        await ev(`fixture.setModel("${m}", 700)`);
        assert.deepEqual(await ev<string[]>('fixture.layoutIssues()'), [], `${m} at ${width}px`);
        // The closing note wraps between Chinese characters and stays within the diagram's width.
        const note = await p.page
          .locator('[data-testid=pipeline] text.ll-legend-note')
          .evaluateAll((ts) => ts.map((t) => ({ text: t.textContent ?? '', w: (t as SVGTextElement).getComputedTextLength() })));
        assert.ok(note.length >= 1 && /[\u4e00-\u9fff]/.test(note[0].text), `${m} note is Chinese: ${JSON.stringify(note)}`);
        for (const line of note) assert.ok(line.w <= width - 12, `${m} at ${width}px: note line "${line.text}" is ${line.w.toFixed(0)}px wide`);
        assert.ok(
          note[note.length - 1].text.endsWith(m === 'ae' ? '先验' : m === 'vae' ? '没有梯度' : '得到 ∇'),
          `${m} at ${width}px: the whole note is shown`,
        );
      }
      mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
      await p.page.locator('[data-testid=pipeline]').screenshot({ path: path.join(REPO_ROOT, 'test-output', `pipeline-ldm-zh-cn-${width}.png`) });
    }
  });

  it("zh-cn: the worker's own messages are in Chinese: loading, and a NaN loss with its step", async () => {
    p = await openLab('zh-cn', entryDir);
    const bad = config('vae');
    bad.backend = 'cpu';
    bad.autoencoder.learningRate = 1e6;
    bad.autoencoder.hiddenDim = 32;
    await send(p, { type: 'train', runId: 3, config: bad, checkpoint: null, base: null, startPaused: false });
    const loading = await waitFor(
      p,
      'loading status',
      (m) => m.find((x): x is Extract<FromWebview, { type: 'status' }> => x.type === 'status' && x.status.state === 'loading')?.status,
    );
    assert.equal(loading.message, translate('zh-cn', 'Choosing a backend and loading data…'));
    const s = await waitFor(p, 'error state', (m) => (lastStatus(m)?.state === 'error' ? lastStatus(m) : undefined), 120_000);
    assert.match(s.message ?? '', /^第 \d+ 步的损失变成了 (NaN|Infinity|-Infinity)（学习率 1000000）。训练已暂停。/);
    assert.match((await p.page.textContent('[data-testid="message"]')) ?? '', /请降低学习率/);
  });

  it('en: the same places read English, and the run state keeps its own word', async () => {
    p = await openLab('en', entryDir);
    assert.match((await p.page.textContent('[data-testid="welcome"]')) ?? '', /Train an autoencoder, a VAE or a diffusion model/);
    assert.equal((await p.page.textContent('[data-testid="welcome-trainVae"]'))?.trim(), 'Train VAE');
    await send(p, { type: 'train', runId: 4, config: config('vae'), checkpoint: null, base: null, startPaused: true });
    await waitFor(p, 'paused', (m) => (lastStatus(m)?.state === 'paused' ? true : undefined));
    await p.page.waitForFunction(() => document.querySelector('[data-testid="state"]')?.textContent === 'paused', undefined, { timeout: 10_000 });
    const v = await visibleTexts(p);
    assert.deepEqual([v.pause, v.stepOnce, v.reset, v.notes], ['Resume', 'Step', 'Reset', 'Notes']);
    assert.deepEqual(v.metrics, ['Step', 'Epoch', 'Loss', 'Samples/s']);
    assert.deepEqual(v.labels, ['Dataset', 'Latent size', 'β (KL weight)', 'Learning rate', 'Batch size', 'Backend']);
    assert.deepEqual(v.sections, ['Pipeline', 'Loss', 'Latent space', 'Reconstructions and samples']);
  });
});
