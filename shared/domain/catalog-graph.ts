// The graph questions asked of the catalog: the blast radius of a service, the dependency cycles a
// catalog must not have, unknown dependencies, and which service an incident's service name means.
import { fold } from './common';
import type { BlastEntry, ServiceImpact, ServiceRef, ServiceTier, ServiceView } from './catalog-service';

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
