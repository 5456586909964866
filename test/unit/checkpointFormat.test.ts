import { strict as assert } from 'node:assert';
import { parseModelFile, validateCheckpoint } from '../../src/domain/checkpointFormat';

const good = () => ({
  version: 1,
  model: 'vae',
  config: { model: 'vae' },
  step: 120,
  epoch: 1,
  weights: [{ name: 'enc/W', shape: [2, 2], data: 'AAAAAAAAAAAAAAAAAAAAAA==' }],
  optimizer: [{ name: 't', shape: [], data: 'AAAAAA==' }],
  lossHistory: [{ step: 1, loss: 500, terms: {} }],
  savedAt: 0,
});

describe('checkpoint file validation', () => {
  it('accepts a well-formed checkpoint of the asked model', () => {
    assert.equal(validateCheckpoint(good(), 'vae').step, 120);
  });

  const cases: [string, (c: Record<string, unknown>) => unknown, RegExp][] = [
    ['not an object', () => 'text', /not an object/],
    ['another version', (c) => ({ ...c, version: 2 }), /unknown version 2/],
    ['another model', (c) => c, /holds a vae model/],
    ['a negative step', (c) => ({ ...c, step: -1 }), /bad step/],
    ['weights missing', (c) => ({ ...c, weights: undefined }), /missing weights/],
    ['a malformed weight', (c) => ({ ...c, weights: [{ name: 'w', shape: 'x', data: '' }] }), /malformed weight/],
    ['no loss history', (c) => ({ ...c, lossHistory: null }), /missing config or loss history/],
  ];
  for (const [what, make, message] of cases) {
    it(`rejects ${what} with a clear message`, () => {
      assert.throws(() => validateCheckpoint(make(good()), what === 'another model' ? 'ddpm' : 'vae'), message);
    });
  }
});

describe('a model file chosen by the user', () => {
  const file = (over: Record<string, unknown> = {}) => JSON.stringify({ ...good(), config: { model: 'vae', autoencoder: {}, diffusion: {} }, ...over });

  it('reads a checkpoint of any model, with the settings it was trained with', () => {
    assert.equal(parseModelFile(file()).model, 'vae');
    assert.equal(parseModelFile(file({ model: 'ldm' })).model, 'ldm');
  });

  const cases: [string, string, RegExp][] = [
    ['text that is not JSON', 'weights: 1', /not JSON/],
    ['JSON of no known model', file({ model: 'gan' }), /no known model \("gan"\)/],
    ['a JSON array', '[1, 2]', /no known model/],
    ['null', 'null', /no known model/],
    ['a checkpoint without its settings', file({ config: { model: 'vae' } }), /missing the settings/],
    ['a truncated file', file().slice(0, 80), /not JSON/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what} with a clear message`, () => assert.throws(() => parseModelFile(text), message));
  }
});
