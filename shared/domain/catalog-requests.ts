// The catalog's requests and results: the fields a service is saved with, import and export of the
// catalog as YAML or CSV, and the problems an imported file can have.
import { z } from 'zod';
import { runbookIdPattern, runbookSlug } from './runbook-file';
import { isTier } from './catalog-service';
import { maxObjectiveMinutes } from './catalog-text';

export const serviceIdProblem = 'must be lower-case letters, digits and dashes, like checkout-api';
export const serviceId = z.string({ error: 'must be a service id' }).regex(runbookIdPattern, { error: serviceIdProblem });

/** A service id people would have meant by `text` (its slug), or null. */
export const suggestedServiceId = (text: string) => runbookSlug(text) || null;

const refList = (what: string, max: number) =>
  z
    .array(
      z
        .string({ error: `must be ${what} ids` })
        .trim()
        .min(1, { error: `must not contain empty ${what} ids` })
        .max(200),
      { error: `must be a list of ${what} ids` },
    )
    .max(max, {
      error: `at most ${max} ${what}s`,
    });

const objective = z
  .number({ error: 'must be a whole number of minutes, or null' })
  .int({ error: 'must be a whole number of minutes' })
  .min(0, { error: 'must not be negative' })
  .max(maxObjectiveMinutes, { error: `must be at most ${maxObjectiveMinutes} minutes (a year)` })
  .nullable();

/** The fields a service is saved with; each may be left out to keep what is stored. */
export const serviceFields = {
  name: z.string({ error: 'must be text' }).trim().min(1, { error: 'give the service a name' }).max(100, { error: 'must be at most 100 characters' }),
  description: z.string({ error: 'must be text' }).trim().max(2000, { error: 'must be at most 2000 characters' }),
  tier: z.number({ error: 'must be a tier: 1, 2, 3 or 4' }).refine(isTier, { error: 'must be a tier: 1 (critical), 2 (important), 3 (internal) or 4 (best effort)' }),
  ownerTeamId: z.string({ error: 'must be a team id of the directory, or null' }).min(1).max(200).nullable(),
  rtoMin: objective,
  rpoMin: objective,
  dependsOn: z.array(serviceId, { error: 'must be a list of service ids' }).max(200, { error: 'at most 200 dependencies' }),
  runbookIds: refList('runbook', 100),
  checklistIds: refList('checklist', 100),
};

/**
 * Saves a service. With an `id` the catalog has, only the fields given change; with a new id (or
 * none: one is made from the name) a service is created, and its name is then required.
 */
export const saveServiceRequest = z
  .object({ id: serviceId, ...serviceFields })
  .partial()
  .strict()
  .refine((request) => request.id !== undefined || request.name !== undefined, { error: 'give the service a name', path: ['name'] });
export type SaveServiceRequest = z.input<typeof saveServiceRequest>;

export const serviceIdRequest = z.object({ id: z.string({ error: 'must be a service id' }).min(1, { error: 'name the service' }).max(200) }).strict();
export const incidentServicesRequest = z.object({ incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100) }).strict();

export const catalogFormats = ['yaml', 'csv'] as const;
export type CatalogFormat = (typeof catalogFormats)[number];
/** Large enough for thousands of services, small enough for one transport message. */
export const maxCatalogChars = 2_000_000;

export const importCatalogRequest = z
  .object({
    format: z.enum(catalogFormats, { error: 'must be yaml or csv' }),
    text: z
      .string({ error: 'must be the text of the file' })
      .min(1, { error: 'the file is empty: it needs one entry per service' })
      .max(maxCatalogChars, { error: `the file is larger than ${maxCatalogChars / 1_000_000} MB; split it and import the parts` }),
    /** Checks the file and says what importing it would do, changing nothing. */
    dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

export const exportCatalogRequest = z.object({ format: z.enum(catalogFormats, { error: 'must be yaml or csv' }).default('yaml') }).strict();

/** Something wrong in an imported file, at the line (1-based) where its service or field starts. */
export interface CatalogProblem {
  line: number;
  /** The service it is about, when the entry has an id. */
  serviceId: string | null;
  message: string;
}

export interface CatalogImportReport {
  /** False when the file has errors (nothing was changed) or this was a dry run. */
  isImported: boolean;
  isDryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  services: { id: string; line: number; outcome: 'created' | 'updated' | 'unchanged' }[];
  /** Any error refuses the whole file. */
  errors: CatalogProblem[];
  /** Imported anyway: runbooks and checklists this replica does not have (yet). */
  warnings: CatalogProblem[];
}

export interface CatalogExport {
  format: CatalogFormat;
  fileName: string;
  text: string;
  count: number;
}

/** "line 4: …", one a line, the first 50; for a command line or a message. */
export function describeCatalogProblems(problems: readonly CatalogProblem[]): string[] {
  const shown = problems.slice(0, 50).map((p) => `line ${p.line}: ${p.message}`);
  if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more`);
  return shown;
}
