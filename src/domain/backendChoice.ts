// Which TF.js backend a run starts on, and when one measured in the background should take over (pure).
// A measured choice is remembered per model family and size, under the machine's GPU adapter, WebGL renderer
// and TF.js version: the next run of that kind starts on it at once, without measuring again.
import type { BackendName, BackendSetting, TrainConfig } from './config';
import { isImageDataset } from './config';
import type { BackendProbe } from './run';

/** A measured choice, as the extension keeps it in its global state. */
export interface RememberedBackend {
  /** The model family and size it was measured for (`backendKey`). */
  key: string;
  /** The GPU adapter, WebGL renderer and TF.js version it was measured under (`fingerprint`). */
  fingerprint: string;
  chosen: BackendName;
  probes: BackendProbe[];
  measuredAt: number;
}

/** What the worker finds of the machine: which GPU backends could beat WASM, and what identifies them. */
export interface BackendEnvironment {
  fingerprint: string;
  /** Hardware GPU backends that initialise here (a software adapter or renderer is no candidate). */
  candidates: BackendName[];
  /** Why each GPU backend is no candidate, as probes to report. */
  passedOver: BackendProbe[];
}

export interface BackendPlan {
  /** The backend the run starts on now. */
  start: BackendName;
  reason: string;
  /** Backends to measure in the background against the one it starts on (none: nothing could beat it). */
  measure: BackendName[];
  /** Probes to report with the start (the remembered ones, or why the GPU backends were passed over). */
  probes: BackendProbe[];
  /** A measured choice for the extension to remember, when this plan comes from a measurement. */
  remember?: RememberedBackend;
}

/** A measured backend takes over only when its step is clearly faster: timings on a busy machine are noisy. */
export const TAKE_OVER_RATIO = 0.8;

/** The model family and size a backend choice holds for: the same kind of run trains at the same speed. */
export function backendKey(config: TrainConfig): string {
  const a = config.autoencoder,
    d = config.diffusion;
  switch (config.model) {
    case 'ae':
    case 'vae':
      return `${config.model}/${a.dataset}/h${a.hiddenDim}/z${a.latentDim}/b${a.batchSize}`;
    case 'ddpm':
      return isImageDataset(d.dataset) ? `ddpm/unet/${d.dataset}/b${d.batchSize}` : `ddpm/mlp/b${d.batchSize}`;
    case 'ldm':
      return `ldm/${a.dataset}/h${a.hiddenDim}/z${a.latentDim}`;
  }
}

/** Identifies what decides the timings: the WebGPU adapter, the WebGL renderer and the TF.js version. */
export function fingerprint(webgpu: string, webgl: string, tfjs: string): string {
  return `webgpu=${webgpu}; webgl=${webgl}; tfjs=${tfjs}`;
}

/** True for a renderer or adapter that draws on the CPU (never faster than WASM for training). */
export function isSoftwareGpu(description: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render|fallback/i.test(description);
}

export function planBackend(setting: BackendSetting, remembered: RememberedBackend | undefined, env: BackendEnvironment): BackendPlan {
  if (setting !== 'auto') return { start: setting, reason: `${setting}: chosen in the settings (latentLab.backend)`, measure: [], probes: [] };
  if (remembered && remembered.fingerprint === env.fingerprint) {
    const when = new Date(remembered.measuredAt).toISOString().slice(0, 16).replace('T', ' ');
    return {
      start: remembered.chosen,
      reason: `${remembered.chosen}: the fastest measured for this model on this machine (${when} UTC)`,
      measure: [],
      probes: remembered.probes,
    };
  }
  const wasm: BackendProbe = { name: 'wasm', ok: true, detail: 'safe and fast on a CPU: starts at once' };
  if (!env.candidates.length) {
    const why = env.passedOver.map((p) => `${p.name}: ${p.detail}`).join('; ');
    return { start: 'wasm', reason: `wasm: no hardware GPU backend here (${why})`, measure: [], probes: [wasm, ...env.passedOver] };
  }
  return {
    start: 'wasm',
    reason: `wasm: starts at once while ${env.candidates.join(' and ')} ${env.candidates.length > 1 ? 'are' : 'is'} measured in the background`,
    measure: env.candidates,
    probes: [wasm, ...env.passedOver],
  };
}

/** The backend that should take over from `current` after a measurement, or null when `current` stays. */
export function fasterBackend(current: BackendName, probes: readonly BackendProbe[]): BackendName | null {
  const timed = probes.filter((p) => p.ok && p.stepMs !== undefined).sort((a, b) => a.stepMs! - b.stepMs!);
  const best = timed[0];
  const mine = timed.find((p) => p.name === current);
  if (!best || best.name === current) return null;
  return !mine || best.stepMs! < mine.stepMs! * TAKE_OVER_RATIO ? best.name : null;
}

/** What to remember after a measurement: the backend the run ends on, with every probe. */
export function remember(key: string, env: BackendEnvironment, chosen: BackendName, probes: BackendProbe[], now: number): RememberedBackend {
  return { key, fingerprint: env.fingerprint, chosen, probes, measuredAt: now };
}
