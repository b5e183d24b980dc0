// The engine: one replica opened from a data directory, its domain handlers and the events it
// pushes. It runs the same inside Electron main and inside `holdfast web`.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { AppInfo, EventListener, EventName, Events, Handlers } from '../../shared/contract';
import { incidentHandlers } from './api/incidents';
import { timelineHandlers } from './api/timeline';
import { startAutoBackup, type AutoBackupOptions } from './backup';
import { openDatabase, scheduleCheckpoints } from './database';
import { lockDataDir } from './data-lock';
import { createIncidentStore } from './incident-store';
import { importLegacyIncidents } from './legacy';
import { migrate } from './migrations';
import { openReplica, type Replica } from './replica';
import { createSearchStore } from './search-store';
import { createTimelineStore } from './timeline-store';
import type { Touched } from './projections';
import { appVersion } from './version';

export interface EngineOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** Injectable clock (UTC ms) for tests. */
  now?: () => number;
  /** Automatic backups into dataDir/backups: on open and on a schedule. Off unless given. */
  autoBackup?: AutoBackupOptions;
  /** Where background failures (such as a failed automatic backup) are reported. */
  log?: (line: string) => void;
}

export interface Engine {
  readonly handlers: Handlers;
  readonly db: Database;
  readonly replica: Replica;
  /** Subscribes to every engine event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Takes a backup now (when automatic backups are on). */
  backupNow(): Promise<unknown>;
  close(): Promise<void>;
}

/** The automatic backup schedule of the desktop app and `holdfast web`. */
export const defaultAutoBackup: AutoBackupOptions = { intervalMs: 60 * 60 * 1000, keep: 48 };

export function openEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  let db: Database | undefined;
  try {
    db = openDatabase(options.dataDir);
    return assemble(db, unlock, options, now, log);
  } catch (error) {
    if (db?.open) db.close();
    unlock();
    throw error;
  }
}

function assemble(db: Database, unlock: () => void, options: EngineOptions, now: () => number, log: (line: string) => void): Engine {
  const schemaVersion = migrate(db);
  const emitter = new EventEmitter();
  const emit = <E extends EventName>(event: E, payload: Events[E]) => emitter.emit('event', event, payload);
  const announce = (touched: Touched[]) => {
    const incidents = new Set<string>();
    const timelines = new Set<string>();
    for (const t of touched) {
      if (!t.incidentId) continue;
      (t.entity === 'timeline_entry' ? timelines : incidents).add(t.incidentId);
    }
    incidents.forEach((incidentId) => emit('incidents.changed', { incidentId }));
    timelines.forEach((incidentId) => emit('timeline.changed', { incidentId }));
  };

  const replica = openReplica(db, { now, onApplied: announce });
  importLegacyIncidents(db, replica);
  const incidents = createIncidentStore(db);
  const timeline = createTimelineStore(db);
  const search = createSearchStore(db);

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
    ...incidentHandlers({ replica, incidents, now }),
    ...timelineHandlers({ replica, incidents, timeline, now }),
    'search.query': (request) => search.search(request.text, request.limit),
  };

  const stopCheckpoints = scheduleCheckpoints(db);
  let isClosed = false;
  const backups = options.autoBackup
    ? startAutoBackup(db, options.dataDir, options.autoBackup, (error) => log(`holdfast: automatic backup failed: ${String(error)}`), now)
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
    async close() {
      if (isClosed) return;
      isClosed = true;
      emitter.removeAllListeners();
      await backups?.stop();
      stopCheckpoints();
      if (db.open) db.close();
      unlock();
    },
  };
}
