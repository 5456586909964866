// Which benchmarks run on which backend, and with what timed windows (full run or --quick). Shared by the Node
// and the browser entry, so both environments measure the same things.
import { firstLine, type BenchKind, type BenchOptions, type BenchRow } from './benchCore';
import { benchDdpm2dSampling, benchDdpm2dTraining, benchUnet, type SampleBenchOptions } from './ddpmBench';
import { benchVae, type BenchData } from './vaeBench';

export type Place = 'node' | 'browser';

const VAE: Record<'full' | 'quick', BenchOptions> = {
  full: { warmupSteps: 2, windows: 3, windowMs: 1500 },
  quick: { warmupSteps: 1, windows: 2, windowMs: 300 },
};
const DDPM2D: Record<'full' | 'quick', BenchOptions> = {
  full: { warmupSteps: 3, windows: 3, windowMs: 1000 },
  quick: { warmupSteps: 1, windows: 1, windowMs: 200 },
};
/** U-Net steps take seconds on wasm: one warm-up step, then windows of a few steps. */
const UNET: Record<'full' | 'quick', BenchOptions> = {
  full: { warmupSteps: 1, windows: 2, windowMs: 2000 },
  quick: { warmupSteps: 1, windows: 1, windowMs: 0 },
};
/** At 8x8 a step takes tens of milliseconds. */
const UNET8: Record<'full' | 'quick', BenchOptions> = {
  full: { warmupSteps: 3, windows: 3, windowMs: 1500 },
  quick: { warmupSteps: 2, windows: 1, windowMs: 300 },
};

/** The benchmarks of a backend, in the order they run. */
export function plan(place: Place, backend: string): BenchKind[] {
  if (backend === 'cpu') return place === 'node' ? ['vae-train', 'ddpm2d-train', 'ddpm2d-sample-ancestral', 'ddpm2d-sample-ddim'] : ['vae-train'];
  const kinds: BenchKind[] = ['vae-train', 'ddpm2d-train', 'ddpm2d-sample-ancestral', 'ddpm2d-sample-ddim'];
  if (backend === 'wasm') kinds.push('unet-train', 'unet8-train');
  return kinds;
}

function sampleOptions(backend: string, quick: boolean): SampleBenchOptions {
  // The cpu backend takes ~0.1 s per reverse step: ours only (stock samples at the same speed there).
  if (quick) return { ddimRuns: 1, ddimBudgetMs: 0, stock: backend !== 'cpu', ancestralRuns: 1, ancestralBudgetMs: 500 };
  // wasm runs all 1,000 ancestral steps (2-7 s a run); slower backends time prefixes of about 5 s in all and scale up.
  return { ddimRuns: 4, ddimBudgetMs: 3000, stock: backend !== 'cpu', ancestralRuns: 2, ancestralBudgetMs: backend === 'wasm' ? 16_000 : 5000 };
}

/** Rows saying that every planned benchmark of a backend could not run. */
export function failedRows(place: Place, backend: string, environment: string, detail: string): BenchRow[] {
  return plan(place, backend).map((bench) => ({ bench, environment, backend, variant: 'ours', ok: false, detail }));
}

/** Runs the plan on the active backend; one benchmark failing does not stop the others. */
export async function runSuites(
  place: Place,
  backend: string,
  environment: string,
  data: BenchData,
  quick: boolean,
  log: (msg: string) => void,
): Promise<BenchRow[]> {
  const mode = quick ? 'quick' : 'full';
  const kinds = plan(place, backend);
  const rows: BenchRow[] = [];
  const attempt = async (kind: BenchKind, f: () => Promise<BenchRow[]>) => {
    log(`${environment} ${backend}: ${kind}`);
    try {
      rows.push(...(await f()));
    } catch (e) {
      rows.push({ bench: kind, environment, backend, variant: 'ours', ok: false, detail: `failed: ${firstLine(e)}` });
    }
  };
  await attempt('vae-train', () => benchVae(environment, data, VAE[mode]));
  if (kinds.includes('ddpm2d-train')) await attempt('ddpm2d-train', () => benchDdpm2dTraining(environment, DDPM2D[mode]));
  if (kinds.includes('ddpm2d-sample-ancestral'))
    await attempt('ddpm2d-sample-ancestral', () => benchDdpm2dSampling(environment, sampleOptions(backend, quick)));
  if (kinds.includes('unet-train')) await attempt('unet-train', () => benchUnet(environment, data, UNET[mode]));
  if (kinds.includes('unet8-train')) await attempt('unet8-train', () => benchUnet(environment, data, UNET8[mode], 8));
  return rows;
}
