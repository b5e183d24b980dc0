// Read queries over the incident projections: incidents with their milestones, role seats,
// freezes, tasks and organisation settings. Writes go through ops (replica.ts).
import type { Database } from 'better-sqlite3';
import type { Freeze } from '../../../shared/domain/freeze';
import type { Incident, IncidentStatus, Severity } from '../../../shared/domain/incident';
import type { IncidentRole, RoleSeat } from '../../../shared/domain/incident-roles';
import type { Task, TaskStatus } from '../../../shared/domain/tasks';

interface IncidentRow {
  id: string;
  title: string;
  severity: Severity | null;
  status: IncidentStatus;
  summary: string;
  type: string;
  services: string;
  is_drill: number;
  declared_at: number | null;
  updated_at: number;
  started_at: number | null;
  detected_at: number | null;
  is_legal_hold: number;
  legal_hold_reason: string;
  acknowledged_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
}

function toIncident(row: IncidentRow): Incident {
  const declaredAt = row.declared_at ?? row.updated_at;
  return {
    id: row.id,
    title: row.title,
    // An incident whose declaring op has not arrived yet shows the least severe level until it does.
    severity: row.severity ?? 'SEV4',
    status: row.status,
    summary: row.summary,
    type: row.type,
    services: JSON.parse(row.services) as string[],
    isDrill: row.is_drill === 1,
    declaredAt,
    updatedAt: row.updated_at,
    isLegalHold: row.is_legal_hold === 1,
    legalHoldReason: row.legal_hold_reason,
    milestones: {
      started: row.started_at,
      detected: row.detected_at ?? declaredAt,
      acknowledged: row.acknowledged_at,
      mitigated: row.mitigated_at,
      resolved: row.resolved_at,
      closed: row.closed_at,
    },
  };
}

interface SeatRow {
  id: string;
  incident_id: string;
  role: IncidentRole;
  label: string;
  holder_id: string | null;
  since: number | null;
  offered_to: string | null;
  offered_by: string | null;
  offered_at: number | null;
}

const toSeat = (row: SeatRow): RoleSeat => ({
  id: row.id,
  incidentId: row.incident_id,
  role: row.role,
  label: row.label,
  holderId: row.holder_id,
  since: row.since,
  offeredTo: row.offered_to,
  offeredBy: row.offered_by,
  offeredAt: row.offered_at,
});

interface FreezeRow {
  id: string;
  incident_id: string;
  scope: string;
  reason: string;
  since: number;
  until: number | null;
  declared_by: string;
  lifted_at: number | null;
  lifted_by: string | null;
  lift_reason: string;
}

const toFreeze = (row: FreezeRow): Freeze => ({
  id: row.id,
  incidentId: row.incident_id,
  scope: row.scope,
  reason: row.reason,
  since: row.since,
  until: row.until,
  declaredBy: row.declared_by,
  liftedAt: row.lifted_at,
  liftedBy: row.lifted_by,
  liftReason: row.lift_reason,
});

interface TaskRow {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string | null;
  due_at: number | null;
  status: TaskStatus;
  created_at: number;
  created_by: string;
}

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  incidentId: row.incident_id,
  title: row.title,
  ownerId: row.owner_id,
  dueAt: row.due_at,
  status: row.status,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

const columns = `id, title, severity, status, summary, type, services, is_drill, declared_at, updated_at,
  started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, closed_at, is_legal_hold, legal_hold_reason`;
const roleOrder = `CASE role WHEN 'commander' THEN 0 WHEN 'deputy' THEN 1 WHEN 'comms' THEN 2 WHEN 'ops' THEN 3
  WHEN 'scribe' THEN 4 WHEN 'liaison' THEN 5 ELSE 6 END`;

export function createIncidentStore(db: Database) {
  const list = db.prepare(`SELECT ${columns} FROM incidents WHERE deleted = 0 ORDER BY declared_at DESC, id DESC LIMIT ?`);
  const get = db.prepare(`SELECT ${columns} FROM incidents WHERE id = ? AND deleted = 0`);
  const deleted = db.prepare(`SELECT ${columns} FROM incidents WHERE deleted = 1 ORDER BY updated_at, id`);
  const seats = db.prepare(`SELECT id, incident_id, role, label, holder_id, since, offered_to, offered_by, offered_at
    FROM incident_roles WHERE incident_id = ? ORDER BY ${roleOrder}, since, id`);
  const seat = db.prepare('SELECT id, incident_id, role, label, holder_id, since, offered_to, offered_by, offered_at FROM incident_roles WHERE id = ?');
  const freezes = db.prepare(`SELECT id, incident_id, scope, reason, since, until, declared_by, lifted_at, lifted_by, lift_reason
    FROM freezes WHERE incident_id = ? ORDER BY since DESC, id`);
  const freeze = db.prepare('SELECT id, incident_id, scope, reason, since, until, declared_by, lifted_at, lifted_by, lift_reason FROM freezes WHERE id = ?');
  const tasks = db.prepare(`SELECT id, incident_id, title, owner_id, due_at, status, created_at, created_by FROM tasks
    WHERE incident_id = ? ORDER BY CASE status WHEN 'doing' THEN 0 WHEN 'open' THEN 1 ELSE 2 END, coalesce(due_at, 9e15), created_at, id`);
  const task = db.prepare('SELECT id, incident_id, title, owner_id, due_at, status, created_at, created_by FROM tasks WHERE id = ?');
  const setting = db.prepare('SELECT value FROM org_settings WHERE id = ?').pluck();

  return {
    list(limit: number): Incident[] {
      return (list.all(limit) as IncidentRow[]).map(toIncident);
    },
    /** Incidents deleted (tombstoned): their record stays until a purge under the retention setting. */
    deleted(): Incident[] {
      return (deleted.all() as IncidentRow[]).map(toIncident);
    },
    get(id: string): Incident | undefined {
      const row = get.get(id) as IncidentRow | undefined;
      return row && toIncident(row);
    },
    seats: (incidentId: string): RoleSeat[] => (seats.all(incidentId) as SeatRow[]).map(toSeat),
    seat(id: string): RoleSeat | undefined {
      const row = seat.get(id) as SeatRow | undefined;
      return row && toSeat(row);
    },
    freezes: (incidentId: string): Freeze[] => (freezes.all(incidentId) as FreezeRow[]).map(toFreeze),
    freeze(id: string): Freeze | undefined {
      const row = freeze.get(id) as FreezeRow | undefined;
      return row && toFreeze(row);
    },
    tasks: (incidentId: string): Task[] => (tasks.all(incidentId) as TaskRow[]).map(toTask),
    task(id: string): Task | undefined {
      const row = task.get(id) as TaskRow | undefined;
      return row && toTask(row);
    },
    setting: (name: string): string | undefined => setting.get(name) as string | undefined,
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
