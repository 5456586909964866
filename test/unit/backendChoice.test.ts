// Which backend a run starts on, when a measured one takes over, and what is remembered for the next run.
import { strict as assert } from 'node:assert';
import {
  backendKey,
  fasterBackend,
  fingerprint,
  isSoftwareGpu,
  planBackend,
  remember,
  type BackendEnvironment,
  type RememberedBackend,
} from '../../src/domain/backendChoice';
import type { TrainConfig } from '../../src/domain/config';

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  model: 'vae',
  backend: 'auto',
  autoencoder: { dataset: 'mnist', latentDim: 2, hiddenDim: 512, beta: 1, learningRate: 1e-3, batchSize: 128, seed: 1 },
  diffusion: {
    dataset: 'swiss-roll',
    schedule: 'linear',
    timesteps: 1000,
    sampler: 'ddim',
    samplerSteps: 50,
    eta: 0,
    learningRate: 1e-3,
    batchSize: 512,
    seed: 1,
  },
  ...over,
});

const cpuOnly: BackendEnvironment = {
  fingerprint: fingerprint('none', 'Google SwiftShader', '4.22.0'),
  candidates: [],
  passedOver: [
    { name: 'webgpu', ok: false, detail: 'no WebGPU adapter' },
    { name: 'webgl', ok: false, detail: 'software renderer' },
  ],
};
const withGpu: BackendEnvironment = {
  fingerprint: fingerprint('nvidia hopper H200', 'ANGLE (NVIDIA H200)', '4.22.0'),
  candidates: ['webgpu', 'webgl'],
  passedOver: [],
};
const measured = (env: BackendEnvironment, chosen: RememberedBackend['chosen'], key = backendKey(config())): RememberedBackend =>
  remember(key, env, chosen, [{ name: chosen, ok: true, stepMs: 5 }], Date.UTC(2026, 11, 4, 12));

describe('the backend a run starts on', () => {
  it('the first run ever starts on WASM at once, and measures only hardware GPU backends beside it', () => {
    const plan = planBackend('auto', undefined, withGpu);
    assert.equal(plan.start, 'wasm');
    assert.deepEqual(plan.measure, ['webgpu', 'webgl']);
    assert.match(plan.reason, /measured in the background/);
  });

  it('with no hardware GPU there is nothing to measure, and the report says why', () => {
    const plan = planBackend('auto', undefined, cpuOnly);
    assert.equal(plan.start, 'wasm');
    assert.deepEqual(plan.measure, []);
    assert.match(plan.reason, /webgl: software renderer/);
  });

  it('a remembered choice starts the next run on it, without measuring', () => {
    const plan = planBackend('auto', measured(withGpu, 'webgpu'), withGpu);
    assert.equal(plan.start, 'webgpu');
    assert.deepEqual(plan.measure, []);
    assert.match(plan.reason, /2026-12-04 12:00/);
  });

  it('a choice measured under another GPU, renderer or TF.js version is measured again', () => {
    for (const env of [
      { ...withGpu, fingerprint: fingerprint('amd rdna3', 'ANGLE (NVIDIA H200)', '4.22.0') },
      { ...withGpu, fingerprint: fingerprint('nvidia hopper H200', 'ANGLE (AMD)', '4.22.0') },
      { ...withGpu, fingerprint: fingerprint('nvidia hopper H200', 'ANGLE (NVIDIA H200)', '4.23.0') },
    ]) {
      const plan = planBackend('auto', measured(withGpu, 'webgpu'), env);
      assert.equal(plan.start, 'wasm');
      assert.deepEqual(plan.measure, ['webgpu', 'webgl']);
    }
  });

  it('the backend setting wins over everything', () => {
    const plan = planBackend('webgl', measured(withGpu, 'webgpu'), withGpu);
    assert.equal(plan.start, 'webgl');
    assert.deepEqual(plan.measure, []);
    assert.match(plan.reason, /latentLab\.backend/);
  });

  it('choices are kept per model family and size', () => {
    const keys = new Set([
      backendKey(config()),
      backendKey(config({ model: 'ae' })),
      backendKey(config({ autoencoder: { ...config().autoencoder, hiddenDim: 64 } })),
      backendKey(config({ autoencoder: { ...config().autoencoder, dataset: 'digits-8x8' } })),
      backendKey(config({ model: 'ddpm' })),
      backendKey(config({ model: 'ddpm', diffusion: { ...config().diffusion, dataset: 'mnist' } })),
      backendKey(config({ model: 'ddpm', diffusion: { ...config().diffusion, dataset: 'digits-8x8' } })),
      backendKey(config({ model: 'ldm' })),
    ]);
    assert.equal(keys.size, 8);
    // What does not change the work per step does not change the key.
    assert.equal(backendKey(config({ autoencoder: { ...config().autoencoder, beta: 4, learningRate: 0.01 } })), backendKey(config()));
    assert.equal(backendKey(config({ model: 'ddpm', diffusion: { ...config().diffusion, dataset: 'rings' } })), backendKey(config({ model: 'ddpm' })));
  });

  it('software GPUs are recognised by their names', () => {
    for (const s of [
      'Google SwiftShader',
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'Microsoft Basic Render Driver',
    ])
      assert.equal(isSoftwareGpu(s), true, s);
    for (const s of ['ANGLE (NVIDIA, NVIDIA H200 Direct3D11)', 'Apple M3 Max', 'nvidia hopper']) assert.equal(isSoftwareGpu(s), false, s);
  });
});

describe('when a measured backend takes over', () => {
  const probe = (name: 'webgpu' | 'webgl' | 'wasm' | 'cpu', stepMs?: number) => ({
    name,
    ok: stepMs !== undefined,
    stepMs,
    detail: stepMs === undefined ? 'failed' : undefined,
  });

  it('a clearly faster backend takes over', () => {
    assert.equal(fasterBackend('wasm', [probe('webgpu', 10), probe('webgl', 30), probe('wasm', 40)]), 'webgpu');
  });

  it('a backend within the timing noise does not', () => {
    assert.equal(fasterBackend('wasm', [probe('webgpu', 36), probe('wasm', 40)]), null);
  });

  it('the current backend stays when it is the fastest, or when nothing else ran', () => {
    assert.equal(fasterBackend('wasm', [probe('webgpu', 90), probe('wasm', 40)]), null);
    assert.equal(fasterBackend('wasm', [probe('webgpu'), probe('webgl'), probe('wasm', 40)]), null);
  });

  it('the current backend, if it could not be timed, gives way to one that could', () => {
    assert.equal(fasterBackend('cpu', [probe('webgpu'), probe('wasm', 40)]), 'wasm');
  });
});
