// Full-text search over incidents and timeline entries through the contract call.
import { describe, expect, it } from 'vitest';
import { highlightEnd, highlightStart } from '@shared/domain/search';
import { createDispatch } from '@shared/rpc';
import { toFtsQuery } from '../../electron/engine/core/search-store';
import { call, openTestEngine, opsOf } from '../support/engines';

async function seeded() {
  const engine = openTestEngine();
  const checkout = await call(engine, 'incidents.create', { title: 'Checkout API returns 502', severity: 'SEV1', summary: 'EU customers cannot pay' });
  const search = await call(engine, 'incidents.create', { title: 'Search latency high', severity: 'SEV3', summary: 'Index rebuild after schema change' });
  await call(engine, 'timeline.add', { incidentId: checkout.id, kind: 'action', text: 'Rolled back the payments gateway deploy' });
  await call(engine, 'timeline.add', { incidentId: search.id, kind: 'observation', text: 'Élasticsearch heap at 95 %' });
  return { engine, checkout, search };
}

describe('search.query', () => {
  it('finds incidents and timeline entries, with the matched words marked', async () => {
    const { engine, checkout } = await seeded();
    const hits = await call(engine, 'search.query', { text: 'payments', limit: 10 });
    expect(hits).toEqual([
      {
        kind: 'timeline',
        incidentId: checkout.id,
        rowId: expect.any(String),
        title: 'Checkout API returns 502',
        snippet: `Rolled back the ${highlightStart}payments${highlightEnd} gateway deploy`,
      },
    ]);
    const byTitle = await call(engine, 'search.query', { text: 'checkout 502', limit: 10 });
    expect(byTitle.map((h) => [h.kind, h.incidentId])).toEqual([['incident', checkout.id]]);
  });

  it('matches word prefixes as one types, and ignores accents', async () => {
    const { engine, search } = await seeded();
    expect((await call(engine, 'search.query', { text: 'lat', limit: 10 })).map((h) => h.incidentId)).toEqual([search.id]);
    expect((await call(engine, 'search.query', { text: 'elasticsearch', limit: 10 })).map((h) => h.kind)).toEqual(['timeline']);
  });

  it('treats FTS syntax in the input as plain words and never fails', async () => {
    const { engine } = await seeded();
    const dispatch = createDispatch(engine.handlers);
    for (const text of ['"unbalanced', 'a OR b NOT c', 'title:checkout', '*', 'NEAR(a b)', '(((', '', '   ', '-1']) {
      const result = await dispatch('search.query', { text });
      expect(result.ok).toBe(true);
    }
    expect(toFtsQuery('title:checkout "502')).toBe('"title:checkout" "502"*');
    expect(toFtsQuery('  ')).toBeNull();
  });

  it('finds entries from a large sync at once, even before background indexing has run', async () => {
    const { engine: source, checkout } = await seeded();
    for (let i = 0; i < 3; i += 1) {
      source.replica.commitLocal(
        Array.from({ length: 100 }, (_, k) => ({
          entity: 'timeline_entry' as const,
          rowId: '',
          fields: { incidentId: checkout.id, kind: 'note', text: `replica ${i * 100 + k} lagging behind primary`, eventAt: 1 },
        })),
      );
    }
    const target = openTestEngine();
    target.replica.applyRemote(opsOf(source));
    expect(target.db.prepare('SELECT count(*) FROM fts_backlog').pluck().get()).toBeGreaterThan(0);
    expect(await call(target, 'search.query', { text: 'lagging primary', limit: 200 })).toHaveLength(200);
    expect(target.db.prepare('SELECT count(*) FROM fts_backlog').pluck().get()).toBe(0);
  });

  it('sees edits and leaves deleted incidents out', async () => {
    const { engine, checkout } = await seeded();
    await call(engine, 'incidents.update', { id: checkout.id, title: 'Card authorisations failing' });
    expect(await call(engine, 'search.query', { text: 'checkout', limit: 10 })).toEqual([]);
    expect((await call(engine, 'search.query', { text: 'authorisations', limit: 10 })).length).toBe(1);
    engine.replica.commitLocal([{ entity: 'incident', rowId: checkout.id, fields: { deleted: true } }]);
    expect(await call(engine, 'search.query', { text: 'authorisations', limit: 10 })).toEqual([]);
    expect(await call(engine, 'search.query', { text: 'gateway', limit: 10 })).toEqual([]);
  });
});
