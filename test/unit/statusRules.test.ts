import { strict as assert } from 'node:assert';
import type { RunStatus } from '../../src/domain/run';
import { wasResetInView } from '../../src/extension/statusRules';

const status = (over: Partial<RunStatus>): RunStatus => ({ model: 'vae', state: 'training', step: 500, epoch: 3, loss: 150, samplesPerSec: 4000, backend: 'wasm', ...over });

describe('what a worker status says about the run before it', () => {
  it("the view's Reset: a training run back at step 0 voids the old checkpoint", () => {
    assert.equal(wasResetInView(status({}), status({ step: 0, loss: null })), true);
  });

  const keeps: [string, RunStatus | undefined, RunStatus][] = [
    ['a run loading a checkpoint (the view re-opened, an import, a lost GPU)', status({}), status({ state: 'loading', step: 0 })],
    ['a NaN loss rolled back to the last good step', status({}), status({ state: 'error', step: 300 })],
    ['a fresh run going from loading to training at step 0', status({ state: 'loading', step: 0 }), status({ step: 0 })],
    ['another model starting', status({ model: 'ddpm' }), status({ step: 0 })],
    ['the first status of the session', undefined, status({ step: 0 })],
    ['a run going on', status({}), status({ step: 520 })],
  ];
  for (const [what, prev, next] of keeps) {
    it(`keeps the checkpoint for ${what}`, () => assert.equal(wasResetInView(prev, next), false));
  }
});
