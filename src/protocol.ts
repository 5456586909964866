// Every message between the extension host, the webview UI and the training worker.
// Both directions of both channels are discriminated unions on `type`; nothing else crosses a boundary.
// The vocabulary the messages carry (configs, snapshots, checkpoints) lives in ../domain.
import type { AssetUrls } from './domain/assets';
import type { RememberedBackend } from './domain/backendChoice';
import type { BackendName, ModelKind, SamplerKind, TrainConfig } from './domain/config';
import { isModelKind, MODEL_KIND_LIST, MODEL_KINDS, type TrainCommandName } from './domain/modelKinds';
import type { BackendProbe, BackendReport, Checkpoint, LossPoint, RunStatus } from './domain/run';
import type { WorkerNotice } from './domain/notices';
import type { TensorSnapshot } from './domain/tensors';
import type { DiffusionView, Gallery, LatentView } from './domain/views';

// ---------------------------------------------------------------- extension -> webview

/** The view's controls that change the run: sent to the extension, which owns the run (see extension/run/runOwner.md). */
export type ViewControl = 'togglePause' | 'pause' | 'resume' | 'step' | 'reset';
export const VIEW_CONTROLS: readonly ViewControl[] = ['togglePause', 'pause', 'resume', 'step', 'reset'];
/** Palette commands the view runs (its model switch and Notes button), by short name. */
export type ViewCommand = TrainCommandName | 'openNotes' | 'measureBackends';
export const VIEW_COMMANDS: readonly ViewCommand[] = [...MODEL_KIND_LIST.map((m) => MODEL_KINDS[m].commandName), 'openNotes', 'measureBackends'];

/** A checkpoint named by its model and the time it was taken (and its step, to show while it loads). */
export interface CheckpointRef {
  model: ModelKind;
  savedAt: number;
  step: number;
}

export type ToWebview =
  /**
   * `runId` names this start of the run: everything the worker sends for it carries it, so the view and the
   * extension drop what is still in flight from a run it replaced. `checkpointPrevious`: the worker sends one last
   * checkpoint of the run it replaces (another model, whose progress the extension keeps). `remembered`: the backend
   * measured fastest for runs of this kind on this machine, if any.
   */
  | {
      type: 'train';
      runId: number;
      config: TrainConfig;
      checkpoint: Checkpoint | null;
      base: Checkpoint | null;
      startPaused: boolean;
      checkpointPrevious?: boolean;
      remembered?: RememberedBackend;
      /** In place of `checkpoint`: one the worker made itself and still holds (checkpoints are large to send). */
      checkpointRef?: CheckpointRef;
    }
  | { type: 'control'; action: 'pause' | 'resume' | 'step' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'sample' }
  | { type: 'highlight'; tensor: string }
  | { type: 'requestCheckpoint'; reason?: 'hidden' | 'periodic' }
  /** For the tests: the settings the live model applies, read from the model itself (answered by 'applied'). */
  | { type: 'inspect'; requestId: number }
  /** Time the backends again for the live run (the user asked); a clearly faster one takes the run over. */
  | { type: 'measureBackends' }
  /** Fault injection for the tests: the worker loses its GPU context or device for real. */
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- webview -> extension

export type FromWebview =
  | { type: 'ready' }
  | { type: 'status'; runId: number; status: RunStatus }
  | { type: 'backend'; runId: number; report: BackendReport }
  | { type: 'snapshots'; runId: number; snapshots: TensorSnapshot[] }
  | { type: 'checkpoint'; runId: number; checkpoint: Checkpoint }
  | { type: 'applied'; requestId: number; values: Record<string, number | string> }
  | { type: 'checkpointMissing'; runId: number }
  | { type: 'revealEquation'; tensor: string }
  | { type: 'control'; action: ViewControl }
  | { type: 'runCommand'; command: ViewCommand }
  | { type: 'configChanged'; config: TrainConfig }
  | { type: 'draw'; points: [number, number][] }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---------------------------------------------------------------- webview UI -> worker

export type ToWorker =
  | {
      type: 'start';
      runId: number;
      config: TrainConfig;
      checkpoint: Checkpoint | null;
      base: Checkpoint | null;
      assets: AssetUrls;
      startPaused: boolean;
      checkpointPrevious: boolean;
      remembered?: RememberedBackend;
      checkpointRef?: CheckpointRef;
    }
  | { type: 'control'; action: 'pause' | 'resume' | 'step' }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'checkpoint' }
  | { type: 'inspect'; requestId: number }
  | { type: 'measureBackends' }
  /** To a second worker, which only measures: time a step of `config` on each backend, answer 'probed', and end. */
  | { type: 'probe'; runId: number; config: TrainConfig; assets: AssetUrls; backends: BackendName[] }
  /** What the measuring worker found, handed to the training worker. */
  | { type: 'probed'; runId: number; probes: BackendProbe[] }
  | { type: 'decode'; z: [number, number]; requestId: number }
  | { type: 'sample'; sampler?: SamplerKind; steps?: number; eta?: number; useEma?: boolean }
  | { type: 'scrub'; t: number }
  | { type: 'simulateBackendLoss' };

// ---------------------------------------------------------------- worker -> webview UI

/** What the worker makes; on the channel each carries the run it was made for (WorkerPost). */
export type FromWorker =
  | { type: 'backend'; report: BackendReport }
  /** The worker's status; its words are the UI's (`notice`), which fills `message` before passing it on. */
  | { type: 'status'; status: RunStatus }
  | { type: 'loss'; points: LossPoint[] }
  /** The training loss and its terms on the held-out images at `step`, averaged per image (AE/VAE, every few seconds). */
  | { type: 'heldOut'; step: number; loss: number; terms: Record<string, number> }
  | { type: 'snapshots'; snapshots: TensorSnapshot[] }
  | { type: 'latent'; view: LatentView }
  | { type: 'gallery'; gallery: Gallery }
  | { type: 'diffusion'; view: DiffusionView }
  | { type: 'forwardAt'; t: number; points?: [number, number][]; images?: number[][]; meanCoef: number; std: number }
  | { type: 'decoded'; requestId: number; image: number[]; imageSize: [number, number] }
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  | { type: 'applied'; requestId: number; values: Record<string, number | string> }
  /** Asks the UI for a second worker to time these backends for the run, without stalling its training. */
  | { type: 'measure'; config: TrainConfig; backends: BackendName[] }
  | { type: 'probed'; probes: BackendProbe[] }
  /** The checkpoint a start named by reference is no longer held: the extension sends it whole. */
  | { type: 'checkpointMissing' }
  | { type: 'error'; notice: WorkerNotice; recoverable: boolean };

/** A worker message on the channel: `runId` was captured when the work that made it started. */
export type WorkerPost = FromWorker & { runId: number };

// ---------------------------------------------------------------- checks on arrival

/** The field checks a message must pass, by type; the extension drops (and logs) any message that fails them. */
const FROM_WEBVIEW_FIELDS: { [K in FromWebview['type']]: (m: Record<string, unknown>) => boolean } = {
  ready: () => true,
  status: (m) => isCount(m.runId) && isRunStatus(m.status),
  backend: (m) =>
    isCount(m.runId) &&
    isObject(m.report) &&
    typeof m.report.chosen === 'string' &&
    typeof m.report.reason === 'string' &&
    Array.isArray(m.report.probes) &&
    (m.report.remember === undefined || isRememberedBackend(m.report.remember)),
  snapshots: (m) => isCount(m.runId) && Array.isArray(m.snapshots) && m.snapshots.every(isSnapshot),
  checkpoint: (m) => isCount(m.runId) && isCheckpointShape(m.checkpoint),
  checkpointMissing: (m) => isCount(m.runId),
  applied: (m) => isCount(m.requestId) && isObject(m.values) && Object.values(m.values).every((v) => typeof v === 'number' || typeof v === 'string'),
  revealEquation: (m) => isName(m.tensor),
  control: (m) => (VIEW_CONTROLS as readonly unknown[]).includes(m.action),
  runCommand: (m) => (VIEW_COMMANDS as readonly unknown[]).includes(m.command),
  configChanged: (m) => isObject(m.config) && isModel(m.config.model) && isObject(m.config.autoencoder) && isObject(m.config.diffusion),
  draw: (m) => Array.isArray(m.points) && m.points.length <= 10_000 && m.points.every((p) => Array.isArray(p) && p.length === 2 && p.every(isFiniteNumber)),
  log: (m) => ['info', 'warn', 'error'].includes(m.level as string) && typeof m.message === 'string',
};

/** Why a message from the webview is refused, or undefined when it is well formed. */
export function fromWebviewProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'not an object';
  const check = Object.hasOwn(FROM_WEBVIEW_FIELDS, String(m.type)) ? FROM_WEBVIEW_FIELDS[m.type as FromWebview['type']] : undefined;
  if (!check) return `unknown type ${JSON.stringify(m.type)?.slice(0, 40)}`;
  return check(m) ? undefined : `malformed ${String(m.type)}`;
}

const TO_WEBVIEW_TYPES: readonly ToWebview['type'][] = [
  'measureBackends',
  'train',
  'control',
  'configure',
  'sample',
  'highlight',
  'requestCheckpoint',
  'inspect',
  'simulateBackendLoss',
];

export function isToWebview(m: unknown): m is ToWebview {
  return isObject(m) && (TO_WEBVIEW_TYPES as readonly unknown[]).includes(m.type);
}

const STATES: readonly unknown[] = ['idle', 'loading', 'training', 'paused', 'hidden', 'error'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}
const isModel = isModelKind;
function isName(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && v.length <= 64;
}
function isNumberOrNull(v: unknown): boolean {
  return v === null || typeof v === 'number';
}
function isNumbers(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}
function isRunStatus(s: unknown): boolean {
  return (
    isObject(s) &&
    isModel(s.model) &&
    STATES.includes(s.state) &&
    isCount(s.step) &&
    typeof s.epoch === 'number' &&
    isNumberOrNull(s.loss) &&
    isNumberOrNull(s.samplesPerSec) &&
    (s.backend === null || typeof s.backend === 'string') &&
    (s.message === undefined || typeof s.message === 'string')
  );
}
function isSnapshot(s: unknown): boolean {
  return (
    isObject(s) &&
    isName(s.name) &&
    isModel(s.model) &&
    isCount(s.step) &&
    isNumbers(s.shape) &&
    isObject(s.stats) &&
    isObject(s.histogram) &&
    isNumbers(s.histogram.counts) &&
    isObject(s.preview) &&
    isNumbers(s.preview.shape) &&
    isNumbers(s.preview.data)
  );
}
/** A measured choice the extension keeps in its global state: small and of known shape. */
function isRememberedBackend(r: unknown): boolean {
  return (
    isObject(r) &&
    typeof r.key === 'string' &&
    r.key.length <= 200 &&
    typeof r.fingerprint === 'string' &&
    r.fingerprint.length <= 2000 &&
    BACKEND_NAMES.includes(r.chosen) &&
    Array.isArray(r.probes) &&
    r.probes.length <= 8 &&
    r.probes.every((p) => isObject(p) && BACKEND_NAMES.includes(p.name) && typeof p.ok === 'boolean' && (p.stepMs === undefined || isFiniteNumber(p.stepMs))) &&
    isFiniteNumber(r.measuredAt)
  );
}
const BACKEND_NAMES: readonly unknown[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

function isCheckpointShape(c: unknown): boolean {
  return (
    isObject(c) &&
    c.version === 1 &&
    isModel(c.model) &&
    isCount(c.step) &&
    Array.isArray(c.weights) &&
    Array.isArray(c.optimizer) &&
    Array.isArray(c.lossHistory) &&
    isObject(c.config)
  );
}
