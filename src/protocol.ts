// Every message between the extension host, the webview UI and the training worker.
// Both directions of both channels are discriminated unions on `type`; nothing else crosses a boundary.
// The vocabulary the messages carry (configs, snapshots, checkpoints) lives in ../domain.
import type { AssetUrls } from './domain/assets';
import type { SamplerKind, TrainConfig } from './domain/config';
import type { BackendReport, Checkpoint, LossPoint, RunStatus } from './domain/run';
import type { TensorSnapshot } from './domain/tensors';
import type { DiffusionView, Gallery, LatentView } from './domain/views';

// ---------------------------------------------------------------- extension -> webview

export type ToWebview =
  /**
   * `runId` names this run: the worker tags its status, snapshots and checkpoints with it, so the extension can
   * tell the messages still in flight from the run it replaced.
   */
  | { type: 'train'; runId: number; config: TrainConfig; checkpoint: Checkpoint | null; base: Checkpoint | null; startPaused: boolean }
  | { type: 'control'; action: 'pause' | 'resume' | 'toggle' | 'step' | 'reset' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'sample' }
  | { type: 'highlight'; tensor: string }
  | { type: 'requestCheckpoint'; reason: 'hidden' | 'dispose' | 'periodic' }
  /** Fault injection for the tests: the worker loses its GPU context or device for real. */
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- webview -> extension

export type FromWebview =
  | { type: 'ready' }
  | { type: 'status'; runId: number; status: RunStatus }
  | { type: 'backend'; report: BackendReport }
  | { type: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { type: 'checkpoint'; runId: number; checkpoint: Checkpoint }
  | { type: 'revealEquation'; tensor: string }
  | { type: 'runCommand'; command: 'trainVae' | 'trainAe' | 'trainDdpm' | 'trainLdm' | 'openNotes' }
  | { type: 'configChanged'; config: TrainConfig }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---------------------------------------------------------------- webview UI -> worker

export type ToWorker =
  | { type: 'start'; runId: number; config: TrainConfig; checkpoint: Checkpoint | null; base: Checkpoint | null; assets: AssetUrls; startPaused: boolean; lang: 'en' | 'zh-cn' }
  | { type: 'control'; action: 'pause' | 'resume' | 'step' | 'reset' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'checkpoint' }
  | { type: 'decode'; z: [number, number]; requestId: number }
  | { type: 'sample'; sampler?: SamplerKind; steps?: number; eta?: number; useEma?: boolean }
  | { type: 'scrub'; t: number }
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- worker -> webview UI

export type FromWorker =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; runId: number; status: RunStatus }
  | { type: 'loss'; points: LossPoint[] }
  | { type: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { type: 'latent'; view: LatentView }
  | { type: 'gallery'; gallery: Gallery }
  | { type: 'diffusion'; view: DiffusionView }
  | { type: 'forwardAt'; t: number; points?: [number, number][]; images?: number[][]; meanCoef: number; std: number }
  | { type: 'decoded'; requestId: number; image: number[]; imageSize: [number, number] }
  | { type: 'checkpoint'; runId: number; checkpoint: Checkpoint }
  | { type: 'error'; message: string; step?: number; recoverable: boolean };

export function isToWebview(m: unknown): m is ToWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

export function isFromWebview(m: unknown): m is FromWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
