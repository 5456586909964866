// The 2D DDPM's quality readout scores samples against held-out points: fresh draws of the data's distribution.
import { strict as assert } from 'node:assert';
import { Ddpm2d } from '../../src/models/ddpm2d';
import { slicedWasserstein } from '../../src/models/metrics';

describe('held-out points of a 2D data set', () => {
  it('are new draws of the same distribution, the same for the same draw number, and never the training points', () => {
    for (const dataset of ['swiss-roll', 'rings'] as const) {
      const m = new Ddpm2d({ dataset, seed: 5, dataSize: 2000 });
      try {
        const train = new Set(m.dataPoints(2000).map(([x, y]) => `${x},${y}`));
        const a = m.heldOutPoints(400);
        assert.deepEqual(m.heldOutPoints(400), a, 'deterministic');
        assert.notDeepEqual(m.heldOutPoints(400, 1), a, 'another draw differs');
        assert.equal(a.filter(([x, y]) => train.has(`${x},${y}`)).length, 0, 'no training point among them');
        // Same distribution: as close to the training data as two held-out draws are to each other (within noise).
        const toTrain = slicedWasserstein(a, m.dataPoints(400));
        const betweenDraws = slicedWasserstein(a, m.heldOutPoints(400, 1));
        assert.ok(toTrain < 3 * betweenDraws, `${toTrain} vs ${betweenDraws}`);
      } finally {
        m.dispose();
      }
    }
  });

  it('follow a drawing when the data is drawn', () => {
    const m = new Ddpm2d({ dataset: 'drawn', drawnPoints: [[2, 2]], seed: 1, dataSize: 100 });
    try {
      for (const [x, y] of m.heldOutPoints(50)) assert.ok(Math.hypot(x - 2, y - 2) < 0.5, `${x},${y} near the one drawn point`);
    } finally {
      m.dispose();
    }
  });
});
