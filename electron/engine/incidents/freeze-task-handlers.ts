// Deployment freezes and incident tasks. A freeze is declared and lifted by the incident's
// commander or deputy; tasks are anyone's. Every change goes on the timeline with who and when.
import type { Handlers, ParsedRequest } from '@shared/contract';
import type { Freeze } from '@shared/domain/freeze';
import { commandOf } from '@shared/domain/incident-roles';
import type { Task } from '@shared/domain/tasks';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import { utcStamp } from '@shared/time';
import type { IncidentStore } from './incident-store';
import type { Replica } from '../core/replica';
import { mustGetOpenIncident, systemEntry } from './incident-handlers';

type FreezeTaskHandlers = Pick<Handlers, 'freeze.declare' | 'freeze.lift' | 'tasks.create' | 'tasks.update'>;

export interface FreezeTaskDeps {
  replica: Replica;
  incidents: IncidentStore;
  now: () => number;
}

export function freezeTaskHandlers(deps: FreezeTaskDeps): FreezeTaskHandlers {
  return {
    'freeze.declare': (request) => declareFreeze(deps, request),
    'freeze.lift': (request) => liftFreeze(deps, request),
    'tasks.create': (request) => createTask(deps, request),
    'tasks.update': (request) => updateTask(deps, request),
  };
}

function declareFreeze(deps: FreezeTaskDeps, request: ParsedRequest<'freeze.declare'>): Freeze[] {
  const { replica, incidents, now } = deps;
  mustGetOpenIncident(incidents, request.incidentId);
  mustCommand(deps, request.incidentId, 'declare a deployment freeze');
  const at = now();
  if (request.until !== null && request.until <= at) throw new ApiError('bad_request', 'until is in the past; give a future time or leave it open.');
  const id = incidentRowId(request.incidentId, uuidv7(at));
  const actor = replica.actorId;
  replica.commitLocal([
    {
      entity: 'freeze',
      rowId: id,
      fields: {
        incidentId: request.incidentId,
        scope: request.scope,
        reason: request.reason,
        since: at,
        until: request.until,
        declaredBy: actor,
        liftedAt: null,
        liftedBy: null,
        liftReason: '',
      },
    },
    systemEntry(
      request.incidentId,
      `${actor} froze deployments (${request.scope})${request.until === null ? '' : ` until ${utcStamp(request.until)}`}: ${request.reason}`,
      at,
    ),
  ]);
  return incidents.freezes(request.incidentId);
}

function liftFreeze(deps: FreezeTaskDeps, request: ParsedRequest<'freeze.lift'>): Freeze[] {
  const { replica, incidents, now } = deps;
  const freeze = incidents.freeze(request.freezeId);
  if (!freeze) throw new ApiError('not_found', `No freeze ${request.freezeId} on this replica.`);
  if (freeze.liftedAt !== null) throw new ApiError('conflict', `This freeze was already lifted by ${freeze.liftedBy} at ${utcStamp(freeze.liftedAt)}.`);
  mustCommand(deps, freeze.incidentId, 'lift a deployment freeze');
  const at = now();
  replica.commitLocal([
    { entity: 'freeze', rowId: freeze.id, fields: { incidentId: freeze.incidentId, liftedAt: at, liftedBy: replica.actorId, liftReason: request.reason } },
    systemEntry(freeze.incidentId, `${replica.actorId} lifted the deployment freeze (${freeze.scope})${request.reason ? `: ${request.reason}` : ''}`, at),
  ]);
  return incidents.freezes(freeze.incidentId);
}

function createTask({ replica, incidents, now }: FreezeTaskDeps, request: ParsedRequest<'tasks.create'>): Task {
  mustGetOpenIncident(incidents, request.incidentId);
  const at = now();
  const id = incidentRowId(request.incidentId, uuidv7(at));
  const actor = replica.actorId;
  replica.commitLocal([
    {
      entity: 'task',
      rowId: id,
      fields: {
        incidentId: request.incidentId,
        title: request.title,
        ownerId: request.ownerId,
        dueAt: request.dueAt,
        status: 'open',
        createdAt: at,
        createdBy: actor,
      },
    },
    systemEntry(
      request.incidentId,
      `${actor} added task "${request.title}"${request.ownerId ? ` for ${request.ownerId}` : ''}${request.dueAt === null ? '' : `, due ${utcStamp(request.dueAt)}`}`,
      at,
    ),
  ]);
  const task = incidents.task(id);
  if (!task) throw new Error(`task ${id} was written but cannot be read back`);
  return task;
}

function updateTask({ replica, incidents, now }: FreezeTaskDeps, request: ParsedRequest<'tasks.update'>): Task {
  const task = incidents.task(request.id);
  if (!task) throw new ApiError('not_found', `No task ${request.id} on this replica.`);
  mustGetOpenIncident(incidents, task.incidentId);
  const { id: _id, ...asked } = request;
  const changes = Object.fromEntries(Object.entries(asked).filter(([field, value]) => value !== undefined && value !== task[field as keyof typeof task]));
  if (Object.keys(changes).length === 0) return task;
  const said: string[] = [];
  if (changes.status) said.push(`${task.status} → ${String(changes.status)}`);
  if (changes.ownerId !== undefined) said.push(changes.ownerId === null ? 'no owner' : `owner ${String(changes.ownerId)}`);
  if (changes.dueAt !== undefined) said.push(changes.dueAt === null ? 'no due time' : `due ${utcStamp(changes.dueAt as number)}`);
  if (changes.title) said.push(`renamed "${String(changes.title)}"`);
  replica.commitLocal([
    { entity: 'task', rowId: task.id, fields: { incidentId: task.incidentId, ...changes } },
    systemEntry(task.incidentId, `${replica.actorId} updated task "${task.title}": ${said.join('; ')}`, now()),
  ]);
  return incidents.task(task.id) ?? task;
}

function mustCommand({ replica, incidents }: FreezeTaskDeps, incidentId: string, what: string): void {
  // Who may freeze at all (commanders and admins) is the replica's judge's, at the write.
  const command = commandOf(incidents.seats(incidentId));
  const actor = replica.actorId;
  if (command.commanderId === null) throw new ApiError('conflict', `Nobody commands this incident: take the incident commander role before you ${what}.`);
  if (actor !== command.commanderId && actor !== command.deputyId) {
    throw new ApiError('conflict', `Only the incident commander (${command.commanderId}) or deputy can ${what}.`);
  }
}
