// The service store's part in judging, the same for both drivers: refused ops kept with their
// reason and left out of what freezes and legal holds read, a refused purge record purging nothing,
// revocations re-judging by certificate and clock, and the lookups legacy seals and coverage use.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHlc } from '@shared/hlc';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import type { SyncStore } from '../../server/storage/sync-store';
import { purgeOp, timelineOps } from '../support/ops';
import { postgresDatabase } from '../support/postgres';
import { tempDir } from '../support/temp';
import { chainWriter, epoch, forgeOp, testOrg } from '../support/trust';
import { hashOp } from '@shared/ops';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';

const open: SyncStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const drivers: [string, () => Promise<SyncStore>][] = [
  ['sqlite', async () => openSqliteSyncStore(tempDir())],
  [
    'postgres',
    async () => {
      const { openPostgresSyncStore } = await import('../../server/storage/postgres-store');
      return openPostgresSyncStore(await postgresDatabase());
    },
  ],
];

describe.each(drivers)('sync store refusals (%s)', (_name, openStore) => {
  async function fresh() {
    const store = await openStore();
    open.push(store);
    return store;
  }

  it('keeps a refused op with its reason, reads it back by seq but not by entity, and refuses ops later by id', async () => {
    const store = await fresh();
    const [a, b, c] = timelineOps(3);
    expect(await store.insertOps([a, { ...b, refusal: 'responders may not do that' }, c], 1)).toEqual(['accepted', 'accepted', 'accepted']);
    expect((await store.readOps(a.streamId, 0, 10)).map((op) => [op.seq, op.refusal ?? null])).toEqual([
      [1, null],
      [2, 'responders may not do that'],
      [3, null],
    ]);
    expect((await store.readOpsByEntity(['timeline_entry'])).map((op) => op.opId)).toEqual([a.opId, c.opId]);
    // Only a changed reason counts as a change.
    expect(
      await store.refuseOps([
        { opId: c.opId, reason: 'revoked' },
        { opId: b.opId, reason: 'responders may not do that' },
      ]),
    ).toBe(1);
    expect(await store.refuseOps([{ opId: b.opId, reason: 'revoked' }])).toBe(1);
    expect((await store.readOps(a.streamId, 0, 10)).map((op) => op.refusal ?? null)).toEqual([null, 'revoked', 'revoked']);
    expect(await store.storedHashes([a.opId, 'x'])).toEqual(new Map([[a.opId, a.hash]]));
    expect((await store.unsignedOps()).map((op) => op.hash)).toEqual([a.hash, b.hash, c.hash]);
  });

  it('does not purge for a refused purge record', async () => {
    const store = await fresh();
    const [entry] = timelineOps(1);
    const incidentId = entry.fields.incidentId as string;
    await store.insertOps([entry], 1);
    expect(await store.insertOps([{ ...purgeOp(incidentId), refusal: 'responders may not purge' }], 2)).toEqual(['accepted']);
    expect(await store.purgedStream(entry.streamId)).toBeNull();
    expect((await store.readOps(entry.streamId, 0, 10)).map((op) => op.opId)).toEqual([entry.opId]);
  });

  it("finds a certificate's ops from a clock time on, an adopting device's certless ones, and signed successors", async () => {
    const store = await fresh();
    const org = testOrg();
    const cora = org.certify({ role: 'commander', adopts: true });
    const other = org.certify({ role: 'commander' });
    const draft = (text: string) => ({
      entity: 'timeline_entry' as const,
      rowId: '',
      fields: { incidentId: '01a24d82-c9d5-7c0a-8ebe-e3bbe1fb00b2', kind: 'note', text, eventAt: epoch },
    });
    const { sig: _sig, certId: _certId, hash: _hash, ...unsignedContent } = cora.write(draft('before signing'), epoch + 1);
    const unsigned = { ...unsignedContent, hash: hashOp(unsignedContent, nativeSha256Hex) };
    const early = forgeOp(cora, draft('early'), epoch + 10, { prevHash: unsigned.hash });
    const late = forgeOp(cora, draft('late'), epoch + 20, { prevHash: early.hash });
    const refused = forgeOp(cora, draft('refused'), epoch + 30, { prevHash: late.hash });
    const certless = chainWriter(cora.deviceId, cora.user, { ...cora.signer, certId: null })(draft('certless'), epoch + 22);
    const stranger = org.certify({ role: 'commander' }).write(draft('elsewhere'), epoch + 25);
    const theirs = other.write(draft('theirs'), epoch + 20);
    await store.insertOps([unsigned, early, late, { ...refused, refusal: 'no' }, stranger, theirs, certless], 1);
    const from = encodeHlc({ ms: epoch + 15, counter: 0, deviceId: '0'.repeat(16) });
    const found = await store.opsOfSigners({ certIds: [cora.certificate.certId], adoptedDevices: [cora.deviceId], fromHlc: from });
    expect(found.map((op) => [op.opId, op.refusal ?? null])).toEqual([
      [late.opId, null],
      [certless.opId, null],
      [refused.opId, 'no'],
    ]);
    expect((await store.opsOfSigners({ certIds: [cora.certificate.certId], adoptedDevices: [], fromHlc: from })).map((op) => op.opId)).toEqual([late.opId, refused.opId]);
    // early follows the unsigned op, the refused one follows late: both are signed and count.
    const successors = await store.signedSuccessors([unsigned.hash, late.hash, theirs.hash]);
    expect(successors.map((op) => op.opId).sort()).toEqual([early.opId, refused.opId].sort());
  });
});
