import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, describeStatus, extension, FIRST_STEP_TIMEOUT_MS, waitFor } from './helpers';

/** Arguments for commands that act on something (the rest take none). */
const ARGS: Record<string, unknown[]> = {
  'latentLab.revealTensor': ['z'],
  'latentLab.revealEquation': [{ tensor: 'z' }],
};

/**
 * Runs a command and waits for it to settle. A command may legitimately wait for the user (a quick pick):
 * after a while the quick input is dismissed, as a person pressing Escape would, and it must settle then.
 */
async function execute(id: string): Promise<void> {
  const run = Promise.resolve(vscode.commands.executeCommand(id, ...(ARGS[id] ?? [])));
  const within = (ms: number) => Promise.race([run.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);
  if (await within(10_000)) return;
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  if (!(await within(20_000))) throw new Error(`${id} did not settle, even after its quick input was dismissed`);
}

describe('Every contributed command runs', () => {
  const contributed: string[] = extension().packageJSON.contributes.commands.map((c: { command: string }) => c.command);
  // Model switches last, so the commands that act on the VAE run while it exists.
  const order = [...contributed.filter((c) => !/train(Ddpm|Ldm)$/.test(c)), ...contributed.filter((c) => /train(Ddpm|Ldm)$/.test(c))];

  before(async () => {
    await api();
  });

  for (const id of order) {
    it(`${id} runs without error`, async () => {
      await execute(id);
    });
  }

  it('after "Train DDPM" the live run is a DDPM that trains', async function () {
    const lab = await api();
    await vscode.commands.executeCommand('latentLab.trainDdpm');
    await waitFor(
      () => lab.session.status?.model === 'ddpm' && lab.session.status.state === 'training' && lab.session.status.step > 0,
      FIRST_STEP_TIMEOUT_MS,
      () => describeStatus(lab),
    );
    assert.equal(lab.session.status?.model, 'ddpm');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
