// The bundled notes' file names, which note trains which model, and the language rule (pure: no vscode).
import type { ModelKind } from '../../domain/config';

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
export const NOTE_OF_MODEL: Record<ModelKind, string> = {
  ae: '02-autoencoder.md',
  vae: '03-vae.md',
  ddpm: '04-diffusion.md',
  ldm: '04-diffusion.md',
};

export function languageFor(setting: string | undefined, displayLanguage: string): NotesLanguage {
  if (setting === 'en' || setting === 'zh-cn') return setting;
  return displayLanguage.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
