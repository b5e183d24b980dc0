// Entities of the library stream (runbook versions and state, forensic checklist templates, the
// service catalog) and the runbook executions inside incidents.
import { z } from 'zod';
import { maxParents, runStatuses, stepStates } from '../domain/runbook';
import { maxRunbookChars, runbookIdPattern } from '../domain/runbook-file';
import { epochMs, everyResponder, id, libraryWriters, shortText, userName } from './common';
import { declareEntity } from './declare';
import { checklistItem } from './evidence';
import { placements } from './streams';

/** One saved version of a runbook (row id: the version id); never changed once written. */
export const runbook_version = declareEntity({
  kind: 'append',
  fields: z
    .object({
      runbookId: z.string().regex(runbookIdPattern),
      parents: z.array(id).max(maxParents),
      source: z.string().min(1).max(maxRunbookChars),
      note: z.string().max(500),
    })
    .strict(),
  stream: placements.library,
  table: 'runbook_versions',
  authority: libraryWriters,
});

/** A runbook's own state (row id: the runbook id): archived runbooks leave the list and suggestions. */
export const runbook = declareEntity({
  kind: 'set',
  fields: z.object({ isArchived: z.boolean() }).partial().strict(),
  stream: placements.library,
  table: 'runbooks',
  authority: libraryWriters,
});

/** A runbook followed in an incident (row id: incidentId/runId), pinned to one version. */
export const runbook_run = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      runbookId: z.string().regex(runbookIdPattern),
      versionId: id,
      title: z.string().max(500),
      startedAt: epochMs,
      startedBy: userName,
      assignees: z.array(userName).max(20),
      status: z.enum(runStatuses),
      stopReason: shortText,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'runbook_runs',
  authority: everyResponder,
});

/** One step of an execution (row id: incidentId/runId/step): each step merges on its own. */
export const runbook_step = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      runId: id,
      step: z.number().int().min(1).max(10_000),
      state: z.enum(stepStates),
      note: z.string().max(5000),
      branch: z.string().max(200).nullable(),
      by: userName,
      at: epochMs,
      override: shortText,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'runbook_steps',
  authority: everyResponder,
});

/** A forensic checklist template (row id: its id), in the library. */
export const checklist_template = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().max(200),
      /** Incident types it is meant for; empty = any. */
      incidentTypes: z.array(z.string().min(1).max(60)).max(20),
      items: z
        .array(
          z
            .object({
              key: z.string().min(1).max(80),
              ...checklistItem,
            })
            .strict(),
        )
        .max(200),
      deleted: z.boolean(),
      updatedBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.library,
  table: 'checklist_templates',
  authority: libraryWriters,
});

/** A service of the catalog (row id: its id), in the library: what it is worth and what it needs. */
export const service = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(100),
      description: z.string().max(2000),
      tier: z.number().int().min(1).max(4),
      ownerTeamId: id.nullable(),
      /** Recovery time and point objectives, in minutes; null when not set. */
      rtoMin: z.number().int().min(0).max(525_600).nullable(),
      rpoMin: z.number().int().min(0).max(525_600).nullable(),
      dependsOn: z.array(id).max(200),
      runbookIds: z.array(id).max(100),
      checklistIds: z.array(id).max(100),
      deleted: z.boolean(),
      updatedBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.library,
  table: 'services',
  authority: libraryWriters,
});
