// Noise schedules of a diffusion model as plain arrays (no tensors), so diagrams, tests and samplers share them.
//
// Indexing: array index i holds the value for the paper's timestep t = i + 1 (t runs 1..T, as in Ho et al.);
// x_0 is the data and x_T is (almost) pure noise. Every array has length T.
import type { ScheduleKind } from '../domain/config';

export interface Schedule {
  readonly kind: ScheduleKind;
  readonly T: number;
  /** beta_t: variance of the noise added at step t. */
  readonly betas: Float32Array;
  /** alpha_t = 1 - beta_t. */
  readonly alphas: Float32Array;
  /** alphaBar_t = prod_{s<=t} alpha_s: x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps. */
  readonly alphaBars: Float32Array;
  /** alphaBar_{t-1}, with alphaBar_0 = 1. */
  readonly alphaBarsPrev: Float32Array;
  readonly sqrtAlphaBars: Float32Array;
  readonly sqrtOneMinusAlphaBars: Float32Array;
  /** beta~_t = (1 - alphaBar_{t-1}) / (1 - alphaBar_t) beta_t: variance of q(x_{t-1} | x_t, x_0). */
  readonly posteriorVariance: Float32Array;
  /** Mean of q(x_{t-1} | x_t, x_0) = posteriorMeanCoefX0 x_0 + posteriorMeanCoefXt x_t. */
  readonly posteriorMeanCoefX0: Float32Array;
  readonly posteriorMeanCoefXt: Float32Array;
  /** Signal-to-noise ratio alphaBar_t / (1 - alphaBar_t). */
  readonly snr: Float32Array;
}

export const DEFAULT_TIMESTEPS = 1000;

/** DDPM's linear betas, 1e-4 .. 0.02 at T = 1000, scaled by 1000 / T so other T keep the same total noise. */
export function linearBetas(T: number): Float64Array {
  const scale = 1000 / T;
  const lo = 1e-4 * scale;
  const hi = Math.min(0.02 * scale, 0.999);
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = T === 1 ? lo : lo + ((hi - lo) * i) / (T - 1);
  return betas;
}

/** Nichol & Dhariwal's cosine schedule: alphaBar(t) = cos^2(((t/T + s) / (1 + s)) pi/2), betas clipped at 0.999. */
export function cosineBetas(T: number, s = 0.008): Float64Array {
  const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = Math.min(1 - f(i + 1) / f(i), 0.999);
  return betas;
}

export function makeSchedule(kind: ScheduleKind = 'linear', T: number = DEFAULT_TIMESTEPS): Schedule {
  if (!Number.isInteger(T) || T < 1) throw new Error(`Schedule: T must be a positive integer, got ${T}`);
  const b = kind === 'cosine' ? cosineBetas(T) : linearBetas(T);
  const betas = new Float32Array(T),
    alphas = new Float32Array(T),
    alphaBars = new Float32Array(T);
  const alphaBarsPrev = new Float32Array(T),
    sqrtAlphaBars = new Float32Array(T),
    sqrtOneMinusAlphaBars = new Float32Array(T);
  const posteriorVariance = new Float32Array(T),
    posteriorMeanCoefX0 = new Float32Array(T),
    posteriorMeanCoefXt = new Float32Array(T);
  const snr = new Float32Array(T);
  // Products in float64 so the float32 arrays are exact to rounding even for T = 4000.
  let abarPrev = 1;
  for (let i = 0; i < T; i++) {
    const beta = b[i],
      alpha = 1 - beta,
      abar = abarPrev * alpha;
    betas[i] = beta;
    alphas[i] = alpha;
    alphaBars[i] = abar;
    alphaBarsPrev[i] = abarPrev;
    sqrtAlphaBars[i] = Math.sqrt(abar);
    sqrtOneMinusAlphaBars[i] = Math.sqrt(1 - abar);
    posteriorVariance[i] = ((1 - abarPrev) / (1 - abar)) * beta;
    posteriorMeanCoefX0[i] = (Math.sqrt(abarPrev) * beta) / (1 - abar);
    posteriorMeanCoefXt[i] = (Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar);
    snr[i] = abar / (1 - abar);
    abarPrev = abar;
  }
  return {
    kind,
    T,
    betas,
    alphas,
    alphaBars,
    alphaBarsPrev,
    sqrtAlphaBars,
    sqrtOneMinusAlphaBars,
    posteriorVariance,
    posteriorMeanCoefX0,
    posteriorMeanCoefXt,
    snr,
  };
}

/** sqrt(alphaBar_t) and sqrt(1 - alphaBar_t) for paper timestep t in 0..T (t = 0 is the data itself). */
export function forwardCoefficients(schedule: Schedule, t: number): { meanCoef: number; std: number } {
  if (t <= 0) return { meanCoef: 1, std: 0 };
  const i = Math.min(t, schedule.T) - 1;
  return { meanCoef: schedule.sqrtAlphaBars[i], std: schedule.sqrtOneMinusAlphaBars[i] };
}
