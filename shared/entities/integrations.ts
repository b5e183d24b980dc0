// Entities of integrations: targets (comms stream, their secrets kept on laptops as channel secrets
// are), each send to a target (paging a team, a chat mirror post, an action item filed) with its
// delivery state, and an incident's opt-in chat mirror. Who may write sends: shared/trust/integration-rules.
import { z } from 'zod';
import { sendStates, targetConfig, targetKinds, targetPurposes } from '../domain/integrations';
import { timelineKinds } from '../domain/timeline';
import { integrationAuthority } from '../trust/integration-rules';
import { epochMs, id, publishers, shortText, userName } from './common';
import { declareEntity } from './declare';
import { placements } from './streams';

/** An integration target (row id: its id). `config` is the redacted form (redactTarget). */
export const integration_target = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(200),
      config: targetConfig,
      /** Names the secret that goes with this config; laptops holding it say so in comms_channel_holder. */
      secretId: z.string().min(1).max(100),
      isEnabled: z.boolean(),
      deleted: z.boolean(),
      updatedBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.comms,
  table: 'integration_targets',
  nullUntilSet: ['config', 'updatedBy', 'secretId'],
  authority: publishers,
});

/**
 * One send to one target (row id: incidentId/sendId/targetId, the delivery claim key): what to send,
 * written by whoever asks, and how it stands, written by the replica sending it.
 */
export const integration_send = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      sendId: id,
      targetId: id,
      targetName: z.string().max(200),
      kind: z.enum(targetKinds),
      purpose: z.enum(targetPurposes),
      title: z.string().max(500),
      text: z.string().max(8000),
      link: z.string().max(2000),
      dedupKey: z.string().max(300).nullable(),
      teamId: id.nullable(),
      sourceId: id.nullable(),
      requestedBy: userName,
      requestedAt: epochMs,
      state: z.enum(sendStates),
      attempts: z.number().int().min(0).max(1_000_000),
      lastError: shortText,
      nextAttemptAt: epochMs.nullable(),
      deliveredAt: epochMs.nullable(),
      detail: shortText,
      remoteId: z.string().max(200).nullable(),
      remoteUrl: z.string().max(2000).nullable(),
      /** Digest of the content last sent (trackers: a sync that changes nothing sends nothing). */
      sentDigest: z.string().max(100).nullable(),
      by: z.string().max(200),
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'integration_sends',
  nullUntilSet: ['dedupKey', 'teamId', 'sourceId', 'nextAttemptAt', 'deliveredAt', 'remoteId', 'remoteUrl', 'sentDigest'],
  authority: integrationAuthority,
});

/** An incident's chat mirror to one target (row id: incidentId/targetId): opted in per incident. */
export const incident_mirror = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      targetId: id,
      kinds: z.array(z.enum(timelineKinds)).max(timelineKinds.length),
      internalUpdates: z.boolean(),
      isEnabled: z.boolean(),
      since: epochMs,
      updatedBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'incident_mirrors',
  authority: integrationAuthority,
});
