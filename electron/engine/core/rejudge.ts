// Judging stored ops again after a revocation. A replica may have stored ops of a certificate as
// valid before the certificate's revocation reached it; once the revocation is applied, the ops of
// that certificate (and of the guest certificates a revoked hub certificate issued, and the
// certless ops an adopting certificate covers) at or after its effective time are judged again
// with judgeOp, and those it now refuses get the same refusal a replica that heard of the revocation
// first stored. The caller rebuilds the projections in the same transaction.
// Purge records are left as they are: a purge already carried out is not undone.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EntityName } from '@shared/entities';
import { judgeOp } from '@shared/trust/judge';
import type { RevocationBody } from '@shared/trust/types';
import { toOp, type OpRow } from './op-log';
import type { ReplicaTrust } from './trust-store';

/** An op stored valid that a revocation made refused. */
export interface Rejudged {
  opId: string;
  streamId: string;
  entity: EntityName;
  reason: string;
}

/** The smallest clock value (HLC text) at or after `ms`: clocks start with 15 digits of ms. */
const hlcFrom = (ms: number) => String(Math.max(0, ms)).padStart(15, '0');

export function createRejudge(db: Database, trust: ReplicaTrust) {
  const certRow = db.prepare('SELECT device_id AS deviceId, adopts FROM trust_certs WHERE cert_id = ?');
  const guestsOf = db.prepare("SELECT cert_id FROM trust_certs WHERE json_extract(body, '$.issuer.kind') = 'hub' AND json_extract(body, '$.issuer.certId') = ?").pluck();
  // A certificate signs only its own device's ops, so they are read through ops_chain by device
  // (the op log keeps no index by certificate). Ops of a certificate this replica does not hold
  // cannot be in the log as valid, but they are looked for all the same, by a scan.
  const ofCertOnDevice = db.prepare("SELECT * FROM ops WHERE device_id = ? AND cert_id = ? AND hlc >= ? AND entity <> 'purge_record' ORDER BY seq");
  const ofUnknownCert = db.prepare("SELECT * FROM ops WHERE cert_id = ? AND hlc >= ? AND entity <> 'purge_record' ORDER BY seq");
  const ofCert = (certId: string, from: string): OpRow[] => {
    const cert = certRow.get(certId) as { deviceId: string } | undefined;
    return (cert ? ofCertOnDevice.all(cert.deviceId, certId, from) : ofUnknownCert.all(certId, from)) as OpRow[];
  };
  const certlessOf = db.prepare("SELECT * FROM ops WHERE cert_id IS NULL AND device_id = ? AND hlc >= ? AND entity <> 'purge_record' ORDER BY seq");
  // Also ops already refused for another reason (their role): a node that heard of the revocation
  // first refused them for it, and every node must store the same verdict.
  const refuse = db.prepare('UPDATE ops SET refusal = ? WHERE op_id = ? AND refusal IS NOT ?');

  /** The stored ops whose verdict a revocation may change: of its certificate and the guests it admitted, from its effective time. */
  const candidates = (revocation: RevocationBody): OpRow[] => {
    const from = hlcFrom(revocation.effectiveAt);
    const rows = ofCert(revocation.certId, from);
    // A guest certificate the hub issued after its revocation took effect is void as a whole, so
    // every op of the guests it admitted is judged again, not only those after the effective time.
    for (const guest of guestsOf.all(revocation.certId) as string[]) rows.push(...ofCert(guest, ''));
    const revoked = certRow.get(revocation.certId) as { deviceId: string; adopts: number } | undefined;
    // Certless ops are judged under the device's adopting certificate.
    if (revoked?.adopts) rows.push(...(certlessOf.all(revoked.deviceId, from) as OpRow[]));
    return rows;
  };

  return {
    /**
     * After `revocations` were applied (inside the same transaction): marks the ops they make
     * invalid as refused, with judgeOp's reason. Returns them; the projections then need rebuilding.
     */
    afterRevocations(revocations: readonly RevocationBody[]): Rejudged[] {
      const changed: Rejudged[] = [];
      const view = trust.view();
      for (const revocation of revocations) {
        for (const row of candidates(revocation)) {
          const op = toOp(row);
          const verdict = judgeOp(op, view);
          // Only a refusal changes a stored op: it stays in its chain, no longer projected.
          if (verdict.is !== 'refused') continue;
          if (refuse.run(verdict.reason, op.opId, verdict.reason).changes === 1)
            changed.push({ opId: op.opId, streamId: op.streamId, entity: op.entity, reason: verdict.reason });
        }
      }
      return changed;
    },
  };
}
export type Rejudge = ReturnType<typeof createRejudge>;

/**
 * SHA-256 over every op's id and refusal (empty when valid), in op id order: replicas holding the
 * same ops and trust records agree on it whatever order they received them in.
 */
export function verdictDigest(db: Database): string {
  const hash = createHash('sha256');
  const rows = db.prepare('SELECT op_id, refusal FROM ops ORDER BY op_id').raw();
  for (const [opId, refusal] of rows.iterate() as Iterable<[string, string | null]>) hash.update(`${opId}\n${refusal ?? ''}\n`);
  return hash.digest('hex');
}
