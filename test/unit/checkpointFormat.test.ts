import { strict as assert } from 'node:assert';
import { validateCheckpoint } from '../../src/extension/checkpointFormat';

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
