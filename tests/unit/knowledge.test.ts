// What each responder could know: the pure computation (shared/domain/knowledge), the receipt
// drafts a replica writes, and how the one judge treats receipts (any member, not after their stamp).
import { describe, expect, it } from 'vitest';
import { computeKnowledge, describeDecision, describeSplit, knowledgeRequest, type Hold, type KnownEntry, type ReceiptReach } from '@shared/domain/knowledge';
import { maxReceiptOps } from '@shared/entities/knowledge';
import { checkOp, type OpDraft } from '@shared/ops';
import { judgeOp } from '@shared/trust/judge';
import { receiptDrafts } from '../../electron/engine/knowledge/receipt-writer';
import { epoch, testOrg, trustView } from '../support/trust';

const min = 60_000;
const t0 = Date.UTC(2026, 11, 7, 12, 0);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const entry = (id: string, authorId: string, at: number, kind: KnownEntry['kind'] = 'observation', text = `${kind} by ${authorId}`): KnownEntry => ({
  id,
  kind,
  text,
  authorId,
  recordedAt: at,
});
const hold = (opId: string, actor: string, heldAt: number, deviceId = `${actor}-laptop`): Hold => ({ opId, actor, deviceId, heldAt });
const reach = (actor: string, newestAt: number, deviceId = `${actor}-laptop`): ReceiptReach => ({ actor, deviceId, newestAt });
const request = (over: Partial<Parameters<typeof computeKnowledge>[1]> = {}) => ({ incidentId: 'i1', thresholdMinutes: 2, ...over });

// hana and bob in one room; bob's observation at 12:01 reaches hana only at 12:10 (she was cut off).
const entries = [
  entry('e1', 'bob', t0 + 1 * min, 'observation', 'replica lag 40 s on db-2'),
  entry('e2', 'hana', t0 + 2 * min, 'observation', 'primary answers again'),
  entry('e3', 'hana', t0 + 4 * min, 'decision', 'fail over to the standby'),
  entry('e4', 'bob', t0 + 5 * min, 'decision', 'restart the primary'),
  entry('e5', 'carol', t0 + 0.5 * min, 'note', 'paged the db team'),
];
const holds = [
  hold('e1', 'hana', t0 + 10 * min),
  hold('e2', 'bob', t0 + 11 * min),
  hold('e3', 'bob', t0 + 11 * min),
  hold('e5', 'hana', t0 + 0.6 * min),
  hold('e4', 'hana', t0 + 10 * min),
];
const reaches = [reach('hana', t0 + 15 * min), reach('bob', t0 + 15 * min)];

describe('what each responder could know', () => {
  it("shows the timeline as a person held it at a moment: own entries from their stamp, others' from their receipts", () => {
    const view = computeKnowledge({ entries, holds, reach: reaches }, request({ person: 'hana', at: t0 + 4 * min })).view!;
    expect(view.entries.map((e) => [e.id, e.state])).toEqual([
      ['e5', 'seen'],
      ['e1', 'unseen'],
      ['e2', 'seen'],
      ['e3', 'seen'],
    ]);
    expect(view.counts).toEqual({ seen: 3, unseen: 1, unknown: 0 });
    expect(view.entries.find((e) => e.id === 'e5')?.heldAt).toBe(t0 + 0.6 * min);
    // Later, bob's observation has reached her.
    const later = computeKnowledge({ entries, holds, reach: reaches }, request({ person: 'hana', at: t0 + 12 * min })).view!;
    expect(later.entries.find((e) => e.id === 'e1')).toMatchObject({ state: 'seen', heldAt: t0 + 10 * min });
  });

  it('says "unknown", not "unseen", past what the person\'s receipts cover', () => {
    const view = computeKnowledge({ entries, holds: [], reach: [reach('hana', t0 + 3 * min)] }, request({ person: 'hana', at: t0 + 4 * min })).view!;
    expect(view.entries.find((e) => e.id === 'e1')?.state).toBe('unknown');
    const noReceipts = computeKnowledge({ entries, holds: [], reach: [] }, request({ person: 'carol', at: t0 + 4 * min })).view!;
    expect(noReceipts.counts).toEqual({ seen: 1, unseen: 0, unknown: 3 });
  });

  it('ignores a receipt that claims an op was held before its own stamp', () => {
    const forged = [hold('e1', 'hana', t0 + 0.5 * min)];
    const view = computeKnowledge({ entries, holds: forged, reach: reaches }, request({ person: 'hana', at: t0 + 4 * min })).view!;
    expect(view.entries.find((e) => e.id === 'e1')).toMatchObject({ state: 'unseen', heldAt: null });
  });

  it('flags decisions taken without entries written minutes before, grouped by author, and the split', () => {
    const result = computeKnowledge({ entries, holds, reach: reaches }, request());
    const [hanaDecision, bobDecision] = result.decisions;
    expect(hanaDecision.missed).toEqual([{ author: 'bob', entries: [entries[0]] }]);
    expect(describeDecision(hanaDecision, hhmm)).toBe(`When hana decided "fail over to the standby" at 12:04, bob's observation from 12:01 had not reached hana.`);
    expect(bobDecision.missed.map((m) => m.author)).toEqual(['carol', 'hana']);
    expect(result.splits).toHaveLength(1);
    expect(result.splits[0].groups).toEqual([['hana', 'carol'], ['bob']]);
    expect(describeSplit(result.splits[0], hhmm)).toBe(
      `Split war room: hana (with carol) decided "fail over to the standby" at 12:04 without bob's entries, and bob decided "restart the primary" at 12:05 without hana's or carol's.`,
    );
  });

  it('does not count entries written within the threshold before a decision, and flags no split when one side saw the other', () => {
    const seenByBob = [...holds.filter((h) => h.actor !== 'bob'), hold('e2', 'bob', t0 + 2.1 * min), hold('e5', 'bob', t0 + 1 * min)];
    const result = computeKnowledge({ entries, holds: seenByBob, reach: reaches }, request());
    expect(result.decisions[1].missed).toEqual([]);
    expect(result.splits).toEqual([]);
    // With a 5-minute threshold, bob's observation (3 minutes before hana's decision) is not counted.
    expect(computeKnowledge({ entries, holds, reach: reaches }, request({ thresholdMinutes: 5 })).decisions[0].missed).toEqual([]);
  });

  it('refuses a person nobody knows, naming who may be chosen, and validates the request', () => {
    expect(() => computeKnowledge({ entries, holds, reach: reaches }, request({ person: 'zed' }))).toThrow(/nobody named zed .* choose one of: bob, carol, hana/);
    expect(knowledgeRequest.safeParse({ incidentId: 'i1', thresholdMinutes: -1 }).success).toBe(false);
    expect(knowledgeRequest.parse({ incidentId: 'i1' }).thresholdMinutes).toBe(2);
  });
});

describe('receipt drafts', () => {
  const opId = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  it('groups ops held within a second, timed by the last of them, and splits at the op cap', () => {
    const ops = [
      { opId: opId(1), receivedAt: 1000 },
      { opId: opId(2), receivedAt: 1500 },
      { opId: opId(3), receivedAt: 5000 },
    ];
    const [draft] = receiptDrafts('i1', ops, (ms) => ms + 7);
    expect(draft.fields).toEqual({
      incidentId: 'i1',
      held: [
        { at: 1507, opIds: [opId(1), opId(2)] },
        { at: 5007, opIds: [opId(3)] },
      ],
    });
    const many = Array.from({ length: maxReceiptOps + 3 }, (_, i) => ({ opId: opId(i + 1), receivedAt: 1000 }));
    const drafts = receiptDrafts('i1', many, (ms) => ms);
    expect(drafts.map((d) => (d.fields.held as { opIds: string[] }[])[0].opIds.length)).toEqual([maxReceiptOps, 3]);
  });
});

describe('receipts under the one judge', () => {
  const org = testOrg();
  const incidentId = '0194f000-0000-7000-8000-000000000001';
  const receipt = (at: number): OpDraft => ({ entity: 'op_receipt', rowId: '', fields: { incidentId, held: [{ at, opIds: ['0190a000-0000-7000-8000-000000000001'] }] } });

  it.each(['responder', 'commander', 'comms', 'viewer', 'guest', 'admin'] as const)('a %s may write a receipt', (role) => {
    const device = org.certify({ role });
    const op = device.write(receipt(epoch), epoch + 1000);
    expect(checkOp(op).ok).toBe(true);
    expect(judgeOp(op, trustView([org]).accept(device.certificate)).is).toBe('valid');
  });

  it('refuses a receipt that says it held ops after it was written, and the service writing one', () => {
    const device = org.certify({ role: 'responder' });
    const view = trustView([org]).accept(device.certificate);
    expect(judgeOp(device.write(receipt(epoch + 5000), epoch + 1000), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining('after the receipt itself'),
    });
    const service = org.certify({ role: 'service' });
    expect(judgeOp(service.write(receipt(epoch), epoch + 1000), trustView([org]).accept(service.certificate))).toMatchObject({ is: 'refused' });
  });
});
