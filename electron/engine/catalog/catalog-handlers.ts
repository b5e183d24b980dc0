// The service catalog's calls: list, read (with the blast radius, dependencies, owners and their
// contacts, runbooks and checklists), save and remove services, import and export the catalog as
// YAML or CSV, and what the catalog says about an incident's services. Everything is written to
// the library stream, which commanders and responders change and every replica keeps a copy of.
import type { Database } from 'better-sqlite3';
import type { Json } from '@shared/canonical';
import { canonicalJson } from '@shared/canonical';
import type { Handlers, ParsedRequest } from '@shared/contract';
import {
  blastRadius,
  dependencyCycles,
  dependencyRefs,
  describeCycle,
  didYouMean,
  fold,
  impactOf,
  suggestedServiceId,
  type CatalogExport,
  type CatalogImportReport,
  type IncidentCatalog,
  type Service,
  type ServiceDetail,
  type ServiceView,
} from '@shared/domain/catalog';
import { ApiError } from '@shared/errors';
import { readCatalog, writeCatalog } from './catalog-file';
import { planCatalogImport } from './catalog-import';
import { createCatalogStore, withOwners } from './catalog-store';
import type { DirectoryStore } from '../directory/directory-store';
import type { EvidenceStore } from '../evidence/evidence-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import type { RunbookStore } from '../runbooks/runbook-store';
import { changedFields } from '../directory/directory-csv';
import { mustGetIncident } from '../incidents/incident-handlers';

type CatalogHandlers = Pick<Handlers, 'catalog.list' | 'catalog.get' | 'catalog.save' | 'catalog.remove' | 'catalog.import' | 'catalog.export' | 'catalog.forIncident'>;

export interface CatalogDeps {
  db: Database;
  replica: Replica;
  directory: DirectoryStore;
  runbooks: RunbookStore;
  evidence: EvidenceStore;
  incidents: IncidentStore;
}

/** The dependencies and the catalog's own store, made once when the calls are registered. */
type CatalogContext = CatalogDeps & { catalog: ReturnType<typeof createCatalogStore> };

export function catalogHandlers(deps: CatalogDeps): CatalogHandlers {
  const context: CatalogContext = { ...deps, catalog: createCatalogStore(deps.db) };
  return {
    'catalog.list': () => views(context),
    'catalog.get': (request) => serviceDetail(context, request.id),
    'catalog.save': (request) => saveService(context, request),
    'catalog.remove': (request) => removeService(context, request),
    'catalog.import': (request) => importCatalog(context, request),
    'catalog.export': (request) => exportCatalog(context, request),
    'catalog.forIncident': (request) => incidentCatalog(context, request),
  };
}

function serviceDetail(context: CatalogContext, id: string): ServiceDetail {
  const { catalog, runbooks, evidence } = context;
  const services = catalog.list();
  const service = view(context, id);
  const checklists = evidence.templates();
  return {
    service,
    dependencies: dependencyRefs(services, service),
    blastRadius: blastRadius(services, id),
    cycles: dependencyCycles(services).filter((cycle) => cycle.includes(id)),
    runbooks: service.runbookIds.map((runbookId) => {
      const summary = runbooks.summary(runbookId);
      return { id: runbookId, title: summary?.title ?? runbookId, isKnown: summary !== undefined };
    }),
    checklists: service.checklistIds.map((checklistId) => {
      const template = checklists.find((t) => t.id === checklistId);
      return { id: checklistId, title: template?.name ?? checklistId, isKnown: template !== undefined };
    }),
  };
}

function saveService(context: CatalogContext, request: ParsedRequest<'catalog.save'>): ServiceView {
  const { catalog, directory, replica } = context;
  const { id: givenId, ...given } = request;
  const id = givenId ?? suggestedServiceId(given.name ?? '');
  if (!id) throw new ApiError('bad_request', 'Give the service an id (lower-case letters, digits and dashes): its name has no letters or digits to make one from.');
  const stored = catalog.get(id);
  // Without an id this is a new service: it never silently replaces one made from the same name.
  if (givenId === undefined && stored) {
    throw new ApiError('conflict', `A service with id "${id}" exists already: edit it, or give this one another name or id.`);
  }
  const name = given.name ?? stored?.name;
  if (name === undefined) throw new ApiError('bad_request', `Give the new service "${id}" a name.`);
  const others = catalog.list().filter((s) => s.id !== id);
  const namesake = others.find((s) => fold(s.name) === fold(name));
  if (namesake)
    throw new ApiError(
      'conflict',
      `The service "${namesake.id}" is already named "${namesake.name}": each service needs its own name, since incidents name services by it.`,
    );
  // Only a team chosen now is checked: a team removed from the directory meanwhile must not block other edits.
  if (given.ownerTeamId && given.ownerTeamId !== stored?.ownerTeamId && !directory.team(given.ownerTeamId)) {
    throw new ApiError('bad_request', `No team ${given.ownerTeamId} in the directory on this replica: pick one of its teams, or none.`);
  }
  if (given.dependsOn !== undefined) {
    given.dependsOn = unique(given.dependsOn);
    checkDependencies(id, name, given.dependsOn, stored, others);
  }
  if (given.runbookIds !== undefined) given.runbookIds = unique(given.runbookIds);
  if (given.checklistIds !== undefined) given.checklistIds = unique(given.checklistIds);

  const wanted = given as Record<string, Json | undefined>;
  if (!stored) {
    const defaults: Record<string, Json> = {
      name,
      description: '',
      tier: 3,
      ownerTeamId: null,
      rtoMin: null,
      rpoMin: null,
      dependsOn: [],
      runbookIds: [],
      checklistIds: [],
    };
    const fields = Object.fromEntries(Object.entries(defaults).map(([field, value]) => [field, wanted[field] ?? value]));
    replica.commitLocal([{ entity: 'service', rowId: id, fields: { ...fields, deleted: false, updatedBy: replica.actorId } }]);
    return view(context, id);
  }
  // Only what differs is written, so a save does not overrule someone's concurrent edit of another field.
  const changes = changedFields(stored, wanted);
  if (Object.keys(changes).length > 0) replica.commitLocal([{ entity: 'service', rowId: id, fields: { ...changes, updatedBy: replica.actorId } }]);
  return view(context, id);
}

/**
 * Refuses dependencies a save adds that name no service, the service itself, or close a cycle. Only
 * dependencies added now are checked: an edit must not be refused over a dependency that was
 * removed, or a cycle two replicas made, meanwhile.
 */
function checkDependencies(id: string, name: string, dependsOn: string[], stored: Service | undefined, others: Service[]): void {
  const isSameDependencies = stored !== undefined && canonicalJson([...dependsOn].sort()) === canonicalJson([...stored.dependsOn].sort());
  if (isSameDependencies) return;
  if (dependsOn.includes(id)) throw new ApiError('bad_request', `"${name}" cannot depend on itself.`);
  const added = dependsOn.filter((d) => !stored?.dependsOn.includes(d));
  const unknown = added.filter((d) => !others.some((s) => s.id === d));
  if (unknown.length > 0) {
    const ids = others.map((s) => s.id);
    const hints = unknown.map((d) => didYouMean(d, ids)).filter((h): h is string => h !== null);
    throw new ApiError(
      'bad_request',
      `dependsOn: no service ${unknown.map((d) => `"${d}"`).join(', ')} in the catalog${hints.length > 0 ? `; did you mean ${hints.map((h) => `"${h}"`).join(', ')}?` : ''}`,
    );
  }
  const graph = [...others, { id, dependsOn }];
  // A cycle through a dependency added now (one two replicas made before is shown, not a reason to refuse).
  const cycle = dependencyCycles(graph).find((c) => c.some((step, i) => step === id && i < c.length - 1 && added.includes(c[i + 1])));
  if (cycle) {
    throw new ApiError(
      'conflict',
      `dependsOn: that would make a dependency cycle, ${describeCycle(cycle)}. A service cannot depend on itself through others: remove one of these dependencies.`,
    );
  }
}

function removeService(context: CatalogContext, request: ParsedRequest<'catalog.remove'>): ServiceView[] {
  const { catalog, replica } = context;
  const service = mustGetService(catalog, request.id);
  const dependents = catalog.list().filter((s) => s.id !== service.id && s.dependsOn.includes(service.id));
  if (dependents.length > 0) {
    const names = dependents.map((s) => s.name).join(', ');
    throw new ApiError(
      'conflict',
      `"${service.name}" cannot be removed: ${names} ${dependents.length === 1 ? 'depends' : 'depend'} on it. Remove those dependencies first.`,
    );
  }
  // A tombstone: the row stays, so a late edit from another replica cannot bring it back half-made.
  replica.commitLocal([{ entity: 'service', rowId: service.id, fields: { deleted: true, updatedBy: replica.actorId } }]);
  return views(context);
}

function importCatalog({ catalog, directory, runbooks, evidence, replica }: CatalogContext, request: ParsedRequest<'catalog.import'>): CatalogImportReport {
  const plan = planCatalogImport(readCatalog(request.format, request.text), {
    services: catalog.list(),
    teams: directory.list().teams,
    runbookIds: runbooks.summaries(true).map((r) => r.id),
    checklistIds: evidence.templates().map((t) => t.id),
    actor: replica.actorId,
  });
  const isRefused = plan.report.errors.length > 0;
  const report: CatalogImportReport = isRefused
    ? { ...plan.report, created: 0, updated: 0, unchanged: 0, services: [], isImported: false, isDryRun: request.dryRun }
    : { ...plan.report, isImported: !request.dryRun, isDryRun: request.dryRun };
  // One commit: the whole file lands, or (on any error) none of it does.
  if (!isRefused && !request.dryRun && plan.drafts.length > 0) replica.commitLocal(plan.drafts);
  return report;
}

function exportCatalog({ catalog, directory }: CatalogContext, request: ParsedRequest<'catalog.export'>): CatalogExport {
  const services = catalog.list();
  return {
    format: request.format,
    fileName: `catalog.${request.format}`,
    text: writeCatalog(request.format, services, directory.list().teams),
    count: services.length,
  };
}

function incidentCatalog(context: CatalogContext, request: ParsedRequest<'catalog.forIncident'>): IncidentCatalog {
  const incident = mustGetIncident(context.incidents, request.incidentId);
  return { incidentId: incident.id, ...impactOf(views(context), incident.services) };
}

function views({ catalog, directory }: CatalogContext): ServiceView[] {
  const people = directory.list();
  return catalog.list().map((service) => withOwners(service, people));
}

function mustGetService(catalog: CatalogContext['catalog'], id: string): Service {
  const service = catalog.get(id);
  if (!service) throw new ApiError('not_found', `No service "${id}" in this replica's catalog; it may have been removed, or not synced here yet.`);
  return service;
}

function view({ catalog, directory }: CatalogContext, id: string): ServiceView {
  return withOwners(mustGetService(catalog, id), directory.list());
}

const unique = <T>(items: readonly T[]) => [...new Set(items)];
