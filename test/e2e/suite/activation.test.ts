import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, extension } from './helpers';

interface ContributedCommand {
  command: string;
  title: string;
}

describe('Latent Lab activation', () => {
  it('is installed in the extension host and activates with a session API', async () => {
    const ext = extension();
    const lab = await api();
    assert.equal(ext.isActive, true);
    assert.equal(typeof lab.session.latest, 'function');
    assert.equal(typeof lab.session.all, 'function');
    assert.equal(typeof lab.session.onDidUpdate, 'function');
    assert.deepEqual(lab.session.all(), [], 'no tensors before anything trains');
  });

  it('registers every command the manifest contributes', async () => {
    await api();
    const contributed: ContributedCommand[] = extension().packageJSON.contributes.commands;
    assert.ok(contributed.length >= 10, `expected the manifest's commands, got ${contributed.length}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the Lab webview view to its own view container', () => {
    const contributes = extension().packageJSON.contributes;
    const views: { id: string; type?: string }[] = contributes.views.latentLab;
    assert.ok(views.some((v) => v.id === 'latentLab.lab' && v.type === 'webview'));
  });
});
