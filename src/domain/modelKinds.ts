// The model kinds the lab trains, with what the rest of the product reads about each: one row per model.
import type { ModelKind } from './config';

export type ModelFamily = 'autoencoder' | 'diffusion';

/** The sidebar's diagram sections, by their data-section id, in the order they are shown. */
export type DiagramSection = 'pipeline' | 'loss' | 'latent' | 'gallery' | 'forward' | 'reverse' | 'schedule' | 'timestep-loss' | 'quality' | 'draw';

const AUTOENCODER_SECTIONS = ['pipeline', 'loss', 'latent', 'gallery'] as const satisfies readonly DiagramSection[];
const DIFFUSION_SECTIONS = [
  'pipeline',
  'loss',
  'forward',
  'reverse',
  'schedule',
  'timestep-loss',
  'quality',
  'draw',
] as const satisfies readonly DiagramSection[];

export interface ModelKindInfo {
  /** The model's name as shown (English; also the key of its translations). */
  label: string;
  /** Its name on the header's model switch, where room is short. */
  shortLabel: string;
  /** The command that trains it (package.json contributes.commands). */
  command: string;
  /** The same command as the webview names it in a `runCommand` message. */
  commandName: string;
  /** The bundled note that explains it (media/notes/<language>/). */
  note: string;
  family: ModelFamily;
  /** Whether Sample draws new samples on demand (the diffusion models' reverse process); the header shows the button then. */
  samplesOnDemand: boolean;
  /** The diagram sections its run shows. */
  sections: readonly DiagramSection[];
}

export const MODEL_KINDS = {
  ae: {
    label: 'Autoencoder',
    shortLabel: 'AE',
    command: 'latentLab.trainAe',
    commandName: 'trainAe',
    note: '02-autoencoder.md',
    family: 'autoencoder',
    samplesOnDemand: false,
    sections: AUTOENCODER_SECTIONS,
  },
  vae: {
    label: 'VAE',
    shortLabel: 'VAE',
    command: 'latentLab.trainVae',
    commandName: 'trainVae',
    note: '03-vae.md',
    family: 'autoencoder',
    samplesOnDemand: false,
    sections: AUTOENCODER_SECTIONS,
  },
  ddpm: {
    label: 'DDPM',
    shortLabel: 'DDPM',
    command: 'latentLab.trainDdpm',
    commandName: 'trainDdpm',
    note: '04-diffusion.md',
    family: 'diffusion',
    samplesOnDemand: true,
    sections: DIFFUSION_SECTIONS,
  },
  ldm: {
    label: 'Latent diffusion',
    shortLabel: 'LDM',
    command: 'latentLab.trainLdm',
    commandName: 'trainLdm',
    note: '04-diffusion.md',
    family: 'diffusion',
    samplesOnDemand: true,
    sections: DIFFUSION_SECTIONS,
  },
} as const satisfies Record<ModelKind, ModelKindInfo>;

/** Every model kind, in the table's order (the header's switch shows them so). */
export const MODEL_KIND_LIST = Object.keys(MODEL_KINDS) as ModelKind[];

/** The webview's names of the train commands ('trainAe' | 'trainVae' | ...). */
export type TrainCommandName = (typeof MODEL_KINDS)[ModelKind]['commandName'];

export const MODEL_LABELS = Object.fromEntries(MODEL_KIND_LIST.map((m) => [m, MODEL_KINDS[m].label])) as Record<ModelKind, string>;

export function isModelKind(value: unknown): value is ModelKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MODEL_KINDS, value);
}

/** The model a webview `runCommand` name trains, if it names one. */
export function modelOfCommandName(name: string): ModelKind | undefined {
  return MODEL_KIND_LIST.find((m) => MODEL_KINDS[m].commandName === name);
}
