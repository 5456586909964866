// A 2D projection of latent codes larger than 2: the top two principal axes by power iteration
// (latent sizes are at most 64, so plain arrays are fast enough and keep the worker free of extra kernels).

export interface Projection {
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
}

export function principalAxes(data: Float32Array, n: number, d: number, iterations = 60): Projection {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = data[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += (da * (data[i * d + b] - mean[b])) / n;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  const first = powerIteration(cov, d, iterations);
  const lambda = rayleigh(cov, d, first);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] -= lambda * first[a] * first[b];
  return { mean, axes: [first, powerIteration(cov, d, iterations)] };
}

export function project(p: Projection, code: ArrayLike<number>, offset = 0): [number, number] {
  let u = 0,
    v = 0;
  for (let j = 0; j < p.mean.length; j++) {
    const c = code[offset + j] - p.mean[j];
    u += c * p.axes[0][j];
    v += c * p.axes[1][j];
  }
  return [u, v];
}

export function unproject(p: Projection, u: number, v: number): Float32Array {
  const out = new Float32Array(p.mean.length);
  for (let j = 0; j < out.length; j++) out[j] = p.mean[j] + u * p.axes[0][j] + v * p.axes[1][j];
  return out;
}

function powerIteration(m: Float64Array, d: number, iterations: number): Float64Array {
  let v = new Float64Array(d).map((_, i) => 1 / Math.sqrt(d) + i * 1e-3);
  for (let k = 0; k < iterations; k++) {
    const w = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a] += m[a * d + b] * v[b];
    const norm = Math.hypot(...w) || 1;
    v = w.map((x) => x / norm);
  }
  return v;
}

function rayleigh(m: Float64Array, d: number, v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) s += v[a] * m[a * d + b] * v[b];
  return s;
}
