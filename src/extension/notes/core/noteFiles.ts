// The bundled notes' file names, which note trains which model, and the language rule.
import type { ModelKind } from '../../../domain/config';
import { MODEL_KIND_LIST, MODEL_KINDS } from '../../../domain/modelKinds';

export type NotesLanguage = 'en' | 'zh-cn';

export const NOTE_FILES = [
  'README.md',
  '00-probability-primer.md',
  '01-generative-models.md',
  '02-autoencoder.md',
  '03-vae.md',
  '04-diffusion.md',
  '05-further-families.md',
] as const;

/** The note that trains each model. */
export const NOTE_OF_MODEL = Object.fromEntries(MODEL_KIND_LIST.map((m) => [m, MODEL_KINDS[m].note])) as Record<ModelKind, string>;

export function languageFor(setting: string | undefined, displayLanguage: string): NotesLanguage {
  if (setting === 'en' || setting === 'zh-cn') return setting;
  return displayLanguage.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
