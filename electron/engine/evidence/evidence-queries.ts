// One incident's whole record as the replica holds it now (artifacts, custody, timeline, ops, the
// refused ops and the trust its signatures need): what the evidence exports, the bundle and the
// reports are made from.
import { incidentStream } from '@shared/entities';
import { ApiError } from '@shared/errors';
import type { Replica } from '../core/replica';
import { appVersion } from '../core/version';
import type { IncidentStore } from '../incidents/incident-store';
import type { TimelineStore } from '../timeline/timeline-store';
import { refusedRecords, wholeTimeline } from '../timeline/timeline-queries';
import { bundleTrustOf } from './bundle-trust';
import type { EvidenceRecord } from './evidence-export';
import type { EvidenceStore } from './evidence-store';

export interface RecordSources {
  incidents: IncidentStore;
  evidence: EvidenceStore;
  timeline: TimelineStore;
  replica: Replica;
  now: () => number;
}

/** The record of one incident, stamped with who exports it and when; throws not_found for an unknown incident. */
export function evidenceRecord({ incidents, evidence, timeline, replica, now }: RecordSources, incidentId: string): EvidenceRecord {
  const incident = incidents.get(incidentId);
  if (!incident) throw new ApiError('not_found', `No incident ${incidentId} on this replica.`);
  const ops = replica.opLog.streamSince(incidentStream(incidentId), 0, Number.MAX_SAFE_INTEGER).map(({ seq: _seq, ...op }) => op);
  return {
    incident,
    artifacts: evidence.artifacts(incidentId),
    custody: evidence.custody(incidentId),
    timeline: wholeTimeline(timeline, incidentId),
    ops,
    exportedAt: now(),
    exportedBy: replica.actorId,
    holdfastVersion: appVersion,
    refused: refusedRecords(timeline, incidentId),
    trust: bundleTrustOf(replica, ops),
  };
}
