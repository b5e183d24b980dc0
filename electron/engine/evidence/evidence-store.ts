// Read queries over the evidence projections: checklist templates (stored ones, and the built-in
// samples every replica has), the artifacts of an incident, and their chains of custody.
import type { Database } from 'better-sqlite3';
import {
  settledArtifactStates,
  type Artifact,
  type ArtifactState,
  type ArtifactType,
  type ChecklistTemplate,
  type Collector,
  type CustodyAction,
  type CustodyEvent,
  type EvidenceGate,
  type TemplateItem,
} from '../../../shared/domain/evidence';
import { builtInTemplates } from '../../../shared/domain/evidence-samples';

interface TemplateRow {
  id: string;
  name: string;
  incident_types: string;
  items: string;
  deleted: number;
  updated_at: number;
  updated_by: string;
}

interface ArtifactRow {
  id: string;
  incident_id: string;
  template_id: string | null;
  item_key: string | null;
  artifact_type: ArtifactType;
  asset: string;
  what: string;
  how: string;
  is_required: number;
  volatility: number;
  state: ArtifactState;
  reason: string;
  approved_by: string | null;
  collector: string | null;
  host_ids: string;
  acquisition_start: number | null;
  acquisition_end: number | null;
  collector_time_zone: string;
  tool: string;
  command: string;
  storage_location: string;
  file_name: string;
  size: number | null;
  sha256: string | null;
  md5: string | null;
  sha1: string | null;
  hash_source: 'holdfast' | 'tool' | null;
  hash_warning: string;
  created_at: number;
  created_by: string;
}

interface CustodyRow {
  event_id: string;
  incident_id: string;
  artifact_id: string;
  action: CustodyAction;
  from_party: string;
  to_party: string;
  purpose: string;
  note: string;
  sha256: string | null;
  result: 'match' | 'mismatch' | null;
  corrects: string | null;
  at: number;
  actor_id: string;
  prev_hash: string;
  hash: string;
}

const toArtifact = (row: ArtifactRow): Artifact => ({
  id: row.id,
  incidentId: row.incident_id,
  templateId: row.template_id,
  itemKey: row.item_key,
  artifactType: row.artifact_type,
  asset: row.asset,
  what: row.what,
  how: row.how,
  isRequired: row.is_required === 1,
  volatility: row.volatility,
  state: row.state,
  reason: row.reason,
  approvedBy: row.approved_by,
  collector: row.collector === null ? null : (JSON.parse(row.collector) as Collector),
  hostIds: JSON.parse(row.host_ids) as string[],
  acquisitionStart: row.acquisition_start,
  acquisitionEnd: row.acquisition_end,
  collectorTimeZone: row.collector_time_zone,
  tool: row.tool,
  command: row.command,
  storageLocation: row.storage_location,
  fileName: row.file_name,
  size: row.size,
  sha256: row.sha256,
  md5: row.md5,
  sha1: row.sha1,
  hashSource: row.hash_source,
  hashWarning: row.hash_warning,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

const toEvent = (row: CustodyRow): CustodyEvent => ({
  id: row.event_id,
  incidentId: row.incident_id,
  artifactId: row.artifact_id,
  action: row.action,
  from: row.from_party,
  to: row.to_party,
  purpose: row.purpose,
  note: row.note,
  sha256: row.sha256,
  result: row.result,
  corrects: row.corrects,
  at: row.at,
  actorId: row.actor_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

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
      const stored = templates.all() as TemplateRow[];
      const storedIds = new Set(stored.map((t) => t.id));
      return [
        ...stored
          .filter((t) => t.deleted === 0 && t.name !== '')
          .map((t) => ({
            id: t.id,
            name: t.name,
            incidentTypes: JSON.parse(t.incident_types) as string[],
            items: JSON.parse(t.items) as TemplateItem[],
            updatedAt: t.updated_at,
            updatedBy: t.updated_by,
          })),
        ...builtInTemplates.filter((t) => !storedIds.has(t.id)),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
    artifacts: (incidentId: string): Artifact[] => (artifacts.all(incidentId) as ArtifactRow[]).map(toArtifact),
    artifact(id: string): Artifact | undefined {
      const row = artifact.get(id) as ArtifactRow | undefined;
      return row && toArtifact(row);
    },
    custody: (incidentId: string): CustodyEvent[] => (custody.all(incidentId) as CustodyRow[]).map(toEvent),
    artifactCustody: (artifactId: string): CustodyEvent[] => (artifactCustody.all(artifactId) as CustodyRow[]).map(toEvent),
    /** The hash a new custody event of this artifact chains from (the newest this replica knows). */
    custodyHead: (artifactId: string): string | undefined => lastOf.get(artifactId) as string | undefined,
    gate(incidentId: string): EvidenceGate {
      const missing = (artifacts.all(incidentId) as ArtifactRow[])
        .map(toArtifact)
        .filter((a) => a.isRequired && !isSettled(a))
        .map(({ id, artifactType, asset, what, state }) => ({ id, artifactType, asset, what, state }));
      return { incidentId, missing };
    },
  };
}
export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
