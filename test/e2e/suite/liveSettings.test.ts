// Every setting that applies live reaches the model the worker trains: changed while training, read back from the
// model itself (not from the extension's copy of the configuration), and training goes on without a restart.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelKind } from '../../../src/domain/config';
import { RUN_SETTINGS, type RunSetting } from '../../../src/domain/settings';
import { api, describeStatus, FIRST_STEP_TIMEOUT_MS, waitFor, waitForApplied, type LabApi } from './helpers';

function configTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** A value of the setting other than its default, inside its bounds. */
function otherValue(s: RunSetting): number | string {
  if (s.type === 'choice') return s.choices.find((c) => c !== s.default)!;
  const v = s.default === 0 ? Math.min(s.max, 0.5) : s.default / 2;
  return s.type === 'integer' ? Math.max(s.min, Math.round(v)) : v;
}

const liveSettingsOf = (model: ModelKind) => RUN_SETTINGS.filter((s) => s.effect === 'live' && s.models.includes(model));

describe('Live settings reach the model in the worker', function () {
  this.timeout(FIRST_STEP_TIMEOUT_MS + 120_000);
  let lab: LabApi;
  const changed = new Set<string>();

  before(async () => {
    lab = await api();
    assert.equal(typeof lab.appliedSettings, 'function', 'the API exposes appliedSettings()');
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', 64, configTarget());
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('latentLab');
    for (const key of [...changed, 'hiddenDim']) await config.update(key, undefined, configTarget());
  });

  for (const [model, command] of [
    ['vae', 'latentLab.trainVae'],
    ['ddpm', 'latentLab.trainDdpm'],
  ] as const) {
    it(`${model}: each live setting changed while training is the value the model uses`, async () => {
      await vscode.commands.executeCommand(command);
      await waitFor(
        () => lab.session.status?.model === model && lab.session.status.state === 'training' && lab.session.status.step > 0,
        FIRST_STEP_TIMEOUT_MS,
        () => describeStatus(lab),
      );
      const settings = liveSettingsOf(model);
      assert.ok(settings.length >= 3, `${model} has live settings: ${settings.map((s) => s.key).join(', ')}`);
      const expected = Object.fromEntries(settings.map((s) => [s.key, otherValue(s)]));
      const config = vscode.workspace.getConfiguration('latentLab');
      for (const [key, value] of Object.entries(expected)) {
        changed.add(key);
        await config.update(key, value, configTarget());
      }
      await waitForApplied(lab, expected, 30_000);
      // Live: the same run goes on (no restart at step 0).
      const stepA = lab.session.status?.step ?? 0;
      await waitFor(
        () => (lab.session.status?.step ?? 0) > stepA,
        60_000,
        () => `no step after the settings change: ${describeStatus(lab)}`,
      );
      // The VAE's tensors are those of its last training batch: they have the new batch size's rows. (The 2D DDPM
      // draws its tensors from a fixed probe of points, whatever the batch.)
      if (model === 'vae')
        await waitFor(
          () => lab.session.latest('z', model)?.shape[0] === expected.batchSize,
          30_000,
          () => `z has shape ${JSON.stringify(lab.session.latest('z', model)?.shape)}, batch size ${expected.batchSize}`,
        );
    });
  }
});
