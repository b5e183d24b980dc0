// Read queries over the incident projections: incidents with their milestones, role seats,
// freezes, tasks and organisation settings. Writes go through ops (replica.ts).
import type { Database } from 'better-sqlite3';
import type { Freeze } from '@shared/domain/freeze';
import type { Incident } from '@shared/domain/incident';
import type { RoleSeat } from '@shared/domain/incident-roles';
import type { Task } from '@shared/domain/tasks';
import { maybe, recordDecoder, rowDecoder } from '@shared/entities/rows';

const incidentRow = rowDecoder('incident');

function toIncident(row: unknown): Incident {
  const stored = incidentRow(row);
  const declaredAt = stored.declaredAt ?? stored.updatedAt;
  return {
    id: stored.id,
    title: stored.title,
    // An incident whose declaring op has not arrived yet shows the least severe level until it does.
    severity: stored.severity ?? 'SEV4',
    status: stored.status,
    summary: stored.summary,
    type: stored.type,
    services: stored.services,
    isDrill: stored.isDrill,
    declaredAt,
    updatedAt: stored.updatedAt,
    isLegalHold: stored.isLegalHold,
    legalHoldReason: stored.legalHoldReason,
    milestones: {
      started: stored.startedAt,
      detected: stored.detectedAt ?? declaredAt,
      acknowledged: stored.acknowledgedAt,
      mitigated: stored.mitigatedAt,
      resolved: stored.resolvedAt,
      closed: stored.closedAt,
    },
  };
}

const toSeat: (row: unknown) => RoleSeat = recordDecoder('incident_role');
const toFreeze: (row: unknown) => Freeze = recordDecoder('freeze');
const toTask: (row: unknown) => Task = recordDecoder('task');

const roleOrder = `CASE role WHEN 'commander' THEN 0 WHEN 'deputy' THEN 1 WHEN 'comms' THEN 2 WHEN 'ops' THEN 3
  WHEN 'scribe' THEN 4 WHEN 'liaison' THEN 5 ELSE 6 END`;

export function createIncidentStore(db: Database) {
  const list = db.prepare('SELECT * FROM incidents WHERE deleted = 0 ORDER BY declared_at DESC, id DESC LIMIT ?');
  const get = db.prepare('SELECT * FROM incidents WHERE id = ? AND deleted = 0');
  const deleted = db.prepare('SELECT * FROM incidents WHERE deleted = 1 ORDER BY updated_at, id');
  const seats = db.prepare(`SELECT * FROM incident_roles WHERE incident_id = ? ORDER BY ${roleOrder}, since, id`);
  const seat = db.prepare('SELECT * FROM incident_roles WHERE id = ?');
  const freezes = db.prepare('SELECT * FROM freezes WHERE incident_id = ? ORDER BY since DESC, id');
  const freeze = db.prepare('SELECT * FROM freezes WHERE id = ?');
  const tasks = db.prepare(`SELECT * FROM tasks
    WHERE incident_id = ? ORDER BY CASE status WHEN 'doing' THEN 0 WHEN 'open' THEN 1 ELSE 2 END, coalesce(due_at, 9e15), created_at, id`);
  const task = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const setting = db.prepare('SELECT value FROM org_settings WHERE id = ?').pluck();

  return {
    list(limit: number): Incident[] {
      return list.all(limit).map(toIncident);
    },
    /** Incidents deleted (tombstoned): their record stays until a purge under the retention setting. */
    deleted(): Incident[] {
      return deleted.all().map(toIncident);
    },
    get(id: string): Incident | undefined {
      const row = get.get(id);
      return row === undefined ? undefined : toIncident(row);
    },
    seats: (incidentId: string): RoleSeat[] => seats.all(incidentId).map(toSeat),
    seat: (id: string): RoleSeat | undefined => maybe(seat.get(id), toSeat),
    freezes: (incidentId: string): Freeze[] => freezes.all(incidentId).map(toFreeze),
    freeze: (id: string): Freeze | undefined => maybe(freeze.get(id), toFreeze),
    tasks: (incidentId: string): Task[] => tasks.all(incidentId).map(toTask),
    task: (id: string): Task | undefined => maybe(task.get(id), toTask),
    setting: (name: string): string | undefined => setting.get(name) as string | undefined,
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
