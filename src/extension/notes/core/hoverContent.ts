// The markdown of an equation hover, built from plain data so it is testable without VS Code: the
// rendered equation, then per bound tensor its live statistics, a picture and a link to the lab.
import { MODEL_KIND_LIST, MODEL_KINDS, MODEL_LABELS } from '../../../domain/modelKinds';
import type { RunStatus } from '../../../domain/run';
import { formatShape, formatStats, formatStep } from '../../../domain/tensorFormat';
import type { TensorSnapshot } from '../../../domain/tensors';
import type { NoteModel } from './bindings';
import type { RenderResult } from './render';
import { tensorPicture } from './tensorPicture';

/** The only commands a hover's links may run. */
export const HOVER_COMMANDS = ['latentLab.revealTensor', ...MODEL_KIND_LIST.map((m) => MODEL_KINDS[m].command), 'latentLab.showLab'];

/** User-visible text; hover.ts fills it through vscode.l10n.t. */
export interface HoverStrings {
  couldNotRender: (error: string) => string;
  showInLab: string;
  noModelTraining: (trainLink: string) => string;
  otherModelTraining: (running: string, trainLink: string) => string;
  train: (model: string) => string;
  noValueYet: string;
  step: (step: string) => string;
  shape: string;
  mean: string;
  std: string;
  min: string;
  max: string;
  setting: (symbol: string, setting: string, value: string) => string;
}

export const ENGLISH_STRINGS: HoverStrings = {
  couldNotRender: (e) => `Could not render this equation: ${e}`,
  showInLab: 'Show in Latent Lab',
  noModelTraining: (link) => `No model is training — ${link}`,
  otherModelTraining: (running, link) => `The lab is training ${running} — ${link}`,
  train: (m) => `Train ${m}`,
  noValueYet: 'no value yet',
  step: (s) => `step ${s}`,
  shape: 'shape',
  mean: 'mean',
  std: 'std',
  min: 'min',
  max: 'max',
  setting: (symbol, setting, value) => `${symbol} is the setting \`${setting}\` = ${value}`,
};

export interface HoverTensor {
  name: string;
  snapshot: TensorSnapshot | undefined;
}

export interface HoverInput {
  tex: string;
  display: boolean;
  /** The rendered equation, or undefined when it could not be rendered in time. */
  rendered: RenderResult | undefined;
  /** The model the equation belongs to. */
  model: NoteModel | undefined;
  tensors: readonly HoverTensor[];
  settings?: ReadonlyArray<{ setting: string; symbol: string; value: unknown }>;
  status: RunStatus | undefined;
  strings?: HoverStrings;
  /** Colour for histogram bars (the theme's foreground). */
  pictureColor?: string;
}

export function commandUri(command: string, args?: unknown[]): string {
  return `command:${command}` + (args ? `?${encodeURIComponent(JSON.stringify(args))}` : '');
}

function codeBlock(text: string, lang: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\r/g, '')}\n${fence}`;
}

const escapeMarkdown = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

function isRunning(status: RunStatus | undefined): status is RunStatus {
  return !!status && status.state !== 'idle' && status.state !== 'error';
}

export function buildHoverMarkdown(input: HoverInput): string {
  const s = input.strings ?? ENGLISH_STRINGS;
  const blocks: string[] = [];

  if (input.rendered?.ok) {
    blocks.push(`![equation](${input.rendered.dataUri})`);
  } else {
    blocks.push(codeBlock(input.tex.trim(), 'latex'));
    blocks.push(`*${escapeMarkdown(s.couldNotRender(input.rendered?.error ?? '…'))}*`);
  }

  const noteModel = input.model && input.model !== 'none' ? input.model : undefined;
  const trainModel = noteModel ?? input.status?.model ?? 'vae';
  const trainLink = `[${s.train(MODEL_LABELS[trainModel])}](${commandUri(MODEL_KINDS[trainModel].command)})`;
  if (!isRunning(input.status)) {
    if (input.tensors.length) blocks.push(s.noModelTraining(trainLink));
  } else if (noteModel && input.status.model !== noteModel && input.tensors.length) {
    blocks.push(s.otherModelTraining(MODEL_LABELS[input.status.model], trainLink));
  }

  const sections = input.tensors.map((t) => tensorBlock(t, s, input.pictureColor));
  for (const st of input.settings ?? []) {
    sections.push(s.setting(`\`${st.symbol}\``, st.setting, `\`${String(st.value)}\``));
  }
  return [blocks.join('\n\n'), ...sections].join('\n\n---\n\n');
}

function tensorBlock(t: HoverTensor, s: HoverStrings, color: string | undefined): string {
  const link = `[${s.showInLab}](${commandUri('latentLab.revealTensor', [t.name])})`;
  const snap = t.snapshot;
  if (!snap) return `**\`${t.name}\`** — ${s.noValueYet}  \n${link}`;
  const head = [`**\`${t.name}\`**`, MODEL_LABELS[snap.model], s.step(formatStep(snap.step)), `${s.shape} \`${formatShape(snap.shape)}\``].join(' · ');
  const stats = formatStats(snap.stats)
    .map(([key, value]) => `${s[key]} ${value}`)
    .join(' · ');
  const lines = [head, stats];
  const pic = tensorPicture(snap, { color });
  if (pic) lines.push(`<img src="${pic.dataUri}" width="${pic.width}" height="${pic.height}" alt="${t.name}"/>`);
  lines.push(link);
  return lines.join('  \n');
}
