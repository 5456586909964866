// Reads the run configuration from the `latentLab.*` settings and writes changes made in the sidebar back.
import * as vscode from 'vscode';
import type { BackendSetting, ModelKind, TrainConfig } from '../protocol';

export function readConfig(model: ModelKind): TrainConfig {
  const c = vscode.workspace.getConfiguration('latentLab');
  return {
    model,
    backend: c.get<BackendSetting>('backend', 'auto'),
    autoencoder: {
      dataset: c.get('dataset', 'mnist'),
      latentDim: clampInt(c.get('latentDim', 2), 1, 64),
      hiddenDim: clampInt(c.get('hiddenDim', 512), 16, 2048),
      beta: Math.max(0, c.get('beta', 1)),
      learningRate: positive(c.get('learningRate', 1e-3), 1e-3),
      batchSize: clampInt(c.get('batchSize', 128), 1, 4096),
      seed: Math.trunc(c.get('seed', 42)),
    },
    diffusion: {
      dataset: c.get('diffusion.dataset', 'swiss-roll'),
      schedule: c.get('diffusion.schedule', 'linear'),
      timesteps: clampInt(c.get('diffusion.timesteps', 1000), 10, 4000),
      sampler: c.get('diffusion.sampler', 'ddim'),
      samplerSteps: clampInt(c.get('diffusion.samplerSteps', 50), 1, 4000),
      eta: Math.min(1, Math.max(0, c.get('diffusion.eta', 0))),
      learningRate: positive(c.get('learningRate', 1e-3), 1e-3),
      batchSize: clampInt(c.get('diffusion.batchSize', 512), 1, 4096),
      seed: Math.trunc(c.get('seed', 42)),
    },
  };
}

/** Writes the settings a sidebar control changed (user scope), leaving the others as they are. */
export async function writeConfig(next: TrainConfig, prev: TrainConfig): Promise<void> {
  const c = vscode.workspace.getConfiguration('latentLab');
  const target = vscode.ConfigurationTarget.Global;
  const a = next.autoencoder, pa = prev.autoencoder, d = next.diffusion, pd = prev.diffusion;
  const pairs: [string, unknown, unknown][] = [
    ['backend', next.backend, prev.backend],
    ['dataset', a.dataset, pa.dataset],
    ['latentDim', a.latentDim, pa.latentDim],
    ['hiddenDim', a.hiddenDim, pa.hiddenDim],
    ['beta', a.beta, pa.beta],
    ['learningRate', a.learningRate, pa.learningRate],
    ['batchSize', a.batchSize, pa.batchSize],
    ['diffusion.dataset', d.dataset, pd.dataset],
    ['diffusion.schedule', d.schedule, pd.schedule],
    ['diffusion.timesteps', d.timesteps, pd.timesteps],
    ['diffusion.sampler', d.sampler, pd.sampler],
    ['diffusion.samplerSteps', d.samplerSteps, pd.samplerSteps],
    ['diffusion.eta', d.eta, pd.eta],
  ];
  for (const [key, value, old] of pairs) if (value !== old) await c.update(key, value, target);
}

/** Settings whose change needs a fresh model (the others apply to the running one). */
export function needsRebuild(a: TrainConfig, b: TrainConfig): boolean {
  const x = a.autoencoder, y = b.autoencoder, p = a.diffusion, q = b.diffusion;
  return a.model !== b.model || a.backend !== b.backend || x.dataset !== y.dataset || x.latentDim !== y.latentDim ||
    x.hiddenDim !== y.hiddenDim || x.seed !== y.seed || p.dataset !== q.dataset || p.schedule !== q.schedule || p.timesteps !== q.timesteps;
}

function clampInt(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : lo;
}

function positive(v: number, fallback: number): number {
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
