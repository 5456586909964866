// Reads the run configuration from the `latentLab.*` settings and writes changes made in the sidebar back.
import * as vscode from 'vscode';
import type { ModelKind, TrainConfig } from '../protocol';
import { configFrom } from './configValues';

/** The configuration for `model` from the settings; a value no setting can take is reported once and replaced. */
export function readConfig(model: ModelKind): TrainConfig {
  const c = vscode.workspace.getConfiguration('latentLab');
  const { config, invalid } = configFrom(model, (key, fallback) => c.get(key, fallback));
  for (const bad of invalid) {
    const what = `${bad.key}=${JSON.stringify(bad.value)}`;
    if (reported.has(what)) continue;
    reported.add(what);
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The setting latentLab.{0} has the value {1}, which it cannot take: using {2}.', bad.key, JSON.stringify(bad.value), JSON.stringify(bad.used)),
    );
  }
  return config;
}

/** Invalid values already reported (a run reads its settings on every change). */
const reported = new Set<string>();

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
