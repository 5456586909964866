// Colours for the diagrams. SVG marks take CSS variables (so the VS Code theme applies); canvases cannot read
// `var(...)`, so they resolve the variable on the element at draw time.

/** Colour of each loss term / series, as CSS values that follow the theme. */
export const SERIES_COLORS: Record<string, string> = {
  loss: 'var(--vscode-foreground)',
  recon: 'var(--vscode-charts-blue)',
  kl: 'var(--vscode-charts-orange)',
  mse: 'var(--vscode-charts-purple)',
  elbo: 'var(--vscode-foreground)',
};

const FALLBACK_SERIES = ['var(--vscode-charts-green)', 'var(--vscode-charts-red)', 'var(--vscode-charts-yellow)', 'var(--vscode-charts-blue)'];

export function seriesColor(term: string, index: number): string {
  return SERIES_COLORS[term] ?? FALLBACK_SERIES[index % FALLBACK_SERIES.length];
}

/**
 * Ten class colours (Tableau 10): distinguishable on light, dark and high-contrast backgrounds, and identical
 * on canvas and SVG so the legend always matches the marks.
 */
export const CLASS_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function classColor(label: number): string {
  return CLASS_COLORS[((label % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/** Resolves a CSS custom property on `el` (e.g. '--vscode-charts-blue') to a concrete colour for canvas drawing. */
export function cssColor(el: Element, variable: string, fallback: string): string {
  const v = getComputedStyle(el).getPropertyValue(variable).trim();
  return v || fallback;
}
