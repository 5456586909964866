import { strict as assert } from 'node:assert';
import { cosineBetas, forwardCoefficients, linearBetas, makeSchedule } from '../../src/models/schedules';

function closeRel(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-12), `${what}: ${actual} vs ${expected}`);
}

describe('noise schedules', () => {
  it('linear betas run from 1e-4 to 0.02 at T = 1000 and scale by 1000/T', () => {
    const s = makeSchedule('linear', 1000);
    closeRel(s.betas[0], 1e-4, 1e-5, 'beta_1');
    closeRel(s.betas[999], 0.02, 1e-5, 'beta_T');
    closeRel(s.betas[500] - s.betas[499], (0.02 - 1e-4) / 999, 1e-3, 'linear step');
    const s100 = makeSchedule('linear', 100);
    closeRel(s100.betas[0], 1e-3, 1e-5, 'beta_1 at T=100');
    closeRel(s100.betas[99], 0.2, 1e-5, 'beta_T at T=100');
  });

  for (const kind of ['linear', 'cosine'] as const) {
    it(`${kind}: alphaBar_t is the product of (1 - beta_s), and the derived arrays follow their definitions`, () => {
      const T = 1000;
      const s = makeSchedule(kind, T);
      let prod = 1;
      for (let i = 0; i < T; i++) {
        const prev = prod;
        prod *= 1 - s.betas[i];
        closeRel(s.alphaBars[i], prod, 1e-4, `alphaBar_${i + 1}`);
        closeRel(s.alphaBarsPrev[i], prev, 1e-4, `alphaBar_${i}`);
        assert.ok(Math.abs(s.alphas[i] - (1 - s.betas[i])) < 1e-7, 'alpha');
        closeRel(s.sqrtAlphaBars[i] ** 2, prod, 1e-4, 'sqrt alphaBar');
        closeRel(s.sqrtOneMinusAlphaBars[i] ** 2, 1 - prod, 1e-4, 'sqrt(1 - alphaBar)');
        closeRel(s.snr[i], prod / (1 - prod), 1e-3, 'snr');
        if (i > 0) closeRel(s.posteriorVariance[i], ((1 - prev) / (1 - prod)) * s.betas[i], 1e-4, 'beta tilde');
      }
      assert.equal(s.posteriorVariance[0], 0, 'q(x_0 | x_1, x_0) is a point mass');
    });

    it(`${kind}: betas rise, alphaBar and SNR fall, beta tilde never exceeds beta`, () => {
      const s = makeSchedule(kind, 1000);
      for (let i = 1; i < s.T; i++) {
        assert.ok(s.betas[i] >= s.betas[i - 1], `beta not monotonic at ${i}`);
        assert.ok(s.alphaBars[i] < s.alphaBars[i - 1], `alphaBar not decreasing at ${i}`);
        assert.ok(s.snr[i] < s.snr[i - 1], `snr not decreasing at ${i}`);
        assert.ok(s.posteriorVariance[i] <= s.betas[i] * (1 + 1e-6), `beta tilde > beta at ${i}`);
      }
      assert.ok(s.alphaBars[0] > 0.99, 'starts almost clean');
      assert.ok(s.alphaBars[s.T - 1] < 1e-4, 'ends almost pure noise');
    });
  }

  it('cosine: endpoints and the closed-form alphaBar(t) = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2)', () => {
    const T = 1000,
      s0 = 0.008;
    const f = (t: number) => Math.cos(((t / T + s0) / (1 + s0)) * (Math.PI / 2)) ** 2;
    const s = makeSchedule('cosine', T);
    for (const t of [1, 10, 250, 500, 750, 900]) closeRel(s.alphaBars[t - 1], f(t) / f(0), 1e-4, `alphaBar_${t}`);
    // f(T) = 0 would give beta_T = 1; the clip keeps it at 0.999.
    closeRel(s.betas[T - 1], 0.999, 1e-6, 'clipped last beta');
    assert.ok(Math.max(...cosineBetas(T)) <= 0.999);
    closeRel(s.betas[0], 1 - f(1) / f(0), 1e-4, 'first beta');
  });

  it('forward coefficients: t = 0 is the data, t = T almost pure noise', () => {
    const s = makeSchedule('linear', 1000);
    assert.deepEqual(forwardCoefficients(s, 0), { meanCoef: 1, std: 0 });
    const end = forwardCoefficients(s, 1000);
    assert.ok(end.meanCoef < 0.01 && end.std > 0.9999);
    const mid = forwardCoefficients(s, 300);
    closeRel(mid.meanCoef ** 2 + mid.std ** 2, 1, 1e-5, 'variance preserving');
  });

  it('rejects a non-integer or non-positive T', () => {
    assert.throws(() => makeSchedule('linear', 0), /positive integer/);
    assert.throws(() => makeSchedule('linear', 2.5), /positive integer/);
    assert.equal(linearBetas(10).length, 10);
  });
});
