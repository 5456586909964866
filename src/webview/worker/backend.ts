// The TF.js backends in the worker: what the machine offers (its GPU adapter and WebGL renderer, which decide the
// timings), starting one, and timing a real training step on each. A name proves nothing: WebGPU may be a
// software adapter (far slower than WASM) and WebGL may be SwiftShader.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { fingerprint, isSoftwareGpu, type BackendEnvironment } from '../../domain/backendChoice';
import type { BackendName } from '../../domain/config';
import type { BackendProbe } from '../../domain/run';
import { installWasmSlice } from '../../models/kernels/wasmSlice';

// The wasm backend's own Slice copies its whole input on every call (most of a U-Net step).
installWasmSlice();

const INIT_TIMEOUT_MS = 10_000;
const STEP_TIMEOUT_MS = 30_000;

let wasmPathsSet = false;

export function configureWasm(files: Record<string, string>): void {
  if (wasmPathsSet) return;
  // Threads need cross-origin isolation, which VS Code webviews do not have: single-thread SIMD is what runs.
  setWasmPaths(files as Parameters<typeof setWasmPaths>[0], true);
  wasmPathsSet = true;
}

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The WebGPU adapter as text ('none' without one), and why it cannot train here (null: a hardware adapter). */
async function webgpuAdapter(): Promise<{ description: string; problem: string | null }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { description: 'none', problem: 'WebGPU is not exposed to this webview' };
  let adapter: { info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean; requestAdapterInfo?: () => Promise<GpuAdapterInfoLike> } | null;
  try {
    adapter = (await gpu.requestAdapter()) as typeof adapter;
  } catch (e) {
    return { description: 'none', problem: `requestAdapter failed: ${(e as Error).message}` };
  }
  if (!adapter) return { description: 'none', problem: 'no WebGPU adapter (usual on Linux and in VMs)' };
  const info: GpuAdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => ({}))) ?? {};
  const description = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`.trim() || 'unnamed adapter';
  if (info.isFallbackAdapter || adapter.isFallbackAdapter || isSoftwareGpu(description)) {
    return { description, problem: `software adapter (${info.architecture || 'fallback'}): slower than WASM, treated as no WebGPU` };
  }
  return { description, problem: null };
}

/** The WebGL renderer as the driver names it ('none' without WebGL). */
function webglRenderer(): string {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return 'none';
    const ext = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    (gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null)?.loseContext();
    return renderer;
  } catch {
    return 'none';
  }
}

let environmentOnce: Promise<BackendEnvironment> | undefined;

/** What this machine offers for training, found once per worker (the GPU does not change under a running worker). */
export function backendEnvironment(): Promise<BackendEnvironment> {
  environmentOnce ??= (async () => {
    const gpu = await webgpuAdapter();
    const renderer = webglRenderer();
    const candidates: BackendName[] = [];
    const passedOver: BackendProbe[] = [];
    if (gpu.problem) passedOver.push({ name: 'webgpu', ok: false, detail: gpu.problem });
    else candidates.push('webgpu');
    if (renderer === 'none') passedOver.push({ name: 'webgl', ok: false, detail: 'no WebGL here' });
    else if (isSoftwareGpu(renderer)) passedOver.push({ name: 'webgl', ok: false, detail: `software renderer (${renderer}): slower than WASM` });
    else candidates.push('webgl');
    return { fingerprint: fingerprint(gpu.description, renderer, tf.version_core), candidates, passedOver };
  })();
  return environmentOnce;
}

/** Makes `name` TF.js's backend; throws with the reason when it cannot run here. */
export async function initBackend(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    const { problem } = await webgpuAdapter();
    if (problem) throw new Error(problem);
  }
  const ok = await withTimeout(tf.setBackend(name), INIT_TIMEOUT_MS, `${name} did not initialise in ${INIT_TIMEOUT_MS / 1000} s`);
  if (!ok) throw new Error(`${name} failed to initialise`);
  await tf.ready();
}

/** Times a real training step of the run on each backend (`timeStep` runs one on the current backend). */
export async function measureBackends(names: readonly BackendName[], timeStep: () => Promise<number>): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const name of names) {
    try {
      await initBackend(name);
      const stepMs = await withTimeout(timeStep(), STEP_TIMEOUT_MS, 'the timed step did not finish');
      probes.push({ name, ok: true, stepMs, measuredAt: Date.now() });
    } catch (e) {
      probes.push({ name, ok: false, detail: (e as Error).message });
    }
  }
  return probes;
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
