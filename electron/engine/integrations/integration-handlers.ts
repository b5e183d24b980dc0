// The engine calls of integrations (shared/domain/integrations-api.ts).
import type { Handlers } from '@shared/contract';
import type { Database } from 'better-sqlite3';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';
import type { IntegrationStore } from './integration-store';
import { fileActionItem, mirrorViews, pageTeam, retrySend, sendView, setMirror } from './sends';
import { removeTarget, saveTarget, setTargetSecret, setTeamTargets, targetViews } from './targets';

export interface IntegrationDeps {
  db: Database;
  replica: Replica;
  store: IntegrationStore;
  incidents: IncidentStore;
  now: () => number;
  /** Something was queued: the outbox should look soon. */
  nudge: () => void;
}

type IntegrationHandlers = Pick<Handlers, Extract<keyof Handlers, `integrations.${string}`>>;

export function integrationHandlers(deps: IntegrationDeps): IntegrationHandlers {
  const teamExists = (id: string) => deps.db.prepare('SELECT 1 FROM teams WHERE id = ? AND deleted = 0').get(id) !== undefined;
  const queued = <T>(value: T): T => {
    deps.nudge();
    return value;
  };
  return {
    'integrations.targets': () => targetViews(deps.store),
    'integrations.saveTarget': (request) => queued(saveTarget(deps, request)),
    'integrations.setTargetSecret': (request) => queued(setTargetSecret(deps, request)),
    'integrations.removeTarget': (request) => removeTarget(deps, request),
    'integrations.teamTargets': (request) => deps.store.teamTargetIds(request.teamId),
    'integrations.setTeamTargets': (request) => setTeamTargets(deps, request, teamExists),
    'integrations.page': (request) => queued(pageTeam(deps, request)),
    'integrations.sends': (request) => deps.store.sends(request.incidentId).map(sendView),
    'integrations.retry': (request) => queued(retrySend(deps, request)),
    'integrations.mirrors': (request) => mirrorViews(deps.store, request.incidentId),
    'integrations.setMirror': (request) => queued(setMirror(deps, request)),
    'integrations.fileActionItem': (request) => queued(fileActionItem(deps, request)),
  };
}
