// TeX -> `data:image/svg+xml;base64,...` for a hover (hovers allow images, never raw <svg>).
// MathJax loads on the first render, through the one `import('./mathjaxEngine')` below: in the extension that is
// `require('./mathjax.js')`, a bundle of its own beside dist/extension.js (esbuild.mjs), so activation reads no
// MathJax; under tsx (unit tests, benches) it is mathjaxEngine.ts itself. Results are cached per (TeX, display, colour).
import type { TexToSvg } from './mathjaxEngine';

export type RenderResult = { ok: true; dataUri: string; widthPx: number; heightPx: number } | { ok: false; error: string };

export interface RenderOptions {
  /** Fill colour of the glyphs (hover images do not inherit the theme's text colour). */
  color: string;
  /** Pixels per ex of the rendered image. */
  exPx?: number;
}

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${toBase64(svg)}`;
}

/** Turns MathJax's ex-sized, currentColor SVG into a self-contained image of fixed pixel size. */
export function finishSvg(svg: string, color: string, exPx: number): { svg: string; widthPx: number; heightPx: number } {
  let widthPx = 0;
  let heightPx = 0;
  const toPx = (ex: string): number => Math.max(1, Math.round(parseFloat(ex) * exPx * 100) / 100);
  let out = svg
    .replace(/(<svg[^>]*?)\swidth="([\d.]+)ex"/, (_m, head: string, ex: string) => {
      widthPx = toPx(ex);
      return `${head} width="${widthPx}px"`;
    })
    .replace(/(<svg[^>]*?)\sheight="([\d.]+)ex"/, (_m, head: string, ex: string) => {
      heightPx = toPx(ex);
      return `${head} height="${heightPx}px"`;
    })
    .replace(/currentColor/g, color);
  if (!/^<svg[^>]*\sxmlns=/.test(out)) out = out.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return { svg: out, widthPx, heightPx };
}

export class EquationRenderer {
  private engine: TexToSvg | undefined;
  private loading: Promise<TexToSvg> | undefined;
  private readonly cache = new Map<string, RenderResult>();

  constructor(private readonly capacity = 500) {}

  /** True once MathJax is loaded (the first render loads it). */
  get loaded(): boolean {
    return this.engine !== undefined;
  }

  async render(tex: string, display: boolean, options: RenderOptions): Promise<RenderResult> {
    const cached = this.cached(tex, display, options);
    if (cached) return cached;
    try {
      this.engine ??= await (this.loading ??= import('./mathjaxEngine').then((m) => m.createTexToSvg()));
    } catch (err) {
      // MathJax could not load (a missing or broken dist/mathjax.js): the hover still shows the rest; the next
      // render tries again. Not cached.
      this.loading = undefined;
      return { ok: false, error: `MathJax did not load: ${err instanceof Error ? err.message : String(err)}` };
    }
    return this.renderSync(tex, display, options);
  }

  /** A result already in the cache, if any. */
  cached(tex: string, display: boolean, options: RenderOptions): RenderResult | undefined {
    const key = cacheKey(tex, display, options);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private renderSync(tex: string, display: boolean, options: RenderOptions): RenderResult {
    const key = cacheKey(tex, display, options);
    let result: RenderResult;
    try {
      const raw = this.engine!.convert(tex.replace(/\r/g, ''), display);
      const { svg, widthPx, heightPx } = finishSvg(raw, options.color, options.exPx ?? 8);
      result = { ok: true, dataUri: svgDataUri(svg), widthPx, heightPx };
    } catch (err) {
      // MathJax's TexError is not an Error subclass, but it carries a message.
      const message = (err as { message?: unknown } | null)?.message;
      result = { ok: false, error: typeof message === 'string' ? message : String(err) };
    }
    this.cache.set(key, result);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }
}

function cacheKey(tex: string, display: boolean, options: RenderOptions): string {
  return `${display ? 'D' : 'I'}|${options.color}|${options.exPx ?? 8}|${tex}`;
}
