// Incidents as every layer sees them: the record, its severities and statuses, and the schemas that
// guard what may be written.
import { z } from 'zod';

export const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof severities)[number];

/** Default meanings; an organisation may word them differently later, the order stays. */
export const severityMeaning: Record<Severity, string> = {
  SEV1: 'Critical: customer-facing outage or data at risk',
  SEV2: 'Major: significant degradation for many users',
  SEV3: 'Minor: limited impact, workaround exists',
  SEV4: 'Low: no customer impact yet',
};

export const incidentStatuses = ['investigating', 'identified', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  /** UTC milliseconds. */
  declaredAt: number;
  updatedAt: number;
}

export const incidentTitle = z
  .string({ error: 'must be text' })
  .trim()
  .min(3, { error: 'must have at least 3 characters: say what is broken' })
  .max(200, { error: 'must be at most 200 characters; put detail in the summary' });

export const createIncidentRequest = z
  .object({
    title: incidentTitle,
    severity: z.enum(severities, { error: 'must be one of SEV1, SEV2, SEV3, SEV4' }),
    summary: z
      .string({ error: 'must be text' })
      .trim()
      .max(10_000, { error: 'must be at most 10000 characters' })
      .default(''),
  })
  .strict();
export type CreateIncidentRequest = z.input<typeof createIncidentRequest>;

export const listIncidentsRequest = z
  .object({
    limit: z.number({ error: 'must be a number' }).int().min(1).max(1000).default(200),
  })
  .strict();

const incidentId = z.string({ error: 'must be an incident id' }).min(1).max(100);

export const getIncidentRequest = z.object({ id: incidentId }).strict();

export const updateIncidentRequest = z
  .object({
    id: incidentId,
    title: incidentTitle.optional(),
    severity: z.enum(severities, { error: 'must be one of SEV1, SEV2, SEV3, SEV4' }).optional(),
    summary: z.string({ error: 'must be text' }).trim().max(10_000, { error: 'must be at most 10000 characters' }).optional(),
  })
  .strict()
  .refine((r) => r.title !== undefined || r.severity !== undefined || r.summary !== undefined, {
    error: 'give at least one of title, severity, summary to change',
  });
