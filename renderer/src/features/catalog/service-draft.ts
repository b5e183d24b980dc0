// What the service editor works on: a new service, an edit of one in the catalog, or a copy saved as
// a new service. Objectives are kept as typed ("15", "4h") and turn into `catalog.save` only on
// save, so the engine's checks (unknown teams, dependency cycles) decide what is valid.
import type { Request } from '@shared/contract';
import { parseMinutes, type ServiceTier, type ServiceView } from '@shared/domain/catalog';
import { idFromName } from '../library-shared/new-id';

export interface ServiceDraft {
  /** The service saving changes; null saves a new one. */
  serviceId: string | null;
  heading: string;
  name: string;
  description: string;
  tier: ServiceTier;
  /** '' for no owner. */
  ownerTeamId: string;
  /** As typed: minutes, or with a unit (30m, 4h, 1d); '' for not set. */
  rto: string;
  rpo: string;
  dependsOn: string[];
  runbookIds: string[];
  checklistIds: string[];
}

const minutesText = (minutes: number | null) => (minutes === null ? '' : String(minutes));

export function newServiceDraft(): ServiceDraft {
  return {
    serviceId: null,
    heading: 'New service',
    name: '',
    description: '',
    tier: 2,
    ownerTeamId: '',
    rto: '',
    rpo: '',
    dependsOn: [],
    runbookIds: [],
    checklistIds: [],
  };
}

function fieldsOf(service: ServiceView): Omit<ServiceDraft, 'serviceId' | 'heading' | 'name'> {
  return {
    description: service.description,
    tier: service.tier,
    ownerTeamId: service.ownerTeamId ?? '',
    rto: minutesText(service.rtoMin),
    rpo: minutesText(service.rpoMin),
    dependsOn: service.dependsOn,
    runbookIds: service.runbookIds,
    checklistIds: service.checklistIds,
  };
}

export function editServiceDraft(service: ServiceView): ServiceDraft {
  return { serviceId: service.id, heading: `Edit “${service.name}”`, name: service.name, ...fieldsOf(service) };
}

export function duplicateServiceDraft(service: ServiceView): ServiceDraft {
  return { serviceId: null, heading: `New service from “${service.name}”`, name: `${service.name} copy`, ...fieldsOf(service) };
}

function minutesOf(text: string, what: string): number | null {
  const parsed = parseMinutes(text);
  if ('problem' in parsed) throw new Error(`${what}: ${parsed.problem}`);
  return parsed.minutes;
}

/**
 * The save request. A new service gets its id from its name as the engine would, with a number
 * added when the catalog already has it, so a new one never overwrites another.
 */
export function saveRequest(draft: ServiceDraft, takenIds: ReadonlySet<string>): Request<'catalog.save'> {
  const id = draft.serviceId ?? idFromName(draft.name, (candidate) => takenIds.has(candidate));
  return {
    ...(id === undefined ? {} : { id }),
    name: draft.name,
    description: draft.description,
    tier: draft.tier,
    ownerTeamId: draft.ownerTeamId === '' ? null : draft.ownerTeamId,
    rtoMin: minutesOf(draft.rto, 'RTO'),
    rpoMin: minutesOf(draft.rpo, 'RPO'),
    dependsOn: draft.dependsOn,
    runbookIds: draft.runbookIds,
    checklistIds: draft.checklistIds,
  };
}

export const isChanged = (draft: ServiceDraft, initial: ServiceDraft) => JSON.stringify(draft) !== JSON.stringify(initial);
