// What the diffusion runners share: the timesteps the forward strip shows, the schedule as plain arrays, and
// how often the reverse process is redrawn.
import type { DiffusionConfig, SamplerKind } from '../../domain/config';
import type { Schedule } from '../../models/schedules';

/** Samplers of at most this many steps are redrawn at every picture update; longer ones every REDRAW_EVERY. */
const CHEAP_STEPS = 100;
const REDRAW_EVERY = 8;

export function forwardLadder(T: number): number[] {
  return [0, 0.05, 0.15, 0.3, 0.5, 0.75, 1].map((f) => Math.round(T * f));
}

export function scheduleArrays(s: Schedule): { betas: number[]; alphaBars: number[] } {
  return { betas: Array.from(s.betas), alphaBars: Array.from(s.alphaBars) };
}

export function reverseSteps(cfg: DiffusionConfig, T: number, opts: { sampler?: SamplerKind; steps?: number }): { sampler: SamplerKind; steps: number } {
  const sampler = opts.sampler ?? cfg.sampler;
  return { sampler, steps: sampler === 'ddim' ? Math.max(1, Math.min(opts.steps ?? cfg.samplerSteps, T)) : T };
}

/** `everyCheap`: how often a cheap sampler is redrawn (1 = every update; more for costly networks). */
export function shouldRedrawReverse(cfg: DiffusionConfig, T: number, updates: number, everyCheap = 1): boolean {
  const every = reverseSteps(cfg, T, {}).steps <= CHEAP_STEPS ? everyCheap : REDRAW_EVERY * everyCheap;
  return updates % every === 0;
}

export function pairs(rows: number[][]): [number, number][] {
  return rows.map((r) => [r[0], r[1] ?? 0]);
}

/** A scrubbed timestep as an integer in [0, T]. */
export function clampT(t: number, T: number): number {
  return Math.max(0, Math.min(T, Math.round(t)));
}
