// Entities of the war room: the incident itself, its timeline and pins, role seats, deployment
// freezes and tasks.
import { z } from 'zod';
import { incidentStatuses, incidentTitle, incidentType, severities } from '../domain/incident';
import { incidentRoles } from '../domain/incident-roles';
import { taskStatuses } from '../domain/tasks';
import { timelineKinds, timelineText } from '../domain/timeline';
import { assignedWork, commandersOnly, epochMs, everyResponder, id, shortText, userName } from './common';
import { peopleIn } from './authority';
import { declareEntity } from './declare';
import { placements } from './streams';

/** The fields of an incident's declaration (incidents.create), which responders may write. */
const declarationFields = [
  'title',
  'severity',
  'status',
  'summary',
  'type',
  'services',
  'isDrill',
  'declaredAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
  'closedAt',
] as const;

export const incident = declareEntity({
  kind: 'set',
  fields: z
    .object({
      title: incidentTitle,
      severity: z.enum(severities),
      status: z.enum(incidentStatuses),
      summary: z.string().max(10_000),
      type: incidentType,
      services: z.array(z.string().min(1).max(100)).max(50),
      isDrill: z.boolean(),
      declaredAt: epochMs,
      startedAt: epochMs.nullable(),
      detectedAt: epochMs.nullable(),
      acknowledgedAt: epochMs.nullable(),
      mitigatedAt: epochMs.nullable(),
      resolvedAt: epochMs.nullable(),
      closedAt: epochMs.nullable(),
      /** Kept whatever the retention: a legal hold, with why. */
      isLegalHold: z.boolean(),
      legalHoldReason: shortText,
      deleted: z.boolean(),
    })
    .partial()
    .strict(),
  stream: placements.incident,
  table: 'incidents',
  // A row made by an op that is not the declaration has no severity or declared time yet.
  nullUntilSet: ['severity', 'declaredAt'],
  authority: {
    grants: {
      commander: 'any',
      comms: [{ fields: ['summary'] }, { fields: ['acknowledgedAt'] }],
      responder: [
        // The first incident commander stamps the acknowledged time.
        { fields: ['acknowledgedAt'] },
        // A declaration carries title, severity and declaredAt together; later edits need a
        // commander. Only what a declaration writes: a legal hold, a close or an impact start
        // cannot ride along.
        {
          fields: declarationFields,
          required: ['title', 'severity', 'declaredAt'],
          values: { status: ['investigating'], mitigatedAt: [null], resolvedAt: [null], closedAt: [null] },
        },
      ],
    },
    refusal: ({ role, fields }) => `${peopleIn(role)} may not change ${fields.join(', ')} of an incident; ask the incident commander`,
  },
});

export const timeline_entry = declareEntity({
  kind: 'append',
  fields: z
    .object({
      incidentId: z.string().min(1).max(100),
      kind: z.enum(timelineKinds),
      text: timelineText,
      eventAt: epochMs,
      corrects: id.optional(),
      source: z.string().min(1).max(200).optional(),
    })
    .strict(),
  stream: placements.inIncident,
  table: 'timeline_entries',
  authority: everyResponder,
});

/** Pinned state of a timeline entry (row id: incidentId/entryId). */
export const timeline_pin = declareEntity({
  kind: 'set',
  fields: z.object({ incidentId: id, isPinned: z.boolean() }).partial().strict(),
  stream: placements.inIncidentRow,
  table: 'timeline_pins',
  authority: everyResponder,
});

/** A role seat in an incident: its holder and any pending handoff. Who may hand over a role is checked by each replica's domain rules. */
export const incident_role = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      role: z.enum(incidentRoles),
      label: z.string().max(100),
      holderId: userName.nullable(),
      since: epochMs.nullable(),
      offeredTo: userName.nullable(),
      offeredBy: userName.nullable(),
      offeredAt: epochMs.nullable(),
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'incident_roles',
  authority: everyResponder,
});

/** A deployment freeze: declared and lifted by commanders. */
export const freeze = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      /** What may not be deployed: "all", a service, an environment… */
      scope: z.string().min(1).max(200),
      reason: shortText,
      since: epochMs,
      until: epochMs.nullable(),
      declaredBy: userName,
      liftedAt: epochMs.nullable(),
      liftedBy: userName.nullable(),
      liftReason: shortText,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'freezes',
  authority: commandersOnly,
});

export const task = declareEntity({
  kind: 'set',
  fields: z
    .object({
      ...assignedWork,
      status: z.enum(taskStatuses),
      createdAt: epochMs,
      createdBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'tasks',
  authority: everyResponder,
});
