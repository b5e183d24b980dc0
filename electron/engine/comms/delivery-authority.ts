// Delivery authority on a replica: what its log says about who published an update, who approved
// its text and who holds a channel (shared/trust/comms-rules decides), and the signature it puts on
// its own claims and settlements.
import type { Database } from 'better-sqlite3';
import { needsApproval } from '@shared/domain/comms';
import { approvalRefusal } from '@shared/domain/comms-approval';
import { commandOf } from '@shared/domain/incident-roles';
import { toOp, type OpRow } from '@shared/node/op-rows';
import { channelHeldBy, claimSigningString, sendRefusal, type ChannelOp, type ClaimAct, type ClaimProof, type DeliveryFacts } from '@shared/trust/comms-rules';
import { judgeOp } from '@shared/trust/judge';
import { isIntegrationSendId } from '@shared/trust/integration-rules';
import type { Replica } from '../core/replica';
import type { DeviceKey } from '../core/device-key';
import type { IncidentStore } from '../incidents/incident-store';
import { commsSettings } from './comms-settings';
import type { StoredPublished } from './comms-store';
import { updateRowId } from './comms-store';
import { digestOf } from './update-views';

/** An op-log row with its verdict (a refusal, or null when valid). */
type StoredRow = OpRow & { refusal?: string | null };

/** What this replica's log says about deliveries: publications and channel holders. */
export function replicaDeliveryFacts(db: Database): DeliveryFacts {
  const published = db.prepare('SELECT 1 FROM comms_published WHERE id = ?').pluck();
  // An integration send (incidentId/int-…/targetId) is claimable once its valid request is here.
  const integrationSend = db.prepare('SELECT 1 FROM integration_sends WHERE incident_id = ? AND send_id = ? LIMIT 1').pluck();
  const channelOps = db.prepare(
    `SELECT op_id, hlc, device_id, entity, row_id, fields FROM ops
     WHERE stream_id = 'comms' AND refusal IS NULL AND (entity = 'comms_channel_holder' OR (entity IN ('comms_channel', 'integration_target') AND row_id = ?))`,
  );
  return {
    isPublished: (incidentId, updateId) =>
      isIntegrationSendId(updateId) ? integrationSend.get(incidentId, updateId) !== undefined : published.get(updateRowId(incidentId, updateId)) !== undefined,
    holds(channelId, deviceId) {
      const rows = channelOps.all(channelId) as { op_id: string; hlc: string; device_id: string; entity: string; row_id: string; fields: string }[];
      const ops: ChannelOp[] = rows.map((r) => ({
        opId: r.op_id,
        hlc: r.hlc,
        deviceId: r.device_id,
        entity: r.entity,
        rowId: r.row_id,
        fields: JSON.parse(r.fields) as Record<string, unknown>,
      }));
      return channelHeldBy(ops, channelId, deviceId);
    },
  };
}

/** Signs this device's claims and settlements; undefined without a device key (they go unsigned). */
export function claimSigner(replica: Replica, deviceKey: DeviceKey | undefined, now: () => number) {
  return (act: ClaimAct): ClaimProof | undefined => {
    if (!deviceKey) return undefined;
    const certId = replica.trust.certificate()?.certId ?? null;
    const at = now();
    return { certId, at, sig: deviceKey.sign(claimSigningString(act, certId, at)) };
  };
}

/**
 * Why this replica must not send `published` (null when it may): its publication op is valid and
 * signed by a role that publishes, and where its audience needs approval, a valid approval by an
 * allowed approver covers exactly its text.
 */
export function createSendCheck(db: Database, replica: Replica, incidents: IncidentStore) {
  const opOf = db.prepare('SELECT * FROM ops WHERE op_id = ?');
  const publicationOf = db.prepare('SELECT op_id FROM comms_published WHERE id = ?').pluck();
  // By clock, so the first (the update's author) is the same on every node.
  const updateOps = db.prepare("SELECT * FROM ops WHERE entity = 'comms_update' AND row_id = ? AND refusal IS NULL ORDER BY hlc, op_id");

  /** Who signed a stored op, as this replica judges it now. */
  const signerOf = (row: StoredRow): { valid: true; role: string | null; user: string } | { valid: false; reason: string } => {
    if (row.refusal) return { valid: false, reason: row.refusal };
    if (!replica.trust.isJudging()) return { valid: true, role: null, user: row.actor_id };
    const verdict = judgeOp(toOp(row), replica.trust.view());
    if (verdict.is === 'valid') return { valid: true, role: verdict.signer.role, user: verdict.signer.user };
    return { valid: false, reason: verdict.reason };
  };

  return (published: StoredPublished): string | null => {
    const rowId = updateRowId(published.incidentId, published.updateId);
    const opId = publicationOf.get(rowId) as string | undefined;
    const row = opId === undefined ? undefined : (opOf.get(opId) as StoredRow | undefined);
    if (!row) return 'its publication is not in this replica’s log';
    const incident = incidents.get(published.incidentId);
    const settings = commsSettings(incidents);
    const command = commandOf(incident ? incidents.seats(incident.id) : []);
    const ops = updateOps.all(rowId) as StoredRow[];
    // The author is whoever wrote the update's first valid op, not an `author` field.
    const author = ops[0]?.actor_id ?? '';
    const approvals = ops.flatMap((r) => {
      const fields = JSON.parse(r.fields) as Record<string, unknown>;
      if (fields.state !== 'approved') return [];
      const signer = signerOf(r);
      return signer.valid ? [{ signer: signer.user, role: signer.role, state: fields.state, approvedDigest: fields.approvedDigest, decidedBy: fields.decidedBy }] : [];
    });
    return sendRefusal({
      publication: signerOf(row),
      needsApproval: needsApproval(published.audience, settings.approval),
      digest: digestOf(published.audience, published.title, published.body),
      author,
      approvals,
      approverRefusal: (person) => approvalRefusal({ author, approver: person, ...command, namedApprovers: settings.namedApprovers }),
      namedApprovers: settings.namedApprovers,
    });
  };
}
