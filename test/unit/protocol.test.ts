// The extension does not trust the webview: every message is checked field by field on arrival, and one that
// fails is refused with a reason (never thrown in a listener).
import { strict as assert } from 'node:assert';
import { fromWebviewProblem, isToWebview, type FromWebview } from '../../src/protocol';

const status = { model: 'vae', state: 'training', step: 12, epoch: 0, loss: 180.5, samplesPerSec: 4000, backend: 'wasm' };
const snapshot = {
  name: 'z',
  model: 'vae',
  step: 12,
  shape: [64, 2],
  dtype: 'float32',
  stats: { mean: 0, std: 1, min: -2, max: 2 },
  histogram: { min: -2, max: 2, counts: [1, 2] },
  preview: { shape: [4, 2], data: [0, 1, 0, 1, 0, 1, 0, 1] },
};
const checkpoint = { version: 1, model: 'vae', config: {}, step: 12, epoch: 0, weights: [], optimizer: [], lossHistory: [], savedAt: 1 };
const config = { model: 'vae', backend: 'auto', autoencoder: {}, diffusion: {} };

const wellFormed: FromWebview[] = [
  { type: 'ready' },
  { type: 'status', runId: 3, status: status as never },
  { type: 'backend', runId: 3, report: { chosen: 'wasm', reason: 'fastest', probes: [], forced: false } },
  { type: 'snapshots', runId: 3, snapshots: [snapshot as never] },
  { type: 'checkpoint', runId: 3, checkpoint: checkpoint as never },
  { type: 'applied', requestId: 1, values: { beta: 1, 'diffusion.sampler': 'ddim' } },
  { type: 'revealEquation', tensor: 'sigma' },
  { type: 'control', action: 'togglePause' },
  { type: 'runCommand', command: 'trainDdpm' },
  { type: 'configChanged', config: config as never },
  {
    type: 'draw',
    points: [
      [0, 1],
      [2, 3],
    ],
  },
  { type: 'log', level: 'warn', message: 'hello' },
];

describe('messages from the webview, checked on arrival', () => {
  it('accepts every well-formed message', () => {
    for (const m of wellFormed) assert.equal(fromWebviewProblem(m), undefined, JSON.stringify(m));
  });

  const hostile: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a prototype name as type', { type: 'toString' }],
    ['__proto__ as type', JSON.parse('{"type":"__proto__"}')],
    ['a status without a run', { type: 'status', status }],
    ['a status of an unknown model', { type: 'status', runId: 1, status: { ...status, model: 'gan' } }],
    ['a status with a negative step', { type: 'status', runId: 1, status: { ...status, step: -1 } }],
    ['a status with a string loss', { type: 'status', runId: 1, status: { ...status, loss: '1' } }],
    ['snapshots that are not a list', { type: 'snapshots', runId: 1, snapshots: snapshot }],
    ['a snapshot without a preview', { type: 'snapshots', runId: 1, snapshots: [{ ...snapshot, preview: undefined }] }],
    ['a checkpoint of another version', { type: 'checkpoint', runId: 1, checkpoint: { ...checkpoint, version: 2 } }],
    ['a checkpoint without weights', { type: 'checkpoint', runId: 1, checkpoint: { ...checkpoint, weights: 'x' } }],
    ['a fractional run id', { type: 'checkpoint', runId: 1.5, checkpoint }],
    ['an unknown control', { type: 'control', action: 'format disk' }],
    ['a command outside the list', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a drawing with NaN', { type: 'draw', points: [[0, NaN]] }],
    ['a drawing with a point of three numbers', { type: 'draw', points: [[0, 1, 2]] }],
    ['an endless drawing', { type: 'draw', points: Array.from({ length: 20_000 }, () => [0, 0]) }],
    ['a log at an unknown level', { type: 'log', level: 'debug', message: 'x' }],
    ['a settings change without a configuration', { type: 'configChanged' }],
    ['an empty tensor name', { type: 'revealEquation', tensor: '' }],
  ];
  for (const [what, m] of hostile) {
    it(`refuses ${what}, with a reason`, () => {
      const problem = fromWebviewProblem(m);
      assert.equal(typeof problem, 'string');
      assert.ok(problem!.length > 0);
    });
  }

  it("the webview takes only the extension's message types", () => {
    assert.equal(isToWebview({ type: 'train', runId: 1 }), true);
    assert.equal(isToWebview({ type: 'eval' }), false);
    assert.equal(isToWebview(null), false);
  });
});
