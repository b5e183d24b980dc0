// The engine: one replica opened from a data directory, its domain handlers and the events it
// pushes. It runs the same inside Electron main and inside `holdfast web`.
import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import type { AppInfo, EventListener, EventName, Events, Handlers } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import { openDatabase } from './database';
import { createIncidentStore } from './incident-store';
import { migrate } from './migrations';
import { appVersion } from './version';

export interface EngineOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** Injectable clock (UTC ms) for tests. */
  now?: () => number;
}

export interface Engine {
  readonly handlers: Handlers;
  readonly db: Database;
  /** Subscribes to every engine event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  close(): void;
}

export function openEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now;
  const db = openDatabase(options.dataDir);
  let schemaVersion: number;
  try {
    schemaVersion = migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const incidents = createIncidentStore(db);
  const emitter = new EventEmitter();
  const emit = <E extends EventName>(event: E, payload: Events[E]) => emitter.emit('event', event, payload);

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Holdfast',
      version: appVersion,
      dataDir: options.dataDir,
      schemaVersion,
      host: options.host,
    }),
    'incidents.create': (request) => {
      const at = now();
      const incident = {
        id: uuidv7(at),
        title: request.title,
        severity: request.severity,
        status: 'investigating' as const,
        summary: request.summary,
        declaredAt: at,
        updatedAt: at,
      };
      incidents.insert(incident);
      emit('incidents.changed', { incidentId: incident.id });
      return incident;
    },
    'incidents.list': (request) => incidents.list(request.limit),
  };

  return {
    handlers,
    db,
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    close() {
      emitter.removeAllListeners();
      if (db.open) db.close();
    },
  };
}
