import { strict as assert } from 'node:assert';
import { GENERATED_TOY_NAMES } from '../../src/domain/config';
import { fromDrawnPoints, generateToy, toPairs } from '../../src/models/toy2d';

function axisStats(flat: Float32Array): { mean: [number, number]; std: [number, number] } {
  const n = flat.length / 2;
  const mean: [number, number] = [0, 0],
    sq: [number, number] = [0, 0];
  for (let i = 0; i < n; i++) for (const a of [0, 1]) mean[a] += flat[2 * i + a] / n;
  for (let i = 0; i < n; i++) for (const a of [0, 1]) sq[a] += (flat[2 * i + a] - mean[a]) ** 2 / n;
  return { mean, std: [Math.sqrt(sq[0]), Math.sqrt(sq[1])] };
}

describe('2D toy data sets', () => {
  for (const name of GENERATED_TOY_NAMES) {
    it(`${name}: n points, seeded, centred, about unit spread`, () => {
      const a = generateToy(name, 4000, 7);
      assert.equal(a.length, 8000);
      assert.ok(a.every(Number.isFinite));
      assert.deepEqual(generateToy(name, 4000, 7), a, 'same seed, same points');
      assert.notDeepEqual(generateToy(name, 4000, 8), a, 'another seed, other points');
      const { mean, std } = axisStats(a);
      for (const ax of [0, 1]) {
        assert.ok(Math.abs(mean[ax]) < 0.2, `${name} mean[${ax}] = ${mean[ax]}`);
        assert.ok(std[ax] > 0.5 && std[ax] < 1.5, `${name} std[${ax}] = ${std[ax]}`);
      }
    });
  }

  it('eight gaussians: every point near one of 8 centres on the circle of radius sqrt 2, each centre about 1/8', () => {
    const pts = toPairs(generateToy('eight-gaussians', 8000, 3));
    const counts = new Array<number>(8).fill(0);
    for (const [x, y] of pts) {
      let best = 0,
        bestD = Infinity;
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        const d = Math.hypot(x - Math.SQRT2 * Math.cos(a), y - Math.SQRT2 * Math.sin(a));
        if (d < bestD) [best, bestD] = [k, d];
      }
      assert.ok(bestD < 0.6, `point (${x}, ${y}) is ${bestD} from every centre`);
      counts[best]++;
    }
    for (const c of counts) assert.ok(Math.abs(c - 1000) < 150, `cluster sizes ${counts}`);
  });

  it('rings: radii cluster at two values in the ratio 2:1, half the points each', () => {
    const radii = toPairs(generateToy('rings', 4000, 5)).map(([x, y]) => Math.hypot(x, y));
    const outer = radii.filter((r) => r > 1.34),
      inner = radii.filter((r) => r <= 1.34);
    assert.equal(outer.length, 2000);
    const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    assert.ok(Math.abs(avg(outer) / avg(inner) - 2) < 0.05, `ratio ${avg(outer) / avg(inner)}`);
  });

  it('swiss roll: the distance from the spiral centre grows with the angle (one arm, no crossings)', () => {
    // Undo the normalisation: raw = p / scale + centre; on the roll the raw radius equals the unwrapped angle.
    const pts = toPairs(generateToy('swiss-roll', 2000, 9)).map(([x, y]) => [x * 6.8 + 2.0, y * 6.8 + 0.2]);
    const radii = pts.map(([x, y]) => Math.hypot(x, y));
    assert.ok(Math.min(...radii) > 1.5 * Math.PI - 1.5 && Math.max(...radii) < 4.5 * Math.PI + 1.5);
  });

  it('fromDrawnPoints resamples the drawing with small jitter and covers every drawn point', () => {
    const drawn: [number, number][] = [
      [-1, 0],
      [0, 1],
      [1, 0],
      [0.5, -0.5],
    ];
    const out = toPairs(fromDrawnPoints(drawn, 4000, 11, 0.05));
    assert.equal(out.length, 4000);
    const hits = new Array<number>(drawn.length).fill(0);
    for (const [x, y] of out) {
      const d = drawn.map(([a, b]) => Math.hypot(x - a, y - b));
      const k = d.indexOf(Math.min(...d));
      assert.ok(d[k] < 0.05 * 6, `point ${x},${y} far from the drawing`);
      hits[k]++;
    }
    for (const h of hits) assert.ok(Math.abs(h - 1000) < 150, `resampling is not uniform: ${hits}`);
    assert.deepEqual(fromDrawnPoints(drawn, 10, 11), fromDrawnPoints(drawn, 10, 11));
    assert.throws(() => fromDrawnPoints([], 10, 1), /at least one point/);
  });
});
