// Sample-quality metric for point sets (2D toy data, or flattened images): the sliced Wasserstein-2 distance.
// SW2(P, Q)^2 = E_theta[ W2^2(theta . P, theta . Q) ], the 1D W2 along random unit directions theta,
// each computed exactly from sorted projections (quantile matching). Plain JS: it runs on read-back points.
import { mulberry32, normalSamples } from './random';

/** Points as flat [x0, y0, x1, y1, ...] (dim values per point) or as rows. */
export type Points = Float32Array | readonly (readonly number[])[];

function flatten(p: Points, dim: number): Float32Array {
  if (p instanceof Float32Array) return p;
  const out = new Float32Array(p.length * dim);
  p.forEach((q, i) => {
    if (q.length !== dim) throw new Error(`slicedWasserstein: a point of ${q.length} values, expected ${dim}`);
    out.set(q, i * dim);
  });
  return out;
}

function sortedProjection(flat: Float32Array, dir: Float64Array): Float64Array {
  const dim = dir.length,
    n = flat.length / dim;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += flat[i * dim + j] * dir[j];
    out[i] = s;
  }
  return out.sort();
}

/** Value at quantile level q in [0, 1] of sorted values, with linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos),
    hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * A seeded uniform direction on the unit sphere: an angle in 2D (the draw the 2D figures were recorded with, so
 * they stay reproducible), a normalised Gaussian vector above.
 */
function directions(dim: number, seed: number): () => Float64Array {
  const rand = mulberry32(seed);
  return () => {
    if (dim === 2) {
      const angle = 2 * Math.PI * rand();
      return Float64Array.of(Math.cos(angle), Math.sin(angle));
    }
    const v = Float64Array.from(normalSamples(dim, rand));
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
}

/**
 * Sliced Wasserstein-2 distance between two point sets of `dim`-dimensional points (2 by default), over
 * `projections` seeded random directions. Equal sizes compare sorted projections one to one; unequal sizes
 * compare quantiles at the larger size.
 */
export function slicedWasserstein(a: Points, b: Points, projections = 256, seed = 0, dim = 2): number {
  const fa = flatten(a, dim),
    fb = flatten(b, dim);
  if (fa.length % dim || fb.length % dim) throw new Error(`slicedWasserstein: a flat point set whose length is not a multiple of ${dim}`);
  const na = fa.length / dim,
    nb = fb.length / dim;
  if (na === 0 || nb === 0) throw new Error('slicedWasserstein: empty point set');
  const next = directions(dim, seed);
  let total = 0;
  for (let k = 0; k < projections; k++) {
    const dir = next();
    const pa = sortedProjection(fa, dir),
      pb = sortedProjection(fb, dir);
    let sum = 0;
    if (na === nb) {
      for (let i = 0; i < na; i++) sum += (pa[i] - pb[i]) ** 2;
      sum /= na;
    } else {
      const m = Math.max(na, nb);
      for (let i = 0; i < m; i++) {
        const q = m === 1 ? 0.5 : i / (m - 1);
        sum += (quantile(pa, q) - quantile(pb, q)) ** 2;
      }
      sum /= m;
    }
    total += sum;
  }
  return Math.sqrt(total / projections);
}
