// Sample-quality metric for 2D point sets: the sliced Wasserstein-2 distance.
// SW2(P, Q)^2 = E_theta[ W2^2(theta . P, theta . Q) ], the 1D W2 along random unit directions theta,
// each computed exactly from sorted projections (quantile matching). Plain JS: it runs on read-back points.
import { mulberry32 } from './random';

/** Points as flat [x0, y0, x1, y1, ...] or as pairs. */
export type Points2D = Float32Array | readonly (readonly number[])[];

function flatten(p: Points2D): Float32Array {
  if (p instanceof Float32Array) return p;
  const out = new Float32Array(p.length * 2);
  p.forEach((q, i) => {
    out[2 * i] = q[0];
    out[2 * i + 1] = q[1];
  });
  return out;
}

function sortedProjection(flat: Float32Array, cx: number, cy: number): Float64Array {
  const n = flat.length / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = flat[2 * i] * cx + flat[2 * i + 1] * cy;
  return out.sort();
}

/** Value at quantile level q in [0, 1] of sorted values, with linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Sliced Wasserstein-2 distance between two 2D point sets, over `projections` seeded random directions.
 * Equal sizes compare sorted projections one to one; unequal sizes compare quantiles at the larger size.
 */
export function slicedWasserstein(a: Points2D, b: Points2D, projections = 256, seed = 0): number {
  const fa = flatten(a), fb = flatten(b);
  const na = fa.length / 2, nb = fb.length / 2;
  if (na === 0 || nb === 0) throw new Error('slicedWasserstein: empty point set');
  const rand = mulberry32(seed);
  let total = 0;
  for (let k = 0; k < projections; k++) {
    const angle = 2 * Math.PI * rand();
    const cx = Math.cos(angle), cy = Math.sin(angle);
    const pa = sortedProjection(fa, cx, cy), pb = sortedProjection(fb, cx, cy);
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
