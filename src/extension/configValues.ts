// The run configuration from raw setting values, pure (no vscode): numbers are clamped, and a value a setting
// cannot take (a typo in settings.json) falls back to the default and is reported, so training never starts
// on a dataset or backend that does not exist.
import { BACKEND_SETTINGS, GENERATED_TOY_NAMES, IMAGE_DATASET_NAMES, SAMPLER_KINDS, SCHEDULE_KINDS, type ModelKind, type TrainConfig } from '../domain/config';

/** Reads one setting under `latentLab.`, with the manifest's default. */
export type SettingReader = <T>(key: string, fallback: T) => T;

export interface InvalidSetting {
  key: string;
  value: unknown;
  used: unknown;
}

const DIFFUSION_DATASETS = [...GENERATED_TOY_NAMES, ...IMAGE_DATASET_NAMES] as const;

export function configFrom(model: ModelKind, get: SettingReader): { config: TrainConfig; invalid: InvalidSetting[] } {
  const invalid: InvalidSetting[] = [];
  const choice = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = get<unknown>(key, fallback);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    invalid.push({ key, value, used: fallback });
    return fallback;
  };
  /** A number within [lo, hi] (clamped, as the settings editor's own bounds would), or the default. */
  const num = (key: string, fallback: number, lo: number, hi: number, integer = false): number => {
    const value = get<unknown>(key, fallback);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      invalid.push({ key, value, used: fallback });
      return fallback;
    }
    const v = Math.min(hi, Math.max(lo, value));
    return integer ? Math.round(v) : v;
  };
  const learningRate = num('learningRate', 1e-3, 1e-6, 1);
  const seed = num('seed', 42, -(2 ** 31), 2 ** 31 - 1, true);
  const config: TrainConfig = {
    model,
    backend: choice('backend', BACKEND_SETTINGS, 'auto'),
    autoencoder: {
      dataset: choice('dataset', IMAGE_DATASET_NAMES, 'mnist'),
      latentDim: num('latentDim', 2, 1, 64, true),
      hiddenDim: num('hiddenDim', 512, 16, 2048, true),
      beta: num('beta', 1, 0, 1000),
      learningRate,
      batchSize: num('batchSize', 128, 1, 4096, true),
      seed,
    },
    diffusion: {
      dataset: choice('diffusion.dataset', DIFFUSION_DATASETS, 'swiss-roll'),
      schedule: choice('diffusion.schedule', SCHEDULE_KINDS, 'linear'),
      timesteps: num('diffusion.timesteps', 1000, 10, 4000, true),
      sampler: choice('diffusion.sampler', SAMPLER_KINDS, 'ddim'),
      samplerSteps: num('diffusion.samplerSteps', 50, 1, 4000, true),
      eta: num('diffusion.eta', 0, 0, 1),
      learningRate,
      batchSize: num('diffusion.batchSize', 512, 1, 4096, true),
      seed,
    },
  };
  return { config, invalid };
}

/** The `latentLab.*` setting each part of a configuration comes from, with its value. */
export function settingValues(config: TrainConfig): [string, unknown][] {
  const a = config.autoencoder, d = config.diffusion;
  return [
    ['backend', config.backend],
    ['dataset', a.dataset],
    ['latentDim', a.latentDim],
    ['hiddenDim', a.hiddenDim],
    ['beta', a.beta],
    ['learningRate', a.learningRate],
    ['batchSize', a.batchSize],
    ['seed', a.seed],
    ['diffusion.dataset', d.dataset],
    ['diffusion.schedule', d.schedule],
    ['diffusion.timesteps', d.timesteps],
    ['diffusion.sampler', d.sampler],
    ['diffusion.samplerSteps', d.samplerSteps],
    ['diffusion.eta', d.eta],
    ['diffusion.batchSize', d.batchSize],
  ];
}

/** The settings on which `next` differs from `prev`, with next's values ('drawn' data is no setting: it stays with its run). */
export function changedSettings(next: TrainConfig, prev: TrainConfig): [string, unknown][] {
  const old = new Map(settingValues(prev));
  return settingValues(next).filter(([key, value]) => value !== old.get(key) && !(key === 'diffusion.dataset' && value === 'drawn'));
}
