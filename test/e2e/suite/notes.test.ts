// Notes linked to the live model, inside a real VS Code: hover an equation while the VAE trains and see
// its live tensors; code lens; reveal an equation from a tensor name.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, describeStatus, extension, FIRST_STEP_TIMEOUT_MS, waitFor, type LabApi } from './helpers';

const REPARAM = 'z = \\mu + \\sigma \\odot \\epsilon';

const SCRATCH_NOTE = [
  '---',
  'title: The variational autoencoder',
  'latent-lab:',
  '  model: vae',
  '---',
  '',
  '# VAE',
  '',
  'The encoder gives $\\mu_\\phi(x)$ and $\\log\\sigma^2$; money like $5 and $10 is not math.',
  '',
  `$$`,
  REPARAM,
  `$$`,
  '',
  'Broken: $\\frac{\\mu$ here.',
  '',
].join('\n');

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function hoverAt(document: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
  return hoverText(hovers);
}

/** The `mean … · max …` line of a tensor's section in a hover. */
function statsOf(text: string, tensor: string): string | undefined {
  const section = text.split('\n---\n').find((s) => s.includes(`**\`${tensor}\`**`));
  return section?.split('\n').find((l) => /\d/.test(l) && /·/.test(l) && !l.includes('**'));
}

/** The bundled VAE note when it holds the reparameterisation equation, else a scratch note. */
async function openVaeNote(): Promise<vscode.TextDocument> {
  const bundled = vscode.Uri.joinPath(extension().extensionUri, 'media', 'notes', 'en', '03-vae.md');
  try {
    const doc = await vscode.workspace.openTextDocument(bundled);
    if (doc.getText().includes(REPARAM)) return doc;
  } catch {
    // Not bundled yet: use the scratch note.
  }
  return vscode.workspace.openTextDocument({ language: 'markdown', content: SCRATCH_NOTE });
}

describe('Notes: equations linked to live tensors', () => {
  let lab: LabApi;
  let doc: vscode.TextDocument;

  before(async () => {
    lab = await api();
    doc = await openVaeNote();
    await vscode.window.showTextDocument(doc);
  });

  it('hovering the reparameterisation equation renders it and lists the tensors it binds', async () => {
    const first = await hoverAt(doc, doc.getText().indexOf(REPARAM) + 1);
    assert.match(first, /!\[equation\]\(data:image\/svg\+xml;base64,/, first.slice(0, 500));
    for (const t of ['mu', 'sigma', 'eps', 'z']) assert.ok(first.includes(`**\`${t}\`**`), `hover lists ${t}:\n${first.slice(0, 1500)}`);
    assert.ok(first.includes(`command:latentLab.revealTensor?${encodeURIComponent(JSON.stringify(['mu']))}`));
    const outside = await hoverAt(doc, 0);
    assert.ok(!outside.includes('![equation]'), 'no equation hover outside math');
  });

  it('hovering the reparameterisation equation while the VAE trains shows live shapes and numbers that change', async () => {
    await vscode.commands.executeCommand('latentLab.trainVae');
    await waitFor(
      () => lab.session.status?.model === 'vae' && lab.session.status.step > 0,
      FIRST_STEP_TIMEOUT_MS,
      () => describeStatus(lab),
    );
    const mu = await waitFor(
      () => lab.session.latest('mu', 'vae'),
      60_000,
      () => 'no snapshot of mu',
    );

    const offset = doc.getText().indexOf(REPARAM) + 4; // on \mu
    const first = await hoverAt(doc, offset);
    assert.match(first, /!\[equation\]\(data:image\/svg\+xml;base64,/, 'the equation is rendered as an SVG image');
    assert.ok(first.includes(`\`[${mu.shape.join(', ')}]\``), `hover shows mu's shape ${JSON.stringify(mu.shape)}:\n${first.slice(0, 2000)}`);
    assert.match(first, /`\[\d+, \d+\]`/);
    for (const t of ['mu', 'sigma', 'eps', 'z']) assert.ok(first.includes(`**\`${t}\`**`), `hover lists ${t}`);
    assert.ok(first.includes('command:latentLab.revealTensor?'), 'hover links to the lab');
    const statsA = statsOf(first, 'z');
    assert.ok(statsA, `z has stats in:\n${first.slice(0, 2000)}`);

    const stepA = lab.session.latest('z', 'vae')!.step;
    await waitFor(
      () => (lab.session.latest('z', 'vae')?.step ?? 0) > stepA,
      90_000,
      () => `z stuck at step ${stepA}: ${describeStatus(lab)}`,
    );
    const second = await hoverAt(doc, offset);
    const statsB = statsOf(second, 'z');
    assert.ok(statsB && statsB !== statsA, `z's numbers should change between steps: ${statsA} / ${statsB}`);
  });

  it('money is not an equation, and malformed TeX shows its source', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'markdown', content: SCRATCH_NOTE });
    const money = await hoverAt(scratch, scratch.getText().indexOf('$10') + 1);
    assert.ok(!money.includes('![equation]') && !money.includes('latex'), money.slice(0, 500));
    const broken = await hoverAt(scratch, scratch.getText().indexOf('\\frac{\\mu') + 2);
    assert.ok(broken.includes('```latex\n\\frac{\\mu\n```'), broken.slice(0, 500));
    assert.ok(broken.includes('**`mu`**'), 'the tensors are still listed');
  });

  it('a note naming its model gets a "Train this model" code lens', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(
      lenses?.some((l) => l.command?.command === 'latentLab.trainVae' && l.range.start.line === 0),
      JSON.stringify(lenses?.map((l) => l.command)),
    );
  });

  it('"Open Notes" opens the notes index in the display language and settles', async () => {
    await vscode.commands.executeCommand('latentLab.openNotes');
    const uri = vscode.window.activeTextEditor?.document.uri.path ?? '';
    assert.match(uri, /media\/notes\/(en|zh-cn)\/README\.md$/, uri);
    await vscode.commands.executeCommand('latentLab.openNotes', { file: '03-vae.md' });
    assert.match(vscode.window.activeTextEditor?.document.uri.path ?? '', /03-vae\.md$/);
  });

  it('revealEquation selects the first equation that binds a tensor', async () => {
    await vscode.window.showTextDocument(doc);
    const ok = await vscode.commands.executeCommand<boolean>('latentLab.revealEquation', { tensor: 'eps' });
    assert.equal(ok, true);
    const editor = vscode.window.activeTextEditor!;
    const selected = editor.document.getText(editor.selection);
    assert.ok(selected.includes('\\epsilon'), `selected: ${selected}`);
  });
});
