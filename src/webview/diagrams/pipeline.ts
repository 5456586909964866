// The model's pipeline as an SVG: one card per named tensor with its live preview and statistics, forward
// edges, the gradient's path back from the loss, and random inputs drawn apart (dashed, no gradient).
// Updates join on tensor names, so a few updates per second only touch text and canvases.
import * as d3 from 'd3';
import type { ModelKind } from '../../domain/config';
import { formatDigits, formatShape, formatStep, LABEL_DIGITS, pictureKind } from '../../domain/tensorFormat';
import type { TensorSnapshot } from '../../domain/tensors';
import { PIPELINE_LAYOUTS, type PipelineEdge, type PipelineLayout, type PipelineNode } from './pipelineLayouts';
import { containerWidth, createRoot, observeWidth } from './resize';
import { drawPreview } from './tensorPreview';
import { t } from '../i18n';

const MARGIN_X = 6;
const NODE_H = 112;
const ROW_GAP = 30;
const LEGEND_H = 56;
const HIGHLIGHT_MS = 4000;
const CHAR_PX = 6.1;
/** dx between a node's symbol and its tensor name. */
const NAME_GAP = 5;

interface Geometry {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface NodeDatum extends PipelineNode, Geometry {}

interface EdgeDatum {
  key: string;
  kind: 'forward' | 'random' | 'gradient';
  points: [number, number][];
  label?: string;
}

let instanceCounter = 0;

export class PipelineDiagram {
  private readonly root: HTMLDivElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly edgeLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly nodeLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly legend: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly markerId: string;
  private readonly stopObserving: () => void;
  private readonly clickListeners: ((tensor: string) => void)[] = [];
  private readonly highlightTimers = new Map<string, number>();
  private model: ModelKind | null = null;
  private snapshots = new Map<string, TensorSnapshot>();
  private width: number;

  constructor(private readonly container: HTMLElement) {
    this.markerId = `ll-pipe-${++instanceCounter}`;
    this.root = createRoot(container, 'pipeline-panel', 'll-pipeline');
    this.width = containerWidth(container);
    this.svg = d3.select(this.root).append('svg').attr('data-testid', 'pipeline').attr('class', 'll-pipeline-svg').attr('role', 'img');
    const defs = this.svg.append('defs');
    for (const kind of ['forward', 'random', 'gradient'] as const) {
      defs
        .append('marker')
        .attr('id', `${this.markerId}-${kind}`)
        .attr('class', `ll-arrowhead ll-arrowhead-${kind}`)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerWidth', 7)
        .attr('markerHeight', 7)
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('d', 'M0,1 L9,5 L0,9 z');
    }
    this.edgeLayer = this.svg.append('g').attr('class', 'll-edges');
    this.nodeLayer = this.svg.append('g').attr('class', 'll-nodes');
    this.legend = this.svg.append('g').attr('class', 'll-legend');
    this.stopObserving = observeWidth(container, (w) => {
      this.width = w;
      this.render();
    });
  }

  update(model: ModelKind, snapshots: Map<string, TensorSnapshot>): void {
    this.model = model;
    this.snapshots = snapshots;
    this.render();
  }

  onNodeClick(cb: (tensorName: string) => void): void {
    this.clickListeners.push(cb);
  }

  /** Emphasises a tensor's node and scrolls it into view for a few seconds; false when no such node is drawn (yet). */
  highlight(tensorName: string): boolean {
    const node = this.nodeLayer.selectAll<SVGGElement, NodeDatum>('g.ll-node').filter((d) => d.tensor === tensorName);
    if (node.empty()) return false;
    node.classed('ll-highlight', true).raise();
    node.node()?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    const fade = () => {
      window.clearTimeout(this.highlightTimers.get(tensorName));
      this.highlightTimers.set(
        tensorName,
        window.setTimeout(() => {
          this.highlightTimers.delete(tensorName);
          node.classed('ll-highlight', false);
        }, HIGHLIGHT_MS),
      );
    };
    fade();
    // Counted again from the first frame painted: a view still coming back paints none, so no one misses it.
    requestAnimationFrame(() => requestAnimationFrame(fade));
    return true;
  }

  dispose(): void {
    this.stopObserving();
    for (const t of this.highlightTimers.values()) window.clearTimeout(t);
    this.root.remove();
  }

  private render(): void {
    if (!this.model) return;
    const layout = PIPELINE_LAYOUTS[this.model];
    const rows = Math.max(...layout.nodes.map((n) => n.row)) + 1;
    const colW = (this.width - 2 * MARGIN_X) / 3;
    const nodeW = Math.min(168, colW - 14);
    const nodes: NodeDatum[] = layout.nodes.map((n) => ({
      ...n,
      w: nodeW,
      h: NODE_H,
      x: MARGIN_X + colW * (n.col + 0.5) - nodeW / 2,
      y: 4 + n.row * (NODE_H + ROW_GAP),
    }));
    const height = 4 + rows * (NODE_H + ROW_GAP) - ROW_GAP + LEGEND_H;
    this.svg
      .attr('width', this.width)
      .attr('height', height)
      .attr('viewBox', `0 0 ${this.width} ${height}`)
      .attr('aria-label', t('{0} pipeline', this.model.toUpperCase()));
    this.renderEdges(edgeData(layout, nodes));
    this.renderNodes(nodes);
    this.renderLegend(layout, height - LEGEND_H + 10);
  }

  private renderEdges(edges: EdgeDatum[]): void {
    const sel = this.edgeLayer.selectAll<SVGGElement, EdgeDatum>('g.ll-edge').data(edges, (d) => d.key);
    sel.exit().remove();
    const enter = sel.enter().append('g');
    enter.append('path');
    enter.append('text').attr('class', 'll-edge-label');
    const all = enter
      .merge(sel)
      .attr('class', (d) => `ll-edge ll-edge-${d.kind}`)
      .attr('data-edge', (d) => d.key);
    all
      .select('path')
      .attr('d', (d) => d3.line()(d.points))
      .attr('marker-end', (d) => `url(#${this.markerId}-${d.kind})`);
    all
      .select<SVGTextElement>('text')
      .text((d) => d.label ?? '')
      .each(function (d) {
        const [a, b] = [d.points[d.points.length - 2], d.points[d.points.length - 1]];
        const vertical = Math.abs(b[0] - a[0]) < Math.abs(b[1] - a[1]);
        const mx = (a[0] + b[0]) / 2;
        const my = (a[1] + b[1]) / 2;
        d3.select(this)
          .attr('x', vertical ? mx + 7 : mx)
          .attr('y', vertical ? my + 4 : my - 5)
          .attr('text-anchor', vertical ? 'start' : 'middle');
      });
  }

  private renderNodes(nodes: NodeDatum[]): void {
    const sel = this.nodeLayer.selectAll<SVGGElement, NodeDatum>('g.ll-node').data(nodes, (d) => d.tensor);
    sel.exit().remove();
    const enter = sel
      .enter()
      .append('g')
      .attr('tabindex', 0)
      .attr('role', 'button')
      .on('click', (_e, d) => this.clickListeners.forEach((cb) => cb(d.tensor)))
      .on('keydown', (e: KeyboardEvent, d) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.clickListeners.forEach((cb) => cb(d.tensor));
        }
      });
    enter.append('title');
    enter.append('rect').attr('class', 'll-node-box').attr('rx', 5);
    const head = enter.append('text').attr('class', 'll-node-head').attr('x', 7).attr('y', 15);
    head.append('tspan').attr('class', 'll-node-symbol');
    head.append('tspan').attr('class', 'll-node-name').attr('dx', NAME_GAP);
    enter.append('text').attr('class', 'll-node-shape').attr('x', 7).attr('y', 28);
    enter.append('text').attr('class', 'll-node-caption').attr('x', 7).attr('y', 41);
    enter.append('foreignObject').attr('class', 'll-node-preview-fo').append('xhtml:canvas').attr('class', 'll-node-preview');
    const stats = enter.append('g').attr('class', 'll-node-stats');
    for (const [i, cls] of ['mean-label', 'mean', 'std-label', 'std'].entries()) {
      stats
        .append('text')
        .attr('class', `ll-stat-${cls.endsWith('label') ? 'label' : 'value'} ll-node-${cls}`)
        .attr('y', 10 + i * 12.5);
    }
    enter
      .filter((d) => d.role === 'random')
      .append('g')
      .attr('class', 'll-dice')
      .call(drawDice);

    const all = enter
      .merge(sel)
      // The highlight is part of the class so that redraws (several a second) keep it until its timer ends.
      .attr('class', (d) => `ll-node ll-node-${d.role}${this.highlightTimers.has(d.tensor) ? ' ll-highlight' : ''}`)
      .attr('data-tensor', (d) => d.tensor)
      .attr('transform', (d) => `translate(${d.x},${d.y})`);
    all
      .select('rect.ll-node-box')
      .attr('width', (d) => d.w)
      .attr('height', (d) => d.h);
    all.select('.ll-dice').attr('transform', (d) => `translate(${d.w - 18},6)`);
    const snapshots = this.snapshots;
    all.each(function (d) {
      renderNodeContent(d3.select(this), d, snapshots.get(d.tensor));
    });
  }

  private renderLegend(layout: PipelineLayout, y: number): void {
    const items: { kind: EdgeDatum['kind']; label: string }[] = [
      { kind: 'forward', label: t('forward') },
      { kind: 'gradient', label: t('gradient') },
    ];
    if (layout.nodes.some((n) => n.role === 'random')) items.push({ kind: 'random', label: t('random, no ∇') });
    const itemW = (this.width - 2 * MARGIN_X) / items.length;
    const sel = this.legend
      .attr('transform', `translate(${MARGIN_X},${y})`)
      .selectAll<SVGGElement, (typeof items)[number]>('g.ll-legend-item')
      .data(items, (d) => d.kind);
    sel.exit().remove();
    const enter = sel
      .enter()
      .append('g')
      .attr('class', (d) => `ll-legend-item ll-edge ll-edge-${d.kind}`);
    enter.append('path');
    enter.append('text').attr('class', 'll-legend-label').attr('x', 26).attr('y', 4);
    const all = enter.merge(sel).attr('transform', (_d, i) => `translate(${i * itemW},0)`);
    all
      .select('path')
      .attr('d', 'M0,0 H20')
      .attr('marker-end', (d) => `url(#${this.markerId}-${d.kind})`);
    all.select('text').text((d) => d.label);
    const lines = wrapText(layout.lossNote, this.width - 2 * MARGIN_X).slice(0, 2);
    const note = this.legend.selectAll<SVGTextElement, string>('text.ll-legend-note').data(lines);
    note.exit().remove();
    note
      .enter()
      .append('text')
      .attr('class', 'll-legend-note')
      .merge(note)
      .attr('x', 0)
      .attr('y', (_d, i) => 24 + i * 13)
      .text((d) => d);
  }
}

function renderNodeContent(g: d3.Selection<SVGGElement, NodeDatum, null, undefined>, d: NodeDatum, s: TensorSnapshot | undefined): void {
  g.select('title').text(
    `${d.tensor}: ${d.caption}${s ? ` · ${formatShape(s.shape)} · ${t('step {0}', formatStep(s.step))}` : ''}\n${t('Click to show its equation in the notes.')}`,
  );
  g.select('.ll-node-symbol').text(d.symbol);
  // The name is left out where the symbol already says it (x, KL, ELBO), and shortened where the card is too
  // narrow for it (the full name is in the tooltip). The dice of a random input take the top-right corner.
  const headRoom = d.w - 12 - (d.role === 'random' ? 20 : 0);
  const name = d.symbol.toLowerCase().includes(d.tensor) ? '' : d.tensor;
  fitTspan(g.select<SVGTextElement>('.ll-node-head').node(), g.select<SVGTSpanElement>('.ll-node-name').node(), name, headRoom, NAME_GAP + d.symbol.length * 8);
  const caption = g.select<SVGTextElement>('.ll-node-caption').node();
  fitTspan(caption, caption, d.caption, d.w - 12, 0, 5.3);
  const shape = g.select<SVGTextElement>('.ll-node-shape').node();
  fitTspan(shape, shape, s ? (s.shape.length ? formatShape(s.shape) : t('scalar')) : t('waiting…'), d.w - 12, 0);
  g.classed('ll-node-waiting', !s);
  const bodyTop = 48;
  const bodyH = d.h - bodyTop - 6;
  const scalar = s !== undefined && pictureKind(s) === 'scalar';
  const previewW = scalar ? d.w - 14 : Math.round(Math.min(bodyH, d.w * 0.46, Math.max(28, d.w - 52)));
  const fo = g.select('foreignObject').attr('x', 7).attr('y', bodyTop).attr('width', previewW).attr('height', bodyH);
  const canvas = fo.select<HTMLCanvasElement>('canvas').node();
  if (canvas && s) drawPreview(canvas, s, previewW, scalar ? bodyH : previewW);
  if (canvas && !s) canvas.width = canvas.height = 0;
  const stats = g
    .select('.ll-node-stats')
    .attr('transform', `translate(${previewW + 13},${bodyTop + 4})`)
    .attr('display', scalar ? 'none' : null);
  // Values right-aligned to the card's edge; narrow cards (a 300px sidebar) get 2 significant digits.
  const digits = d.w < 120 ? 2 : LABEL_DIGITS;
  const valueX = d.w - previewW - 13 - 6;
  stats.select('.ll-node-mean-label').text(t('mean'));
  stats.select('.ll-node-std-label').text(t('std'));
  stats
    .select('.ll-node-mean')
    .attr('x', valueX)
    .attr('text-anchor', 'end')
    .text(s ? formatDigits(s.stats.mean, digits) : '–');
  stats
    .select('.ll-node-std')
    .attr('x', valueX)
    .attr('text-anchor', 'end')
    .text(s ? formatDigits(s.stats.std, digits) : '–');
}

function drawDice(g: d3.Selection<SVGGElement, NodeDatum, SVGGElement, unknown>): void {
  g.append('rect').attr('width', 12).attr('height', 12).attr('rx', 2.5);
  for (const [cx, cy] of [
    [3.5, 3.5],
    [6, 6],
    [8.5, 8.5],
  ])
    g.append('circle').attr('cx', cx).attr('cy', cy).attr('r', 1.2);
}

/**
 * Sets `part` (a tspan of `whole`, or `whole` itself) to `text`, shortened with an ellipsis until `whole` fits in
 * `px` pixels; left empty when not even two characters fit. Measures the rendered text; where nothing is
 * rendered (a collapsed section), estimates from `charPx` per character plus `otherPx` for the rest of `whole`.
 */
function fitTspan(
  whole: SVGTextElement | null,
  part: SVGTextElement | SVGTSpanElement | null,
  text: string,
  px: number,
  otherPx: number,
  charPx = CHAR_PX,
): void {
  if (!whole || !part) return;
  const width = (): number => {
    const measured = whole.isConnected ? whole.getComputedTextLength() : 0;
    // A tspan's dx is not part of the computed length.
    return measured > 0 ? measured + (part === whole ? 0 : NAME_GAP) : otherPx + (part.textContent ?? '').length * charPx;
  };
  part.textContent = text;
  if (!text || width() <= px) return;
  for (let keep = text.length - 1; keep >= 2; keep--) {
    part.textContent = `${text.slice(0, keep)}…`;
    if (width() <= px) return;
  }
  part.textContent = part === whole ? `${text.slice(0, 1)}…` : '';
}

/** Chinese and Japanese characters (and full-width punctuation): about two Latin characters wide, breakable anywhere. */
const WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
/** Full-width punctuation that must not begin a line. */
const NO_LINE_START = /^[，。；：、！？）》」』’”]$/;

/**
 * Breaks `text` into lines of roughly `px` pixels of 10px text: at spaces, and between any two Chinese
 * characters (Chinese has no spaces), never putting closing punctuation first on a line.
 */
function wrapText(text: string, px: number): string[] {
  const max = Math.max(10, Math.floor(px / 5.6));
  const units = (s: string): number => [...s].reduce((n, c) => n + (WIDE.test(c) ? 1.9 : 1), 0);
  const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (line.trim() && units(line + token) > max && !NO_LINE_START.test(token)) {
      lines.push(line.trimEnd());
      line = token;
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function edgeData(layout: PipelineLayout, nodes: NodeDatum[]): EdgeDatum[] {
  const byName = new Map(nodes.map((n) => [n.tensor, n]));
  const out: EdgeDatum[] = [];
  for (const e of layout.edges) {
    const a = byName.get(e.from);
    const b = byName.get(e.to);
    if (a && b) out.push({ key: `${e.from}->${e.to}`, kind: e.kind, points: route(a, b, e), label: e.label });
  }
  for (const [from, to] of layout.gradient) {
    const a = byName.get(from);
    const b = byName.get(to);
    if (!a || !b) continue;
    // Drawn beside the forward edge between the same nodes, pointing back towards the inputs.
    const forward = route(b, a, { from: to, to: from, kind: 'forward' });
    const [p0, p1] = [forward[0], forward[forward.length - 1]];
    const len = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]) || 1;
    const off = 6;
    const nx = (-(p1[1] - p0[1]) / len) * off;
    const ny = ((p1[0] - p0[0]) / len) * off;
    out.push({
      key: `grad:${from}->${to}`,
      kind: 'gradient',
      points: [
        [p1[0] - nx, p1[1] - ny],
        [p0[0] - nx, p0[1] - ny],
      ],
    });
  }
  return out;
}

function route(a: Geometry, b: Geometry, e: PipelineEdge): [number, number][] {
  const acx = a.x + a.w / 2;
  const bcx = b.x + b.w / 2;
  if (e.route === 'elbow') {
    const y = b.y + b.h / 2;
    const toRight = acx > bcx;
    return [
      [acx, a.y + a.h],
      [acx, y],
      [toRight ? b.x + b.w + 2 : b.x - 2, y],
    ];
  }
  if (Math.abs(a.y - b.y) < 1) {
    const leftToRight = acx < bcx;
    const y = a.y + a.h / 2;
    return leftToRight
      ? [
          [a.x + a.w, y],
          [b.x - 2, y],
        ]
      : [
          [a.x, y],
          [b.x + b.w + 2, y],
        ];
  }
  const down = b.y > a.y;
  // Diagonal edges leave from the bottom edge, shifted towards the target, so parallel edges do not meet.
  const shift = Math.max(-a.w / 4, Math.min(a.w / 4, (bcx - acx) / 3));
  const shiftIn = Math.max(-b.w / 4, Math.min(b.w / 4, (acx - bcx) / 3));
  return down
    ? [
        [acx + shift, a.y + a.h],
        [bcx + shiftIn, b.y - 2],
      ]
    : [
        [acx + shift, a.y],
        [bcx + shiftIn, b.y + b.h + 2],
      ];
}
