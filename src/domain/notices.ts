// What the training worker has to tell the learner, as codes and numbers: the view words them in the display
// language (the worker knows no language).

export type WorkerNotice =
  | { code: 'loading' }
  | { code: 'couldNotStart'; detail: string }
  | { code: 'checkpointMismatch'; detail: string }
  /** A NaN or infinite loss; `backAt` is the step of the last good checkpoint the model went back to. */
  | { code: 'nonFiniteLoss'; value: string; step: number; learningRate: number; backAt: number | null }
  /** `from` is the step of the checkpoint the run resumes from (null: the start). */
  | { code: 'backendFailed'; backend: string; step: number; reason: BackendFault; from: number | null }
  | { code: 'noGpuToLose'; backend: string }
  /** Latent diffusion's first phase: the VAE under it trains for `of` steps. */
  | { code: 'ldmVaePhase'; steps: number; of: number }
  | { code: 'failed'; detail: string };

/** Why a backend stopped: a lost GPU (which TF.js does not report as an error) or an error it threw. */
export type BackendFault = { kind: 'webglLost' } | { kind: 'webgpuLost'; detail: string } | { kind: 'error'; detail: string };
