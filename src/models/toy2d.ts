// Seeded 2D toy data sets for the diffusion model, each centred and scaled so its per-axis spread is about 1
// (the scale a standard-normal prior and the linear DDPM schedule assume). Points are returned flat,
// [x0, y0, x1, y1, ...], ready for tf.tensor2d(points, [n, 2]).
import type { ToyDatasetName } from '../domain/config';
import { mulberry32, normalSamples } from './random';

export type GeneratedToyName = Exclude<ToyDatasetName, 'drawn'>;

/** Raw shape of each set, plus the fixed centre and scale that bring it to unit spread (measured on 200k points). */
interface ToyShape {
  draw(u: () => number, i: number): [number, number];
  centre: [number, number];
  scale: number;
  noise: number;
}

const SHAPES: Record<GeneratedToyName, ToyShape> = {
  // sklearn's make_swiss_roll in the plane: a spiral of radius t, t in [1.5 pi, 4.5 pi].
  'swiss-roll': {
    draw: (u) => {
      const t = 1.5 * Math.PI * (1 + 2 * u());
      return [t * Math.cos(t), t * Math.sin(t)];
    },
    centre: [2.0, 0.2],
    scale: 1 / 6.8,
    noise: 0.05,
  },
  'two-moons': {
    draw: (u, i) => {
      const th = Math.PI * u();
      return i % 2 === 0 ? [Math.cos(th), Math.sin(th)] : [1 - Math.cos(th), 0.5 - Math.sin(th)];
    },
    centre: [0.5, 0.25],
    scale: 1 / 0.7,
    noise: 0.05,
  },
  'eight-gaussians': {
    draw: (u) => {
      const k = Math.floor(u() * 8);
      const a = (k * Math.PI) / 4;
      return [Math.SQRT2 * Math.cos(a), Math.SQRT2 * Math.sin(a)];
    },
    centre: [0, 0],
    scale: 1,
    noise: 0.1,
  },
  // Two concentric circles, radii 1 and 0.5 before scaling.
  rings: {
    draw: (u, i) => {
      const th = 2 * Math.PI * u();
      const r = i % 2 === 0 ? 1 : 0.5;
      return [r * Math.cos(th), r * Math.sin(th)];
    },
    centre: [0, 0],
    scale: 1 / 0.56,
    noise: 0.04,
  },
};

/** n points of a toy set, flat [n * 2]; the same (name, n, seed) always gives the same points. */
export function generateToy(name: GeneratedToyName, n: number, seed: number): Float32Array {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown toy data set '${name}'`);
  const u = mulberry32(seed);
  const noise = normalSamples(2 * n, mulberry32(seed ^ 0x5bd1e995));
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [x, y] = shape.draw(u, i);
    out[2 * i] = (x - shape.centre[0]) * shape.scale + shape.noise * noise[2 * i];
    out[2 * i + 1] = (y - shape.centre[1]) * shape.scale + shape.noise * noise[2 * i + 1];
  }
  return out;
}

/**
 * n points resampled from the user's drawing: each is a drawn point picked uniformly, moved by Gaussian
 * jitter of std `jitter` (data units), so a few dozen clicks become a smooth density to learn.
 */
export function fromDrawnPoints(points: readonly (readonly [number, number])[] | readonly number[][], n: number, seed: number, jitter = 0.05): Float32Array {
  if (points.length === 0) throw new Error('fromDrawnPoints: draw at least one point');
  const u = mulberry32(seed);
  const noise = normalSamples(2 * n, mulberry32(seed ^ 0x27d4eb2d));
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const p = points[Math.floor(u() * points.length)];
    out[2 * i] = p[0] + jitter * noise[2 * i];
    out[2 * i + 1] = p[1] + jitter * noise[2 * i + 1];
  }
  return out;
}

/** Flat [x0, y0, x1, y1, ...] -> [[x0, y0], [x1, y1], ...]. */
export function toPairs(flat: Float32Array | readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
