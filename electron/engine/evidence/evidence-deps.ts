// What the evidence calls are given: the replica to write ops through, the stores they read, the
// clock, where hashing progress goes and how to read an incident's record for exports.
import type { HashJob } from '@shared/domain/evidence';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';
import type { EvidenceRecord } from './evidence-export';
import type { EvidenceStore } from './evidence-store';

export interface EvidenceDeps {
  replica: Replica;
  incidents: IncidentStore;
  evidence: EvidenceStore;
  now: () => number;
  /** Where job progress goes (the engine's `evidence.hashProgress` event). */
  onHashProgress: (job: HashJob) => void;
  /** One incident's whole record, for exports. */
  recordOf: (incidentId: string) => EvidenceRecord;
}
