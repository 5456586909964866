import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseModelFile } from '../../../src/domain/checkpointFormat';
import { api, describeStatus, FIRST_STEP_TIMEOUT_MS, waitFor, type LabApi } from './helpers';

type ImportResult = { imported: boolean; model?: string; step?: number; error?: string };

function configTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

const hiddenDim = () => vscode.workspace.getConfiguration('latentLab').get<number>('hiddenDim');

describe('Exporting and importing a trained model', () => {
  let lab: LabApi;
  const dir = vscode.Uri.joinPath(vscode.Uri.file(os.tmpdir()), `latent-lab-models-${Date.now()}`);
  const exported = vscode.Uri.joinPath(dir, 'vae.json');

  before(async () => {
    lab = await api();
    await vscode.workspace.fs.createDirectory(dir);
    // A size no other test trains the VAE with: the run starts afresh, and cheap on two shared cores.
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', 48, configTarget());
  });

  after(async () => {
    const c = vscode.workspace.getConfiguration('latentLab');
    for (const target of [vscode.ConfigurationTarget.Workspace, vscode.ConfigurationTarget.Global])
      await c.update('hiddenDim', undefined, target).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
  });

  it('"Export Trained Model" writes the live run as a file: weights, Adam state, step and the settings it trained with', async () => {
    await vscode.commands.executeCommand('latentLab.trainVae');
    await waitFor(
      () =>
        lab.session.status?.model === 'vae' &&
        lab.runConfig?.()?.autoencoder.hiddenDim === 48 &&
        lab.session.status.state === 'training' &&
        lab.session.status.step > 20,
      FIRST_STEP_TIMEOUT_MS,
      () => describeStatus(lab),
    );
    const stepBefore = lab.session.status!.step;
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('latentLab.exportModel', exported);
    assert.equal(uri?.toString(), exported.toString());
    const cp = parseModelFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(exported)));
    assert.equal(cp.model, 'vae');
    assert.ok(cp.step >= stepBefore, `the file holds the run as it is now: step ${cp.step}, was ${stepBefore} before exporting`);
    assert.equal(cp.config.autoencoder.hiddenDim, 48);
    assert.ok(
      cp.weights.some((w) => w.name === 'enc/W' && w.shape[1] === 48),
      'the encoder weights have the hidden width',
    );
    assert.ok(cp.optimizer.length > 0, 'the optimizer state travels too');
  });

  it('"Import Trained Model" refuses a file that is no model, says why, and the live run goes on', async () => {
    const bad = vscode.Uri.joinPath(dir, 'notes.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode('{"model": "vae", "weights": '));
    const stepA = lab.session.status!.step;
    const result = await vscode.commands.executeCommand<ImportResult>('latentLab.importModel', bad);
    assert.equal(result.imported, false);
    assert.match(result.error ?? '', /notes\.json is not a Latent Lab model \(not JSON\)/);
    await waitFor(
      () => lab.session.status?.state === 'training' && lab.session.status.step > stepA,
      60_000,
      () => describeStatus(lab),
    );
    assert.equal(lab.runConfig?.()?.autoencoder.hiddenDim, 48, 'the live run is untouched');
  });

  it('importing brings the exported model back, with its settings, paused at its step; Resume trains it on from there', async () => {
    const cp = parseModelFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(exported)));
    // Another width restarts the VAE afresh: the exported weights are gone from the live run.
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', 32, configTarget());
    await waitFor(
      () => lab.runConfig?.()?.autoencoder.hiddenDim === 32 && (lab.session.status?.step ?? Infinity) < cp.step,
      60_000,
      () => `run: ${lab.runConfig?.()?.autoencoder.hiddenDim}; ${describeStatus(lab)}`,
    );

    const result = await vscode.commands.executeCommand<ImportResult>('latentLab.importModel', exported);
    assert.deepEqual(result, { imported: true, model: 'vae', step: cp.step });
    assert.equal(lab.runConfig?.()?.autoencoder.hiddenDim, 48, "the run takes the file's settings");
    await waitFor(
      () => hiddenDim() === 48,
      10_000,
      () => `latentLab.hiddenDim is ${hiddenDim()}`,
    );
    await waitFor(
      () => lab.session.status?.state === 'paused' && lab.session.status.step === cp.step,
      60_000,
      () => `want paused at ${cp.step}: ${describeStatus(lab)}`,
    );

    await vscode.commands.executeCommand('latentLab.togglePause');
    await waitFor(
      () => lab.session.status?.state === 'training' && lab.session.status.step > cp.step + 5,
      60_000,
      () => describeStatus(lab),
    );
    const loss = lab.session.status!.loss!;
    assert.ok(Number.isFinite(loss), `finite loss ${loss}`);
    assert.equal(lab.runConfig?.()?.autoencoder.hiddenDim, 48, 'writing the settings did not restart the imported run');
  });
});
