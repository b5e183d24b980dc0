// What the comms calls are given: the replica to write ops through, the stores they read, the
// clock, and the outbox they hand published updates to.
import type { OutboxStatus } from '@shared/domain/comms-api';
import type { Replica } from '../core/replica';
import type { DirectoryStore } from '../directory/directory-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { CommsStore } from './comms-store';

export interface CommsDeps {
  replica: Replica;
  incidents: IncidentStore;
  directory: DirectoryStore;
  comms: CommsStore;
  now: () => number;
  /** How the outbox stands (who coordinates, whether deliveries wait). */
  outboxStatus: () => OutboxStatus;
  /** Something was queued: look at the outbox soon. */
  nudgeOutbox: () => void;
}
