// Entities of forensic evidence in an incident: artifacts with their collection record, and the
// chain of custody of each.
import { z } from 'zod';
import { artifactStates, artifactTypes, custodyActions } from '../domain/evidence';
import { epochMs, everyResponder, id, sha256Hex, shortText, userName } from './common';
import { declareEntity } from './declare';
import { incidentStream, noStream, placements } from './streams';

/** What a checklist item asks for, as templates list it and artifacts carry it. */
export const checklistItem = {
  artifactType: z.enum(artifactTypes),
  /** Host or asset it is taken from. */
  asset: z.string().max(200),
  what: z.string().max(500),
  how: z.string().max(2000),
  isRequired: z.boolean(),
  /** Order of volatility, 1 = most volatile. */
  volatility: z.number().int().min(1).max(9),
};

/** A forensic artifact of an incident (row id: incidentId/artifactId) and its collection record. */
export const artifact = declareEntity({
  kind: 'set',
  fields: z
    .object({
      incidentId: id,
      /** The template and item it came from, if any. */
      templateId: id.nullable(),
      itemKey: z.string().max(80).nullable(),
      ...checklistItem,
      state: z.enum(artifactStates),
      /** Why it was waived or failed, and who approved a waiver. */
      reason: shortText,
      approvedBy: userName.nullable(),
      collector: z
        .object({ name: z.string().max(200), role: z.string().max(100), contact: z.string().max(200) })
        .strict()
        .nullable(),
      /** Hostname, IP, serial, instance id… as the collector recorded them. */
      hostIds: z.array(z.string().max(200)).max(20),
      acquisitionStart: epochMs.nullable(),
      acquisitionEnd: epochMs.nullable(),
      /** The collector's IANA time zone, so local acquisition times can be shown as they saw them. */
      collectorTimeZone: z.string().max(100),
      tool: z.string().max(200),
      command: shortText,
      storageLocation: z.string().max(500),
      fileName: z.string().max(500),
      size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
      sha256: sha256Hex.nullable(),
      md5: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .nullable(),
      sha1: z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .nullable(),
      /** Whether Holdfast computed the hash from the file, or a tool declared it. */
      hashSource: z.enum(['holdfast', 'tool']).nullable(),
      /** Set when the hash was computed over a zero-byte file or the size disagreed with the declared one. */
      hashWarning: z.string().max(500),
      createdAt: epochMs,
      createdBy: userName,
    })
    .partial()
    .strict(),
  stream: placements.inIncidentRow,
  table: 'artifacts',
  authority: everyResponder,
});

/** One event of an artifact's chain of custody; never changed, corrected by a later event. */
export const custody_event = declareEntity({
  kind: 'append',
  fields: z
    .object({
      eventId: id,
      incidentId: id,
      artifactId: id,
      action: z.enum(custodyActions),
      /** Who had it before and after (for transfers), and why. */
      from: z.string().max(500),
      to: z.string().max(500),
      purpose: z.string().max(1000),
      note: shortText,
      /** The hash this event saw or recorded, if any, and for verification whether it matched. */
      sha256: sha256Hex.nullable(),
      result: z.enum(['match', 'mismatch']).nullable(),
      /** The event this one corrects. */
      corrects: id.nullable(),
      /** When it happened (UTC ms), as its author says. */
      at: epochMs,
      /** Hash of the artifact's previous event as its writer knew it (genesis for the first). */
      prevHash: sha256Hex,
      /** sha256(prevHash ‖ canonical record): the chain an auditor checks. */
      hash: sha256Hex,
    })
    .strict(),
  // The artifact's id names its incident: a custody event for another incident's artifact belongs
  // to no stream and is refused everywhere.
  stream: {
    scope: 'incident',
    of: (_rowId, fields) => (String(fields.artifactId).startsWith(`${String(fields.incidentId)}/`) ? incidentStream(String(fields.incidentId)) : noStream),
  },
  table: 'custody_events',
  columns: { from: 'from_party', to: 'to_party' },
  authority: everyResponder,
});
