// The fleet bench's harness (bench/fleet.ts) at a small size, so it cannot rot unnoticed: two
// `holdfast server` processes (the built bin) on one PostgreSQL, 20 simulated laptops over two
// client processes, 2 of them writing signed entries; every laptop must end up holding every write
// but its own, and a new laptop must pull exactly its scope of a seeded history.
import { describe, expect, it } from 'vitest';
import { historyCounts, runFleet } from '../../bench/fleet';
import { postgresDatabase } from '../support/postgres';

describe('fleet bench harness', () => {
  it('delivers every write to every laptop across both nodes and catches a new laptop up on its scope', { timeout: 240_000 }, async () => {
    const historyScale = 0.004;
    const figures = await runFleet({ clients: 20, writers: 2, seconds: 3, rate: 2, incidents: 2, workers: 2, historyScale, drainMs: 60_000 }, await postgresDatabase());

    expect(figures.failures, figures.lastFailure).toBe(0);
    expect(figures.writes).toBeGreaterThan(2);
    expect(figures.missingDeliveries).toBe(0);
    expect(figures.reachedAll).toBe(figures.writes);
    // Every laptop holds every write but its own, once: writes × (laptops − 1) pairs, no more, no fewer.
    expect(figures.delivered).toBe(figures.writes * (20 - 1));
    expect(figures.nodes).toHaveLength(2);
    for (const node of figures.nodes) expect(node.peakRssMb).toBeGreaterThan(0);

    const catchUp = figures.catchUp!;
    const counts = historyCounts(historyScale);
    // trust, directory and library (org has nothing here), and each incident in scope; the service
    // listed exactly these and the war rooms (the catch-up throws otherwise).
    expect(catchUp.streams).toBe(3 + counts.inScope);
    expect(catchUp.ops).toBe(catchUp.inScopeOps);
    expect(catchUp.ops).toBeGreaterThan(counts.inScope * 249);
  });
});
