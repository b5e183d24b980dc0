// The streams ops are synced in, and where each entity's ops go: one stream per incident, plus the
// shared `org`, `directory`, `library`, `comms` and `trust` streams. A stream's scope is what the
// authority table is written against.

export const incidentStream = (incidentId: string) => `incident:${incidentId}`;
export const orgStream = 'org';
export const directoryStream = 'directory';
export const libraryStream = 'library';
/**
 * The stream of delivery channels: their addresses, passwords and API keys. Only the people who
 * publish updates (admins, commanders, comms leads) may read it: the service never sends it to
 * responders or viewers, and a war-room hub never serves it.
 */
export const commsStream = 'comms';
/** Certificates, revocations and org keys: readable by every replica, written by the service (and hubs, for guests). */
export const trustStream = 'trust';

/** The incident a stream belongs to, or null for the shared streams (org, directory, library). */
export function incidentOfStream(streamId: string): string | null {
  return streamId.startsWith('incident:') ? streamId.slice('incident:'.length) : null;
}

/** The kinds of stream an entity can live in: every incident stream is one scope. */
export const scopes = ['org', 'directory', 'comms', 'library', 'incident', 'trust'] as const;
export type Scope = (typeof scopes)[number];

/** The scope of a stream id, or null for a stream no entity lives in. */
export function scopeOfStream(streamId: string): Scope | null {
  if (streamId.startsWith('incident:')) return 'incident';
  return (scopes as readonly string[]).includes(streamId) ? (streamId as Scope) : null;
}

/**
 * Mutable rows of an incident have ids `incidentId/…`: the id fixes the incident (and so the
 * stream) for good, and an op whose incidentId field names another incident belongs to no stream,
 * so it is refused everywhere instead of moving the row into another incident.
 */
export const incidentRowId = (incidentId: string, key: string) => `${incidentId}/${key}`;
/** What `streamOf` answers for an op that belongs to no stream: such an op is refused. */
export const noStream = '';

export type StreamOf = (rowId: string, fields: Record<string, unknown>) => string;

/** Where an entity's ops go: the scope, and the exact stream of one op. */
export interface Placement {
  scope: Scope;
  of: StreamOf;
}

const shared = (scope: Exclude<Scope, 'incident'>, streamId: string): Placement => ({ scope, of: () => streamId });

export const placements = {
  org: shared('org', orgStream),
  directory: shared('directory', directoryStream),
  library: shared('library', libraryStream),
  comms: shared('comms', commsStream),
  trust: shared('trust', trustStream),
  /** The row is the incident itself. */
  incident: { scope: 'incident', of: (rowId) => incidentStream(rowId) },
  /** An append record carrying the incident's id in its fields. */
  inIncident: { scope: 'incident', of: (_rowId, fields) => incidentStream(String(fields.incidentId)) },
  /** A mutable row keyed `incidentId/…` (see incidentRowId). */
  inIncidentRow: {
    scope: 'incident',
    of: (rowId, fields) => {
      const owner = rowId.slice(0, Math.max(0, rowId.indexOf('/')));
      if (!owner || (fields.incidentId !== undefined && fields.incidentId !== owner)) return noStream;
      return incidentStream(owner);
    },
  },
} satisfies Record<string, Placement>;
