// A correction may change an entry's kind (a note that was really a decision); the original keeps
// its own, and a correction that changes nothing is still refused.
import { describe, expect, it } from 'vitest';
import { call, openTestEngine } from '../support/engines';

const clock = 1_795_000_000_000;

describe('correcting the kind of an entry', () => {
  it('writes the correction with the new kind and leaves the original as it was', async () => {
    const ana = openTestEngine({ now: () => clock });
    ana.replica.setActor('ana');
    const incident = await call(ana, 'incidents.create', { title: 'Orders database down', severity: 'SEV1' });
    const note = await call(ana, 'timeline.add', { incidentId: incident.id, text: 'Fail over to the replica' });
    expect(note.kind).toBe('note');

    const decision = await call(ana, 'timeline.correct', { entryId: note.id, text: note.text, kind: 'decision' });
    expect(decision).toMatchObject({ kind: 'decision', text: 'Fail over to the replica', corrects: note.id, eventAt: note.eventAt });
    const decisions = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 10, filter: { kinds: ['decision'] } });
    expect(decisions.entries.map((e) => e.id)).toEqual([decision.id]);
    const notes = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 10, filter: { kinds: ['note'] } });
    expect(notes.entries.map((e) => [e.id, e.correctedBy])).toEqual([[note.id, [decision.id]]]);

    await expect(async () => call(ana, 'timeline.correct', { entryId: decision.id, text: decision.text, kind: 'decision' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('change the text, the kind or the event time'),
    });
    // An automatic kind is Holdfast's own: the request is refused before it reaches the engine.
    expect(() => call(ana, 'timeline.correct', { entryId: decision.id, text: decision.text, kind: 'system' as never })).toThrow(/must be one of note, decision/);
  });
});
