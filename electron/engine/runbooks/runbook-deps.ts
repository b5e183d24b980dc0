// What the runbook calls are given: the replica to write ops through, the stores they read (the
// evidence store for the gate before recovery steps), and the clock.
import type { Replica } from '../core/replica';
import type { EvidenceStore } from '../evidence/evidence-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { RunbookStore } from './runbook-store';

export interface RunbookDeps {
  replica: Replica;
  incidents: IncidentStore;
  runbooks: RunbookStore;
  evidence: EvidenceStore;
  now: () => number;
}
