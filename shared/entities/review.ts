// Entities of after the incident: the post-incident review, action items, and the record of
// incidents purged under the retention setting.
import { z } from 'zod';
import { actionPriorities, actionStatuses, actionTypes, contributingFactorKeys, maxReviewChars, reviewStates, type ContributingFactor } from '../domain/review';
import { assignedWork, commandersOnly, epochMs, everyResponder, id, shortText, userName } from './common';
import { declareEntity } from './declare';
import { placements } from './streams';

/** The post-incident review of an incident (row id: incidentId/review). */
export const review = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      /** What people wrote; shown once isEdited, else the generated draft. */
      body: z.string().max(maxReviewChars),
      generatedBody: z.string().max(maxReviewChars),
      isEdited: z.boolean(),
      factors: z.array(z.enum(contributingFactorKeys as [ContributingFactor, ...ContributingFactor[]])).max(contributingFactorKeys.length),
      state: z.enum(reviewStates),
      /** Null until the incident is resolved. */
      dueAt: epochMs.nullable(),
      generatedAt: epochMs,
      updatedBy: userName,
      publishedAt: epochMs.nullable(),
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'reviews',
  authority: everyResponder,
});

/** An action item from an incident (row id: incidentId/itemId), tracked across incidents. */
export const action_item = declareEntity({
  kind: 'set',
  fields: z
    .object({
      ...assignedWork,
      priority: z.enum(actionPriorities),
      type: z.enum(actionTypes),
      status: z.enum(actionStatuses),
      note: z.string().max(5000),
      /** Where the item was filed in a tracker (an integration send), once it was. */
      trackerUrl: z.string().max(2000),
      createdAt: epochMs,
      createdBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'action_items',
  authority: everyResponder,
});

/** An incident purged under the retention setting (row id: the op id); never changed. */
export const purge_record = declareEntity({
  kind: 'append',
  fields: z
    .object({
      incidentId: z.string().min(1).max(100),
      title: z.string().max(500),
      severity: z.string().max(10),
      closedAt: epochMs,
      reason: shortText,
      purgedAt: epochMs,
    })
    .strict(),
  stream: placements.org,
  table: 'purge_records',
  authority: commandersOnly,
});
