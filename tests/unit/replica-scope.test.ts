// The replica-scope rule: which incident streams a laptop holds, the same on the service and the laptop.
import { describe, expect, it } from 'vitest';
import {
  dayMs,
  defaultScope,
  emptyFacts,
  evictionTime,
  foldFact,
  isStreamInScope,
  scopeOfQuery,
  scopeQuery,
  scopeQueryString,
  scopeReason,
  scopeSettings,
  type FactOp,
  type IncidentFacts,
} from '@shared/replica-scope';

const now = Date.UTC(2026, 11, 7, 12);
let tick = 0;
/** An op stamped later than every earlier one (or at the given clock text). */
function op(entity: string, actorId: string, fields: Record<string, unknown>, hlc?: string): FactOp {
  tick += 1;
  return { entity, actorId, fields, hlc: hlc ?? `${String(1_000_000 + tick).padStart(13, '0')}-0000-aaaaaaaaaaaaaaaa`, opId: `op-${String(tick).padStart(6, '0')}` };
}
const facts = (...ops: FactOp[]): IncidentFacts => {
  const f = emptyFacts();
  for (const o of ops) foldFact(f, o);
  return f;
};
const declared = () => op('incident', 'ana', { title: 'Checkout down', status: 'investigating', declaredAt: now - 200 * dayMs });
const closedDaysAgo = (days: number, by = 'ana') => op('incident', by, { status: 'closed', closedAt: now - days * dayMs });

describe('the replica scope rule', () => {
  it('holds every open incident, whoever worked on it', () => {
    expect(scopeReason(facts(declared()), 'ben', defaultScope, now)).toBe('open');
    expect(scopeReason(facts(declared(), op('incident', 'ana', { status: 'mitigated' })), 'ben', defaultScope, now)).toBe('open');
  });

  it('holds a closed incident the user wrote in or held a role of, however old', () => {
    const old = [declared(), closedDaysAgo(400)];
    expect(scopeReason(facts(...old), 'ben', defaultScope, now)).toBeNull();
    expect(scopeReason(facts(...old, op('timeline_entry', 'ben', { text: 'looked at the db' })), 'ben', defaultScope, now)).toBe('took-part');
    // A role given to ben by someone else: he took part without writing a word.
    expect(scopeReason(facts(...old, op('incident_role', 'ana', { role: 'scribe', holderId: 'ben' })), 'ben', defaultScope, now)).toBe('took-part');
  });

  it('holds a closed incident under legal hold that the user worked on, and only that', () => {
    const held = [declared(), closedDaysAgo(400), op('incident', 'ana', { isLegalHold: true, legalHoldReason: 'litigation' })];
    expect(scopeReason(facts(...held, op('task', 'ben', { title: 'x' })), 'ben', defaultScope, now)).toBe('legal-hold-worked-on');
    expect(scopeReason(facts(...held), 'ben', defaultScope, now)).toBeNull();
  });

  it('holds closed incidents of the last N days by their recorded close time, else their resolve time', () => {
    expect(scopeReason(facts(declared(), closedDaysAgo(89)), 'ben', defaultScope, now)).toBe('recently-closed');
    expect(scopeReason(facts(declared(), closedDaysAgo(91)), 'ben', defaultScope, now)).toBeNull();
    expect(scopeReason(facts(declared(), closedDaysAgo(91)), 'ben', { keepClosedDays: 120, isKeepEverything: false }, now)).toBe('recently-closed');
    const decl = declared();
    const resolved = op('incident', 'ana', { status: 'resolved', resolvedAt: now - 10 * dayMs });
    expect(scopeReason(facts(decl, resolved), 'ben', { keepClosedDays: 9, isKeepEverything: false }, now)).toBeNull();
    expect(scopeReason(facts(decl, resolved), 'ben', { keepClosedDays: 11, isKeepEverything: false }, now)).toBe('recently-closed');
  });

  it('counts the days from the evaluating clock: a laptop whose clock is a year ahead but corrected keeps the same incidents', () => {
    const closed = facts(declared(), closedDaysAgo(30));
    const yearAhead = now + 365 * dayMs;
    expect(scopeReason(closed, 'ben', defaultScope, yearAhead)).toBeNull();
    // The laptop evaluates with its corrected time (the service's clock), so it agrees with the service.
    const correction = -365 * dayMs;
    expect(scopeReason(closed, 'ben', defaultScope, yearAhead + correction)).toBe('recently-closed');
  });

  it('keeps everything on an archive machine', () => {
    expect(scopeReason(facts(declared(), closedDaysAgo(4000)), 'ben', { keepClosedDays: 1, isKeepEverything: true }, now)).toBe('keep-everything');
  });

  it('keeps an ended incident with no recorded end time, and drops a deleted one nobody can date', () => {
    expect(scopeReason(facts(declared(), op('incident', 'ana', { status: 'closed' })), 'ben', defaultScope, now)).toBe('end-unknown');
    expect(scopeReason(facts(declared(), op('incident', 'ana', { deleted: true })), 'ben', defaultScope, now)).toBeNull();
  });

  it('folds incident fields by (hlc, opId) whatever the order of arrival', () => {
    const early = op('incident', 'ana', { status: 'closed', closedAt: now - 400 * dayMs }, '0000001000000-0000-aaaaaaaaaaaaaaaa');
    const reopened = op('incident', 'ana', { status: 'investigating' }, '0000002000000-0000-aaaaaaaaaaaaaaaa');
    for (const order of [
      [early, reopened],
      [reopened, early],
    ]) {
      const folded = facts(...order);
      expect(folded.status).toBe('investigating');
      expect(scopeReason(folded, 'ben', defaultScope, now)).toBe('open');
    }
  });

  it('holds shared streams always and an incident stream nothing is known of yet', () => {
    const old = facts(declared(), closedDaysAgo(400));
    expect(isStreamInScope('library', undefined, 'ben', defaultScope, now)).toBe(true);
    expect(isStreamInScope('directory', old, 'ben', defaultScope, now)).toBe(true);
    expect(isStreamInScope('incident:x', undefined, 'ben', defaultScope, now)).toBe(true);
    expect(isStreamInScope('incident:x', old, 'ben', defaultScope, now)).toBe(false);
  });
});

describe('the scope a laptop asks for', () => {
  it('round-trips through the streams query, and no query means every readable stream', () => {
    for (const settings of [defaultScope, { keepClosedDays: 7, isKeepEverything: false }, { keepClosedDays: 30, isKeepEverything: true }]) {
      const query = Object.fromEntries(new URLSearchParams(scopeQueryString(settings)));
      expect(scopeOfQuery(scopeQuery.parse(query))).toEqual(settings);
    }
    expect(scopeOfQuery(scopeQuery.parse({}))).toBeNull();
  });

  it('refuses a bad query or setting with what to fix', () => {
    expect(scopeQuery.safeParse({ keepClosedDays: '0' }).error?.issues[0].message).toBe('keepClosedDays must be at least 1 day');
    expect(scopeQuery.safeParse({ keepClosedDays: '2.5' }).error?.issues[0].message).toBe('keepClosedDays must be a whole number of days');
    expect(scopeQuery.safeParse({ keepEverything: 'yes' }).error?.issues[0].message).toBe('keepEverything must be 0 or 1');
    expect(scopeQuery.safeParse({ stream: 'incident:x' }).success).toBe(false);
    expect(scopeSettings.safeParse({ keepClosedDays: 100_000, isKeepEverything: false }).error?.issues[0].message).toBe('keepClosedDays must be at most 36500 days');
  });
});

describe('the time a laptop judges eviction at', () => {
  it('is never later than its own wall clock: a service claiming a clock a year ahead cannot make ended incidents leave', () => {
    const ended = facts(declared(), closedDaysAgo(10));
    const hostile = now + 365 * dayMs;
    // Judged by the service's claimed time alone, the incident would look out of scope.
    expect(scopeReason(ended, 'ben', defaultScope, hostile)).toBeNull();
    expect(scopeReason(ended, 'ben', defaultScope, evictionTime(now, hostile))).toBe('recently-closed');
    // A laptop clock a year ahead is held back by the service's the same way.
    expect(scopeReason(ended, 'ben', defaultScope, evictionTime(hostile, now))).toBe('recently-closed');
    // Both agreeing it left: it leaves.
    expect(scopeReason(facts(declared(), closedDaysAgo(100)), 'ben', defaultScope, evictionTime(now, now + dayMs))).toBeNull();
  });
});
