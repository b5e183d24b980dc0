// The entities ops may write, how each merges (`set`: last writer wins per field; `append`:
// immutable record), the schema of its fields and the stream it belongs to. Every replica and the
// central service validate ops against this table, so an op naming an unknown entity or field is
// refused everywhere.
import { z } from 'zod';
import { maxDialIns, maxPhones } from './domain/directory';
import { incidentStatuses, incidentTitle, incidentType, severities } from './domain/incident';
import { incidentRoles } from './domain/incident-roles';
import { actionPriorities, actionStatuses, actionTypes, contributingFactorKeys, maxReviewChars, reviewStates, type ContributingFactor } from './domain/review';
import { channelConfig } from './domain/channels';
import { audiences, deliveryStates, maxUpdateBodyChars, maxUpdateTitleChars, updateStates } from './domain/comms';
import { commsStream } from './roles';
import { artifactStates, artifactTypes, custodyActions } from './domain/evidence';
import { maxParents, runStatuses, stepStates } from './domain/runbook';
import { maxRunbookChars, runbookIdPattern } from './domain/runbook-format';
import { taskStatuses } from './domain/tasks';
import { timelineKinds, timelineText } from './domain/timeline';

const epochMs = z.number({ error: 'must be a number' }).int().min(0).max(8_640_000_000_000_000);
const id = z.string().min(1).max(200);
const userName = z.string().min(1).max(100);
const shortText = z.string().max(2000);
const directoryPhone = z.object({ label: z.string().max(40), number: z.string().min(1).max(40) }).strict();

export const incidentStream = (incidentId: string) => `incident:${incidentId}`;
export const orgStream = 'org';
export const directoryStream = 'directory';
export const libraryStream = 'library';

/** The incident a stream belongs to, or null for the shared streams (org, directory, library). */
export function incidentOfStream(streamId: string): string | null {
  return streamId.startsWith('incident:') ? streamId.slice('incident:'.length) : null;
}

/** Entities written in an incident's stream carry the incident's id in every op. */
const inIncident = (_rowId: string, fields: Record<string, unknown>) => incidentStream(String(fields.incidentId));

/**
 * Mutable rows of an incident have ids `incidentId/…`: the id fixes the incident (and so the
 * stream) for good, and an op whose incidentId field names another incident belongs to no stream,
 * so it is refused everywhere instead of moving the row into another incident.
 */
export const incidentRowId = (incidentId: string, key: string) => `${incidentId}/${key}`;
/** What `streamOf` answers for an op that belongs to no stream: such an op is refused. */
export const noStream = '';
const inIncidentRow = (rowId: string, fields: Record<string, unknown>) => {
  const owner = rowId.slice(0, Math.max(0, rowId.indexOf('/')));
  if (!owner || (fields.incidentId !== undefined && fields.incidentId !== owner)) return noStream;
  return incidentStream(owner);
};

/** What tasks and action items share, in this order: the incident, what is to be done, by whom and by when. */
const assignedWork = {
  incidentId: id,
  title: z.string().min(1).max(500),
  ownerId: userName.nullable(),
  dueAt: epochMs.nullable(),
};

export const entitySpecs = {
  incident: {
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
        corrects: id.optional(),
        source: z.string().min(1).max(200).optional(),
      })
      .strict(),
    streamOf: inIncident,
  },
  /** Pinned state of a timeline entry (row id: incidentId/entryId). */
  timeline_pin: {
    kind: 'set',
    fields: z.object({ incidentId: id, isPinned: z.boolean() }).partial().strict(),
    streamOf: inIncidentRow,
  },
  /** A role seat in an incident: its holder and any pending handoff. */
  incident_role: {
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
    streamOf: inIncidentRow,
  },
  freeze: {
    kind: 'set',
    fields: z
      .object({
        incidentId: id,
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
    streamOf: inIncidentRow,
  },
  task: {
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
    streamOf: inIncidentRow,
  },
  /** Organisation settings (row id: the setting's name), e.g. `severity:SEV1`, what SEV1 means here. */
  org_setting: {
    kind: 'set',
    fields: z.object({ value: z.string().max(2000) }).strict(),
    streamOf: () => orgStream,
  },
  // The people directory. Ops check shape only; what a person may type (a time zone this runtime
  // knows, a dialable number) is checked by the request schemas, so a replica whose time-zone
  // database is older never refuses what a newer one wrote.
  person: {
    kind: 'set',
    fields: z
      .object({
        name: z.string().min(1).max(200),
        handle: userName.nullable(),
        email: z.string().max(320),
        phones: z.array(directoryPhone).max(maxPhones),
        teamId: id.nullable(),
        timeZone: z.string().max(100),
        title: z.string().max(200),
        notes: z.string().max(5000),
        deleted: z.boolean(),
      })
      .partial()
      .strict(),
    streamOf: () => directoryStream,
  },
  team: {
    kind: 'set',
    fields: z
      .object({
        name: z.string().min(1).max(200),
        description: shortText,
        escalationPhone: z.string().max(40),
        pager: z.string().max(200),
        deleted: z.boolean(),
      })
      .partial()
      .strict(),
    streamOf: () => directoryStream,
  },
  /** A conference bridge the war room dials into when chat is down. */
  bridge: {
    kind: 'set',
    fields: z
      .object({
        name: z.string().min(1).max(200),
        dialIn: z.array(directoryPhone).max(maxDialIns),
        meetingUrl: z.string().max(2000),
        pin: z.string().max(40),
        notes: z.string().max(5000),
        deleted: z.boolean(),
      })
      .partial()
      .strict(),
    streamOf: () => directoryStream,
  },
  /** One saved version of a runbook (row id: the version id); never changed once written. */
  runbook_version: {
    kind: 'append',
    fields: z
      .object({
        runbookId: z.string().regex(runbookIdPattern),
        parents: z.array(id).max(maxParents),
        source: z.string().min(1).max(maxRunbookChars),
        note: z.string().max(500),
      })
      .strict(),
    streamOf: () => libraryStream,
  },
  /** A runbook's own state (row id: the runbook id): archived runbooks leave the list and suggestions. */
  runbook: {
    kind: 'set',
    fields: z.object({ isArchived: z.boolean() }).partial().strict(),
    streamOf: () => libraryStream,
  },
  /** A runbook followed in an incident (row id: incidentId/runId), pinned to one version. */
  runbook_run: {
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
    streamOf: inIncidentRow,
  },
  /** One step of an execution (row id: incidentId/runId/step): each step merges on its own. */
  runbook_step: {
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
    streamOf: inIncidentRow,
  },
  /** A forensic checklist template (row id: its id), in the library. */
  checklist_template: {
    kind: 'set',
    fields: z
      .object({
        name: z.string().max(200),
        incidentTypes: z.array(z.string().min(1).max(60)).max(20),
        items: z
          .array(
            z
              .object({
                key: z.string().min(1).max(80),
                artifactType: z.enum(artifactTypes),
                asset: z.string().max(200),
                what: z.string().max(500),
                how: z.string().max(2000),
                isRequired: z.boolean(),
                volatility: z.number().int().min(1).max(9),
              })
              .strict(),
          )
          .max(200),
        deleted: z.boolean(),
        updatedBy: userName,
      })
      .partial()
      .strict(),
    streamOf: () => libraryStream,
  },
  /** A forensic artifact of an incident (row id: incidentId/artifactId) and its collection record. */
  artifact: {
    kind: 'set',
    fields: z
      .object({
        incidentId: id,
        templateId: id.nullable(),
        itemKey: z.string().max(80).nullable(),
        artifactType: z.enum(artifactTypes),
        asset: z.string().max(200),
        what: z.string().max(500),
        how: z.string().max(2000),
        isRequired: z.boolean(),
        volatility: z.number().int().min(1).max(9),
        state: z.enum(artifactStates),
        reason: shortText,
        approvedBy: userName.nullable(),
        collector: z.object({ name: z.string().max(200), role: z.string().max(100), contact: z.string().max(200) }).strict().nullable(),
        hostIds: z.array(z.string().max(200)).max(20),
        acquisitionStart: epochMs.nullable(),
        acquisitionEnd: epochMs.nullable(),
        collectorTimeZone: z.string().max(100),
        tool: z.string().max(200),
        command: shortText,
        storageLocation: z.string().max(500),
        fileName: z.string().max(500),
        size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
        md5: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
        sha1: z.string().regex(/^[0-9a-f]{40}$/).nullable(),
        hashSource: z.enum(['holdfast', 'tool']).nullable(),
        hashWarning: z.string().max(500),
        createdAt: epochMs,
        createdBy: userName,
      })
      .partial()
      .strict(),
    streamOf: inIncidentRow,
  },
  /** One event of an artifact's chain of custody; never changed, corrected by a later event. */
  custody_event: {
    kind: 'append',
    fields: z
      .object({
        eventId: id,
        incidentId: id,
        artifactId: id,
        action: z.enum(custodyActions),
        from: z.string().max(500),
        to: z.string().max(500),
        purpose: z.string().max(1000),
        note: shortText,
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
        result: z.enum(['match', 'mismatch']).nullable(),
        corrects: id.nullable(),
        at: epochMs,
        prevHash: z.string().regex(/^[0-9a-f]{64}$/),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
    // The artifact's id names its incident: a custody event for another incident's artifact belongs
    // to no stream and is refused everywhere.
    streamOf: (_rowId: string, fields: Record<string, unknown>) =>
      String(fields.artifactId).startsWith(`${String(fields.incidentId)}/`) ? incidentStream(String(fields.incidentId)) : noStream,
  },
  /** A stakeholder-update template (row id: its id), in the library; the same id replaces a built-in. */
  update_template: {
    kind: 'set',
    fields: z
      .object({
        audience: z.enum(audiences),
        name: z.string().max(200),
        title: z.string().max(maxUpdateTitleChars),
        body: z.string().max(maxUpdateBodyChars),
        deleted: z.boolean(),
        updatedBy: userName,
      })
      .partial()
      .strict(),
    streamOf: () => libraryStream,
  },
  /** A delivery channel (row id: its id) with its secrets, in the comms stream only publishers read. */
  comms_channel: {
    kind: 'set',
    fields: z
      .object({
        name: z.string().min(1).max(200),
        config: channelConfig,
        audiences: z.array(z.enum(audiences)).max(audiences.length),
        isEnabled: z.boolean(),
        deleted: z.boolean(),
        updatedBy: userName,
      })
      .partial()
      .strict(),
    streamOf: () => commsStream,
  },
  /** A stakeholder update being written, approved and published (row id: incidentId/updateId). */
  comms_update: {
    kind: 'set',
    fields: z
      .object({
        incidentId: id,
        audience: z.enum(audiences),
        templateId: id.nullable(),
        title: z.string().max(maxUpdateTitleChars),
        body: z.string().max(maxUpdateBodyChars),
        values: z.record(z.string().max(100), z.string().max(5000)),
        nextUpdateAt: epochMs.nullable(),
        channelIds: z.array(id).max(50),
        approver: userName.nullable(),
        author: userName,
        createdAt: epochMs,
        state: z.enum(updateStates),
        requestedAt: epochMs.nullable(),
        approvedDigest: z.string().max(100).nullable(),
        decidedBy: userName.nullable(),
        decidedAt: epochMs.nullable(),
        decisionComment: shortText,
        publishedAt: epochMs.nullable(),
      })
      .partial()
      .strict(),
    streamOf: inIncidentRow,
  },
  /** A published update as it went out; never changed. One record per update (incidentId/updateId). */
  comms_published: {
    kind: 'append',
    fields: z
      .object({
        incidentId: id,
        updateId: id,
        audience: z.enum(audiences),
        title: z.string().max(maxUpdateTitleChars * 4),
        body: z.string().max(maxUpdateBodyChars * 4),
        nextUpdateAt: epochMs.nullable(),
        channels: z.array(z.object({ id, name: z.string().max(200), kind: z.string().max(40) }).strict()).max(50),
        approvedBy: userName.nullable(),
        lintAcknowledged: z.array(z.string().max(40)).max(20),
        publishedAt: epochMs,
      })
      .strict(),
    streamOf: inIncident,
  },
  /** Delivery of one published update to one channel (row id: incidentId/updateId/channelId). */
  comms_delivery: {
    kind: 'set',
    fields: z
      .object({
        incidentId: id,
        updateId: id,
        channelId: id,
        channelName: z.string().max(200),
        kind: z.string().max(40),
        state: z.enum(deliveryStates),
        attempts: z.number().int().min(0).max(1_000_000),
        lastError: shortText,
        nextAttemptAt: epochMs.nullable(),
        deliveredAt: epochMs.nullable(),
        detail: shortText,
        remoteId: z.string().max(200).nullable(),
        by: z.string().max(200),
      })
      .partial()
      .strict(),
    streamOf: inIncidentRow,
  },
  /** The post-incident review of an incident (row id: incidentId/review). */
  review: {
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
        dueAt: epochMs.nullable(),
        generatedAt: epochMs,
        updatedBy: userName,
        publishedAt: epochMs.nullable(),
      })
      .partial()
      .strict(),
    streamOf: inIncidentRow,
  },
  /** An action item from an incident (row id: incidentId/itemId), tracked across incidents. */
  action_item: {
    kind: 'set',
    fields: z
      .object({
        ...assignedWork,
        priority: z.enum(actionPriorities),
        type: z.enum(actionTypes),
        status: z.enum(actionStatuses),
        note: z.string().max(5000),
        createdAt: epochMs,
        createdBy: userName,
      })
      .partial()
      .strict(),
    streamOf: inIncidentRow,
  },
  /** An incident purged under the retention setting (row id: the op id); never changed. */
  purge_record: {
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
    streamOf: () => orgStream,
  },
  /** A service of the catalog (row id: its id), in the library: what it is worth and what it needs. */
  service: {
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
    streamOf: () => libraryStream,
  },
} as const;

export type EntityName = keyof typeof entitySpecs;
export const entityNames = Object.keys(entitySpecs) as EntityName[];

export function isEntityName(name: unknown): name is EntityName {
  return typeof name === 'string' && Object.hasOwn(entitySpecs, name);
}

export type EntityFields<E extends EntityName> = z.output<(typeof entitySpecs)[E]['fields']>;
