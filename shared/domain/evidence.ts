// Forensic evidence: checklist templates in the library (what to collect per incident type, most
// volatile first), the artifacts of an incident with their collection record and hashes, and each
// artifact's append-only, hash-chained chain of custody. Nothing in custody is ever edited or
// deleted: a correction is a new event that points at the one it corrects.
import { z } from 'zod';
import type { EntityRecord, StoredFields } from '../entities/rows';
import { isTimeZone } from '../time';
import { utcMs } from './common';

export const artifactTypes = ['memory', 'process', 'network', 'disk', 'log', 'heap-dump', 'config', 'database', 'cloud', 'archive', 'other'] as const;
export type ArtifactType = (typeof artifactTypes)[number];

/**
 * Order of volatility (RFC 3227): what disappears first is collected first. Lower is more volatile.
 * The default for each type; a template item may say otherwise.
 */
export const volatilityOf: Record<ArtifactType, number> = {
  memory: 1,
  process: 2,
  network: 2,
  'heap-dump': 3,
  config: 4,
  disk: 5,
  database: 5,
  log: 6,
  cloud: 7,
  archive: 8,
  other: 9,
};

export const artifactStates = ['planned', 'collecting', 'collected', 'verified', 'waived', 'failed'] as const;
export type ArtifactState = (typeof artifactStates)[number];
/** States in which an artifact no longer holds up a recovery action. */
export const settledArtifactStates: readonly ArtifactState[] = ['collected', 'verified', 'waived'];

export const custodyActions = ['collected', 'hashed', 'verified', 'accessed', 'copied', 'transferred', 'stored', 'exported', 'disposed', 'correction'] as const;
export type CustodyAction = (typeof custodyActions)[number];

export interface TemplateItem {
  /** Stable within the template: `memory-db-primary`. */
  key: string;
  artifactType: ArtifactType;
  /** Host or asset it is taken from. */
  asset: string;
  /** What to collect. */
  what: string;
  /** How to collect it (tool, command). */
  how: string;
  isRequired: boolean;
  /** Order of volatility, 1 = most volatile. */
  volatility: number;
}

export interface ChecklistTemplate {
  id: string;
  name: string;
  /** Incident types it is meant for; empty = any. */
  incidentTypes: string[];
  items: TemplateItem[];
  updatedAt: number;
  updatedBy: string;
}

export interface Collector {
  name: string;
  role: string;
  contact: string;
}

/** An artifact and its collection record, as its entity declares it (shared/entities/evidence.ts). */
export type Artifact = EntityRecord<'artifact'>;

/** One event of an artifact's chain of custody (shared/entities/evidence.ts), named by its event id, with who recorded it. */
export type CustodyEvent = { id: string } & Omit<StoredFields<'custody_event'>, 'eventId'> & { actorId: string };

/** A hashing job running in the engine (a file is read as a stream, never in the renderer). */
export interface HashJob {
  id: string;
  artifactId: string;
  path: string;
  purpose: 'collect' | 'verify';
  bytesDone: number;
  bytesTotal: number;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  error: string | null;
  /** The hashes, once done. */
  sha256: string | null;
  md5: string | null;
  sha1: string | null;
}

/** Whether `next` tells more than `known` about the same hashing job (progress events and reads may cross): an ended job never runs again. */
export function isFurtherHashJob(next: HashJob, known: HashJob | undefined): boolean {
  if (!known) return true;
  if (known.state !== 'running') return false;
  return next.state !== 'running' || next.bytesDone >= known.bytesDone;
}

/** What a recovery step must wait for: required artifacts neither collected nor waived. */
export interface EvidenceGate {
  incidentId: string;
  missing: Pick<Artifact, 'id' | 'artifactType' | 'asset' | 'what' | 'state'>[];
}

const sha256Hex = z.string({ error: 'must be a SHA-256 hash' }).regex(/^[0-9a-f]{64}$/i, { error: 'must be 64 hexadecimal characters (SHA-256)' });
const md5Hex = z.string({ error: 'must be an MD5 hash' }).regex(/^[0-9a-f]{32}$/i, { error: 'must be 32 hexadecimal characters (MD5)' });
const sha1Hex = z.string({ error: 'must be a SHA-1 hash' }).regex(/^[0-9a-f]{40}$/i, { error: 'must be 40 hexadecimal characters (SHA-1)' });
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` });
const requiredText = (max: number, what: string) => text(max).min(1, { error: what });
const idOf = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .min(1)
    .max(200, { error: 'must be at most 200 characters' });

export const templateItem = z
  .object({
    key: z.string({ error: 'must be a key' }).regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be lower-case letters, digits and dashes' }),
    artifactType: z.enum(artifactTypes, { error: `must be one of ${artifactTypes.join(', ')}` }),
    asset: text(200).default(''),
    what: requiredText(500, 'say what to collect'),
    how: text(2000).default(''),
    isRequired: z.boolean({ error: 'must be true or false' }).default(true),
    volatility: z.number({ error: 'must be a number' }).int().min(1).max(9).optional(),
  })
  .strict();

export const saveTemplateRequest = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be lower-case letters, digits and dashes' })
      .optional(),
    name: requiredText(200, 'name the checklist'),
    incidentTypes: z.array(requiredText(60, 'must not be empty')).max(20).default([]),
    items: z.array(templateItem).min(1, { error: 'add at least one item' }).max(200, { error: 'at most 200 items' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.items.forEach((item, index) => {
      if (seen.has(item.key)) ctx.addIssue({ code: 'custom', path: ['items', index, 'key'], message: `"${item.key}" is used by another item: keys must be unique` });
      seen.add(item.key);
    });
  });

export const templateIdRequest = z.object({ id: idOf('a checklist id') }).strict();
export const startChecklistRequest = z.object({ incidentId: idOf('an incident id'), templateId: idOf('a checklist id') }).strict();
export const listArtifactsRequest = z.object({ incidentId: idOf('an incident id') }).strict();
export const artifactIdRequest = z.object({ artifactId: idOf('an artifact id') }).strict();

export const addArtifactRequest = z
  .object({
    incidentId: idOf('an incident id'),
    artifactType: z.enum(artifactTypes, { error: `must be one of ${artifactTypes.join(', ')}` }),
    asset: text(200).default(''),
    what: requiredText(500, 'say what to collect'),
    how: text(2000).default(''),
    isRequired: z.boolean().default(true),
  })
  .strict();

/** The zone of the collector's clock, by its IANA name: acquisition times are read in it. */
export const collectorTimeZone = requiredText(100, "give the collector's time zone (IANA name, e.g. Europe/Berlin)").refine((zone) => zone === '' || isTimeZone(zone), {
  error: (issue) => `"${String(issue.input)}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`,
});

export const startCollectingRequest = z.object({ artifactId: idOf('an artifact id') }).strict();

export const recordCollectionRequest = z
  .object({
    artifactId: idOf('an artifact id'),
    collector: z.object({ name: requiredText(200, 'name who collected it'), role: text(100).default(''), contact: text(200).default('') }).strict(),
    hostIds: z.array(requiredText(200, 'must not be empty')).min(1, { error: 'give at least one host identifier (hostname, IP, serial…)' }).max(20),
    acquisitionStart: utcMs,
    acquisitionEnd: utcMs,
    collectorTimeZone,
    tool: requiredText(200, 'name the tool used'),
    command: text(2000).default(''),
    storageLocation: requiredText(500, 'say where the artifact is stored'),
    fileName: text(500).default(''),
    size: z.number({ error: 'must be a size in bytes' }).int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Declared by a tool; omitted when Holdfast hashed the file (hashJobId). */
    sha256: sha256Hex.optional(),
    md5: md5Hex.optional(),
    sha1: sha1Hex.optional(),
    /** A finished hashing job whose result this collection records. */
    hashJobId: idOf('a hashing job id').optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.acquisitionEnd < r.acquisitionStart) ctx.addIssue({ code: 'custom', path: ['acquisitionEnd'], message: 'must not be before acquisitionStart' });
    if ((r.sha256 === undefined) === (r.hashJobId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'give either the SHA-256 a tool computed, or hashJobId for a file Holdfast hashed' });
    }
  });

export const hashFileRequest = z
  .object({
    artifactId: idOf('an artifact id'),
    /** A file on the machine the engine runs on. */
    path: requiredText(4096, 'give the path of the file to hash'),
    purpose: z.enum(['collect', 'verify']).default('collect'),
    /** Also compute MD5 and SHA-1, for comparison with older tools. */
    withLegacy: z.boolean().default(false),
  })
  .strict();
export const hashJobRequest = z.object({ jobId: idOf('a hashing job id') }).strict();

export const waiveArtifactRequest = z
  .object({
    artifactId: idOf('an artifact id'),
    reason: requiredText(2000, 'say why it is waived'),
    approvedBy: requiredText(100, 'name who approved the waiver'),
  })
  .strict();

export const failArtifactRequest = z.object({ artifactId: idOf('an artifact id'), reason: requiredText(2000, 'say what went wrong') }).strict();

export const addCustodyRequest = z
  .object({
    artifactId: idOf('an artifact id'),
    action: z.enum(['accessed', 'copied', 'transferred', 'stored', 'exported', 'disposed', 'correction'], {
      error: 'must be one of accessed, copied, transferred, stored, exported, disposed, correction',
    }),
    from: text(200).default(''),
    to: text(200).default(''),
    purpose: text(1000).default(''),
    note: text(2000).default(''),
    at: utcMs.optional(),
    corrects: idOf('a custody event id').optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.action === 'transferred' && (!r.from || !r.to || !r.purpose)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a transfer needs from, to and purpose' });
    }
    if (r.action === 'correction' && (!r.corrects || !r.note)) {
      ctx.addIssue({ code: 'custom', path: ['corrects'], message: 'a correction names the event it corrects (corrects) and says what was wrong (note)' });
    }
  });

/** Everything the evidence panel shows for one incident. */
export interface EvidenceView {
  artifacts: Artifact[];
  /** Every custody event of the incident, oldest first. */
  custody: CustodyEvent[];
  gate: EvidenceGate;
  /** The custody chains checked as they are read: null when intact, else the first problem. */
  chainProblem: string | null;
}

export const exportFormats = ['manifest-json', 'manifest-csv', 'timesketch-jsonl', 'timesketch-csv', 'custody-html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportEvidenceRequest = z
  .object({
    incidentId: idOf('an incident id'),
    format: z.enum(exportFormats, { error: `must be one of ${exportFormats.join(', ')}` }),
    /** For custody-html: the artifact whose custody form to print. */
    artifactId: idOf('an artifact id').optional(),
  })
  .strict()
  .refine((r) => r.format !== 'custody-html' || r.artifactId !== undefined, { error: 'custody-html needs artifactId', path: ['artifactId'] });

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// The custody chain: each artifact's events in the order they were written, each hashing the one
// before it. Pure functions over a hash function, so the engine, the bundle reader and the
// renderer check chains the same way.

export const custodyGenesis = '0'.repeat(64);

/** The record a custody event's hash covers: everything but its own hash, in canonical form. */
export function custodyRecord(event: Omit<CustodyEvent, 'hash'>): string {
  const fields: [string, unknown][] = [
    ['action', event.action],
    ['actorId', event.actorId],
    ['artifactId', event.artifactId],
    ['at', event.at],
    ['corrects', event.corrects],
    ['from', event.from],
    ['id', event.id],
    ['incidentId', event.incidentId],
    ['note', event.note],
    ['prevHash', event.prevHash],
    ['purpose', event.purpose],
    ['result', event.result],
    ['sha256', event.sha256],
    ['to', event.to],
  ];
  return JSON.stringify(Object.fromEntries(fields));
}

/**
 * Checks one incident's custody events: every event's hash matches its record, and every event
 * names as previous either the genesis hash (the artifact's first) or an earlier event of the same
 * artifact. Two people recording custody offline at once make a fork, which is allowed and shown;
 * a changed, removed or inserted record is not. Returns null when intact, else the first problem.
 */
export function custodyChainProblem(events: readonly CustodyEvent[], sha256Hex: (text: string) => string): string | null {
  const known = new Map<string, string>();
  for (const event of events) {
    const { hash, ...rest } = event;
    if (sha256Hex(custodyRecord(rest)) !== hash) {
      return `custody event ${event.id} (${event.action} of artifact ${event.artifactId}) does not match its hash: the record was altered after it was written`;
    }
    if (event.prevHash !== custodyGenesis) {
      const owner = known.get(event.prevHash);
      if (owner !== event.artifactId) {
        return `custody event ${event.id} (${event.action} of artifact ${event.artifactId}) follows a record that is not in its artifact's chain: an earlier record has not arrived yet by sync, or was removed or replaced`;
      }
    }
    known.set(hash, event.artifactId);
  }
  return null;
}
