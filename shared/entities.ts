// The entities ops may write, how each merges (`set`: last writer wins per field; `append`:
// immutable record), the schema of its fields and the stream it belongs to. Every replica and the
// central service validate ops against this table, so an op naming an unknown entity or field is
// refused everywhere.
import { z } from 'zod';
import { incidentStatuses, incidentTitle, severities } from './domain/incident';
import { timelineKinds, timelineText } from './domain/timeline';

const epochMs = z.number({ error: 'must be a number' }).int().min(0).max(8_640_000_000_000_000);

export const incidentStream = (incidentId: string) => `incident:${incidentId}`;

export const entitySpecs = {
  incident: {
    kind: 'set',
    fields: z
      .object({
        title: incidentTitle,
        severity: z.enum(severities),
        status: z.enum(incidentStatuses),
        summary: z.string().max(10_000),
        declaredAt: epochMs,
        deleted: z.boolean(),
      })
      .partial()
      .strict(),
    streamOf: (rowId: string, _fields: Record<string, unknown>) => incidentStream(rowId),
  },
  timeline_entry: {
    kind: 'append',
    fields: z
      .object({
        incidentId: z.string().min(1).max(100),
        kind: z.enum(timelineKinds),
        text: timelineText,
        eventAt: epochMs,
      })
      .strict(),
    streamOf: (_rowId: string, fields: Record<string, unknown>) => incidentStream(String(fields.incidentId)),
  },
} as const;

export type EntityName = keyof typeof entitySpecs;
export const entityNames = Object.keys(entitySpecs) as EntityName[];

export function isEntityName(name: unknown): name is EntityName {
  return typeof name === 'string' && Object.hasOwn(entitySpecs, name);
}

export type EntityFields<E extends EntityName> = z.output<(typeof entitySpecs)[E]['fields']>;
