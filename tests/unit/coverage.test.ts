// Signature coverage: one valid signature vouches for the earlier ops of its device+stream chain,
// so a run costs one check; tampering, forks and bad signatures change which ops are proven.
import { describe, expect, it } from 'vitest';
import type { Op, OpDraft } from '@shared/ops';
import { authenticate, authenticateSync, planVerification, type KnownChains } from '@shared/trust/coverage';
import { signingKeyOf } from '@shared/trust/judge';
import { ed25519 } from '@shared/node/ed25519';
import { hashOp } from '@shared/ops';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { signOp } from '@shared/trust/signing';
import { epoch, testOrg, trustView, type TestDevice } from '../support/trust';

const incidentId = '0194f000-0000-7000-8000-000000000001';
const note = (text: string): OpDraft => ({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text, eventAt: epoch } });

function setup() {
  const org = testOrg();
  const device = org.certify({ role: 'responder' });
  const view = trustView([org]).accept(device.certificate);
  const known: KnownChains = { keyOf: (op) => signingKeyOf(op, view) };
  const run = (n: number, write = device.write) => Array.from({ length: n }, (_, i) => write(note(`entry ${i}`), epoch + 1000 + i));
  return { org, device, view, known, run };
}
const badSig = (op: Op): Op => ({ ...op, sig: `${'A'.repeat(85)}A` });
const ids = (ops: readonly Op[]) => ops.map((op) => op.opId).sort();

describe('planVerification', () => {
  it('covers a run with its newest signature: one check', () => {
    const { known, run } = setup();
    const ops = run(50);
    const first = planVerification(ops, known);
    expect(first.verify.map((v) => v.opId)).toEqual([ops[49].opId]);
    const result = authenticateSync([...ops].reverse(), known, ed25519.verify);
    expect(result.verifications).toBe(1);
    expect([...result.coveredBy.keys()].sort()).toEqual(ids(ops));
    expect(result.coveredBy.get(ops[0].opId)).toEqual({ by: 'signature', opId: ops[49].opId });
    expect([result.unproven, result.forged]).toEqual([[], []]);
  });

  it('ignores a bad signature on a covered op', () => {
    const { known, run } = setup();
    const ops = run(5);
    ops[2] = badSig(ops[2]);
    const result = authenticateSync(ops, known, ed25519.verify);
    expect(result.coveredBy.size).toBe(5);
    expect(result.verifications).toBe(1);
  });

  it('steps back past a bad newest signature: the tail is unproven, the rest proven by the next signature', async () => {
    const { known, run } = setup();
    const ops = run(6);
    ops[5] = badSig(ops[5]);
    const result = await authenticate(ops, known, ed25519.verifyMany);
    expect(ids(result.unproven)).toEqual(ids([ops[5]]));
    expect([...result.coveredBy.keys()].sort()).toEqual(ids(ops.slice(0, 5)));
    expect(result.verifications).toBe(2);
  });

  it('does not vouch for a tampered middle op, re-hashed or not', () => {
    const { known, run } = setup();
    const ops = run(6);
    const { hash: _h, sig, ...rest } = ops[3];
    const altered = { ...rest, fields: { ...rest.fields, text: 'nothing happened' } };
    ops[3] = { ...altered, hash: hashOp(altered, nativeSha256Hex), sig };
    const result = authenticateSync(ops, known, ed25519.verify);
    // The altered op no longer links to op 4, so op 5's signature covers 4 and 5 only; 0–2 are
    // proven by their own signatures (step back), and the altered op by none.
    expect(ids(result.unproven)).toEqual(ids([ops[3]]));
    expect([...result.coveredBy.keys()].sort()).toEqual(ids([ops[0], ops[1], ops[2], ops[4], ops[5]]));
  });

  it('covers both branches of a fork and their common part', () => {
    const { device, known, run } = setup();
    const trunk = run(3);
    const left = childOf(trunk[2], device, 'left', epoch + 3000);
    const right = childOf(trunk[2], device, 'right', epoch + 3001);
    const result = authenticateSync([...trunk, left, right], known, ed25519.verify);
    expect([...result.coveredBy.keys()].sort()).toEqual(ids([...trunk, left, right]));
    expect(result.verifications).toBe(2);
    // A bad signature on one branch leaves that branch unproven, not the trunk.
    const halfBad = authenticateSync([...trunk, left, badSig(right)], known, ed25519.verify);
    expect(ids(halfBad.unproven)).toEqual(ids([right]));
    expect(halfBad.coveredBy.get(trunk[0].opId)).toEqual({ by: 'signature', opId: left.opId });
  });

  it('holds ops whose key is unknown and rejects another copy of a known opId', () => {
    const { org, known, run } = setup();
    const stranger = org.certify({ role: 'responder' });
    const unknown = stranger.write(note('who?'), epoch);
    const ops = run(2);
    const stored = new Map([[ops[0].opId, 'f'.repeat(64)]]);
    const result = authenticateSync([unknown, ...ops], { ...known, storedHash: (opId) => stored.get(opId) }, ed25519.verify);
    expect(ids(result.unproven)).toEqual(ids([unknown]));
    expect(ids(result.forged)).toEqual(ids([ops[0]]));
    expect([...result.coveredBy.keys()]).toEqual([ops[1].opId]);
  });

  it('accepts cover from the log and from an org seal', () => {
    const { known, run } = setup();
    const ops = run(3);
    const logCovered = authenticateSync(
      ops.slice(0, 2),
      { ...known, keysAbove: (_d, _s, hash) => (hash === ops[1].hash ? [known.keyOf(ops[2]) as string] : []) },
      ed25519.verify,
    );
    expect(logCovered.verifications).toBe(0);
    expect(logCovered.coveredBy.get(ops[0].opId)).toEqual({ by: 'log' });
    const unsigned = ops.map(({ sig: _s, certId: _c, ...rest }) => ({ ...rest }));
    const sealed = authenticateSync(unsigned, { keyOf: () => undefined, isSealedHead: (_d, _s, hash) => hash === unsigned[2].hash }, ed25519.verify);
    expect(sealed.coveredBy.size).toBe(3);
    expect(sealed.coveredBy.get(unsigned[0].opId)).toEqual({ by: 'seal' });
  });
});

/** An op of `device` whose prevHash is `parent`'s hash: a second one makes a fork. */
function childOf(parent: Op, device: TestDevice, text: string, ms: number): Op {
  const opId = uuidv7(ms);
  const fields = { incidentId, kind: 'note', text, eventAt: epoch };
  const unsigned = {
    opId,
    hlc: encodeHlc({ ms, counter: 0, deviceId: device.deviceId }),
    streamId: parent.streamId,
    actorId: device.user,
    deviceId: device.deviceId,
    entity: 'timeline_entry' as const,
    rowId: opId,
    kind: 'append' as const,
    fields,
    prevHash: parent.hash,
  };
  return signOp(unsigned, device.signer, nativeSha256Hex);
}
