// Watches a GPU backend for a lost device or context. TF.js does not turn either into an error: a lost WebGL
// context reads back zeros (training would go on, on garbage), a lost WebGPU device only fails later reads.
// The trainer runs each slice under `race` and asks `lost()` before trusting read-back numbers or a checkpoint.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../domain/config';
import type { BackendFault } from '../../domain/notices';

interface GlLike {
  isContextLost(): boolean;
  getExtension(name: string): unknown;
  canvas?: { addEventListener?(type: string, listener: (e: Event) => void): void };
}

interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}

const POLL_MS = 250;

const glOf = (): GlLike | undefined => (tf.backend() as unknown as { gpgpu?: { gl?: GlLike } }).gpgpu?.gl;
const deviceOf = (): GpuDeviceLike | undefined => (tf.backend() as unknown as { device?: GpuDeviceLike }).device;

export class BackendLossWatch {
  private reason: BackendFault | null = null;
  private readonly gl: GlLike | undefined;

  /** Starts watching the active backend, `name`; nothing to watch on wasm and cpu. */
  constructor(readonly name: BackendName) {
    if (name === 'webgl') {
      this.gl = glOf();
      this.gl?.canvas?.addEventListener?.('webglcontextlost', () => (this.reason ??= { kind: 'webglLost' }));
    } else if (name === 'webgpu') {
      void deviceOf()?.lost.then((info) => {
        this.reason ??= { kind: 'webgpuLost', detail: `${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}` };
      });
    }
  }

  /**
   * Waits for `work`: null once it settles, or the reason as soon as the GPU is lost while it runs (a read from
   * a lost WebGL context waits on a fence that never signals, so the loss must be noticed from outside).
   */
  race(work: Promise<unknown>): Promise<BackendFault | null> {
    if (this.name !== 'webgl' && this.name !== 'webgpu') return work.then(() => null);
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const reason = this.lost();
        if (reason) {
          clearInterval(timer);
          resolve(reason);
        }
      }, POLL_MS);
      work.then(
        () => (clearInterval(timer), resolve(null)),
        (e) => (clearInterval(timer), reject(e)),
      );
    });
  }

  /** Why the backend can no longer be trusted, or null while it is fine. */
  lost(): BackendFault | null {
    if (!this.reason && this.gl?.isContextLost()) this.reason = { kind: 'webglLost' };
    return this.reason;
  }

  /**
   * Loses the GPU context or device for real, as a driver reset would (fault injection for the tests).
   * False on backends without one.
   */
  simulateLoss(): boolean {
    if (this.name === 'webgl') {
      const ext = this.gl?.getExtension('WEBGL_lose_context') as { loseContext(): void } | null | undefined;
      ext?.loseContext();
      return Boolean(ext);
    }
    if (this.name === 'webgpu') {
      const device = deviceOf();
      device?.destroy();
      return Boolean(device);
    }
    return false;
  }
}
