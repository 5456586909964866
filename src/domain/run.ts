// The vocabulary of a training run: its status, loss history, backend report and checkpoint.
import type { BackendName, ModelKind, TrainConfig } from './config';
import type { RememberedBackend } from './backendChoice';
import type { WorkerNotice } from './notices';

export interface BackendProbe {
  name: BackendName;
  ok: boolean;
  /** Median wall time of a timed real training step, when the backend initialised. */
  stepMs?: number;
  /** Why it failed or was passed over ("no adapter", "software adapter (swiftshader)", "timed out"...). */
  detail?: string;
  /** When the step was timed (ms since the epoch). */
  measuredAt?: number;
}

export interface BackendReport {
  chosen: BackendName;
  /** One sentence for the user: why this backend runs. */
  reason: string;
  probes: BackendProbe[];
  forced: boolean;
  /** A measured choice for the extension to remember for runs of this kind on this machine. */
  remember?: RememberedBackend;
}

export type RunState = 'idle' | 'loading' | 'training' | 'paused' | 'hidden' | 'error';

export interface RunStatus {
  model: ModelKind;
  state: RunState;
  step: number;
  epoch: number;
  loss: number | null;
  samplesPerSec: number | null;
  backend: BackendName | null;
  /** What the worker has to say, as a code (the view words it into `message`). */
  notice?: WorkerNotice;
  /** The notice in words, or a line of the extension's own (switching model, the view closed). */
  message?: string;
}

/** One point of the loss chart. For the VAE terms = {recon, kl}; for the DDPM terms = {mse}. */
export interface LossPoint {
  step: number;
  loss: number;
  terms: Record<string, number>;
}

export interface NamedArray {
  name: string;
  shape: number[];
  /** Float32 bytes, base64. */
  data: string;
}

export interface Checkpoint {
  version: 1;
  model: ModelKind;
  config: TrainConfig;
  step: number;
  epoch: number;
  weights: NamedArray[];
  optimizer: NamedArray[];
  /** Extra state: e.g. EMA weights of a DDPM. */
  extra?: NamedArray[];
  lossHistory: LossPoint[];
  savedAt: number;
}
