import { strict as assert } from 'node:assert';
import { equationAt, findEquations, scanMarkdown } from '../../src/extension/notes/core/equations';
import { LineIndex } from '../../src/extension/notes/core/lineIndex';

const texs = (md: string): string[] => findEquations(md).map((e) => e.tex);

describe('equation finder', () => {
  const cases: Array<[string, string, string[]]> = [
    ['inline dollars', 'The code $z = \\mu + \\sigma$ here.', ['z = \\mu + \\sigma']],
    ['two inline equations on a line', '$a$ and $b$', ['a', 'b']],
    ['display dollars on one line', 'see $$x^2$$ done', ['x^2']],
    ['multi-line display math', 'Text\n\n$$\nz = \\mu\n+ \\sigma\n$$\n\nmore', ['\nz = \\mu\n+ \\sigma\n']],
    ['\\( and \\[', 'a \\(x_t\\) b \\[\\bar\\alpha_t\\] c', ['x_t', '\\bar\\alpha_t']],
    ['escaped dollar is not a delimiter', 'costs \\$5 and $x$', ['x']],
    ['escaped dollar inside math', '$a \\$ b$', ['a \\$ b']],
    ['money: $5 and $10', 'It costs $5 and $10 today.', []],
    ['closing dollar followed by a digit', 'pay $3$4 now', []],
    ['opening dollar followed by space', 'a $ x$ b', []],
    ['closing dollar preceded by space', 'a $x $ b', []],
    ['inline code span hides math', 'use `$x$` or ``a $y$ ` b`` then $z$', ['z']],
    ['unmatched backtick is literal', 'a ` b $x$', ['x']],
    ['fenced code with backticks', 'before $a$\n```\n$b$\n```\nafter $c$', ['a', 'c']],
    ['fenced code with tildes', '~~~tex\n$b$\n~~~\n$c$', ['c']],
    ['longer fence closes only with a long enough fence', '````\n```\n$b$\n````\n$c$', ['c']],
    ['unclosed fence runs to the end', 'x $a$\n```\n$b$\n', ['a']],
    ['indented code after a blank line', 'para\n\n    $b$ code\n\n$c$', ['c']],
    ['indented line continuing a paragraph is text', 'para\n    $b$', ['b']],
    ['indented list continuation is not code', '- item\n\n    $b$ in list\n', ['b']],
    ['nested braces', '$\\frac{a}{b^{c}} + \\text{x $y$ z}$', ['\\frac{a}{b^{c}} + \\text{x $y$ z}']],
    ['CRLF line endings', 'a $x$\r\n\r\n$$\r\ny\r\n$$\r\n', ['x', '\r\ny\r\n']],
    ['Chinese text around math', '编码器输出$\\mu$和$\\sigma$，然后', ['\\mu', '\\sigma']],
    ['unclosed inline dollar', 'a $x and more', []],
    ['unclosed display dollars', 'a $$x and more', []],
    ['unclosed \\( ', 'a \\(x and more', []],
    ['inline math does not cross a blank line', 'a $x\n\ny$ b', []],
    ['inline math may cross a line break', 'a $x\n+ y$ b', ['x\n+ y']],
    ['display math may cross a blank line', '$$\na\n\nb\n$$', ['\na\n\nb\n']],
    ['front matter is not scanned', '---\ntitle: $x$\n---\n$y$', ['y']],
    ['HTML comments are not scanned', '<!-- $x$ --> $y$', ['y']],
    ['escaped backslash before paren is not math', 'a \\\\(x\\\\) b', []],
    ['empty display is not math', '$$$$ $x$', ['x']],
    ['malformed TeX is still found', '$\\frac{a$ then', ['\\frac{a']],
  ];
  for (const [name, md, expected] of cases) {
    it(name, () => assert.deepEqual(texs(md), expected));
  }

  it('gives offsets and line/character ranges that point at the delimiters', () => {
    const md = '# T\r\n\r\nLet 中文 $z = \\mu$ be.\r\n\r\n$$\r\nx_t\r\n$$\r\n';
    const eqs = findEquations(md);
    assert.equal(eqs.length, 2);
    const [a, b] = eqs;
    assert.equal(md.slice(a.start, a.end), '$z = \\mu$');
    assert.equal(md.slice(a.texStart, a.texEnd), 'z = \\mu');
    assert.deepEqual(a.range.start, { line: 2, character: md.split('\n')[2].indexOf('$') });
    assert.deepEqual(a.range.end, { line: 2, character: md.split('\n')[2].indexOf('$') + 9 });
    assert.equal(a.display, false);
    assert.equal(a.delimiter, '$');
    assert.equal(b.display, true);
    assert.deepEqual(b.range.start, { line: 4, character: 0 });
    assert.deepEqual(b.range.end, { line: 6, character: 2 });
  });

  it('reports the delimiter and display flag of each form', () => {
    const eqs = findEquations('$a$ $$b$$ \\(c\\) \\[d\\]');
    assert.deepEqual(
      eqs.map((e) => [e.delimiter, e.display]),
      [
        ['$', false],
        ['$$', true],
        ['\\(', false],
        ['\\[', true],
      ],
    );
  });

  it('finds the equation at an offset, delimiters and end included', () => {
    const md = 'ab $x$ cd $$y$$ ef';
    const eqs = findEquations(md);
    assert.equal(equationAt(eqs, md.indexOf('x'))?.tex, 'x');
    assert.equal(equationAt(eqs, md.indexOf('$'))?.tex, 'x');
    assert.equal(equationAt(eqs, md.indexOf('x') + 2)?.tex, 'x');
    assert.equal(equationAt(eqs, md.indexOf('y'))?.tex, 'y');
    assert.equal(equationAt(eqs, 0), undefined);
    assert.equal(equationAt(eqs, md.indexOf('cd') + 1), undefined);
  });

  it('collects HTML comments outside code as directives carriers', () => {
    const r = scanMarkdown('a\n<!-- latent-lab: model=ldm -->\n```\n<!-- latent-lab: model=ae -->\n```\n');
    assert.deepEqual(
      r.comments.map((c) => c.body.trim()),
      ['latent-lab: model=ldm'],
    );
  });

  it('scans a 5,000-line note quickly', () => {
    const para =
      'The encoder gives $\\mu_\\phi(x)$ and $\\sigma$; costs \\$5. Use `code $x$`.\n\n$$\nz = \\mu + \\sigma \\odot \\epsilon\n$$\n\n```\n$not$\n```\n';
    const md = para.repeat(600);
    assert.ok(new LineIndex(md).lineCount >= 5000);
    let ms = Infinity;
    for (let k = 0; k < 4; k++) {
      const t0 = performance.now();
      const eqs = findEquations(md);
      ms = Math.min(ms, performance.now() - t0);
      assert.equal(eqs.length, 1800);
    }
    assert.ok(ms < 100, `best scan took ${ms.toFixed(1)} ms`);
  });
});

describe('line index', () => {
  it('maps offsets and positions both ways with CRLF', () => {
    const text = 'ab\r\ncd\nef';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 3);
    assert.deepEqual(li.positionAt(text.indexOf('d')), { line: 1, character: 1 });
    assert.equal(li.offsetAt({ line: 2, character: 1 }), text.indexOf('f'));
    assert.equal(li.lineText(0), 'ab');
    assert.equal(li.offsetAt({ line: 0, character: 99 }), 3);
  });
});
