// The training worker's notices in the display language (the worker sends codes and numbers only).
import type { BackendFault, WorkerNotice } from '../domain/notices';
import { t } from './i18n';

export function noticeWords(n: WorkerNotice): string {
  switch (n.code) {
    case 'loading':
      return t('Choosing a backend and loading data…');
    case 'couldNotStart':
      return t('Could not start: {0}', n.detail);
    case 'checkpointMismatch':
      return t('The saved checkpoint does not fit this model ({0}); training starts afresh.', n.detail);
    case 'nonFiniteLoss': {
      const back = n.backAt === null ? '' : t(' The model is back at step {0}, its last good checkpoint.', n.backAt);
      return t(
        'The loss became {0} at step {1} (learning rate {2}). Training is paused.{3} Lower the learning rate, then resume or reset.',
        n.value,
        n.step,
        n.learningRate,
        back,
      );
    }
    case 'backendFailed': {
      const from = n.from === null ? t('the start') : t('step {0}', n.from);
      return t('The {0} backend failed at step {1} ({2}). Switching backend and resuming from {3}.', n.backend, n.step, faultWords(n.reason), from);
    }
    case 'noGpuToLose':
      return t('The {0} backend has no GPU device to lose.', n.backend);
    case 'ldmVaePhase':
      return t(
        'Phase 1 of 2: training the VAE whose latent space the diffusion model will learn ({0} of {1} steps). Train the VAE first to skip this.',
        n.steps,
        n.of,
      );
    case 'failed':
      return n.detail;
  }
}

function faultWords(f: BackendFault): string {
  switch (f.kind) {
    case 'webglLost':
      return t('the WebGL context was lost');
    case 'webgpuLost':
      return t('the WebGPU device was lost ({0})', f.detail);
    case 'error':
      return f.detail;
  }
}
