// Picks the TF.js backend by timing a real training step on each one that initialises. A name proves
// nothing: WebGPU may be a software adapter (far slower than WASM) and WebGL may be SwiftShader.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendName, BackendSetting } from '../../domain/config';
import type { BackendProbe, BackendReport } from '../../domain/run';
import { installWasmSlice } from '../../models/kernels/wasmSlice';

// The wasm backend's own Slice copies its whole input on every call (most of a U-Net step).
installWasmSlice();

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
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

/** Why WebGPU cannot be used here, or null when a hardware adapter exists. */
export async function webgpuProblem(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'WebGPU is not exposed to this webview';
  let adapter: { info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean; requestAdapterInfo?: () => Promise<GpuAdapterInfoLike> } | null;
  try {
    adapter = (await gpu.requestAdapter()) as typeof adapter;
  } catch (e) {
    return `requestAdapter failed: ${(e as Error).message}`;
  }
  if (!adapter) return 'no WebGPU adapter (usual on Linux and in VMs)';
  const info: GpuAdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => ({}))) ?? {};
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  if (info.isFallbackAdapter || adapter.isFallbackAdapter || /swiftshader/i.test(text)) {
    return `software adapter (${info.architecture || 'fallback'}): slower than WASM, treated as no WebGPU`;
  }
  return null;
}

async function init(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    const problem = await webgpuProblem();
    if (problem) throw new Error(problem);
  }
  const ok = await withTimeout(tf.setBackend(name), INIT_TIMEOUT_MS, `${name} did not initialise in ${INIT_TIMEOUT_MS / 1000} s`);
  if (!ok) throw new Error(`${name} failed to initialise`);
  await tf.ready();
}

/**
 * Tries the backends and returns the report; leaves TF.js on the chosen backend.
 * `timeStep` runs a real training step of the configured model on the current backend and returns its ms.
 */
export async function chooseBackend(setting: BackendSetting, timeStep: () => Promise<number>, exclude: readonly BackendName[] = []): Promise<BackendReport> {
  const probes: BackendProbe[] = [];
  const forced = setting !== 'auto';
  if (forced && !exclude.includes(setting)) {
    try {
      await init(setting);
      const stepMs = await withTimeout(timeStep(), STEP_TIMEOUT_MS, 'the timed step did not finish');
      probes.push({ name: setting, ok: true, stepMs });
      return { chosen: setting, reason: `${setting}: chosen in the settings (latentLab.backend)`, probes, forced: true };
    } catch (e) {
      probes.push({ name: setting, ok: false, detail: (e as Error).message });
    }
  }
  for (const name of BACKEND_ORDER) {
    if (probes.some((p) => p.name === name)) continue;
    if (exclude.includes(name)) {
      probes.push({ name, ok: false, detail: 'failed earlier in this run' });
      continue;
    }
    if (name === 'cpu' && probes.some((p) => p.ok && p.name === 'wasm')) {
      probes.push({ name, ok: true, detail: 'not timed: the plain-JS CPU backend is always slower than WASM' });
      continue;
    }
    try {
      await init(name);
      const stepMs = await withTimeout(timeStep(), STEP_TIMEOUT_MS, 'the timed step did not finish');
      probes.push({ name, ok: true, stepMs });
    } catch (e) {
      probes.push({ name, ok: false, detail: (e as Error).message });
    }
  }
  const timed = probes.filter((p) => p.ok && p.stepMs !== undefined).sort((a, b) => a.stepMs! - b.stepMs!);
  if (!timed.length) throw new Error(`no TF.js backend could train here: ${probes.map((p) => `${p.name}: ${p.detail}`).join('; ')}`);
  const best = timed[0];
  await init(best.name);
  const others = probes.filter((p) => p !== best).map((p) => (p.stepMs !== undefined ? `${p.name} ${p.stepMs.toFixed(1)} ms` : `${p.name}: ${p.detail}`));
  const prefix = forced ? `${setting} (from the settings) could not run, so ` : '';
  return {
    chosen: best.name,
    reason: `${prefix}${best.name}: fastest measured training step (${best.stepMs!.toFixed(1)} ms; ${others.join('; ')})`,
    probes,
    forced,
  };
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
