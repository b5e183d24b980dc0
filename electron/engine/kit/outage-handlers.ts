// Everything for when everything is down, as the engine wires it in one call: war-room discovery on
// the LAN (announced while a hub runs), the break-glass kit kept in the data folder, outage mode and
// the organisation's health checks.
import type { Database } from 'better-sqlite3';
import type { Handlers } from '@shared/contract';
import { healthChecksKey, holdingMarkKey, type OutageStatus } from '@shared/domain/outage-api';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import type { Touched } from '../core/projections';
import type { FileSignerDeps } from '../core/file-signature';
import type { CommsStore } from '../comms/comms-store';
import { templateViews } from '../comms/update-templates';
import type { DirectoryStore } from '../directory/directory-store';
import type { RunbookStore } from '../runbooks/runbook-store';
import type { SyncClient } from '../sync/sync-client';
import { createLanDiscovery } from '../discovery/lan-discovery';
import { discoveryHandlers, startAnnouncing } from '../discovery/discovery-handlers';
import { createKitKeeper, holdingTemplateIds } from './kit-keeper';
import { createOutageWatch } from './outage-watch';

type OutageHandlers = Pick<
  Handlers,
  | 'hub.nearby'
  | 'hub.joinNearby'
  | 'outage.status'
  | 'outage.check'
  | 'outage.healthChecks'
  | 'outage.setHealthChecks'
  | 'kit.info'
  | 'kit.file'
  | 'kit.holdingTemplates'
  | 'kit.setHolding'
>;

export interface OutageKitDeps {
  db: Database;
  dataDir: string;
  directory: DirectoryStore;
  runbooks: RunbookStore;
  comms: CommsStore;
  syncClient: SyncClient;
  commit: (drafts: OpDraft[]) => void;
  deviceId: string;
  actor: () => string;
  signer: () => FileSignerDeps;
  now: () => number;
  log: (line: string) => void;
  onOutage: (status: OutageStatus) => void;
  /** Join a war room (the sync.join handler). */
  join: Handlers['sync.join'];
}

export interface OutageKit {
  handlers: OutageHandlers;
  /** Wraps the hub host so each hub it starts is announced on the network while it runs. */
  announcing<H extends Parameters<typeof startAnnouncing>[0]>(hubs: H): H;
  onTouched(touched: readonly Touched[]): void;
  close(): Promise<void>;
}

export function createOutageKit(deps: OutageKitDeps): OutageKit {
  const { db } = deps;
  const discovery = createLanDiscovery({ now: deps.now, log: deps.log, isDisabled: process.env.HOLDFAST_DISCOVERY === 'off' });
  const kit = createKitKeeper({
    db,
    dataDir: deps.dataDir,
    directory: deps.directory,
    runbooks: deps.runbooks,
    comms: deps.comms,
    signer: deps.signer,
    now: deps.now,
    log: deps.log,
  });
  const serviceUrl = () => deps.syncClient.status().peers.find((p) => p.kind === 'central')?.url ?? null;
  const intervalMs = Number(process.env.HOLDFAST_OUTAGE_CHECK_MS ?? 30_000);
  const watch = createOutageWatch({ db, serviceUrl, commit: deps.commit, now: deps.now, onChange: deps.onOutage, log: deps.log, intervalMs });
  const newestOpenTitle = () =>
    (db.prepare("SELECT title FROM incidents WHERE deleted = 0 AND status NOT IN ('resolved', 'closed') ORDER BY declared_at DESC LIMIT 1").pluck().get() as
      string | undefined) ?? 'War room';

  const handlers: OutageHandlers = {
    ...discoveryHandlers({ discovery, join: async (invite) => deps.join(invite) }),
    'outage.status': () => watch.status(),
    'outage.check': () => watch.check(),
    'outage.healthChecks': () => watch.checks(),
    'outage.setHealthChecks': (request) => {
      const urls = request.checks.map((c) => c.url);
      const repeated = urls.find((u, i) => urls.indexOf(u) !== i);
      if (repeated) throw new ApiError('bad_request', `checks: ${repeated} is listed twice; list each URL once.`);
      deps.commit([{ entity: 'org_setting', rowId: healthChecksKey, fields: { value: JSON.stringify(request.checks) } }]);
      return watch.checks();
    },
    'kit.info': () => kit.current().info,
    'kit.file': () => kit.refresh(),
    'kit.holdingTemplates': () => holdingTemplateIds(db),
    'kit.setHolding': (request) => {
      if (!templateViews(deps.comms).some((t) => t.id === request.templateId)) throw new ApiError('not_found', `No update template ${request.templateId}.`);
      deps.commit([{ entity: 'org_setting', rowId: holdingMarkKey(request.templateId), fields: { value: request.isPreApproved ? 'yes' : '' } }]);
      return holdingTemplateIds(db);
    },
  };

  return {
    handlers,
    announcing: (hubs) => startAnnouncing(hubs, { discovery, deviceId: deps.deviceId, title: newestOpenTitle, hostedBy: deps.actor, log: deps.log }),
    onTouched: (touched) => kit.onTouched(touched),
    async close() {
      kit.close();
      watch.close();
      await discovery.close();
    },
  };
}
