import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isModelKind, MODEL_KIND_LIST, MODEL_KINDS, MODEL_LABELS, modelOfCommandName } from '../../src/domain/modelKinds';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };

describe('model kinds', () => {
  it('names a command of the manifest for every model', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const m of MODEL_KIND_LIST)
      assert.ok(contributed.has(MODEL_KINDS[m].command), `${m}: ${MODEL_KINDS[m].command} is in package.json contributes.commands`);
  });

  it('gives every model its own command, webview name and label', () => {
    for (const key of ['command', 'commandName', 'label', 'shortLabel'] as const) {
      const values = MODEL_KIND_LIST.map((m) => MODEL_KINDS[m][key]);
      assert.equal(new Set(values).size, values.length, `${key}: ${values.join(', ')}`);
    }
    for (const m of MODEL_KIND_LIST) assert.equal(MODEL_KINDS[m].command, `latentLab.${MODEL_KINDS[m].commandName}`);
  });

  it('points every model at a bundled note in each language', () => {
    for (const m of MODEL_KIND_LIST) {
      for (const lang of ['en', 'zh-cn'])
        assert.ok(existsSync(path.join(ROOT, 'media', 'notes', lang, MODEL_KINDS[m].note)), `${m}: ${lang}/${MODEL_KINDS[m].note}`);
    }
  });

  it('derives the labels and the lookups from the table', () => {
    assert.deepEqual(MODEL_LABELS, { ae: 'Autoencoder', vae: 'VAE', ddpm: 'DDPM', ldm: 'Latent diffusion' });
    assert.deepEqual(MODEL_KIND_LIST, ['ae', 'vae', 'ddpm', 'ldm']);
    assert.equal(modelOfCommandName('trainLdm'), 'ldm');
    assert.equal(modelOfCommandName('openNotes'), undefined);
    assert.ok(isModelKind('ddpm'));
    assert.ok(!isModelKind('toString') && !isModelKind(undefined) && !isModelKind('VAE'));
  });

  it('shows the same sections for models of one family, and the Sample button for the diffusion models', () => {
    for (const m of MODEL_KIND_LIST) {
      const { family, sections, samplesOnDemand } = MODEL_KINDS[m];
      assert.equal(samplesOnDemand, family === 'diffusion', m);
      assert.deepEqual(sections.slice(0, 2), ['pipeline', 'loss'], m);
      for (const other of MODEL_KIND_LIST)
        if (MODEL_KINDS[other].family === family) assert.deepEqual(MODEL_KINDS[other].sections, sections, `${m} and ${other}`);
    }
  });
});
