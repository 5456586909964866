import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, describeStatus, FIRST_STEP_TIMEOUT_MS, sleep, waitFor, waitForApplied, type LabApi } from './helpers';

function maxSnapshotStep(lab: LabApi): number {
  return lab.session.all().reduce((m, s) => Math.max(m, s.step), -1);
}

function configTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

describe('Training the VAE from the extension host', () => {
  let lab: LabApi;

  before(async () => {
    lab = await api();
    // A small hidden layer keeps each step cheap on two shared cores; the behaviour under test is the same.
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', 64, configTarget());
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('latentLab');
    for (const key of ['hiddenDim', 'beta', 'learningRate']) await config.update(key, undefined, configTarget());
  });

  it('"Train VAE" starts training: the status says training and the step grows', async () => {
    await vscode.commands.executeCommand('latentLab.trainVae');
    const first = await waitFor(
      () => lab.session.status?.state === 'training' && lab.session.status.step > 0 && lab.session.status,
      FIRST_STEP_TIMEOUT_MS,
      () => describeStatus(lab),
    );
    assert.equal(first.model, 'vae');
    const stepA = first.step;
    await waitFor(
      () => (lab.session.status?.step ?? 0) > stepA + 2,
      60_000,
      () => `step stuck near ${stepA}: ${describeStatus(lab)}`,
    );
    const loss = lab.session.status?.loss;
    assert.ok(typeof loss === 'number' && Number.isFinite(loss) && loss > 0, `loss should be a positive finite number, got ${loss}`);
  });

  it('reports which backend it chose and why', async () => {
    const backend = await waitFor(
      () => lab.session.backend,
      30_000,
      () => 'no backend report',
    );
    assert.ok(backend.chosen && ['webgpu', 'webgl', 'wasm', 'cpu'].includes(backend.chosen), `backend: ${JSON.stringify(backend)}`);
    assert.ok(backend.reason && backend.reason.length > 0, 'the backend report gives a reason');
  });

  it('the session receives tensor snapshots whose step grows', async () => {
    const z = await waitFor(
      () => lab.session.latest('z', 'vae'),
      60_000,
      () =>
        `no snapshot of z; have ${
          lab.session
            .all()
            .map((s) => s.name)
            .join(', ') || 'none'
        }`,
    );
    assert.equal(z.model, 'vae');
    assert.ok(z.shape.length >= 1 && z.shape.every((d) => Number.isInteger(d) && d > 0), `shape ${JSON.stringify(z.shape)}`);
    assert.ok(Number.isFinite(z.stats.mean) && Number.isFinite(z.stats.std) && z.stats.min <= z.stats.max);
    const names = new Set(lab.session.all().map((s) => s.name));
    for (const expected of ['x', 'mu', 'logvar', 'z', 'x_hat']) assert.ok(names.has(expected), `missing snapshot ${expected} (have ${[...names].join(', ')})`);
    const stepA = maxSnapshotStep(lab);
    await waitFor(
      () => maxSnapshotStep(lab) > stepA,
      90_000,
      () => `snapshots stuck at step ${stepA}`,
    );
  });

  it('reads settings: a changed beta and learning rate reach the live run', async () => {
    assert.equal(typeof lab.runConfig, 'function', 'the API should expose runConfig() (the live TrainConfig)');
    const config = vscode.workspace.getConfiguration('latentLab');
    await config.update('beta', 0.25, configTarget());
    await config.update('learningRate', 0.0005, configTarget());
    const seen = await waitFor(
      () => {
        const c = lab.runConfig?.();
        return c && c.autoencoder.beta === 0.25 && c.autoencoder.learningRate === 0.0005 && c;
      },
      10_000,
      () => `run config: ${JSON.stringify(lab.runConfig?.()?.autoencoder)}`,
    );
    assert.equal(seen.model, 'vae');
    // The extension's copy is not enough: the model in the worker trains with them.
    await waitForApplied(lab, { beta: 0.25, learningRate: 0.0005 }, 30_000);
    // beta and the learning rate apply to the running model: training goes on rather than restarting at 0.
    const stepA = lab.session.status?.step ?? 0;
    await waitFor(
      () => (lab.session.status?.step ?? 0) > stepA,
      60_000,
      () => `no step after the settings change: ${describeStatus(lab)}`,
    );
  });

  it('a dataset no setting can take falls back to the default, and training goes on', async () => {
    const config = vscode.workspace.getConfiguration('latentLab');
    const datasetOf = () => lab.runConfig?.()?.autoencoder.dataset;
    try {
      await config.update('dataset', 'digits-8x8', configTarget());
      await waitFor(
        () => datasetOf() === 'digits-8x8',
        10_000,
        () => `run dataset: ${datasetOf()}`,
      );
      // A typo in settings.json: the run goes back to the default (MNIST), not on with the last good value.
      await config.update('dataset', 'cifar-10', configTarget());
      await waitFor(
        () => datasetOf() === 'mnist',
        10_000,
        () => `run dataset after an unknown one: ${datasetOf()}`,
      );
      const stepA = lab.session.status?.step ?? 0;
      await waitFor(
        () => lab.session.status?.state === 'training' && lab.session.status.step > Math.min(stepA, 3),
        90_000,
        () => describeStatus(lab),
      );
    } finally {
      await config.update('dataset', undefined, configTarget());
    }
  });

  it('pause stops the step, resume makes it grow again', async () => {
    await vscode.commands.executeCommand('latentLab.togglePause');
    await waitFor(
      () => lab.session.status?.state === 'paused',
      20_000,
      () => describeStatus(lab),
    );
    const pausedAt = lab.session.status!.step;
    await sleep(3000);
    assert.equal(lab.session.status?.step, pausedAt, 'the step must not move while paused');
    assert.equal(lab.session.status?.state, 'paused');

    await vscode.commands.executeCommand('latentLab.togglePause');
    await waitFor(
      () => lab.session.status?.state === 'training' && lab.session.status.step > pausedAt,
      60_000,
      () => describeStatus(lab),
    );
    assert.ok(lab.session.status!.step > pausedAt);
  });

  it('Step advances exactly one step while paused', async () => {
    await vscode.commands.executeCommand('latentLab.togglePause');
    await waitFor(
      () => lab.session.status?.state === 'paused',
      20_000,
      () => describeStatus(lab),
    );
    const before = lab.session.status!.step;
    await vscode.commands.executeCommand('latentLab.step');
    await waitFor(
      () => (lab.session.status?.step ?? 0) > before,
      30_000,
      () => describeStatus(lab),
    );
    await sleep(1500);
    assert.equal(lab.session.status?.step, before + 1);
    await vscode.commands.executeCommand('latentLab.togglePause');
    await waitFor(
      () => lab.session.status?.state === 'training',
      20_000,
      () => describeStatus(lab),
    );
  });
});
