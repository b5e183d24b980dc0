// Incident calls: declare, read and edit incidents, move them through the lifecycle and correct
// milestone times. Every change is a `set` op written together with the automatic timeline entry
// that records it, in one commit.
import type { Handlers, ParsedRequest } from '@shared/contract';
import { milestoneField, severities, type Incident, type Severity } from '@shared/domain/incident';
import { roleSeatId } from '@shared/domain/incident-roles';
import { checkTransition, milestoneChanges, milestoneCorrectionRefusal, milestoneLabels } from '@shared/domain/lifecycle';
import { isFreezeActive } from '@shared/domain/freeze';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import { utcStamp } from '@shared/time';
import { meaningKey, severityMeanings, warRoom } from './incident-queries';
import type { IncidentStore } from './incident-store';
import type { Replica } from '../core/replica';

type IncidentHandlers = Pick<
  Handlers,
  | 'incidents.create'
  | 'incidents.list'
  | 'incidents.get'
  | 'incidents.update'
  | 'incidents.setStatus'
  | 'incidents.correctMilestone'
  | 'incidents.room'
  | 'org.severityMeanings'
  | 'org.setSeverityMeanings'
>;

export interface IncidentDeps {
  replica: Replica;
  incidents: IncidentStore;
  now: () => number;
}

export function incidentHandlers(deps: IncidentDeps): IncidentHandlers {
  const { incidents } = deps;
  return {
    'incidents.create': (request) => declareIncident(deps, request),
    'incidents.list': (request) => incidents.list(request.limit),
    'incidents.get': (request) => mustGetIncident(incidents, request.id),
    'incidents.update': (request) => updateIncident(deps, request),
    'incidents.setStatus': (request) => setStatus(deps, request),
    'incidents.correctMilestone': (request) => correctMilestone(deps, request),
    'incidents.room': (request) => warRoom(incidents, mustGetIncident(incidents, request.id)),
    'org.severityMeanings': () => severityMeanings(incidents),
    'org.setSeverityMeanings': (request) => setSeverityMeanings(deps, request),
  };
}

function declareIncident({ replica, incidents, now }: IncidentDeps, request: ParsedRequest<'incidents.create'>): Incident {
  const id = uuidv7(now());
  const at = now();
  const actor = replica.actorId;
  if (request.detectedAt !== undefined && request.detectedAt > at + 60_000) {
    throw new ApiError('bad_request', 'detectedAt is in the future; give the time the problem was first noticed.');
  }
  const detectedAt = Math.min(request.detectedAt ?? at, at);
  const drafts: OpDraft[] = [
    {
      entity: 'incident',
      rowId: id,
      fields: {
        title: request.title,
        severity: request.severity,
        status: 'investigating',
        summary: request.summary,
        type: request.type,
        services: request.services,
        isDrill: request.isDrill,
        declaredAt: at,
        detectedAt,
        acknowledgedAt: request.isTakingCommand ? at : null,
        mitigatedAt: null,
        resolvedAt: null,
        closedAt: null,
      },
    },
    systemEntry(
      id,
      `${actor} declared ${request.isDrill ? 'a drill: ' : ''}${request.severity} "${request.title}"` +
        (request.services.length > 0 ? ` affecting ${request.services.join(', ')}` : '') +
        (detectedAt < at ? `; detected ${utcStamp(detectedAt)}` : ''),
      at,
    ),
  ];
  if (request.isTakingCommand) {
    drafts.push(
      {
        entity: 'incident_role',
        rowId: roleSeatId(id, 'commander'),
        fields: { incidentId: id, role: 'commander', label: '', holderId: actor, since: at, offeredTo: null, offeredBy: null, offeredAt: null },
      },
      systemEntry(id, `${actor} took Incident commander`, at),
    );
  }
  replica.commitLocal(drafts);
  return mustGetIncident(incidents, id);
}

function updateIncident({ replica, incidents, now }: IncidentDeps, request: ParsedRequest<'incidents.update'>): Incident {
  const current = mustGetOpenIncident(incidents, request.id);
  const { id: _id, ...asked } = request;
  const changes = Object.fromEntries(
    Object.entries(asked).filter(([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field as keyof Incident])),
  );
  if (Object.keys(changes).length === 0) return current;
  const at = now();
  const said: string[] = [];
  if (changes.severity) said.push(`severity ${current.severity} → ${String(changes.severity)}`);
  if (changes.title) said.push(`title "${String(changes.title)}"`);
  if (changes.type !== undefined) said.push(`type ${String(changes.type) || '(none)'}`);
  if (changes.services) said.push(`services ${(changes.services as string[]).join(', ') || '(none)'}`);
  if (changes.isDrill !== undefined) said.push(changes.isDrill ? 'marked as a drill' : 'no longer a drill');
  if (changes.summary !== undefined) said.push('summary updated');
  replica.commitLocal([{ entity: 'incident', rowId: request.id, fields: changes }, systemEntry(request.id, `${replica.actorId} changed ${said.join('; ')}`, at)]);
  return mustGetIncident(incidents, request.id);
}

function setStatus({ replica, incidents, now }: IncidentDeps, request: ParsedRequest<'incidents.setStatus'>): Incident {
  const current = mustGetIncident(incidents, request.id);
  const check = checkTransition(current.status, request.status, request.reason);
  if (!check.isAllowed) throw new ApiError('conflict', check.reason);
  const at = now();
  const active = incidents.freezes(request.id).filter((f) => isFreezeActive(f, at));
  if (request.status === 'closed' && active.length > 0) {
    throw new ApiError('conflict', `Deployments are still frozen (${active.map((f) => f.scope).join('; ')}); lift the freeze before closing the incident.`);
  }
  // The status and every milestone time go in one op, so concurrent moves made apart merge to
  // one of them whole, never to a status with another move's milestones.
  const milestones = { ...current.milestones, ...milestoneChanges(current.milestones, request.status, at) };
  const fields: Record<string, number | string | null> = { status: request.status };
  for (const [milestone, time] of Object.entries(milestones)) fields[milestoneField(milestone as keyof typeof milestones)] = time;
  const reason = request.reason?.trim() ? `: ${request.reason.trim()}` : '';
  replica.commitLocal([
    { entity: 'incident', rowId: request.id, fields },
    systemEntry(request.id, `${replica.actorId} ${check.isReopen ? 'moved back' : 'moved'} status ${current.status} → ${request.status}${reason}`, at),
  ]);
  return mustGetIncident(incidents, request.id);
}

function correctMilestone({ replica, incidents, now }: IncidentDeps, request: ParsedRequest<'incidents.correctMilestone'>): Incident {
  const current = mustGetIncident(incidents, request.id);
  const refusal = milestoneCorrectionRefusal(current.milestones, request.milestone, request.at, now());
  if (refusal) throw new ApiError('conflict', refusal);
  const before = current.milestones[request.milestone];
  const label = milestoneLabels[request.milestone];
  replica.commitLocal([
    { entity: 'incident', rowId: request.id, fields: { [milestoneField(request.milestone)]: request.at } },
    systemEntry(
      request.id,
      `${replica.actorId} corrected ${label.toLowerCase()} time ${before === null ? '' : `from ${utcStamp(before)} `}to ${utcStamp(request.at)}: ${request.reason}`,
      now(),
    ),
  ]);
  return mustGetIncident(incidents, request.id);
}

function setSeverityMeanings({ replica, incidents }: IncidentDeps, request: ParsedRequest<'org.setSeverityMeanings'>): Record<Severity, string> {
  const current = severityMeanings(incidents);
  const changed = severities.filter((s) => request.meanings[s] !== undefined && request.meanings[s] !== current[s]);
  if (changed.length > 0) {
    replica.commitLocal(changed.map((s) => ({ entity: 'org_setting' as const, rowId: meaningKey(s), fields: { value: request.meanings[s] ?? '' } })));
  }
  return severityMeanings(incidents);
}

/** An automatic timeline entry: what Holdfast records about a change, as part of the change. */
export function systemEntry(incidentId: string, text: string, eventAt: number): OpDraft {
  return { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'system', text, eventAt } };
}

export function mustGetIncident(incidents: IncidentStore, id: string): Incident {
  const incident = incidents.get(id);
  if (!incident) throw new ApiError('not_found', `No incident ${id} on this replica; it may not have synced here yet.`);
  return incident;
}

/** For changes to the running incident: a closed incident's record is final (pins and milestone corrections for the review excepted). */
export function mustGetOpenIncident(incidents: IncidentStore, id: string): Incident {
  const incident = mustGetIncident(incidents, id);
  if (incident.status === 'closed') {
    throw new ApiError('conflict', `"${incident.title}" is closed and its record is final; declare a new incident if the problem is back.`);
  }
  return incident;
}
