// How values read in every evidence export: UTC and collector-zone times, safe file names, hash
// sources, and each artifact's custody events with the result of checking their chain.
import { createHash } from 'node:crypto';
import { custodyChainProblem, type Artifact, type CustodyEvent } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import { isTimeZone, zonedStamp } from '@shared/time';
import { nativeSha256Hex } from '../core/native-hash';
import type { EvidenceRecord } from './evidence-export';

/** ISO 8601 in UTC (`…Z`), or '' when there is no time. */
export const isoUtc = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/** `2026-01-15 14:30:00 UTC`, with milliseconds only when there are some. */
export function displayUtc(ms: number | null): string {
  if (ms === null) return 'not recorded';
  return new Date(ms).toISOString().replace('T', ' ').replace('.000Z', 'Z').replace('Z', ' UTC');
}

/**
 * The same instant as the collector's wall clock showed it: `2026-01-15 09:30:00 GMT-5
 * (America/New_York)`. An unknown zone is said, not guessed.
 */
export function displayZoned(ms: number | null, timeZone: string): string {
  if (ms === null) return 'not recorded';
  if (!timeZone) return 'time zone not recorded';
  if (!isTimeZone(timeZone)) return `unavailable: "${timeZone}" is not a known IANA time zone`;
  return `${zonedStamp(ms, timeZone)} (${timeZone})`;
}

/** An id as a file-name part: anything but letters, digits, `_` and `-` becomes `_` (so no dots, no slashes). */
export function safeName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return safe || '_';
}

export const hashSourceLabel = (source: Artifact['hashSource']): string =>
  source === 'holdfast' ? 'computed by Holdfast from the file' : source === 'tool' ? 'declared by the collection tool' : 'not recorded';

export const sha256OfBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function custodyOf(r: EvidenceRecord, artifactId: string): CustodyEvent[] {
  return r.custody.filter((event) => event.artifactId === artifactId);
}

/** The custody chain check as every export reports it. */
export function chainResult(events: readonly CustodyEvent[]): { isIntact: boolean; problem: string | null; events: number } {
  const problem = custodyChainProblem(events, nativeSha256Hex);
  return { isIntact: problem === null, problem, events: events.length };
}

/** What every export and report says of the incident first, in this order. */
export const incidentIdentity = (incident: Incident) => ({
  id: incident.id,
  title: incident.title,
  severity: incident.severity,
  status: incident.status,
  type: incident.type,
  services: incident.services,
  isDrill: incident.isDrill,
});
