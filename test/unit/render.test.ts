import { strict as assert } from 'node:assert';
import { EquationRenderer, finishSvg } from '../../src/extension/notes/core/render';

const decode = (uri: string): string => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8');

describe('MathJax rendering', () => {
  const renderer = new EquationRenderer();

  it('is lazy: nothing is loaded before the first render', () => {
    assert.equal(new EquationRenderer().loaded, false);
  });

  it('renders z = \\mu + \\sigma \\odot \\epsilon to a self-contained SVG data URI in the given colour', async () => {
    const r = await renderer.render('z = \\mu + \\sigma \\odot \\epsilon', true, { color: '#123456' });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.ok(r.dataUri.startsWith('data:image/svg+xml;base64,'));
    const svg = decode(r.dataUri);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.ok(!svg.includes('currentColor'));
    assert.ok(svg.includes('#123456'));
    // 4 letters (z, mu, sigma, epsilon) and 3 operators each draw a glyph path.
    assert.ok((svg.match(/<path /g) ?? []).length >= 7);
    assert.ok(r.widthPx > r.heightPx && r.heightPx > 5, `${r.widthPx}x${r.heightPx}`);
    assert.match(svg, new RegExp(`width="${r.widthPx}px"`));
  });

  it('does not throw on malformed TeX and says why', async () => {
    const r = await renderer.render('\\frac{', true, { color: '#000' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /brace/i);
  });

  it('caches per TeX string', async () => {
    const a = await renderer.render('x_t', false, { color: '#000' });
    const t0 = performance.now();
    const b = await renderer.render('x_t', false, { color: '#000' });
    assert.equal(a, b);
    assert.ok(performance.now() - t0 < 5);
    assert.notEqual(await renderer.render('x_t', false, { color: '#fff' }), a);
  });

  it('sizes the image in pixels from MathJax ex units', () => {
    const out = finishSvg('<svg width="2.5ex" height="1ex" fill="currentColor"></svg>', 'red', 8);
    assert.deepEqual([out.widthPx, out.heightPx], [20, 8]);
    assert.equal(out.svg, '<svg xmlns="http://www.w3.org/2000/svg" width="20px" height="8px" fill="red"></svg>');
  });
});
