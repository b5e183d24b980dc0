// Entities of stakeholder comms: update templates (library), delivery channels (comms stream), and
// each incident's updates, what was published and how each delivery stands.
import { z } from 'zod';
import { channelConfig } from '../domain/channels';
import { audiences, deliveryStates, maxUpdateBodyChars, maxUpdateTitleChars, updateStates } from '../domain/comms';
import { peopleIn, type Refusal } from './authority';
import { epochMs, id, publishers, shortText, userName } from './common';
import { declareEntity } from './declare';
import { placements } from './streams';

/** Stakeholder updates of an incident are drafted and published by comms leads and commanders. */
const updateRefusal: Refusal = ({ role }) => `${peopleIn(role)} may not write stakeholder updates; ask the comms lead`;

/** A stakeholder-update template (row id: its id), in the library; the same id replaces a built-in. */
export const update_template = declareEntity({
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
  stream: placements.library,
  table: 'update_templates',
  nullUntilSet: ['updatedBy'],
  // Comms leads write the library's update templates; responders only read them.
  authority: { ...publishers, refusal: () => 'responders may read update templates but not change them; ask a comms lead' },
});

/**
 * A delivery channel (row id: its id), in the comms stream only publishers read. Its config is the
 * redacted form (redactConfig): the secrets stay on the laptops that set them, under `secretId`.
 */
export const comms_channel = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(200),
      config: channelConfig,
      /** Names the secret that goes with this config; laptops holding it say so in comms_channel_holder. */
      secretId: z.string().min(1).max(100).nullable(),
      audiences: z.array(z.enum(audiences)).max(audiences.length),
      isEnabled: z.boolean(),
      deleted: z.boolean(),
      updatedBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.comms,
  table: 'comms_channels',
  // Null only for a row whose config op has not arrived (it cannot deliver).
  nullUntilSet: ['config', 'updatedBy'],
  authority: publishers,
});

/**
 * Whether one laptop holds a channel's secret (row id: channelId/deviceId): written by that laptop
 * only (the judge checks deviceId is the writer's device), with the channel's secretId it holds.
 */
export const comms_channel_holder = declareEntity({
  kind: 'set',
  fields: z
    .object({
      channelId: id,
      deviceId: z.string().min(1).max(100),
      held: z.boolean(),
      secretId: z.string().min(1).max(100),
    })
    .partial()
    .strict(),
  stream: placements.comms,
  table: 'comms_channel_holders',
  authority: publishers,
});

/** What an approver writes on an update: a decision. */
const decision = { required: ['state'], values: { state: ['approved', 'rejected'] } } as const;

/** A stakeholder update being written, approved and published (row id: incidentId/updateId). */
export const comms_update = declareEntity({
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
      /** Digest of the text that was approved, if it was. */
      approvedDigest: z.string().max(100).nullable(),
      decidedBy: userName.nullable(),
      decidedAt: epochMs.nullable(),
      decisionComment: shortText,
      publishedAt: epochMs.nullable(),
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'comms_updates',
  authority: {
    grants: {
      commander: 'any',
      comms: 'any',
      // A named approver may be any responder; whether this person is the update's approver is
      // checked by each replica's domain rules.
      responder: [{ ...decision, fields: ['incidentId', 'state', 'approvedDigest', 'decidedBy', 'decidedAt', 'decisionComment'] }],
    },
    refusal: updateRefusal,
    // A decision on a stakeholder update is signed by whoever writes it, whatever their role.
    signature: {
      when: decision,
      field: 'decidedBy',
      refusal: (signer, actorId) => `a decision on an update must be written by the person who decides (decidedBy ${signer}, written by ${actorId})`,
    },
  },
});

/** A published update as it went out; never changed. One record per update (incidentId/updateId). */
export const comms_published = declareEntity({
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
  stream: placements.inIncident,
  table: 'comms_published',
  authority: { ...publishers, refusal: updateRefusal },
});

/** Delivery of one published update to one channel (row id: incidentId/updateId/channelId). */
export const comms_delivery = declareEntity({
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
  stream: placements.inIncidentRow,
  table: 'comms_deliveries',
  authority: { ...publishers, refusal: updateRefusal },
});
