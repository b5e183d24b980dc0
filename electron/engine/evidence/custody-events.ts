// Each artifact's chain of custody: events appended, never changed, each hashed over the one before
// it on this replica; custody goes on after the incident closes, and a disposed artifact only takes
// corrections.
import type { ParsedRequest } from '@shared/contract';
import { custodyGenesis, custodyRecord, type Artifact, type CustodyAction, type CustodyEvent } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';
import { mustGetIncident, systemEntry } from '../incidents/incident-handlers';
import { artifactLabel, mustGetArtifact } from './artifact-records';
import type { EvidenceDeps } from './evidence-deps';
import type { EvidenceStore } from './evidence-store';

export type CustodyDetails = Partial<Pick<CustodyEvent, 'from' | 'to' | 'purpose' | 'note' | 'sha256' | 'result' | 'corrects'>>;

export function addCustody(deps: EvidenceDeps, request: ParsedRequest<'evidence.addCustody'>): CustodyEvent {
  const { replica, incidents, evidence, now } = deps;
  const artifact = mustGetArtifact(evidence, request.artifactId);
  // Custody goes on after an incident closes: evidence is stored, transferred, disposed of later.
  mustGetIncident(incidents, artifact.incidentId);
  const events = evidence.artifactCustody(artifact.id);
  if (request.corrects !== undefined && !events.some((e) => e.id === request.corrects)) {
    throw new ApiError('bad_request', `Custody event ${request.corrects} is not in the chain of ${artifactLabel(artifact)}.`);
  }
  if (events.some((e) => e.action === 'disposed') && request.action !== 'correction') {
    throw new ApiError('conflict', `${artifactLabel(artifact)} was disposed of; only a correction can be added to its chain.`);
  }
  const at = request.at ?? now();
  if (at > now() + 60_000) throw new ApiError('bad_request', 'at is in the future; give the time it happened.');
  const { draft } = custodyDraft(deps, artifact, request.action, at, {
    from: request.from,
    to: request.to,
    purpose: request.purpose,
    note: request.note,
    corrects: request.corrects ?? null,
  });
  const said =
    request.action === 'transferred'
      ? `transferred ${artifactLabel(artifact)} from ${request.from} to ${request.to} (${request.purpose})`
      : `recorded custody of ${artifactLabel(artifact)}: ${request.action}${request.note ? `: ${request.note}` : ''}`;
  replica.commitLocal([draft, systemEntry(artifact.incidentId, `${replica.actorId} ${said}`, now())]);
  const written = typeof draft.fields.eventId === 'string' ? draft.fields.eventId : '';
  const event = evidence.artifactCustody(artifact.id).find((e) => e.id === written);
  if (!event) throw new Error(`custody event ${written} was written but cannot be read back`);
  return event;
}

/** A custody event chained to the artifact's newest event on this replica (or to `prevHash`, for a second event in one commit). */
export function custodyDraft(
  { replica, evidence }: { replica: Replica; evidence: EvidenceStore },
  artifact: Artifact,
  action: CustodyAction,
  at: number,
  details: CustodyDetails = {},
  prevHash = evidence.custodyHead(artifact.id) ?? custodyGenesis,
): { draft: OpDraft; hash: string } {
  const record: Omit<CustodyEvent, 'hash'> = {
    id: uuidv7(at),
    incidentId: artifact.incidentId,
    artifactId: artifact.id,
    action,
    from: details.from ?? '',
    to: details.to ?? '',
    purpose: details.purpose ?? '',
    note: details.note ?? '',
    sha256: details.sha256 ?? null,
    result: details.result ?? null,
    corrects: details.corrects ?? null,
    at,
    actorId: replica.actorId,
    prevHash,
  };
  const hash = nativeSha256Hex(custodyRecord(record));
  const { id, actorId: _actor, ...fields } = record;
  return { draft: { entity: 'custody_event', rowId: '', fields: { eventId: id, ...fields, hash } }, hash };
}
