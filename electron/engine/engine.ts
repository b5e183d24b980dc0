// The engine: one replica opened from a data directory, its domain handlers and the events it
// pushes. It runs the same inside Electron main and inside `holdfast web`.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { AppInfo, EventListener, EventName, Events, Handlers } from '@shared/contract';
import { catalogHandlers } from './catalog/catalog-handlers';
import { commsHandlers, createCadenceWatch } from './comms/comms-handlers';
import { directoryHandlers } from './directory/directory-handlers';
import { reportHandlers } from './reports/report-handlers';
import { reviewHandlers } from './reviews/review-handlers';
import { evidenceHandlers } from './evidence/evidence-handlers';
import { freezeTaskHandlers } from './incidents/freeze-task-handlers';
import { incidentHandlers } from './incidents/incident-handlers';
import { roleHandlers } from './roles/role-handlers';
import { runbookHandlers } from './runbooks/runbook-handlers';
import { createHubHost, syncHandlers } from './sync/sync-handlers';
import { timelineHandlers } from './timeline/timeline-handlers';
import { trustHandlers } from './trust/trust-handlers';
import { integrationHandlers } from './integrations/integration-handlers';
import { createIntegrationPass } from './integrations/integration-outbox';
import { createIntegrationStore } from './integrations/integration-store';
import { createOutageKit } from './kit/outage-handlers';
import { knowledgeHandlers } from './knowledge/knowledge-handlers';
import { createKnowledgeStore } from './knowledge/knowledge-store';
import { createReceiptWriter, receiptDelayFromEnv } from './knowledge/receipt-writer';
import { startAutoBackup, type AutoBackupOptions } from './core/backup';
import { openDatabase, scheduleCheckpoints } from './core/database';
import { proveDatabase } from './core/projection-proof';
import { lockDataDir } from './core/data-lock';
import { withCallSocket } from './core/call-socket';
import { importEvidenceBundle } from './evidence/bundle-import';
import { createCommsStore } from './comms/comms-store';
import { channelSecrets } from './comms/channel-secrets';
import { moveChannelSecrets } from './comms/channel-secret-move';
import { createOutbox, localCoordinator, type CoordinatorChoice, type OutboxOptions } from './comms/outbox';
import { createDirectoryStore } from './directory/directory-store';
import type { EvidenceRecord } from './evidence/evidence-export';
import { evidenceRecord } from './evidence/evidence-queries';
import { createEvidenceStore } from './evidence/evidence-store';
import { createIncidentStore } from './incidents/incident-store';
import { importLegacyIncidents } from './core/legacy';
import { migrate } from './core/schema';
import { openReplica, type Replica } from './core/replica';
import { loadOrCreateDeviceKey } from './core/device-key';
import { fileSignerOfReplica } from './core/signed-files';
import { signFileSet, type SignatureDoc, type SignedFile } from './core/file-signature';
import { fileSecretStore, type SecretStore } from './core/secrets';
import { createReviewStore } from './reviews/review-store';
import { createRunbookStore } from './runbooks/runbook-store';
import { withRelaxedSync } from './core/relaxed-sync';
import { createSearchStore } from './core/search-store';
import { createHub, hubStatusOf, type Hub } from './sync/hub';
import type { HubTls } from './sync/hub-tls';
import { createSyncClient } from './sync/sync-client';
import { createTimelineStore } from './timeline/timeline-store';
import type { Touched } from './core/projections';
import { appVersion } from './core/version';

export interface EngineOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** Injectable clock (UTC ms) for tests. */
  now?: () => number;
  /** Automatic backups into dataDir/backups: on open and on a schedule. Off unless given. */
  autoBackup?: AutoBackupOptions;
  /** Where background failures (such as a failed automatic backup) are reported. */
  log?: (line: string) => void;
  /** Where sync tokens are kept; a file in the data folder unless the host has better. */
  secrets?: SecretStore;
  /** Sync client's fallback poll interval (ms) when no poke arrives. */
  syncPollMs?: number;
  /** Timers and jitter of the sync client's live sockets and retries (tests inject their own). */
  syncClock?: import('./sync/peer-live').LiveClock;
  /** Outbox timing (tests shorten the retry waits and timeouts). */
  outbox?: Pick<OutboxOptions, 'intervalMs' | 'leaseMs' | 'retryDelaysMs' | 'timeoutMs'>;
  /** How often update clocks are checked for `comms.due` (default 30 s). */
  cadenceCheckMs?: number;
  /** How long after ops from elsewhere arrive their receipt is written (knowledge/receipt-writer; default HOLDFAST_RECEIPT_DELAY_MS, else 5 min). */
  receiptDelayMs?: number;
}

export interface Engine {
  readonly handlers: Handlers;
  readonly db: Database;
  readonly replica: Replica;
  /** Subscribes to every engine event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Takes a backup now (when automatic backups are on). */
  backupNow(): Promise<unknown>;
  /** One outbox pass now (resolves when it is done): what the outbox's timer would do next. */
  runOutboxPass(): Promise<void>;
  /** Checks the update clocks now, as the cadence timer would (`comms.due` events). */
  checkUpdateClocks(): void;
  /** One incident's whole record (artifacts, custody, timeline, ops), for evidence exports. */
  evidenceRecord(incidentId: string): EvidenceRecord;
  /** Signs files (paths and SHA-256s) as this device, with its certificate when it has one (core/file-signature). */
  signFiles(files: SignedFile[], purpose: string): SignatureDoc;
  /** Serves the sync protocol from this replica inside another server (holdfast web --host). */
  hostHubInside(urls: () => string[], tls: HubTls): Hub;
  close(): Promise<void>;
}

/** Timeline entries indexed per background transaction after a sync (a few milliseconds' work). */
const backgroundIndexChunk = 250;
/** The background indexer waits for this long a pause in applying synced ops before it runs... */
const indexIdleMs = 50;
/** ...but while ops keep arriving it still takes one chunk this often. */
const indexMaxWaitMs = 1_000;

/** The automatic backup schedule of the desktop app and `holdfast web`. */
export const defaultAutoBackup: AutoBackupOptions = { intervalMs: 60 * 60 * 1000, keep: 48 };

export function openEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  // Checked before the folder is touched: a bad HOLDFAST_RECEIPT_DELAY_MS changes nothing.
  options = { ...options, receiptDelayMs: options.receiptDelayMs ?? receiptDelayFromEnv() };
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = once(lockDataDir(options.dataDir));
  let db: Database | undefined;
  let assembled: Engine | undefined;
  try {
    db = openDatabase(options.dataDir);
    assembled = assemble(db, unlock, options, now, log);
    // The command line reaches this engine through a local socket while it holds the folder (core/call-socket).
    return withCallSocket(assembled, options.dataDir, log);
  } catch (error) {
    // Assembled but not opened: its timers (outbox, cadence, checkpoints) stop before the database closes.
    assembled?.close().catch(() => {});
    if (db?.open) db.close();
    unlock();
    throw error;
  }
}

const once = (f: () => void) => {
  let done = false;
  return () => {
    if (!done) f();
    done = true;
  };
};

function assemble(db: Database, unlock: () => void, options: EngineOptions, now: () => number, log: (line: string) => void): Engine {
  const schemaVersion = migrate(db);
  const emitter = new EventEmitter();
  const emit = <E extends EventName>(event: E, payload: Events[E]) => emitter.emit('event', event, payload);
  // Set once the replica exists: the sync client pushes changes, a hosted hub pokes its clients.
  let afterApply: (touched: Touched[]) => void = () => undefined;
  const announce = (touched: Touched[]) => {
    afterApply(touched);
    const incidents = new Set<string>();
    const timelines = new Set<string>();
    const streams = new Set<string>();
    for (const t of touched) {
      if (!t.incidentId) streams.add(t.streamId);
      else (t.entity === 'timeline_entry' || t.entity === 'timeline_pin' ? timelines : incidents).add(t.incidentId);
    }
    incidents.forEach((incidentId) => emit('incidents.changed', { incidentId }));
    timelines.forEach((incidentId) => emit('timeline.changed', { incidentId }));
    streams.forEach((streamId) => emit('stream.changed', { streamId }));
  };

  // A person's own entries are searchable the moment they are written: indexed in the same commit.
  let indexOwnWrites: () => void = () => undefined;
  const secrets = options.secrets ?? fileSecretStore(options.dataDir, undefined, { log });
  const replica = openReplica(db, { now, onApplied: announce, inLocalCommit: () => indexOwnWrites(), deviceKey: (id) => loadOrCreateDeviceKey(secrets, id) });
  importLegacyIncidents(db, replica);
  // When this device first held each op of an incident that another wrote, as signed receipts.
  const receipts = createReceiptWriter({ db, replica, now, delayMs: options.receiptDelayMs, log });
  const incidents = createIncidentStore(db);
  const directory = createDirectoryStore(db);
  // Entries written here show as pending until some sync peer has acknowledged them.
  const timeline = createTimelineStore(db, () => syncClient.acknowledgedSeq());
  const search = createSearchStore(db);
  const runbooks = createRunbookStore(db, now);
  const evidence = createEvidenceStore(db);
  const comms = createCommsStore(db, channelSecrets(secrets));
  const reviews = createReviewStore(db);
  indexOwnWrites = () => {
    search.indexBacklog(50);
  };
  // Channel secrets left in plaintext by an older Holdfast move to the SecretStore.
  moveChannelSecrets({ replica, comms, log });
  const syncClient = createSyncClient({
    db,
    replica,
    secrets,
    now,
    pollIntervalMs: options.syncPollMs,
    clock: options.syncClock,
    onStatus: (status) => emit('sync.status', status),
    // The service answered again: a war room hosted here tells its members to reconnect now.
    onServiceBack: () => hubs.current()?.hub.centralBack?.(),
    log,
  });
  // Which replica sends each update: the central service decides when one is configured, else a
  // hub; a replica that syncs with nobody decides alone. A hub hosted here asks the same.
  const ownClaims = localCoordinator(db, now, replica);
  const chooseCoordinator = (): CoordinatorChoice => {
    const peer = syncClient.coordinatorPeer();
    if (!peer) return { label: 'this replica (it syncs with no service or hub)', coordinator: ownClaims };
    return { label: peer.kind === 'central' ? `the central service (${peer.url})` : `the war-room hub (${peer.url})`, coordinator: peer.coordinator };
  };
  const integrations = createIntegrationStore(db, channelSecrets(secrets));
  const outbox = createOutbox({
    db,
    replica,
    comms,
    incidents,
    now,
    coordinator: chooseCoordinator,
    log,
    deviceKey: loadOrCreateDeviceKey(secrets, replica.deviceId),
    morePass: createIntegrationPass({
      db,
      replica,
      store: integrations,
      incidents,
      now,
      log,
      deviceKey: loadOrCreateDeviceKey(secrets, replica.deviceId),
      ...options.outbox,
    }),
    ...options.outbox,
  });
  const cadenceWatch = createCadenceWatch({ incidents, comms, now, onDue: (due) => emit('comms.due', due), intervalMs: options.cadenceCheckMs });
  // War rooms announced on the LAN, the break-glass kit, outage mode (kit/outage-handlers).
  const outageKit = createOutageKit({
    db,
    dataDir: options.dataDir,
    directory,
    runbooks,
    comms,
    syncClient,
    commit: (drafts) => void replica.commitLocal(drafts),
    deviceId: replica.deviceId,
    actor: () => replica.actorId,
    signer: () => fileSignerOfReplica(replica, loadOrCreateDeviceKey(secrets, replica.deviceId), now),
    now,
    log,
    onOutage: (status) => emit('outage.changed', status),
    join: (request) => handlers['sync.join'](request),
  });
  const hubs = outageKit.announcing(
    createHubHost(
      replica,
      { claim: (r) => chooseCoordinator().coordinator.claim(r), settle: (r) => chooseCoordinator().coordinator.settle(r) },
      { deviceKey: loadOrCreateDeviceKey(secrets, replica.deviceId), log },
    ),
  );
  const recordOf = (incidentId: string): EvidenceRecord => evidenceRecord({ incidents, evidence, timeline, replica, now }, incidentId);
  const evidenceCalls = evidenceHandlers({ replica, incidents, evidence, now, onHashProgress: (job) => emit('evidence.hashProgress', job), recordOf });
  let isClosed = false;
  // Timeline text that arrived by sync is indexed in the background in chunks, once applying
  // pauses (a catch-up applies a slice every few milliseconds: the indexer takes the engine's
  // thread only between bursts, and one chunk per indexMaxWaitMs while a long one lasts), so a
  // catch-up is not slowed by it. A search indexes whatever is still queued first, so its results
  // are complete either way. Small chunks: a write typed meanwhile waits for one chunk's
  // transaction at most.
  let isIndexing = false;
  let lastAppliedAt = 0;
  let lastIndexedAt = 0;
  const indexInBackground = (delayMs = indexIdleMs) => {
    if (isIndexing || isClosed) return;
    isIndexing = true;
    const next = () => {
      isIndexing = false;
      if (isClosed || !db.open) return;
      const at = performance.now();
      const wait = Math.min(indexIdleMs - (at - lastAppliedAt), indexMaxWaitMs - (at - lastIndexedAt));
      if (wait > 0) return indexInBackground(wait);
      lastIndexedAt = at;
      if (withRelaxedSync(db, () => search.indexBacklog(backgroundIndexChunk)) > 0) indexInBackground(0);
    };
    if (delayMs <= 0) setImmediate(next);
    else setTimeout(next, delayMs).unref();
  };
  afterApply = (touched) => {
    lastAppliedAt = performance.now();
    if (search.hasBacklog()) indexInBackground();
    syncClient.nudge();
    if (touched.some((t) => t.entity === 'comms_delivery' || t.entity === 'comms_channel' || t.entity.startsWith('integration_') || t.entity === 'incident_mirror'))
      outbox.nudge();
    // A channel op from an older Holdfast may carry its secret: moved out of the table straight away.
    if (touched.some((t) => t.entity === 'comms_channel')) setImmediate(() => !isClosed && db.open && moveChannelSecrets({ replica, comms, log }));
    hubs.current()?.hub.poke([...new Set(touched.map((t) => t.streamId))]);
    outageKit.onTouched(touched);
    receipts.onTouched(touched);
  };

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Holdfast',
      version: appVersion,
      dataDir: options.dataDir,
      schemaVersion,
      deviceId: replica.deviceId,
      actorId: replica.actorId,
      host: options.host,
    }),
    // What people record (declared at, event times) reads the corrected clock, as the ops' stamps do.
    ...incidentHandlers({ replica, incidents, now: replica.clockOffset.time }),
    ...roleHandlers({ replica, incidents, now: replica.clockOffset.time }),
    ...freezeTaskHandlers({ replica, incidents, now: replica.clockOffset.time }),
    ...directoryHandlers({ replica, directory, now }),
    ...timelineHandlers({ replica, incidents, timeline, now: replica.clockOffset.time }),
    ...runbookHandlers({ replica, incidents, runbooks, evidence, now }),
    ...evidenceCalls,
    'evidence.importBundle': (request) => importEvidenceBundle({ replica, incidents, dataDir: options.dataDir }, request),
    ...reviewHandlers({ reviews, replica, incidents, timeline, runbooks, evidence, comms, now }),
    ...knowledgeHandlers({ store: createKnowledgeStore(db) }),
    ...reportHandlers({ reviews, incidents, runbooks, comms, now, recordOf, proveReplica: () => proveDatabase(db) }),
    ...commsHandlers({ replica, incidents, directory, comms, now, outboxStatus: () => outbox.status(), nudgeOutbox: () => outbox.nudge() }),
    'search.query': (request) => search.search(request.text, request.limit, request.incidentId),
    ...catalogHandlers({ db, replica, directory, runbooks, evidence, incidents }),
    ...syncHandlers({ client: syncClient, hubs }),
    ...trustHandlers({ replica }),
    ...integrationHandlers({ db, replica, store: integrations, incidents, now, nudge: () => outbox.nudge() }),
    ...outageKit.handlers,
  };

  const stopCheckpoints = scheduleCheckpoints(db);
  const backups = options.autoBackup
    ? startAutoBackup(
        db,
        options.dataDir,
        options.autoBackup,
        (error) => log(`holdfast: automatic backup failed: ${String(error)}`),
        now,
        () => fileSignerOfReplica(replica, loadOrCreateDeviceKey(secrets, replica.deviceId), now),
      )
    : null;

  return {
    handlers,
    db,
    replica,
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    backupNow: () => backups?.runNow() ?? Promise.resolve(null),
    runOutboxPass: () => outbox.runOnce(),
    checkUpdateClocks: () => cadenceWatch.check(),
    evidenceRecord: recordOf,
    signFiles: (files, purpose) => signFileSet(fileSignerOfReplica(replica, loadOrCreateDeviceKey(secrets, replica.deviceId), now), files, purpose),
    hostHubInside(urls, tls) {
      const hub = createHub(replica, { ...hubs.hubOptions, tls });
      hubs.adopt(hub, () => hubStatusOf(hub, urls()));
      return hub;
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      evidenceCalls.closeJobs();
      receipts.close();
      cadenceWatch.close();
      await outbox.close();
      emitter.removeAllListeners();
      syncClient.close();
      await hubs.close();
      await outageKit.close();
      await backups?.stop();
      await stopCheckpoints();
      if (db.open) db.close();
      unlock();
    },
  };
}
