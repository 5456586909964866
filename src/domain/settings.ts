// Every `latentLab.*` setting, declared once: its type, default and bounds (the manifest's contributes.configuration
// must agree: test/unit/settingsSchema.test.ts), whether a change applies to the running model or rebuilds it, how
// the view's settings panel offers it, and which field of the run configuration it reads and writes. Pure (no
// vscode, no DOM): the extension host reads settings through it, the webview builds its panel from it.
import {
  BACKEND_SETTINGS,
  GENERATED_TOY_NAMES,
  IMAGE_DATASET_NAMES,
  SAMPLER_KINDS,
  SCHEDULE_KINDS,
  type AutoencoderConfig,
  type DiffusionConfig,
  type ModelKind,
  type TrainConfig,
} from './config';
import { MODEL_KINDS } from './modelKinds';

/** A setting's name under `latentLab.` and the values it can take. */
export type SettingDeclaration =
  | { key: string; type: 'choice'; choices: readonly string[]; default: string }
  | { key: string; type: 'number' | 'integer'; min: number; max: number; default: number };

/** 'live': the running model takes the new value; 'rebuild': the run starts again on a fresh model. */
export type SettingEffect = 'live' | 'rebuild';

/** How the view's settings panel offers a setting. Texts are English; the view translates them (src/webview/i18n.ts). */
export interface PanelField {
  label: string;
  /** The label for some model kinds instead (where two of a model's settings would read the same). */
  labelFor?: Partial<Record<ModelKind, string>>;
  /** The model kinds whose panel shows it. */
  models: readonly ModelKind[];
  /** The values offered; `label` where the value is not shown as it is. */
  options: readonly { value: string; label?: string }[];
  hint?: string;
  /** Shown after the model's own settings (where the run trains, not what it trains). */
  last?: boolean;
}

interface RunPart<V> {
  effect: SettingEffect;
  /** The model kinds whose run uses it. */
  models: readonly ModelKind[];
  panel?: PanelField;
  read(config: TrainConfig): V;
  write(config: TrainConfig, value: V): TrainConfig;
}

/** A setting of the run configuration (TrainConfig). */
export type RunSetting =
  (Extract<SettingDeclaration, { type: 'choice' }> & RunPart<string>) | (Extract<SettingDeclaration, { type: 'number' | 'integer' }> & RunPart<number>);

const ALL_MODELS: readonly ModelKind[] = ['ae', 'vae', 'ddpm', 'ldm'];
const AUTOENCODING: readonly ModelKind[] = ['ae', 'vae', 'ldm'];
const DIFFUSING: readonly ModelKind[] = ['ddpm', 'ldm'];

const autoencoder = <K extends keyof AutoencoderConfig>(name: K) => ({
  read: (c: TrainConfig) => c.autoencoder[name],
  write: (c: TrainConfig, v: AutoencoderConfig[K]): TrainConfig => ({ ...c, autoencoder: { ...c.autoencoder, [name]: v } }),
});
const diffusion = <K extends keyof DiffusionConfig>(name: K) => ({
  read: (c: TrainConfig) => c.diffusion[name],
  write: (c: TrainConfig, v: DiffusionConfig[K]): TrainConfig => ({ ...c, diffusion: { ...c.diffusion, [name]: v } }),
});
/** Numbers offered as they are shown. */
const shown = (values: number[]) => values.map((v) => ({ value: String(v) }));

export const RUN_SETTINGS: readonly RunSetting[] = [
  {
    key: 'backend',
    type: 'choice',
    choices: BACKEND_SETTINGS,
    default: 'auto',
    effect: 'rebuild',
    models: ALL_MODELS,
    read: (c) => c.backend,
    write: (c, v) => ({ ...c, backend: v as TrainConfig['backend'] }),
    panel: {
      label: 'Backend',
      models: ALL_MODELS,
      last: true,
      options: [
        { value: 'auto', label: 'Auto (fastest measured)' },
        { value: 'webgpu', label: 'WebGPU' },
        { value: 'webgl', label: 'WebGL' },
        { value: 'wasm', label: 'WASM' },
        { value: 'cpu', label: 'CPU (plain JS)' },
      ],
    },
  },
  {
    key: 'dataset',
    type: 'choice',
    choices: IMAGE_DATASET_NAMES,
    default: 'mnist',
    effect: 'rebuild',
    models: AUTOENCODING,
    ...autoencoder('dataset'),
    panel: {
      label: 'Dataset',
      models: AUTOENCODING,
      options: [
        { value: 'mnist', label: 'MNIST digits' },
        { value: 'fashion-mnist', label: 'Fashion-MNIST' },
        { value: 'digits-8x8', label: '8x8 digits' },
      ],
    },
  },
  {
    key: 'latentDim',
    type: 'integer',
    min: 1,
    max: 64,
    default: 2,
    effect: 'rebuild',
    models: AUTOENCODING,
    ...autoencoder('latentDim'),
    panel: { label: 'Latent size', models: AUTOENCODING, options: shown([1, 2, 4, 8, 16, 32]), hint: 'Above 2 the latent map shows a PCA projection.' },
  },
  { key: 'hiddenDim', type: 'integer', min: 16, max: 2048, default: 512, effect: 'rebuild', models: AUTOENCODING, ...autoencoder('hiddenDim') },
  {
    key: 'beta',
    type: 'number',
    min: 0,
    max: 1000,
    default: 1,
    effect: 'live',
    models: ['vae', 'ldm'],
    ...autoencoder('beta'),
    panel: { label: 'β (KL weight)', models: ['vae', 'ldm'], options: shown([0, 0.1, 0.5, 1, 2, 4, 10]) },
  },
  {
    // The autoencoders' (and latent diffusion's VAE phase); the diffusion models have their own.
    key: 'learningRate',
    type: 'number',
    min: 1e-6,
    max: 1,
    default: 1e-3,
    effect: 'live',
    models: AUTOENCODING,
    ...autoencoder('learningRate'),
    panel: { label: 'Learning rate', labelFor: { ldm: 'VAE learning rate' }, models: AUTOENCODING, options: shown([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1]) },
  },
  {
    // Latent diffusion trains on these batches in both phases.
    key: 'batchSize',
    type: 'integer',
    min: 1,
    max: 4096,
    default: 128,
    effect: 'live',
    models: AUTOENCODING,
    ...autoencoder('batchSize'),
    panel: { label: 'Batch size', models: AUTOENCODING, options: shown([16, 32, 64, 128, 256, 512]) },
  },
  {
    key: 'seed',
    type: 'integer',
    min: -(2 ** 31),
    max: 2 ** 31 - 1,
    default: 42,
    effect: 'rebuild',
    models: ALL_MODELS,
    read: (c) => c.autoencoder.seed,
    write: (c, v) => ({ ...c, autoencoder: { ...c.autoencoder, seed: v }, diffusion: { ...c.diffusion, seed: v } }),
  },
  {
    key: 'diffusion.dataset',
    type: 'choice',
    choices: [...GENERATED_TOY_NAMES, ...IMAGE_DATASET_NAMES],
    default: 'swiss-roll',
    effect: 'rebuild',
    models: ['ddpm'],
    ...diffusion('dataset'),
    panel: {
      label: 'Data',
      models: ['ddpm'],
      options: [
        { value: 'swiss-roll', label: 'Swiss roll' },
        { value: 'two-moons', label: 'Two moons' },
        { value: 'eight-gaussians', label: '8 Gaussians' },
        { value: 'rings', label: 'Rings' },
        { value: 'mnist', label: 'MNIST (U-Net)' },
        { value: 'fashion-mnist', label: 'Fashion-MNIST (U-Net)' },
        { value: 'digits-8x8', label: '8x8 digits (U-Net, fast)' },
      ],
    },
  },
  {
    key: 'diffusion.schedule',
    type: 'choice',
    choices: SCHEDULE_KINDS,
    default: 'linear',
    effect: 'rebuild',
    models: DIFFUSING,
    ...diffusion('schedule'),
    panel: {
      label: 'Schedule',
      models: DIFFUSING,
      options: [
        { value: 'linear', label: 'Linear β' },
        { value: 'cosine', label: 'Cosine' },
      ],
    },
  },
  {
    key: 'diffusion.timesteps',
    type: 'integer',
    min: 10,
    max: 4000,
    default: 1000,
    effect: 'rebuild',
    models: DIFFUSING,
    ...diffusion('timesteps'),
    panel: { label: 'Steps T', models: DIFFUSING, options: shown([100, 250, 500, 1000, 2000]) },
  },
  {
    key: 'diffusion.sampler',
    type: 'choice',
    choices: SAMPLER_KINDS,
    default: 'ddim',
    effect: 'live',
    models: DIFFUSING,
    ...diffusion('sampler'),
    panel: {
      label: 'Sampler',
      models: DIFFUSING,
      options: [
        { value: 'ddim', label: 'DDIM' },
        { value: 'ddpm', label: 'DDPM (ancestral)' },
      ],
    },
  },
  {
    key: 'diffusion.samplerSteps',
    type: 'integer',
    min: 1,
    max: 4000,
    default: 50,
    effect: 'live',
    models: DIFFUSING,
    ...diffusion('samplerSteps'),
    panel: { label: 'DDIM steps', models: DIFFUSING, options: shown([5, 10, 20, 50, 100, 250, 1000]) },
  },
  {
    key: 'diffusion.eta',
    type: 'number',
    min: 0,
    max: 1,
    default: 0,
    effect: 'live',
    models: DIFFUSING,
    ...diffusion('eta'),
    panel: { label: 'DDIM η', models: DIFFUSING, options: shown([0, 0.5, 1]) },
  },
  {
    // The DDPM's denoiser, and latent diffusion's once its VAE is trained.
    key: 'diffusion.learningRate',
    type: 'number',
    min: 1e-6,
    max: 1,
    default: 1e-3,
    effect: 'live',
    models: DIFFUSING,
    ...diffusion('learningRate'),
    panel: { label: 'Learning rate', labelFor: { ldm: 'Denoiser learning rate' }, models: DIFFUSING, options: shown([1e-4, 3e-4, 1e-3, 3e-3, 1e-2]) },
  },
  { key: 'diffusion.batchSize', type: 'integer', min: 1, max: 4096, default: 512, effect: 'live', models: ['ddpm'], ...diffusion('batchSize') },
];

/** The notes' language: a setting of the notes, not of a run. */
export const NOTES_LANGUAGE: SettingDeclaration = { key: 'notes.language', type: 'choice', choices: ['auto', 'en', 'zh-cn'], default: 'auto' };

/** Every setting the manifest contributes, in its order. */
export const ALL_SETTINGS: readonly SettingDeclaration[] = [...RUN_SETTINGS, NOTES_LANGUAGE];

const BY_KEY = new Map(RUN_SETTINGS.map((s) => [s.key, s]));

export function runSetting(key: string): RunSetting | undefined {
  return BY_KEY.get(key);
}

/** The settings a model kind's run uses. */
export function settingsOf(model: ModelKind): RunSetting[] {
  return RUN_SETTINGS.filter((s) => s.models.includes(model));
}

/** The setting of the learning rate a model family trains with (latent diffusion: its denoiser's). */
export function learningRateKey(model: ModelKind): 'learningRate' | 'diffusion.learningRate' {
  return MODEL_KINDS[model].family === 'diffusion' ? 'diffusion.learningRate' : 'learningRate';
}

/** `raw` as the setting takes it (numbers clamped into range, integers rounded), or undefined when it cannot take it. */
export function accept(s: SettingDeclaration, raw: unknown): string | number | undefined {
  if (s.type === 'choice') return typeof raw === 'string' && s.choices.includes(raw) ? raw : undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
  const v = Math.min(s.max, Math.max(s.min, raw));
  return s.type === 'integer' ? Math.round(v) : v;
}

/** `config` with setting `s` set to `value` (a value `accept` gave for it). */
export function withSetting(config: TrainConfig, s: RunSetting, value: string | number): TrainConfig {
  return s.type === 'choice' ? s.write(config, String(value)) : s.write(config, Number(value));
}

/** Reads one setting under `latentLab.`, with the manifest's default. */
export type SettingReader = <T>(key: string, fallback: T) => T;

export interface InvalidSetting {
  key: string;
  value: unknown;
  used: unknown;
}

/**
 * The run configuration from raw setting values: a value a setting cannot take (a typo in settings.json) falls
 * back to the default and is reported, so training never starts on a dataset or backend that does not exist.
 */
export function configFrom(model: ModelKind, get: SettingReader): { config: TrainConfig; invalid: InvalidSetting[] } {
  const invalid: InvalidSetting[] = [];
  // Every field is written below: each part of a configuration is some setting's.
  let config = { model, autoencoder: {}, diffusion: {} } as TrainConfig;
  for (const s of RUN_SETTINGS) {
    const raw = get<unknown>(s.key, s.default);
    let value = accept(s, raw);
    if (value === undefined) {
      invalid.push({ key: s.key, value: raw, used: s.default });
      value = s.default;
    }
    config = withSetting(config, s, value);
  }
  return { config, invalid };
}

/** The `latentLab.*` setting each part of a configuration comes from, with its value. */
export function settingValues(config: TrainConfig): [string, unknown][] {
  return RUN_SETTINGS.map((s) => [s.key, s.read(config)]);
}

/** The settings on which `next` differs from `prev`, with next's values ('drawn' data is no setting: it stays with its run). */
export function changedSettings(next: TrainConfig, prev: TrainConfig): [string, unknown][] {
  const old = new Map(settingValues(prev));
  return settingValues(next).filter(([key, value]) => value !== old.get(key) && !(key === 'diffusion.dataset' && value === 'drawn'));
}

const REBUILDS = RUN_SETTINGS.filter((s) => s.effect === 'rebuild');

/** Whether going from one configuration to the other needs a fresh model (live settings apply to the running one). */
export function needsRebuild(a: TrainConfig, b: TrainConfig): boolean {
  return a.model !== b.model || REBUILDS.some((s) => s.read(a) !== s.read(b));
}
