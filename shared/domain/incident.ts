// Incidents as every layer sees them: the record, its severities and statuses, and the schemas that
// guard what may be written.
import { z } from 'zod';
import { utcMs } from './common';
import type { Freeze } from './freeze';
import type { RoleSeat } from './incident-roles';
import { incidentStatuses, milestones, type IncidentStatus, type Milestone, type Milestones } from './lifecycle';
import type { Task } from './tasks';

export const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof severities)[number];

/** Default meanings; an organisation may word them differently later, the order stays. */
export const severityMeaning: Record<Severity, string> = {
  SEV1: 'Critical: customer-facing outage or data at risk',
  SEV2: 'Major: significant degradation for many users',
  SEV3: 'Minor: limited impact, workaround exists',
  SEV4: 'Low: no customer impact yet',
};

export { incidentStatuses, type IncidentStatus } from './lifecycle';

/** Suggested incident types; an organisation may use its own words. */
export const incidentTypes = ['outage', 'degradation', 'security', 'data', 'capacity', 'dependency', 'other'] as const;

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  type: string;
  /** Names of the affected services. */
  services: string[];
  /** An exercise: shown as a drill everywhere and left out of metrics. */
  isDrill: boolean;
  /** UTC milliseconds. */
  declaredAt: number;
  updatedAt: number;
  milestones: Milestones;
  /** Kept whatever the retention setting says, until the hold is lifted. */
  isLegalHold: boolean;
  legalHoldReason: string;
}

/** Everything the war room header and side panels show about one incident. */
export interface WarRoom {
  incident: Incident;
  seats: RoleSeat[];
  freezes: Freeze[];
  tasks: Task[];
  /** Org-defined meanings of the severities. */
  severityMeanings: Record<Severity, string>;
}

export const incidentTitle = z
  .string({ error: 'must be text' })
  .trim()
  .min(3, { error: 'must have at least 3 characters: say what is broken' })
  .max(200, { error: 'must be at most 200 characters; put detail in the summary' });

const severity = z.enum(severities, { error: 'must be one of SEV1, SEV2, SEV3, SEV4' });
const summary = z.string({ error: 'must be text' }).trim().max(10_000, { error: 'must be at most 10000 characters' });
export const incidentType = z.string({ error: 'must be text' }).trim().max(60, { error: 'must be at most 60 characters' });
export const serviceNames = z
  .array(z.string({ error: 'must be service names' }).trim().min(1, { error: 'must not contain empty names' }).max(100, { error: 'must be at most 100 characters' }), {
    error: 'must be a list of service names',
  })
  .max(50, { error: 'must name at most 50 services' })
  .transform((names) => [...new Set(names)]);

export const createIncidentRequest = z
  .object({
    title: incidentTitle,
    severity,
    summary: summary.default(''),
    type: incidentType.default(''),
    services: serviceNames.default([]),
    isDrill: z.boolean({ error: 'must be true or false' }).default(false),
    /** When the problem was detected, if before the declaration (UTC ms). */
    detectedAt: utcMs.optional(),
    /** Whether the person declaring takes the incident commander role (the usual case). */
    isTakingCommand: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict();
export type CreateIncidentRequest = z.input<typeof createIncidentRequest>;

export const listIncidentsRequest = z
  .object({
    limit: z.number({ error: 'must be a number' }).int().min(1).max(1000).default(200),
  })
  .strict();

const incidentId = z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' });

export const getIncidentRequest = z.object({ id: incidentId }).strict();

const editable = ['title', 'severity', 'summary', 'type', 'services', 'isDrill'] as const;

export const updateIncidentRequest = z
  .object({
    id: incidentId,
    title: incidentTitle.optional(),
    severity: severity.optional(),
    summary: summary.optional(),
    type: incidentType.optional(),
    services: serviceNames.optional(),
    isDrill: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((r) => editable.some((field) => r[field] !== undefined), {
    error: `give at least one of ${editable.join(', ')} to change`,
  });

export const setStatusRequest = z
  .object({
    id: incidentId,
    status: z.enum(incidentStatuses, { error: `must be one of ${incidentStatuses.join(', ')}` }),
    reason: z.string({ error: 'must be text' }).trim().max(2000, { error: 'must be at most 2000 characters' }).optional(),
  })
  .strict();

export const correctMilestoneRequest = z
  .object({
    id: incidentId,
    milestone: z.enum(milestones, { error: `must be one of ${milestones.join(', ')}` }),
    at: utcMs,
    reason: z.string({ error: 'must be text' }).trim().min(3, { error: 'say why the time is corrected' }).max(2000, { error: 'must be at most 2000 characters' }),
  })
  .strict();

export const severityMeaningsRequest = z
  .object({
    meanings: z
      .object(
        Object.fromEntries(
          severities.map((s) => [
            s,
            z.string({ error: 'must be text' }).trim().min(3, { error: 'must say what the level means' }).max(300, { error: 'must be at most 300 characters' }),
          ]),
        ) as Record<Severity, z.ZodString>,
      )
      .partial()
      .strict(),
  })
  .strict();

/** The incident field holding each milestone's time. */
export const milestoneField = (milestone: Milestone) => `${milestone}At` as const;
