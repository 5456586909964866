// MathJax TeX -> SVG string, the route LaTeX Workshop's math hover proved: TeX input, SVG output with a
// local font cache, the lite DOM adaptor. The entry of its own bundle, dist/mathjax.js (esbuild.mjs), loaded
// only through render.ts's dynamic import on the first equation rendered, so activation does not pay for
// MathJax (about 2 MB of code). esbuild.mjs fails an extension build that imports this file other than by
// import() (types aside), or that would put mathjax-full itself into dist/extension.js.
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js';
import 'mathjax-full/js/input/tex/noundefined/NoUndefinedConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import 'mathjax-full/js/input/tex/color/ColorConfiguration.js';
import 'mathjax-full/js/input/tex/cancel/CancelConfiguration.js';
import 'mathjax-full/js/input/tex/mathtools/MathtoolsConfiguration.js';
import 'mathjax-full/js/input/tex/braket/BraketConfiguration.js';

export interface TexToSvg {
  /** The `<svg>` element's markup; throws on TeX errors. */
  convert(tex: string, display: boolean): string;
}

export function createTexToSvg(): TexToSvg {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const input = new TeX({
    packages: ['base', 'ams', 'newcommand', 'noundefined', 'boldsymbol', 'color', 'cancel', 'mathtools', 'braket'],
    // Throw instead of drawing an error box: the hover then shows the raw source with a note.
    formatError: (_jax: unknown, err: Error) => {
      throw err;
    },
  });
  const output = new SVG({ fontCache: 'local' });
  const doc = mathjax.document('', { InputJax: input, OutputJax: output });
  return {
    convert(tex: string, display: boolean): string {
      const node = doc.convert(tex, { display, em: 16, ex: 8, containerWidth: 80 * 16 });
      return adaptor.innerHTML(node);
    },
  };
}
