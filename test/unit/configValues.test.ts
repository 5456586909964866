import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { changedSettings, configFrom, settingValues, type SettingReader } from '../../src/domain/settings';

const ROOT = path.join(__dirname, '..', '..');
const properties = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown; enum?: string[] }> } };
  }
).contributes.configuration.properties;

/** A reader over `values` (keys without the latentLab. prefix) that falls back as VS Code does. */
const reader =
  (values: Record<string, unknown>): SettingReader =>
  <T>(key: string, fallback: T) =>
    (key in values ? values[key] : fallback) as T;

/** What VS Code returns for a user who changed nothing: the manifest's defaults. */
const manifestDefaults = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k.replace(/^latentLab\./, ''), p.default]));

describe('run configuration from settings', () => {
  it("reads the manifest's defaults unchanged and reports nothing", () => {
    const { config, invalid } = configFrom('vae', reader(manifestDefaults));
    assert.deepEqual(invalid, []);
    assert.equal(config.autoencoder.dataset, manifestDefaults.dataset);
    assert.equal(config.autoencoder.latentDim, manifestDefaults.latentDim);
    assert.equal(config.diffusion.dataset, manifestDefaults['diffusion.dataset']);
    assert.equal(config.diffusion.timesteps, manifestDefaults['diffusion.timesteps']);
    assert.equal(config.backend, manifestDefaults.backend);
  });

  it('accepts every value each enum setting of the manifest offers, and the same defaults when a setting is unset', () => {
    for (const [key, p] of Object.entries(properties)) {
      if (!p.enum) continue;
      const short = key.replace(/^latentLab\./, '');
      for (const value of p.enum) {
        const { invalid } = configFrom('ddpm', reader({ [short]: value }));
        assert.deepEqual(
          invalid.filter((x) => x.key === short),
          [],
          `${key} = ${value}`,
        );
      }
    }
    assert.deepEqual(configFrom('ddpm', reader({})).config, configFrom('ddpm', reader(manifestDefaults)).config);
  });

  it('replaces a value a setting cannot take with its default and reports it', () => {
    const { config, invalid } = configFrom('ddpm', reader({ 'diffusion.dataset': 'cifar-10', backend: 'tpu', dataset: 42, 'diffusion.schedule': 'cosine' }));
    assert.equal(config.diffusion.dataset, 'swiss-roll');
    assert.equal(config.backend, 'auto');
    assert.equal(config.autoencoder.dataset, 'mnist');
    assert.equal(config.diffusion.schedule, 'cosine');
    assert.deepEqual(
      invalid.map((x) => [x.key, x.value, x.used]),
      [
        ['backend', 'tpu', 'auto'],
        ['dataset', 42, 'mnist'],
        ['diffusion.dataset', 'cifar-10', 'swiss-roll'],
      ],
    );
  });

  it('clamps numbers into range, rounds integers, and replaces what is not a number', () => {
    const { config, invalid } = configFrom(
      'vae',
      reader({ latentDim: 500, batchSize: 31.6, beta: -2, learningRate: '0.01', 'diffusion.eta': 3, 'diffusion.timesteps': NaN }),
    );
    assert.equal(config.autoencoder.latentDim, 64);
    assert.equal(config.autoencoder.batchSize, 32);
    assert.equal(config.autoencoder.beta, 0);
    assert.equal(config.autoencoder.learningRate, 1e-3);
    assert.equal(config.diffusion.eta, 1);
    assert.equal(config.diffusion.timesteps, 1000);
    assert.deepEqual(invalid.map((x) => x.key).sort(), ['diffusion.timesteps', 'learningRate']);
  });

  it('names a real setting for every part of a configuration, and reading back what it names gives the configuration again', () => {
    const { config } = configFrom(
      'ddpm',
      reader({ ...manifestDefaults, dataset: 'digits-8x8', latentDim: 8, seed: 7, 'diffusion.batchSize': 256, 'diffusion.schedule': 'cosine' }),
    );
    const values = settingValues(config);
    for (const [key] of values) assert.ok(`latentLab.${key}` in properties, `latentLab.${key} is contributed`);
    const { config: again, invalid } = configFrom('ddpm', reader(Object.fromEntries(values)));
    assert.deepEqual(invalid, []);
    assert.deepEqual(again, config);
  });

  it('lists only the settings that differ, and never writes a drawing as the data setting', () => {
    const { config: prev } = configFrom('ddpm', reader(manifestDefaults));
    const next = { ...prev, autoencoder: { ...prev.autoencoder, beta: 4 }, diffusion: { ...prev.diffusion, timesteps: 200, dataset: 'drawn' as const } };
    assert.deepEqual(changedSettings(next, prev), [
      ['beta', 4],
      ['diffusion.timesteps', 200],
    ]);
    assert.deepEqual(changedSettings(prev, prev), []);
  });
});
