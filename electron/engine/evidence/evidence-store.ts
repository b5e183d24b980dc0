// Read queries over the evidence projections: checklist templates (stored ones, and the built-in
// samples every replica has), the artifacts of an incident, and their chains of custody.
import type { Database } from 'better-sqlite3';
import { settledArtifactStates, type Artifact, type ChecklistTemplate, type CustodyEvent, type EvidenceGate } from '@shared/domain/evidence';
import { builtInTemplates } from '@shared/domain/evidence-samples';
import { decodeFields, maybe, recordDecoder, rowDecoder } from '@shared/entities/rows';

const toArtifact: (row: unknown) => Artifact = recordDecoder('artifact');
const toTemplate = rowDecoder('checklist_template');

/** A custody event: its declared fields, named by its event id, with who recorded it. */
function toEvent(row: unknown): CustodyEvent {
  const { eventId, prevHash, hash, ...fields } = decodeFields('custody_event', row as Record<string, unknown>);
  const { actor_id: actorId } = row as { actor_id: string };
  return { id: eventId, ...fields, actorId, prevHash, hash };
}

/**
 * Whether an artifact no longer holds up a recovery action, judged on its record and not on its
 * state alone (a state set by an op from elsewhere without the record behind it does not count):
 * collected or verified with a hash, or waived with a reason and an approver.
 */
export function isSettled(a: Artifact): boolean {
  if (!settledArtifactStates.includes(a.state)) return false;
  return a.state === 'waived' ? a.reason.trim() !== '' && a.approvedBy !== null : a.sha256 !== null;
}

export function createEvidenceStore(db: Database) {
  const templates = db.prepare('SELECT id, name, incident_types, items, deleted, updated_at, updated_by FROM checklist_templates');
  const artifacts = db.prepare('SELECT * FROM artifacts WHERE incident_id = ? ORDER BY volatility, created_at, id');
  const artifact = db.prepare('SELECT * FROM artifacts WHERE id = ?');
  const custody = db.prepare('SELECT * FROM custody_events WHERE incident_id = ? ORDER BY hlc, id');
  const artifactCustody = db.prepare('SELECT * FROM custody_events WHERE artifact_id = ? ORDER BY hlc, id');
  const lastOf = db.prepare('SELECT hash FROM custody_events WHERE artifact_id = ? ORDER BY hlc DESC, id DESC LIMIT 1').pluck();

  return {
    /** Stored templates, and the built-in samples nobody has replaced or removed, by name. */
    templates(): ChecklistTemplate[] {
      const stored = templates.all().map(toTemplate);
      const storedIds = new Set(stored.map((t) => t.id));
      return [
        ...stored
          .filter((t) => !t.deleted && t.name !== '')
          .map(({ id, name, incidentTypes, items, updatedAt, updatedBy }) => ({ id, name, incidentTypes, items, updatedAt, updatedBy })),
        ...builtInTemplates.filter((t) => !storedIds.has(t.id)),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
    artifacts: (incidentId: string): Artifact[] => artifacts.all(incidentId).map(toArtifact),
    artifact: (id: string): Artifact | undefined => maybe(artifact.get(id), toArtifact),
    custody: (incidentId: string): CustodyEvent[] => custody.all(incidentId).map(toEvent),
    artifactCustody: (artifactId: string): CustodyEvent[] => artifactCustody.all(artifactId).map(toEvent),
    /** The hash a new custody event of this artifact chains from (the newest this replica knows). */
    custodyHead: (artifactId: string): string | undefined => lastOf.get(artifactId) as string | undefined,
    gate(incidentId: string): EvidenceGate {
      const missing = artifacts
        .all(incidentId)
        .map(toArtifact)
        .filter((a) => a.isRequired && !isSettled(a))
        .map(({ id, artifactType, asset, what, state }) => ({ id, artifactType, asset, what, state }));
      return { incidentId, missing };
    },
  };
}
export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
