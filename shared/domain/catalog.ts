// The service catalog: each service's tier, owner team (from the people directory), recovery
// objectives, what it depends on, and the runbooks and evidence checklists kept for it. Kept in the
// library stream, so every replica can answer "what else breaks, and whom do I call" offline.
// Also the graph questions asked of it: the blast radius of a service (everything that depends on
// it, directly or through others) and the dependency cycles a catalog must not have.
import { z } from 'zod';
import type { Person, Team } from './directory';
import { runbookIdPattern, runbookSlug } from './runbook-format';

export const serviceTiers = [1, 2, 3, 4] as const;
export type ServiceTier = (typeof serviceTiers)[number];

/** What each tier means: how much it matters when the service is down. */
export const tierInfo: Record<ServiceTier, { label: string; short: string; meaning: string }> = {
  1: {
    label: 'Tier 1 · critical',
    short: 'T1',
    meaning: 'Critical and customer-facing: when it is down customers cannot buy, pay or log in. Paged at any hour; recovered in minutes.',
  },
  2: {
    label: 'Tier 2 · important',
    short: 'T2',
    meaning: 'Customer-facing but degradable, or an internal system Tier 1 services lean on: an outage hurts customers within hours.',
  },
  3: {
    label: 'Tier 3 · internal',
    short: 'T3',
    meaning: 'Internal tools and business systems: people work around an outage for a day; fixed in working hours with priority.',
  },
  4: {
    label: 'Tier 4 · best effort',
    short: 'T4',
    meaning: 'Best effort: test environments, batch reports, experiments. Nobody is paged; fixed when there is time.',
  },
};

export const isTier = (value: unknown): value is ServiceTier => typeof value === 'number' && (serviceTiers as readonly number[]).includes(value);

/** A service of the catalog as stored. */
export interface Service {
  /** Lower-case letters, digits and dashes: what incidents, runbooks and other services name it by. */
  id: string;
  name: string;
  description: string;
  tier: ServiceTier;
  /** A team of the people directory; null when the service has no owner yet. */
  ownerTeamId: string | null;
  /** Recovery time objective: how long it may be down, in minutes; null when not set. */
  rtoMin: number | null;
  /** Recovery point objective: how much data (as minutes of writes) may be lost; null when not set. */
  rpoMin: number | null;
  /** Ids of the services it needs to work. */
  dependsOn: string[];
  runbookIds: string[];
  /** Ids of evidence checklists (library). */
  checklistIds: string[];
  updatedAt: number;
  updatedBy: string;
}

/** Who owns a service, as the directory on this replica knows them: whom to call. */
export interface ServiceOwners {
  teamId: string | null;
  /** Null when the service has no owner, or its team is not (or no longer) in the directory. */
  team: Team | null;
  /** The team's people, by name, with their phones and e-mail. */
  people: Person[];
}

export interface ServiceView extends Service {
  owners: ServiceOwners;
}

/** Another service named by id: a dependency, or a dependency that is not in the catalog. */
export interface ServiceRef {
  id: string;
  name: string;
  /** Null when the id names no service in this replica's catalog. */
  tier: ServiceTier | null;
  isKnown: boolean;
}

/** A service in the blast radius of another: it depends on it, directly (depth 1) or through others. */
export interface BlastEntry {
  id: string;
  name: string;
  tier: ServiceTier;
  /** 1 = depends on the service itself; 2 = depends on something at depth 1; … */
  depth: number;
  /** The services one step closer (at depth - 1, or the service itself) it depends on. */
  via: string[];
}

/** A runbook or checklist a service names, with its title when this replica has it. */
export interface LinkedEntry {
  id: string;
  title: string;
  isKnown: boolean;
}

/** One service with everything the library and the war room show about it. */
export interface ServiceDetail {
  service: ServiceView;
  dependencies: ServiceRef[];
  blastRadius: BlastEntry[];
  /** Dependency cycles this service is part of (as id paths, the first id repeated at the end). */
  cycles: string[][];
  runbooks: LinkedEntry[];
  checklists: LinkedEntry[];
}

/** One service named by an incident, matched in the catalog. */
export interface ServiceImpact {
  /** The name as the incident gives it. */
  name: string;
  service: ServiceView;
  dependencies: ServiceRef[];
  blastRadius: BlastEntry[];
}

/** What the catalog knows about an incident's services; `unmatched` are names it has no service for. */
export interface IncidentCatalog {
  incidentId: string;
  services: ServiceImpact[];
  unmatched: string[];
}

// ---- the graph ---------------------------------------------------------------------------------

interface GraphNode {
  id: string;
  dependsOn: readonly string[];
}

const byId = <T extends GraphNode>(services: readonly T[]) => new Map(services.map((s) => [s.id, s]));

/** For each service, the services that depend on it directly (reverse edges), each list sorted. */
function dependentsOf(services: readonly GraphNode[]): Map<string, string[]> {
  const reverse = new Map<string, string[]>();
  for (const service of services) {
    for (const dependency of new Set(service.dependsOn)) {
      if (dependency === service.id) continue;
      reverse.set(dependency, [...(reverse.get(dependency) ?? []), service.id]);
    }
  }
  for (const list of reverse.values()) list.sort();
  return reverse;
}

/**
 * Everything that stops working, or may, when `id` fails: the services that depend on it directly
 * (depth 1) or through others, each once at its shortest distance, nearest first. Cycles end the
 * walk (a service already reached is not walked again); the service itself is never in its own
 * blast radius, even when a cycle leads back to it.
 */
export function blastRadius<T extends GraphNode & { name: string; tier: ServiceTier }>(services: readonly T[], id: string): BlastEntry[] {
  const known = byId(services);
  const reverse = dependentsOf(services);
  const depthOf = new Map<string, number>([[id, 0]]);
  const entries: BlastEntry[] = [];
  let frontier = [id];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    const viaOf = new Map<string, string[]>();
    for (const from of frontier) {
      for (const dependent of reverse.get(from) ?? []) {
        if (depthOf.has(dependent) && depthOf.get(dependent) !== depth) continue;
        if (!depthOf.has(dependent)) {
          depthOf.set(dependent, depth);
          next.push(dependent);
        }
        viaOf.set(dependent, [...(viaOf.get(dependent) ?? []), from]);
      }
    }
    for (const dependent of next) {
      const service = known.get(dependent);
      if (!service) continue;
      entries.push({ id: dependent, name: service.name || dependent, tier: service.tier, depth, via: [...new Set(viaOf.get(dependent))].sort() });
    }
    frontier = next;
  }
  return entries.sort((a, b) => a.depth - b.depth || a.tier - b.tier || a.name.localeCompare(b.name) || compareIds(a.id, b.id));
}

/** Code-point order: the same on every machine whatever its locale. */
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Most cycles reported, and most steps spent looking: a catalog with more has bigger problems. */
const maxCycles = 100;
const maxSteps = 200_000;

/**
 * Every dependency cycle among `services` (up to a hundred), each as the path of ids around it with
 * the first repeated at the end (`a → b → a`), starting from its smallest id; a service that depends
 * on itself is `[a, a]`. Only known services are walked: a dependency on an unknown id is no cycle.
 */
export function dependencyCycles(services: readonly GraphNode[]): string[][] {
  const known = byId(services);
  const ids = [...known.keys()].sort(compareIds);
  const cycles: string[][] = [];
  let steps = 0;
  for (const start of ids) {
    // Cycles through `start` using only ids after it: each cycle is found once, from its smallest id.
    const path = [start];
    const onPath = new Set([start]);
    const walk = (at: string): void => {
      for (const next of [...new Set(known.get(at)?.dependsOn ?? [])].sort(compareIds)) {
        if (cycles.length >= maxCycles || ++steps > maxSteps) return;
        if (next === start) cycles.push([...path, start]);
        else if (known.has(next) && !onPath.has(next) && compareIds(next, start) > 0) {
          path.push(next);
          onPath.add(next);
          walk(next);
          path.pop();
          onPath.delete(next);
        }
      }
    };
    walk(start);
  }
  // The walk above gives up after its budget; a cycle in the part it did not reach is still found:
  // every strongly connected group of services with a cycle in it gets one, its shortest.
  for (const group of cyclicGroups(known)) {
    if (cycles.some((cycle) => cycle.some((id) => group.has(id)))) continue;
    cycles.push(shortestCycle(known, group));
  }
  return cycles;
}

/** The groups of services that reach each other (Tarjan's algorithm, without recursion), keeping those with a cycle. */
function cyclicGroups(known: Map<string, GraphNode>): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: Set<string>[] = [];
  const next = (id: string) => [...new Set(known.get(id)?.dependsOn ?? [])].filter((d) => known.has(d)).sort(compareIds);
  for (const root of [...known.keys()].sort(compareIds)) {
    if (index.has(root)) continue;
    const frames: { id: string; edges: string[]; at: number }[] = [];
    const open = (id: string) => {
      index.set(id, index.size);
      low.set(id, index.get(id)!);
      stack.push(id);
      onStack.add(id);
      frames.push({ id, edges: next(id), at: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++];
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      frames.pop();
      if (frames.length > 0) low.set(frames[frames.length - 1].id, Math.min(low.get(frames[frames.length - 1].id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const group = new Set<string>();
      for (let id = stack.pop()!; ; id = stack.pop()!) {
        onStack.delete(id);
        group.add(id);
        if (id === frame.id) break;
      }
      if (group.size > 1 || next(frame.id).includes(frame.id)) groups.push(group);
    }
  }
  return groups;
}

/** The shortest cycle through the smallest id of a cyclic group, as `a → … → a`. */
function shortestCycle(known: Map<string, GraphNode>, group: Set<string>): string[] {
  const start = [...group].sort(compareIds)[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const at = queue[i];
    for (const to of [...new Set(known.get(at)?.dependsOn ?? [])].sort(compareIds)) {
      if (to === start) {
        const path = [at];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0])!);
        return [...path, start];
      }
      if (group.has(to) && !cameFrom.has(to)) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** Dependencies that name no service of the catalog, per service, in catalog order. */
export function unknownDependencies(services: readonly GraphNode[]): { serviceId: string; dependencyId: string }[] {
  const known = byId(services);
  return services.flatMap((service) => [...new Set(service.dependsOn)].filter((d) => !known.has(d)).map((dependencyId) => ({ serviceId: service.id, dependencyId })));
}

/** A cycle for people: "a → b → c → a". */
export const describeCycle = (cycle: readonly string[]) => cycle.join(' → ');

/** Folded for matching: case, edge spaces and runs of spaces do not count. */
export const fold = (value: string) => value.trim().toLowerCase().replace(/\s+/g, ' ');

/** The service an incident's service name stands for: its id or its name, in any case. */
export function matchService<T extends { id: string; name: string }>(services: readonly T[], name: string): T | undefined {
  const wanted = fold(name);
  return services.find((s) => s.id === wanted || fold(s.id) === wanted) ?? services.find((s) => fold(s.name) === wanted);
}

const refOf = (known: Map<string, { name: string; tier: ServiceTier }>, id: string): ServiceRef => {
  const service = known.get(id);
  return service ? { id, name: service.name || id, tier: service.tier, isKnown: true } : { id, name: id, tier: null, isKnown: false };
};

/** A service's own dependencies, as references (unknown ones marked). */
export function dependencyRefs(services: readonly (GraphNode & { name: string; tier: ServiceTier })[], service: GraphNode): ServiceRef[] {
  const known = byId(services);
  return [...new Set(service.dependsOn)].map((id) => refOf(known, id));
}

/** What the catalog says about each named service (an incident's, or those being declared). */
export function impactOf(services: readonly ServiceView[], names: readonly string[]): { services: ServiceImpact[]; unmatched: string[] } {
  const impacts: ServiceImpact[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (name.trim() === '') continue;
    const service = matchService(services, name);
    if (!service) {
      unmatched.push(name);
      continue;
    }
    if (seen.has(service.id)) continue;
    seen.add(service.id);
    impacts.push({ name, service, dependencies: dependencyRefs(services, service), blastRadius: blastRadius(services, service.id) });
  }
  return { services: impacts, unmatched };
}

// ---- words and numbers -------------------------------------------------------------------------

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

// ---- requests ----------------------------------------------------------------------------------

export const serviceIdProblem = 'must be lower-case letters, digits and dashes, like checkout-api';
export const serviceId = z.string({ error: 'must be a service id' }).regex(runbookIdPattern, { error: serviceIdProblem });

/** A service id people would have meant by `text` (its slug), or null. */
export const suggestedServiceId = (text: string) => runbookSlug(text) || null;

const refList = (what: string, max: number) =>
  z
    .array(
      z
        .string({ error: `must be ${what} ids` })
        .trim()
        .min(1, { error: `must not contain empty ${what} ids` })
        .max(200),
      { error: `must be a list of ${what} ids` },
    )
    .max(max, {
      error: `at most ${max} ${what}s`,
    });

const objective = z
  .number({ error: 'must be a whole number of minutes, or null' })
  .int({ error: 'must be a whole number of minutes' })
  .min(0, { error: 'must not be negative' })
  .max(maxObjectiveMinutes, { error: `must be at most ${maxObjectiveMinutes} minutes (a year)` })
  .nullable();

/** The fields a service is saved with; each may be left out to keep what is stored. */
export const serviceFields = {
  name: z.string({ error: 'must be text' }).trim().min(1, { error: 'give the service a name' }).max(100, { error: 'must be at most 100 characters' }),
  description: z.string({ error: 'must be text' }).trim().max(2000, { error: 'must be at most 2000 characters' }),
  tier: z.number({ error: 'must be a tier: 1, 2, 3 or 4' }).refine(isTier, { error: 'must be a tier: 1 (critical), 2 (important), 3 (internal) or 4 (best effort)' }),
  ownerTeamId: z.string({ error: 'must be a team id of the directory, or null' }).min(1).max(200).nullable(),
  rtoMin: objective,
  rpoMin: objective,
  dependsOn: z.array(serviceId, { error: 'must be a list of service ids' }).max(200, { error: 'at most 200 dependencies' }),
  runbookIds: refList('runbook', 100),
  checklistIds: refList('checklist', 100),
};

/**
 * Saves a service. With an `id` the catalog has, only the fields given change; with a new id (or
 * none: one is made from the name) a service is created, and its name is then required.
 */
export const saveServiceRequest = z
  .object({ id: serviceId, ...serviceFields })
  .partial()
  .strict()
  .refine((request) => request.id !== undefined || request.name !== undefined, { error: 'give the service a name', path: ['name'] });
export type SaveServiceRequest = z.input<typeof saveServiceRequest>;

export const serviceIdRequest = z.object({ id: z.string({ error: 'must be a service id' }).min(1, { error: 'name the service' }).max(200) }).strict();
export const incidentServicesRequest = z.object({ incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100) }).strict();

export const catalogFormats = ['yaml', 'csv'] as const;
export type CatalogFormat = (typeof catalogFormats)[number];
/** Large enough for thousands of services, small enough for one transport message. */
export const maxCatalogChars = 2_000_000;

export const importCatalogRequest = z
  .object({
    format: z.enum(catalogFormats, { error: 'must be yaml or csv' }),
    text: z
      .string({ error: 'must be the text of the file' })
      .min(1, { error: 'the file is empty: it needs one entry per service' })
      .max(maxCatalogChars, { error: `the file is larger than ${maxCatalogChars / 1_000_000} MB; split it and import the parts` }),
    /** Checks the file and says what importing it would do, changing nothing. */
    dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

export const exportCatalogRequest = z.object({ format: z.enum(catalogFormats, { error: 'must be yaml or csv' }).default('yaml') }).strict();

/** Something wrong in an imported file, at the line (1-based) where its service or field starts. */
export interface CatalogProblem {
  line: number;
  /** The service it is about, when the entry has an id. */
  serviceId: string | null;
  message: string;
}

export interface CatalogImportReport {
  /** False when the file has errors (nothing was changed) or this was a dry run. */
  isImported: boolean;
  isDryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  services: { id: string; line: number; outcome: 'created' | 'updated' | 'unchanged' }[];
  /** Any error refuses the whole file. */
  errors: CatalogProblem[];
  /** Imported anyway: runbooks and checklists this replica does not have (yet). */
  warnings: CatalogProblem[];
}

export interface CatalogExport {
  format: CatalogFormat;
  fileName: string;
  text: string;
  count: number;
}

/** "line 4: …", one a line, the first 50; for a command line or a message. */
export function describeCatalogProblems(problems: readonly CatalogProblem[]): string[] {
  const shown = problems.slice(0, 50).map((p) => `line ${p.line}: ${p.message}`);
  if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more`);
  return shown;
}
