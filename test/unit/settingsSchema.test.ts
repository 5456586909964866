// The settings schema (src/domain/settings.ts) against the manifest and the texts it names, and what it derives:
// which changes rebuild the model, which learning rate each family trains with, and the panel's offers.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ModelKind, TrainConfig } from '../../src/domain/config';
import { MODEL_KIND_LIST } from '../../src/domain/modelKinds';
import {
  accept,
  ALL_SETTINGS,
  configFrom,
  learningRateKey,
  needsRebuild,
  RUN_SETTINGS,
  settingValues,
  withSetting,
  type RunSetting,
  type SettingDeclaration,
  type SettingReader,
} from '../../src/domain/settings';
import { SETTING_TEXTS_ZH_CN, translate, ZH_CN } from '../../src/webview/i18n';

const ROOT = path.join(__dirname, '..', '..');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as T;

type ManifestProperty = Record<string, unknown>;
const properties = readJson<{ contributes: { configuration: { properties: Record<string, ManifestProperty> } } }>('package.json').contributes.configuration
  .properties;
const nls = { en: readJson<Record<string, string>>('package.nls.json'), 'zh-cn': readJson<Record<string, string>>('package.nls.zh-cn.json') };

const unset: SettingReader = <T>(_key: string, fallback: T) => fallback;
const defaults = (model: ModelKind): TrainConfig => configFrom(model, unset).config;

/** The manifest property that declares `s`, as JSON schema writes it. */
function manifestOf(s: SettingDeclaration): ManifestProperty {
  const description = `%config.${s.key}%`;
  if (s.type === 'choice') return { type: 'string', enum: [...s.choices], default: s.default, description };
  return { type: s.type, default: s.default, minimum: s.min, maximum: s.max, description };
}

/** A value `s` can take other than the one `config` has. */
function otherValue(s: RunSetting, config: TrainConfig): string | number {
  const now = s.read(config);
  if (s.type === 'choice') return s.choices.find((c) => c !== now)!;
  return now === s.max ? s.min : s.max;
}

/** Texts the panel shows as they are in Chinese too (names). */
const NAMES = new Set(['Fashion-MNIST', 'WebGPU', 'WebGL', 'WASM', 'DDIM', 'MNIST (U-Net)', 'Fashion-MNIST (U-Net)']);

function panelTexts(): string[] {
  return RUN_SETTINGS.flatMap((s) => {
    const p = s.panel;
    if (!p) return [];
    return [p.label, ...Object.values(p.labelFor ?? {}), ...(p.hint ? [p.hint] : []), ...p.options.flatMap((o) => (o.label ? [o.label] : []))];
  });
}

describe('settings schema', () => {
  it('declares exactly the settings the manifest contributes, in its order, each with its type, default, bounds or choices', () => {
    assert.deepEqual(
      Object.keys(properties),
      ALL_SETTINGS.map((s) => `latentLab.${s.key}`),
    );
    for (const s of ALL_SETTINGS) {
      const p = { ...properties[`latentLab.${s.key}`] };
      // The settings editor renders one of the two; either names the same text.
      if ('markdownDescription' in p) {
        p.description = p.markdownDescription;
        delete p.markdownDescription;
      }
      assert.deepEqual(p, manifestOf(s), `latentLab.${s.key}`);
    }
  });

  it('describes every setting in English and in Chinese', () => {
    for (const s of ALL_SETTINGS) {
      for (const [lang, texts] of Object.entries(nls)) assert.ok(texts[`config.${s.key}`]?.trim(), `${lang}: config.${s.key}`);
      assert.match(nls['zh-cn'][`config.${s.key}`], /[\u4e00-\u9fff]/, `zh-cn: config.${s.key}`);
    }
  });

  it('takes every default as it is, and keys every setting once', () => {
    for (const s of ALL_SETTINGS) assert.equal(accept(s, s.default), s.default, s.key);
    assert.equal(new Set(ALL_SETTINGS.map((s) => s.key)).size, ALL_SETTINGS.length);
  });

  it('reads each learning rate from its own setting and writes each setting into its own part of the configuration only', () => {
    const { config } = configFrom(
      'ldm',
      (<T>(key: string, fallback: T) => ({ learningRate: 0.01, 'diffusion.learningRate': 0.002 })[key] ?? fallback) as SettingReader,
    );
    assert.equal(config.autoencoder.learningRate, 0.01);
    assert.equal(config.diffusion.learningRate, 0.002);
    const base = defaults('ldm');
    for (const s of RUN_SETTINGS) {
      const value = otherValue(s, base);
      const changed = new Map(settingValues(withSetting(base, s, value)));
      for (const [key, before] of settingValues(base)) assert.equal(changed.get(key), key === s.key ? value : before, `writing ${s.key} leaves ${key} alone`);
    }
  });

  it('learning rate: the autoencoders train with latentLab.learningRate, the diffusion models with latentLab.diffusion.learningRate', () => {
    assert.deepEqual(
      MODEL_KIND_LIST.map((m) => [m, learningRateKey(m)]),
      [
        ['ae', 'learningRate'],
        ['vae', 'learningRate'],
        ['ddpm', 'diffusion.learningRate'],
        ['ldm', 'diffusion.learningRate'],
      ],
    );
    for (const m of MODEL_KIND_LIST) {
      const s = RUN_SETTINGS.find((x) => x.key === learningRateKey(m))!;
      assert.ok(s.models.includes(m) && s.effect === 'live', `${s.key} is a live setting of ${m}`);
    }
  });
});

describe('needsRebuild, from the schema', () => {
  const REBUILDING = ['backend', 'dataset', 'latentDim', 'hiddenDim', 'seed', 'diffusion.dataset', 'diffusion.schedule', 'diffusion.timesteps'];

  it('marks as rebuilding the settings that shape the model or its data, and the rest as live', () => {
    assert.deepEqual(
      RUN_SETTINGS.filter((s) => s.effect === 'rebuild').map((s) => s.key),
      REBUILDING,
    );
    assert.deepEqual(
      RUN_SETTINGS.filter((s) => s.effect === 'live').map((s) => s.key),
      ['beta', 'learningRate', 'batchSize', 'diffusion.sampler', 'diffusion.samplerSteps', 'diffusion.eta', 'diffusion.learningRate', 'diffusion.batchSize'],
    );
  });

  for (const model of MODEL_KIND_LIST) {
    it(`${model}: each rebuild setting rebuilds, each live one does not, nor does no change`, () => {
      const base = defaults(model);
      assert.equal(needsRebuild(base, { ...base }), false);
      for (const s of RUN_SETTINGS) {
        const next = withSetting(base, s, otherValue(s, base));
        assert.equal(needsRebuild(next, base), s.effect === 'rebuild', `${s.key} (${s.effect})`);
        assert.equal(needsRebuild(base, next), s.effect === 'rebuild', `${s.key} back`);
      }
    });
  }

  it('rebuilds on another model kind', () => {
    assert.equal(needsRebuild(defaults('vae'), defaults('ae')), true);
    assert.equal(needsRebuild(defaults('ddpm'), defaults('ldm')), true);
  });
});

describe("the settings panel's offers", () => {
  it('offers only values its setting takes as they are, and only to models that use the setting', () => {
    for (const s of RUN_SETTINGS) {
      if (!s.panel) continue;
      for (const m of s.panel.models) assert.ok(s.models.includes(m), `${s.key} shown for ${m}, which does not use it`);
      for (const o of s.panel.options) {
        const parsed = s.type === 'choice' ? o.value : Number(o.value);
        assert.equal(accept(s, parsed), parsed, `${s.key} offers ${o.value}`);
        assert.equal(String(parsed), o.value);
      }
    }
  });

  it('gives no two fields of a model the same label', () => {
    for (const m of MODEL_KIND_LIST) {
      const labels = RUN_SETTINGS.filter((s) => s.panel?.models.includes(m)).map((s) => s.panel!.labelFor?.[m] ?? s.panel!.label);
      assert.equal(new Set(labels).size, labels.length, `${m}: ${labels.join(', ')}`);
    }
  });

  it('has a Chinese text for every label, choice and hint, and keeps no text nothing shows', () => {
    const texts = new Set(panelTexts());
    for (const text of texts) {
      if (NAMES.has(text)) continue;
      assert.ok(text in SETTING_TEXTS_ZH_CN || text in ZH_CN, `no zh-cn text for "${text}"`);
      assert.match(translate('zh-cn', text), /[\u4e00-\u9fff]/, `"${text}" in Chinese`);
    }
    assert.deepEqual(
      Object.keys(SETTING_TEXTS_ZH_CN).filter((k) => !texts.has(k)),
      [],
      'entries no setting shows',
    );
    assert.deepEqual(
      Object.keys(SETTING_TEXTS_ZH_CN).filter((k) => k in ZH_CN),
      [],
      'entries already in ZH_CN',
    );
  });
});
