// Planning a catalog import against what the replica holds: owner teams matched in the directory,
// dependencies and cycles checked across the file and the catalog together, names kept unique, and
// the ops that would make the catalog match the file. Pure: the caller commits the plan, all of it
// or (on any error) none of it.
import type { Json } from '@shared/canonical';
import { canonicalJson } from '@shared/canonical';
import { dependencyCycles, describeCycle, didYouMean, fold, type CatalogImportReport, type CatalogProblem, type Service } from '@shared/domain/catalog';
import type { Team } from '@shared/domain/directory';
import type { OpDraft } from '@shared/ops';
import { checkEntries, type CatalogEntry } from './catalog-entries';
import { catalogProblem, type CatalogReading } from './catalog-file';

export interface ImportContext {
  /** The catalog now (services not removed). */
  services: Service[];
  teams: Team[];
  runbookIds: string[];
  checklistIds: string[];
  actor: string;
}

export type CatalogPlan = { drafts: OpDraft[]; report: Omit<CatalogImportReport, 'isImported' | 'isDryRun'> };

/** A service as the catalog would hold it after the import: what the checks across services read. */
interface Planned {
  id: string;
  name: string;
  dependsOn: string[];
}

/**
 * What importing the file would do, and every problem that stops it or that it is imported with.
 * A field the file leaves out (no key in YAML, no column in CSV) is kept as it is on a service the
 * catalog has, and takes its default on a new one; a blank value clears it. Services the file does
 * not name are left alone.
 */
export function planCatalogImport(reading: CatalogReading, context: ImportContext): CatalogPlan {
  const checked = checkEntries(reading);
  const errors = [...checked.problems];
  const current = new Map(context.services.map((s) => [s.id, s]));
  const entries = onePerService(checked.entries, errors);
  // Every id the catalog would have, and what each would depend on.
  const fileIds = new Set(entries.map((e) => e.id));
  const allIds = [...new Set([...current.keys(), ...fileIds])];
  const plannedOf = (id: string): Planned => {
    const entry = entries.find((e) => e.id === id);
    const stored = current.get(id);
    return {
      id,
      name: entry?.name ?? stored?.name ?? id,
      dependsOn: entry?.dependsOn ?? stored?.dependsOn ?? [],
    };
  };
  const planned = allIds.map(plannedOf);

  const teamIdOf = matchOwnerTeams(entries, context.teams, errors);
  checkDependencies(entries, allIds, planned, errors);
  checkCycles(entries, fileIds, planned, errors);
  checkNames(entries, current, fileIds, plannedOf, errors);
  const warnings = missingFromLibrary(entries, context);

  const report: CatalogPlan['report'] = {
    created: 0,
    updated: 0,
    unchanged: 0,
    services: [],
    errors: errors.sort((a, b) => a.line - b.line),
    warnings: warnings.sort((a, b) => a.line - b.line),
  };
  if (errors.length > 0) return { drafts: [], report };
  return { drafts: serviceDrafts(entries, current, teamIdOf, context.actor, report), report };
}

/** The entries, the second and later entry of a service refused. */
function onePerService(checked: CatalogEntry[], errors: CatalogProblem[]): CatalogEntry[] {
  const lineOfId = new Map<string, number>();
  const entries: CatalogEntry[] = [];
  for (const entry of checked) {
    const earlier = lineOfId.get(entry.id);
    if (earlier !== undefined) {
      errors.push(catalogProblem(entry.line, `the service "${entry.id}" is also at line ${earlier}: keep one entry per service`, entry.id));
      continue;
    }
    lineOfId.set(entry.id, entry.line);
    entries.push(entry);
  }
  return entries;
}

/** Owner teams, matched by id or by name in the directory (null: the file clears the owner). */
function matchOwnerTeams(entries: CatalogEntry[], teams: Team[], errors: CatalogProblem[]): Map<CatalogEntry, string | null> {
  const teamIdOf = new Map<CatalogEntry, string | null>();
  for (const entry of entries) {
    if (entry.ownerTeam === undefined) continue;
    if (entry.ownerTeam === null) {
      teamIdOf.set(entry, null);
      continue;
    }
    const written = entry.ownerTeam;
    const byId = teams.find((t) => t.id === written);
    const byName = teams.filter((t) => fold(t.name) === fold(written));
    const at = entry.lines.owner_team ?? entry.line;
    if (byId) teamIdOf.set(entry, byId.id);
    else if (byName.length === 1) teamIdOf.set(entry, byName[0].id);
    else if (byName.length > 1)
      errors.push(
        catalogProblem(at, `owner_team: ${byName.length} teams are named "${written}": give the team's id instead (${byName.map((t) => t.id).join(', ')})`, entry.id),
      );
    else {
      const hint = didYouMean(
        written,
        teams.map((t) => t.name),
      );
      const names = teams.map((t) => t.name);
      const help =
        names.length === 0
          ? 'the directory has no teams yet: import the people directory first'
          : hint
            ? `did you mean "${hint}"?`
            : `its teams are ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`;
      errors.push(catalogProblem(at, `owner_team: no team "${written}" in the directory; ${help}`, entry.id));
    }
  }
  return teamIdOf;
}

/** Dependencies: on services of the file or of the catalog, never on itself. */
function checkDependencies(entries: CatalogEntry[], allIds: string[], planned: Planned[], errors: CatalogProblem[]): void {
  const known = new Set(allIds);
  for (const entry of entries) {
    for (const dependency of entry.dependsOn ?? []) {
      const at = entry.lines.depends_on ?? entry.line;
      if (dependency === entry.id) {
        errors.push(catalogProblem(at, `depends_on: "${entry.id}" depends on itself`, entry.id));
      } else if (!known.has(dependency)) {
        const byName = planned.find((s) => fold(s.name) === fold(dependency));
        const hint = byName?.id ?? didYouMean(dependency, allIds);
        errors.push(
          catalogProblem(
            at,
            `depends_on: unknown service "${dependency}": it is neither in this file nor in the catalog${hint ? `; did you mean "${hint}"?` : ''}`,
            entry.id,
          ),
        );
      }
    }
  }
}

/** Cycles the file would make (or keep, through services it names). */
function checkCycles(entries: CatalogEntry[], fileIds: Set<string>, planned: Planned[], errors: CatalogProblem[]): void {
  for (const cycle of dependencyCycles(planned.map((s) => ({ id: s.id, dependsOn: s.dependsOn.filter((d) => d !== s.id) })))) {
    const inFile = cycle
      .slice(0, -1)
      .filter((id) => fileIds.has(id))
      .map((id) => entries.find((e) => e.id === id) as CatalogEntry)
      .sort((a, b) => a.line - b.line);
    if (inFile.length === 0) continue;
    // Said where the file sets the dependencies that close it, when it does.
    const first = inFile.find((e) => e.dependsOn !== undefined) ?? inFile[0];
    errors.push(
      catalogProblem(
        first.lines.depends_on ?? first.line,
        `depends_on: dependency cycle ${describeCycle(cycle)}: a service cannot depend on itself through others; remove one of these dependencies`,
        first.id,
      ),
    );
  }
}

/** Names: incidents name services by id or by name, so two services may not share one. */
function checkNames(entries: CatalogEntry[], current: Map<string, Service>, fileIds: Set<string>, plannedOf: (id: string) => Planned, errors: CatalogProblem[]): void {
  const lineOfName = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    const name = fold(plannedOf(entry.id).name);
    const earlier = lineOfName.get(name);
    const at = entry.lines.name ?? entry.line;
    if (earlier) {
      errors.push(
        catalogProblem(at, `name "${plannedOf(entry.id).name}" is also the name of "${earlier.id}" (line ${earlier.line}): each service needs its own name`, entry.id),
      );
      continue;
    }
    lineOfName.set(name, entry);
    const other = [...current.values()].find((s) => s.id !== entry.id && !fileIds.has(s.id) && fold(s.name) === name);
    if (other)
      errors.push(catalogProblem(at, `name "${plannedOf(entry.id).name}" is the name of the catalog's service "${other.id}": each service needs its own name`, entry.id));
  }
}

/** Runbooks and checklists this replica does not have: imported anyway (they may sync here later). */
function missingFromLibrary(entries: CatalogEntry[], context: ImportContext): CatalogProblem[] {
  const warnings: CatalogProblem[] = [];
  for (const entry of entries) {
    for (const [ids, column, what, all] of [
      [entry.runbookIds, 'runbooks', 'runbook', context.runbookIds],
      [entry.checklistIds, 'checklists', 'checklist', context.checklistIds],
    ] as const) {
      for (const id of ids ?? []) {
        if (all.includes(id)) continue;
        const hint = didYouMean(id, all);
        warnings.push(
          catalogProblem(
            entry.lines[column] ?? entry.line,
            `${column}: no ${what} "${id}" in this replica's library${hint ? `; did you mean "${hint}"?` : ' (yet)'}`,
            entry.id,
          ),
        );
      }
    }
  }
  return warnings;
}

const serviceDefaults = { description: '', tier: 3, ownerTeamId: null, rtoMin: null, rpoMin: null, dependsOn: [], runbookIds: [], checklistIds: [] };

/** One op per service the file creates or changes, counted in the report as it goes. */
function serviceDrafts(
  entries: CatalogEntry[],
  current: Map<string, Service>,
  teamIdOf: Map<CatalogEntry, string | null>,
  actor: string,
  report: CatalogPlan['report'],
): OpDraft[] {
  const drafts: OpDraft[] = [];
  for (const entry of entries) {
    const wanted: Record<string, Json | undefined> = {
      name: entry.name,
      description: entry.description,
      tier: entry.tier,
      ownerTeamId: teamIdOf.has(entry) ? teamIdOf.get(entry) : undefined,
      rtoMin: entry.rtoMin,
      rpoMin: entry.rpoMin,
      dependsOn: entry.dependsOn,
      runbookIds: entry.runbookIds,
      checklistIds: entry.checklistIds,
    };
    const stored = current.get(entry.id);
    if (!stored) {
      const fields: Record<string, Json> = { name: entry.id, ...serviceDefaults };
      for (const [field, value] of Object.entries(wanted)) if (value !== undefined) fields[field] = value;
      drafts.push({ entity: 'service', rowId: entry.id, fields: { ...fields, deleted: false, updatedBy: actor } });
      report.services.push({ id: entry.id, line: entry.line, outcome: 'created' });
      report.created += 1;
      continue;
    }
    const changes = changedFields(stored, wanted);
    if (Object.keys(changes).length === 0) {
      report.services.push({ id: entry.id, line: entry.line, outcome: 'unchanged' });
      report.unchanged += 1;
    } else {
      drafts.push({ entity: 'service', rowId: entry.id, fields: { ...changes, updatedBy: actor } });
      report.services.push({ id: entry.id, line: entry.line, outcome: 'updated' });
      report.updated += 1;
    }
  }
  return drafts;
}

/** The fields of `wanted` whose values differ from `current` (lists compared by value). */
function changedFields(current: object, wanted: Record<string, Json | undefined>): Record<string, Json> {
  const changes: Record<string, Json> = {};
  for (const [field, value] of Object.entries(wanted)) {
    const before: unknown = Reflect.get(current, field);
    if (value !== undefined && canonicalJson(value) !== canonicalJson(before ?? null)) changes[field] = value;
  }
  return changes;
}
