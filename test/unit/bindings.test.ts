import { strict as assert } from 'node:assert';
import { resolveBindings, resolveBindingsCached, type NoteModel } from '../../src/extension/notes/core/bindings';
import { NoteIndex, parseBindingList, parseDirective } from '../../src/extension/notes/core/noteIndex';
import { parseYamlSubset } from '../../src/extension/notes/core/frontMatter';
import { languageFor, NOTE_FILES, NOTE_OF_MODEL } from '../../src/extension/notes/core/noteFiles';
import { existsSync, readFileSync } from 'node:fs';
import { atomKey, parseAtoms } from '../../src/extension/notes/core/texAtoms';

const tensors = (tex: string, model: NoteModel, explicit: { tex: string; tensor: string }[] = []): string[] => resolveBindings(tex, model, explicit).tensors;

describe('TeX atoms', () => {
  it('gives the same canonical key to the usual spellings of one symbol', () => {
    const key = (tex: string): string[] => parseAtoms(tex).map((a) => atomKey(a));
    assert.deepEqual(key('\\bar\\alpha_t'), ['\\bar{\\alpha}_{t}']);
    assert.deepEqual(key('\\bar{\\alpha}_{t}'), ['\\bar{\\alpha}_{t}']);
    assert.deepEqual(key('{\\bar{\\alpha}}_t'), ['\\bar{\\alpha}_{t}']);
    assert.deepEqual(key("x'"), ["x'"]);
    assert.deepEqual(key('\\sigma^2_\\phi'), ['\\sigma_{\\phi}^{2}']);
    assert.deepEqual(key('\\mu + \\sigma'), ['\\mu', '+', '\\sigma']);
  });

  it('never throws on unbalanced braces and stray scripts', () => {
    for (const tex of ['\\frac{', '}}x{', '^_', 'x_{', "''^", '\\', '{{{{', '\\hat']) parseAtoms(tex);
  });
});

describe('binding resolver', () => {
  const vae: Array<[string, string[]]> = [
    ['z = \\mu + \\sigma \\odot \\epsilon', ['z', 'mu', 'sigma', 'eps']],
    ['x', ['x']],
    ['\\hat x', ['x_hat']],
    ['\\hat{x}', ['x_hat']],
    ["x'", ['x_hat']],
    ['\\tilde x', ['x_hat']],
    ['h = f(x)', ['h_enc', 'x']],
    ['\\mu_\\phi(x)', ['mu', 'x']],
    ['\\mu_{\\phi}', ['mu']],
    ['\\sigma_\\phi', ['sigma']],
    ['\\sigma^2', ['sigma']],
    ['\\log\\sigma^2', ['logvar']],
    ['\\log \\sigma^2', ['logvar']],
    ['\\log\\sigma_\\phi^2(x)', ['logvar', 'x']],
    ['\\varepsilon \\sim \\mathcal{N}(0, I)', ['eps']],
    ['D_{KL}(q \\| p)', ['kl']],
    ['\\mathrm{KL}', ['kl']],
    ['KL', ['kl']],
    ['\\mathcal{L} = \\text{ELBO}', ['elbo']],
    ['\\mathrm{ELBO}', ['elbo']],
    ['\\mathbb{E}_{q_\\phi(z|x)}[\\log p_\\theta(x|z)]', ['z', 'x']],
    ['e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}', ['x', 'mu', 'sigma']],
    ['\\frac{\\mu}{\\sigma}', ['mu', 'sigma']],
    ['\\mathbf{x}', ['x']],
    ['\\boldsymbol{\\mu}', ['mu']],
    ['x_t', ['x']],
    ['\\alpha_t \\beta_t', []],
  ];
  for (const [tex, expected] of vae) it(`VAE: ${tex}`, () => assert.deepEqual(tensors(tex, 'vae'), expected));

  const ddpm: Array<[string, string[]]> = [
    ['x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon', ['x_t', 'alpha_bar_t', 'x_0', 'eps']],
    ['\\bar{\\alpha}_t = \\prod_{s=1}^t \\alpha_s', ['alpha_bar_t']],
    ['\\alpha_t = 1 - \\beta_t', ['alpha_t', 'beta_t']],
    ['\\| \\epsilon - \\epsilon_\\theta(x_t, t) \\|^2', ['eps', 'eps_theta', 'x_t', 't']],
    ['\\tilde\\mu_t(x_t, x_0)', ['posterior_mean', 'x_t', 'x_0']],
    ['\\tilde\\beta_t = \\frac{1-\\bar\\alpha_{t-1}}{1-\\bar\\alpha_t}\\beta_t', ['posterior_var', 't', 'alpha_bar_t', 'beta_t']],
    ['\\mu + \\sigma + \\hat x', []],
    ['x_{t-1}', ['t']],
  ];
  for (const [tex, expected] of ddpm) it(`DDPM: ${tex}`, () => assert.deepEqual(tensors(tex, 'ddpm'), expected));

  it('x_t binds x_t alone, not x and t', () => {
    const b = resolveBindings('x_t', 'ddpm');
    assert.deepEqual(
      b.symbols.map((s) => [s.tensor, s.source]),
      [['x_t', 'x_t']],
    );
  });

  it('latent diffusion binds z_t and z_0, and only tensors it publishes', () => {
    assert.deepEqual(tensors('z_t = \\sqrt{\\bar\\alpha_t} z_0 + \\sqrt{1-\\bar\\alpha_t}\\epsilon', 'ldm'), ['z_t', 'alpha_bar_t', 'z_0', 'eps']);
    assert.deepEqual(tensors('\\alpha_t', 'ldm'), []);
    assert.deepEqual(tensors('\\hat x = D(z_0)', 'ldm'), ['x_hat', 'z_0']);
  });

  it('the autoencoder binds its code z and reconstruction, not mu', () => {
    assert.deepEqual(tensors('\\hat x = g(z),\\ z = f(x),\\ \\mu', 'ae'), ['x_hat', 'z', 'x']);
  });

  it("a note of model 'none' binds only explicit symbols", () => {
    assert.deepEqual(tensors('\\mu + \\sigma', 'none'), []);
    assert.deepEqual(tensors('\\mu + \\sigma', 'none', [{ tex: '\\sigma', tensor: 'sigma' }]), ['sigma']);
  });

  it('with no model known, any published tensor binds', () => {
    assert.deepEqual(resolveBindings('\\mu + x_t', undefined).tensors, ['mu', 'x_t']);
  });

  it('explicit bindings win over the dictionary and may span several atoms', () => {
    const explicit = [
      { tex: '\\mathbf{x}', tensor: 'x_hat' },
      { tex: '\\boldsymbol{\\mu}', tensor: 'mu' },
      { tex: 'W x', tensor: 'h_enc' },
    ];
    assert.deepEqual(tensors('\\mathbf{x} + \\boldsymbol{\\mu} + W x', 'vae', explicit), ['x_hat', 'mu', 'h_enc']);
    const b = resolveBindings('\\mathbf{x}', 'vae', explicit);
    assert.equal(b.symbols[0].explicit, true);
  });

  it('the memoised resolver answers like a fresh one, per model and per explicit bindings', () => {
    const explicit = [{ tex: '\\mathbf{z}', tensor: 'z_0' }];
    for (const [tex, model] of [
      ['\\mathbf{z} + x_t', 'ddpm'],
      ['\\mathbf{z} + x_t', 'vae'],
      ['\\mu', 'vae'],
    ] as const) {
      assert.deepEqual(resolveBindingsCached(tex, model, explicit), resolveBindings(tex, model, explicit));
      assert.equal(resolveBindingsCached(tex, model, explicit), resolveBindingsCached(tex, model, [...explicit]));
    }
    assert.deepEqual(resolveBindingsCached('\\mathbf{z}', 'ldm', explicit).tensors, ['z_0']);
    assert.deepEqual(resolveBindingsCached('\\mathbf{z}', 'ldm').tensors, []);
  });

  it('reports symbol offsets inside the TeX', () => {
    const tex = 'z = \\mu_\\phi + \\sigma';
    const b = resolveBindings(tex, 'vae');
    assert.deepEqual(
      b.symbols.map((s) => tex.slice(s.start, s.end)),
      ['z', '\\mu_\\phi', '\\sigma'],
    );
  });

  it('binds beta to the KL-weight setting in a VAE and T to the timesteps in a DDPM', () => {
    assert.deepEqual(
      resolveBindings('\\beta D_{KL}', 'vae').settings.map((s) => s.setting),
      ['latentLab.beta'],
    );
    assert.deepEqual(
      resolveBindings('t \\sim U(1, T)', 'ddpm').settings.map((s) => s.setting),
      ['latentLab.diffusion.timesteps'],
    );
    assert.deepEqual(resolveBindings('\\beta', 'ddpm').settings, []);
  });
});

describe('note context: front matter and directives', () => {
  it('parses both YAML map forms of front matter bindings', () => {
    const flow = parseYamlSubset('title: T\nlatent-lab:\n  model: vae\n  bindings: {"\\\\mathbf{x}": x, \'\\boldsymbol{\\mu}\': mu}\n');
    assert.deepEqual(flow, { title: 'T', 'latent-lab': { model: 'vae', bindings: { '\\mathbf{x}': 'x', '\\boldsymbol{\\mu}': 'mu' } } });
    const block = parseYamlSubset('latent-lab:\n  model: ddpm # the model\n  bindings:\n    "\\\\mathbf{x}_t": x_t\n    \\mathbf{x}_0: x_0\n');
    assert.deepEqual(block, { 'latent-lab': { model: 'ddpm', bindings: { '\\mathbf{x}_t': 'x_t', '\\mathbf{x}_0': 'x_0' } } });
  });

  it('parses lists, numbers, booleans and quotes in the YAML subset', () => {
    assert.deepEqual(parseYamlSubset("a: [1, two, 'th''ree']\nb:\n  - x\n  - 2.5\nc: true\nd: \"q\\\"uote\""), {
      a: [1, 'two', "th'ree"],
      b: ['x', 2.5],
      c: true,
      d: 'q"uote',
    });
  });

  it('parses directives', () => {
    assert.deepEqual(parseDirective(' latent-lab: model=ldm '), { model: 'ldm', bindings: [] });
    assert.deepEqual(parseDirective(' latent-lab: bind \\mathbf{x} -> x; \\boldsymbol{\\mu} -> mu '), {
      model: undefined,
      bindings: [
        { tex: '\\mathbf{x}', tensor: 'x' },
        { tex: '\\boldsymbol{\\mu}', tensor: 'mu' },
      ],
    });
    assert.equal(parseDirective(' just a comment '), undefined);
    assert.deepEqual(parseBindingList('a -> b; bad; c => d'), [
      { tex: 'a', tensor: 'b' },
      { tex: 'c', tensor: 'd' },
    ]);
  });

  it('the model in force comes from front matter, then from the latest directive', () => {
    const md = [
      '---',
      'title: Diffusion',
      'latent-lab:',
      '  model: ddpm',
      '---',
      '$x_t$',
      '<!-- latent-lab: model=ldm -->',
      '$z_t$',
      '<!-- latent-lab: bind \\mathbf{z} -> z_0 -->',
      '$\\mathbf{z}$',
      '```',
      '<!-- latent-lab: model=vae -->',
      '```',
      '$z$',
    ].join('\n');
    const note = new NoteIndex(md);
    assert.equal(note.model, 'ddpm');
    assert.equal(note.title, 'Diffusion');
    const eqs = note.equations;
    assert.deepEqual(
      eqs.map((e) => e.tex),
      ['x_t', 'z_t', '\\mathbf{z}', 'z'],
    );
    const ctx = eqs.map((e) => note.contextAt(e.start));
    assert.deepEqual(
      ctx.map((c) => c.model),
      ['ddpm', 'ldm', 'ldm', 'ldm'],
    );
    assert.deepEqual(resolveBindings(eqs[2].tex, ctx[2].model, ctx[2].bindings).tensors, ['z_0']);
    assert.deepEqual(resolveBindings(eqs[0].tex, ctx[0].model, ctx[0].bindings).tensors, ['x_t']);
    assert.equal(note.directives.length, 2);
  });

  it('without front matter the running model decides', () => {
    const note = new NoteIndex('$\\mu$');
    assert.equal(note.model, undefined);
    assert.equal(note.modelAt(0, 'vae'), 'vae');
  });
});

describe('bundled notes', () => {
  it("picks the notes' language from the setting, 'auto' following the display language", () => {
    assert.equal(languageFor('auto', 'zh-cn'), 'zh-cn');
    assert.equal(languageFor('auto', 'zh-tw'), 'zh-cn');
    assert.equal(languageFor('auto', 'en-US'), 'en');
    assert.equal(languageFor('auto', 'de'), 'en');
    assert.equal(languageFor('en', 'zh-cn'), 'en');
    assert.equal(languageFor('zh-cn', 'en'), 'zh-cn');
  });

  it('each model-training note names its model in front matter, in both languages', function () {
    for (const lang of ['en', 'zh-cn']) {
      for (const file of NOTE_FILES) {
        const path = `media/notes/${lang}/${file}`;
        assert.ok(existsSync(path), `${path} exists`);
        const note = new NoteIndex(readFileSync(path, 'utf8'));
        const trains = (Object.keys(NOTE_OF_MODEL) as Array<keyof typeof NOTE_OF_MODEL>).filter((m) => NOTE_OF_MODEL[m] === file);
        if (trains.length) assert.ok(trains.includes(note.model as never), `${path}: model ${note.model}`);
      }
    }
  });

  it('the notes write the live equations in the notation the dictionary binds', function () {
    const expectations: Array<[string, string, string[]]> = [
      ['03-vae.md', 'z = \\mu + \\sigma \\odot \\epsilon', ['z', 'mu', 'sigma', 'eps']],
      ['04-diffusion.md', 'x_t = \\sqrt{\\bar\\alpha_t}', ['x_t', 'alpha_bar_t', 'x_0', 'eps']],
    ];
    for (const lang of ['en', 'zh-cn']) {
      for (const [file, needle, tensors] of expectations) {
        const path = `media/notes/${lang}/${file}`;
        assert.ok(existsSync(path), `${path} exists`);
        const text = readFileSync(path, 'utf8');
        const note = new NoteIndex(text);
        const eq = note.equationAt(text.indexOf(needle) + 1);
        assert.ok(eq, `${path} holds ${needle} in math`);
        const ctx = note.contextAt(eq.start);
        const bound = resolveBindings(eq.tex, ctx.model, ctx.bindings).tensors;
        for (const t of tensors) assert.ok(bound.includes(t), `${path}: ${eq.tex} binds ${t} (got ${bound})`);
      }
    }
  });
});
