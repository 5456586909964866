import { strict as assert } from 'node:assert';
import type { RunStatus } from '../../src/domain/run';
import type { TensorSnapshot } from '../../src/domain/tensors';
import { formatNumber } from '../../src/domain/tensorFormat';
import { buildHoverMarkdown, commandUri, type HoverInput } from '../../src/extension/notes/core/hoverContent';
import { tensorPicture } from '../../src/extension/notes/core/tensorPicture';

function snapshot(name: string, shape: number[], preview: { shape: number[]; data: number[] }, step = 120): TensorSnapshot {
  const data = preview.data;
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  const std = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
  return {
    name,
    model: 'vae',
    step,
    shape,
    dtype: 'float32',
    stats: { mean, std, min: Math.min(...data), max: Math.max(...data) },
    histogram: { min: Math.min(...data), max: Math.max(...data), counts: [1, 4, 9, 4, 1] },
    preview,
  };
}

const training: RunStatus = { model: 'vae', state: 'training', step: 120, epoch: 0, loss: 200, samplesPerSec: 1000, backend: 'wasm' };
const okRender = { ok: true as const, dataUri: 'data:image/svg+xml;base64,PHN2Zy8+', widthPx: 100, heightPx: 20 };
const decode = (uri: string): string => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8');

describe('hover content', () => {
  const mu = snapshot('mu', [128, 2], { shape: [4, 2], data: [-1.5, 0.25, 0.5, 2, -0.75, 1, 0, 0.125] });
  const eps = snapshot('eps', [128, 2], { shape: [8], data: [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8] });
  const base: HoverInput = {
    tex: 'z = \\mu + \\sigma \\odot \\epsilon',
    display: false,
    rendered: okRender,
    model: 'vae',
    tensors: [
      { name: 'mu', snapshot: mu },
      { name: 'sigma', snapshot: undefined },
      { name: 'eps', snapshot: eps },
    ],
    status: training,
  };

  it('shows the rendered equation, each tensor with shape, step and stats, and a reveal link', () => {
    const md = buildHoverMarkdown(base);
    assert.ok(md.startsWith(`![equation](${okRender.dataUri})`));
    assert.ok(md.includes('`[128, 2]`'));
    assert.ok(md.includes('step 120'));
    assert.ok(md.includes(`mean ${formatNumber(mu.stats.mean)}`) && md.includes('min -1.5') && md.includes('max 2'));
    assert.ok(md.includes(`std ${formatNumber(mu.stats.std)}`));
    assert.ok(md.includes('(command:latentLab.revealTensor?%5B%22mu%22%5D)'));
    assert.ok(md.includes('**`sigma`** — no value yet'));
    assert.ok(!md.includes('No model is training'));
  });

  it('draws rows of two as a scatter and a vector as a histogram', () => {
    const md = buildHoverMarkdown(base);
    const uris = [...md.matchAll(/<img src="(data:image\/svg\+xml;base64,[^"]+)"/g)].map((m) => m[1]);
    assert.equal(uris.length, 2);
    const [cloud, hist] = uris.map(decode);
    // mu's preview is 4 points in 2D: one dot each, on axes through the origin.
    assert.equal((cloud.match(/<circle /g) ?? []).length, 4);
    assert.equal((cloud.match(/<line /g) ?? []).length, 2);
    // 5 non-empty histogram bins, the tallest reaching the top.
    assert.equal((hist.match(/<rect /g) ?? []).length, 5);
    assert.ok(hist.includes('y="0.00"'));
  });

  it('draws a heatmap for a matrix preview', () => {
    const matrix = snapshot('h_enc', [128, 512], { shape: [4, 3], data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    const pic = tensorPicture(matrix)!;
    assert.equal(pic.kind, 'heatmap');
    const svg = decode(pic.dataUri);
    assert.ok(svg.includes('viewBox="0 0 3 4"'), svg);
    assert.equal((svg.match(/<rect /g) ?? []).length, 12);
  });

  it('merges runs of one colour in image heatmaps', () => {
    const image = snapshot('x', [128, 784], { shape: [3, 4], data: [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0] });
    const pic = tensorPicture(image)!;
    assert.equal(pic.kind, 'heatmap');
    assert.equal((decode(pic.dataUri).match(/<rect /g) ?? []).length, 5);
    assert.ok(decode(pic.dataUri).includes('fill="#ffffff"'));
  });

  it('offers the right train command when nothing is training', () => {
    const md = buildHoverMarkdown({ ...base, status: undefined, model: 'ddpm' });
    assert.ok(md.includes(`No model is training — [Train DDPM](${commandUri('latentLab.trainDdpm')})`));
    const idle = buildHoverMarkdown({ ...base, status: { ...training, state: 'idle' } });
    assert.ok(idle.includes('[Train VAE](command:latentLab.trainVae)'));
  });

  it('says when the lab trains another model than the note', () => {
    const md = buildHoverMarkdown({ ...base, model: 'ldm' });
    assert.ok(md.includes('The lab is training VAE — [Train Latent diffusion](command:latentLab.trainLdm)'));
  });

  it('shows the raw source and a note when the TeX cannot be rendered, still listing tensors', () => {
    const md = buildHoverMarkdown({ ...base, tex: '\\frac{\\mu', rendered: { ok: false, error: 'Missing close brace' } });
    assert.ok(md.startsWith('```latex\n\\frac{\\mu\n```'));
    assert.ok(md.includes('Could not render this equation: Missing close brace'));
    assert.ok(md.includes('**`mu`**'));
    assert.ok(!md.includes('![equation]'));
  });

  it('shows settings bound to symbols', () => {
    const md = buildHoverMarkdown({ ...base, tensors: [], settings: [{ setting: 'latentLab.beta', symbol: '\\beta', value: 4 }] });
    assert.ok(md.includes('`\\beta` is the setting `latentLab.beta` = `4`'));
  });

  it('formats numbers to 4 significant digits', () => {
    assert.deepEqual([0, 1.23456, -0.000012345, 123456, 2].map(formatNumber), ['0', '1.235', '-1.23e-5', '1.23e+5', '2']);
  });
});
