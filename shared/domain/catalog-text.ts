// The catalog's words and numbers: recovery objectives as people write and read them, tiers as
// written in a file, and the id or name someone probably meant.
import type { ServiceTier } from './catalog-service';

/** Minutes as people say them: "0 min", "15 min", "1 h 30 min", "4 h", "2 d"; "not set" for null. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return 'not set';
  if (minutes === 0) return '0 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days && `${days} d`, hours && `${hours} h`, rest && `${rest} min`].filter(Boolean).join(' ');
}

export const maxObjectiveMinutes = 525_600;

/**
 * A recovery objective as written in a file or a form: a whole number of minutes ("15"), or with
 * units ("15m", "4h", "1d", "1h 30m"). '' is none (null). A string explains what is wrong.
 */
export function parseMinutes(value: unknown): { minutes: number | null } | { problem: string } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return { minutes: null };
  let minutes: number;
  if (typeof value === 'number') {
    minutes = value;
  } else if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    const units = /^(?:(\d+)\s*d(?:ays?)?)?\s*(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?$/.exec(text);
    if (/^\d+$/.test(text)) minutes = Number(text);
    else if (units && (units[1] ?? units[2] ?? units[3]) !== undefined) minutes = Number(units[1] ?? 0) * 1440 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
    else return { problem: `"${value}" is not a duration: give whole minutes (15), or a number with a unit (30m, 4h, 1d)` };
  } else {
    return { problem: 'must be a number of minutes' };
  }
  if (!Number.isInteger(minutes) || minutes < 0) return { problem: `${String(value)} is not a whole, non-negative number of minutes` };
  if (minutes > maxObjectiveMinutes) return { problem: `${String(value)} is more than a year (${maxObjectiveMinutes} minutes)` };
  return { minutes };
}

/** A tier as written in a file: 1, "1", "T1", "tier 1". A string explains what is wrong. */
export function parseTier(value: unknown): { tier: ServiceTier } | { problem: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(?:tier\s*|t)?([1-4])$/i.exec(text);
  if (match) return { tier: Number(match[1]) as ServiceTier };
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return { problem: `${shown} is not a tier: use 1 (critical, customer-facing), 2 (important), 3 (internal) or 4 (best effort)` };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The candidate `value` was probably meant to be, or null: the same once case, spaces, dashes and
 * underscores are ignored, one containing the other, or a few typos away.
 */
export function didYouMean(value: string, candidates: readonly string[]): string | null {
  const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');
  const wanted = squash(value);
  if (wanted === '') return null;
  let best: { candidate: string; score: number } | null = null;
  for (const candidate of candidates) {
    const have = squash(candidate);
    if (have === '') continue;
    const score = have === wanted ? 0 : have.includes(wanted) || wanted.includes(have) ? 1 : editDistance(have, wanted) + 1;
    const allowed = Math.max(2, Math.floor(Math.max(wanted.length, have.length) / 3)) + 1;
    if (score <= allowed && (best === null || score < best.score)) best = { candidate, score };
  }
  return best?.candidate ?? null;
}
