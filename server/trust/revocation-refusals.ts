// After a revocation is stored, the service's ops of the revoked certificate (its adopted certless
// ops, and the ops of guest certificates a revoked hub host issued) from the effective time on are
// judged again, refused ones included: each judgeOp now refuses is marked with its reason (a
// revocation comes before authority in judgeOp), as every replica does. A purge carried out is not undone.
import { encodeHlc } from '@shared/hlc';
import { judgeOp } from '@shared/trust/judge';
import type { SignedRevocation } from '@shared/trust/types';
import type { SyncStore } from '../storage/sync-store';
import type { StoredTrust } from './stored-trust';

/** Marks the stored ops these (already applied) revocations refuse; how many it marked. */
export async function refuseRevoked(store: SyncStore, view: StoredTrust, revocations: readonly SignedRevocation[]): Promise<number> {
  if (revocations.length === 0) return 0;
  const revoked = new Set(revocations.map((r) => r.body.certId));
  const affected = view.certificates.filter((c) => revoked.has(c.certId) || (c.body.issuer.kind === 'hub' && revoked.has(c.body.issuer.certId)));
  if (affected.length === 0) return 0;
  const from = Math.min(...revocations.map((r) => r.body.effectiveAt));
  const [own, guests] = [affected.filter((c) => revoked.has(c.certId)), affected.filter((c) => !revoked.has(c.certId))];
  const hlcAt = (ms: number) => encodeHlc({ ms, counter: 0, deviceId: '0000000000000000' });
  const ops = [
    ...(own.length === 0
      ? []
      : await store.opsOfSigners({
          certIds: own.map((c) => c.certId),
          adoptedDevices: own.filter((c) => c.body.adopts).map((c) => c.body.deviceId),
          fromHlc: hlcAt(from),
        })),
    // A guest certificate its hub issued after the revocation took effect is void as a whole: all
    // of its ops are judged again, as on every replica.
    ...(guests.length === 0 ? [] : await store.opsOfSigners({ certIds: guests.map((c) => c.certId), adoptedDevices: [], fromHlc: hlcAt(0) })),
  ];
  // Refused ones too: judgeOp checks revocations before authority, so every node names the revocation.
  const refusals = ops.flatMap((op) => {
    const { refusal: _refusal, seq: _seq, ...content } = op;
    const verdict = judgeOp(content, view);
    return verdict.is === 'refused' && verdict.reason !== op.refusal ? [{ opId: op.opId, reason: verdict.reason }] : [];
  });
  return store.refuseOps(refusals);
}
