// A service of the catalog and what is shown about it: its tier, owners, dependencies, blast radius,
// and the runbooks and checklists kept for it.
import type { Person, Team } from './directory';

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
