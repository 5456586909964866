// The other model families from the extension host (issue 5): the plain autoencoder, latent diffusion (which
// trains its own VAE first when none fits) and sampling during a DDPM run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelKind } from '../../../src/domain/config';
import { api, describeStatus, extension, FIRST_STEP_TIMEOUT_MS, waitFor, type LabApi } from './helpers';

/** Latent diffusion's VAE phase is 150 steps; a few minutes on two shared cores. */
const LDM_PHASE_TIMEOUT_MS = 6 * 60_000;
/** Steps latent diffusion trains its own VAE for (ldmRunner's VAE_PHASE_STEPS). */
const VAE_PHASE_STEPS = 150;
const HIDDEN_DIM = 48;

function configTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

function snapshotNames(lab: LabApi, model: ModelKind): string[] {
  return lab.session
    .all()
    .filter((s) => s.model === model)
    .map((s) => s.name);
}

function maxSnapshotStep(lab: LabApi, model: ModelKind): number {
  return lab.session
    .all()
    .filter((s) => s.model === model)
    .reduce((m, s) => Math.max(m, s.step), -1);
}

async function trainUntilStep(lab: LabApi, command: string, model: ModelKind): Promise<number> {
  await vscode.commands.executeCommand(command);
  const status = await waitFor(
    () => lab.session.status?.model === model && lab.session.status.state === 'training' && lab.session.status.step > 0 && lab.session.status,
    FIRST_STEP_TIMEOUT_MS,
    () => describeStatus(lab),
  );
  return status.step;
}

describe('Autoencoder, latent diffusion and sampling from the extension host', function () {
  this.timeout(LDM_PHASE_TIMEOUT_MS + 60_000);
  let lab: LabApi;

  before(async () => {
    lab = await api();
    // A small hidden layer keeps each step cheap on two shared cores. It is a size no other test trains the VAE
    // with, so latent diffusion finds no saved VAE that fits and must train its own first (phase 1).
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', HIDDEN_DIM, configTarget());
  });

  after(async () => {
    await vscode.workspace.getConfiguration('latentLab').update('hiddenDim', undefined, configTarget());
  });

  it('"Train Autoencoder" trains an ae run whose snapshots are x, z, x_hat and no mu', async () => {
    const step = await trainUntilStep(lab, 'latentLab.trainAe', 'ae');
    const names = await waitFor(
      () => {
        const n = snapshotNames(lab, 'ae');
        return ['x', 'z', 'x_hat'].every((s) => n.includes(s)) && n;
      },
      60_000,
      () => `ae snapshots: ${snapshotNames(lab, 'ae').join(', ') || 'none'}`,
    );
    for (const stochastic of ['mu', 'logvar', 'sigma', 'eps'])
      assert.ok(!names.includes(stochastic), `a deterministic autoencoder has no ${stochastic} (snapshots: ${names.join(', ')})`);
    const z = lab.session.latest('z', 'ae')!;
    assert.equal(z.shape.length, 2, `z is a batch of codes: ${JSON.stringify(z.shape)}`);
    assert.equal(z.shape[1], vscode.workspace.getConfiguration('latentLab').get<number>('latentDim'), 'z has latentDim columns');
    const x = lab.session.latest('x', 'ae')!;
    const xHat = lab.session.latest('x_hat', 'ae')!;
    assert.deepEqual(xHat.shape, x.shape, 'the reconstruction has the input’s shape');
    assert.ok(xHat.stats.min >= 0 && xHat.stats.max <= 1, `x_hat is a sigmoid output in [0, 1]: ${JSON.stringify(xHat.stats)}`);
    await waitFor(
      () => (lab.session.status?.step ?? 0) > step + 2,
      60_000,
      () => `ae step stuck near ${step}: ${describeStatus(lab)}`,
    );
  });

  it('"Train Latent Diffusion" trains its VAE first (phase 1), then the latent DDPM (z_0, z_t, eps_theta)', async () => {
    const messages = new Set<string>();
    const watch = lab.session.onDidUpdate(() => {
      const s = lab.session.status;
      if (s?.model === 'ldm' && s.message) messages.add(s.message);
    });
    try {
      await trainUntilStep(lab, 'latentLab.trainLdm', 'ldm');
      const names = await waitFor(
        () => {
          const n = snapshotNames(lab, 'ldm');
          return ['z_0', 'z_t', 'eps_theta'].every((s) => n.includes(s)) && n;
        },
        LDM_PHASE_TIMEOUT_MS,
        () => `ldm snapshots: ${snapshotNames(lab, 'ldm').join(', ') || 'none'}; ${describeStatus(lab)}`,
      );
      assert.ok(names.includes('x_hat'), `the latent DDPM's estimate is decoded to an image: ${names.join(', ')}`);
    } finally {
      watch.dispose();
    }
    const phase1 = [...messages].filter((m) => /phase 1/i.test(m));
    assert.ok(phase1.length > 0, `the status named the VAE phase; messages seen: ${JSON.stringify([...messages])}`);
    assert.match(phase1[0], /VAE/);
    const z0 = lab.session.latest('z_0', 'ldm')!;
    const zt = lab.session.latest('z_t', 'ldm')!;
    const eps = lab.session.latest('eps_theta', 'ldm')!;
    // The first latent tensors are sent as the diffusion model is built, right after the VAE's last step.
    assert.ok(z0.step >= VAE_PHASE_STEPS, `the diffusion phase follows the VAE's ${VAE_PHASE_STEPS} steps: z_0 at step ${z0.step}`);
    assert.ok(!/phase 1/i.test(lab.session.status?.message ?? ''), `the status no longer names the VAE phase: ${describeStatus(lab)}`);
    assert.deepEqual(zt.shape, z0.shape, 'z_t is z_0 noised: same shape');
    assert.deepEqual(eps.shape, z0.shape, 'the predicted noise has the latent’s shape');
    assert.equal(z0.shape[1], vscode.workspace.getConfiguration('latentLab').get<number>('latentDim'), 'the latents have latentDim columns');
    const stepB = maxSnapshotStep(lab, 'ldm');
    await waitFor(
      () => maxSnapshotStep(lab, 'ldm') > stepB,
      90_000,
      () => `ldm snapshots stuck at step ${stepB}`,
    );
  });

  it('"Sample" during a DDPM run runs without error and training goes on', async () => {
    await trainUntilStep(lab, 'latentLab.trainDdpm', 'ddpm');
    const errors: string[] = [];
    const watch = lab.session.onDidUpdate(() => {
      const s = lab.session.status;
      if (s?.state === 'error') errors.push(s.message ?? 'error');
    });
    try {
      await vscode.commands.executeCommand('latentLab.sample');
      await vscode.commands.executeCommand('latentLab.sample');
      const stepA = lab.session.status!.step;
      await waitFor(
        () => (lab.session.status?.step ?? 0) > stepA + 2,
        60_000,
        () => `ddpm step stuck near ${stepA} after sampling: ${describeStatus(lab)}`,
      );
    } finally {
      watch.dispose();
    }
    assert.deepEqual(errors, [], 'no error while sampling');
    assert.equal(lab.session.status?.state, 'training', describeStatus(lab));
    assert.equal(lab.session.status?.model, 'ddpm');
  });

  it('hovering the closed form of q(x_t | x_0) in the diffusion note shows the live DDPM tensors', async () => {
    await trainUntilStep(lab, 'latentLab.trainDdpm', 'ddpm');
    await waitFor(
      () => lab.session.latest('x_t', 'ddpm'),
      60_000,
      () => 'no snapshot of x_t',
    );
    const note = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(extension().extensionUri, 'media', 'notes', 'en', '04-diffusion.md'));
    const tex = String.raw`x_t = \sqrt{\bar\alpha_t}\,x_0`;
    const at = note.getText().indexOf(tex);
    assert.ok(at > 0, 'the note holds the closed form');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', note.uri, note.positionAt(at + 1));
    const text = (hovers ?? [])
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    for (const t of ['x_t', 'alpha_bar_t', 'x_0', 'eps']) assert.ok(text.includes(`**\`${t}\`**`), `hover lists ${t}:\n${text.slice(0, 1500)}`);
    const xt = lab.session.latest('x_t', 'ddpm')!;
    assert.ok(text.includes(`\`[${xt.shape.join(', ')}]\``), `hover shows x_t's live shape ${JSON.stringify(xt.shape)}`);
    assert.ok(text.includes('DDPM'), 'hover names the model');
  });
});
