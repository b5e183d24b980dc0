// `holdfast web`: the engine behind the HTTP + WebSocket bridge, serving the built UI. The engine
// runs in a worker thread, so a long sync catch-up or import never stalls the HTTP loop; the bridge
// stays on this thread and talks to it over a port. With --host, a war-room hub is served from this
// thread too, over TLS on its own port (--hub-port), while the browser UI stays on loopback.
import { join } from 'node:path';
import { defaultAutoBackup } from '../engine/engine';
import type { EngineClient, EngineClientOptions } from '../engine/hosts/engine-client';
import type { HostedEngineOptions } from '../engine/hosts/engine-protocol';
import { hubUrls } from '../engine/hosts/engine-service';
import { hubServer } from '../engine/sync/hub';
import { hubLink, readableCertFingerprint } from '@shared/hub-link';
import { startEngineInThread, startEngineWorker } from '../engine/hosts/engine-thread';
import { startWebBridge, type WebBridge } from '../engine/hosts/web-bridge';
import { dataDirOption, parsePort, parseStrict, UsageError, type Command } from './io';
import { maxKeepClosedDays, type ScopeSettings } from '@shared/replica-scope';
import { ensurePrivateDir } from '@shared/node/private-files';
import { openDatabase } from '../engine/core/database';
import { lockDataDir } from '../engine/core/data-lock';
import { migrate } from '../engine/core/schema';
import { readScope, writeScope } from '../engine/sync/replica-scope';
import { packageRoot } from './package-root';

/** `HOLDFAST_ENGINE_THREAD=main` keeps the engine on the HTTP thread (the worker bench compares both). */
function startEngine(hosted: HostedEngineOptions, options: EngineClientOptions): Promise<EngineClient> {
  if (process.env.HOLDFAST_ENGINE_THREAD === 'main') return startEngineInThread(hosted, options);
  return startEngineWorker(join(packageRoot, 'out', 'main', 'engine-worker.js'), hosted, options);
}

export const webCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'boolean' },
    'hub-port': { type: 'string' },
    'keep-closed-days': { type: 'string' },
    'keep-everything': { type: 'boolean' },
  });
  const keepClosedDays = parseKeepClosedDays(values['keep-closed-days']);
  const isHub = values.host === true;
  const port = parsePort(values.port, 7420);
  const hubPort = parsePort(values['hub-port'], 7440);
  const dataDir = dataDirOption(values.data);

  // The replica scope given on the command line is kept as this laptop's setting (Settings shows
  // it), written before the engine starts: its first sync pass, which may evict, already holds it.
  if (keepClosedDays !== undefined || values['keep-everything'] !== undefined) {
    saveScopeOptions(dataDir, { keepClosedDays, isKeepEverything: values['keep-everything'] });
  }
  const engine = await startEngine(
    { dataDir, host: 'web', autoBackup: defaultAutoBackup },
    { log: io.err, onInternalError: (name, detail) => io.err(`holdfast web: ${name} failed: ${detail}`) },
  );
  let bridge: WebBridge;
  let hubApp: Awaited<ReturnType<typeof hubServer>> | undefined;
  try {
    const hub = isHub ? await engine.hostHub() : undefined;
    if (hub) {
      hubApp = await hubServer(hub);
      await hubApp.listen({ host: '0.0.0.0', port: hubPort }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'EADDRINUSE') throw new Error(`port ${hubPort} is already in use; pass --hub-port with a free port (or 0 for any)`);
        throw error;
      });
      const address = hubApp.server.address();
      hub.setPort(typeof address === 'object' && address ? address.port : hubPort);
    }
    bridge = await startWebBridge({
      host: '127.0.0.1',
      dispatch: engine.dispatch,
      subscribe: (listener) => engine.onEvent(listener),
      rendererDir: join(packageRoot, 'out', 'renderer'),
      port,
      log: io.err,
    });
    io.out(`Holdfast web is running with data in ${dataDir}`);
    io.out(`Open ${bridge.openUrl}`);
    if (hub && hubApp) {
      const address = hubApp.server.address();
      const urls = hubUrls(typeof address === 'object' && address ? address.port : hubPort);
      const fingerprint = hub.tls!.fingerprint;
      io.out('The link above gives full control as you: share it with nobody. Others join the war room with one of these links:');
      for (const url of urls) io.out(`  ${hubLink({ url, code: hub.joinCode, fingerprint })}`);
      io.out(`War room hub: join code ${hub.joinCode}, TLS certificate SHA-256 ${readableCertFingerprint(fingerprint)}`);
      io.out('The code changes after repeated wrong guesses or when you ask; Settings > Sync shows the current link and who joined.');
    }
  } catch (error) {
    await hubApp?.close();
    await engine.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use; pass --port with a free port (or 0 for any)`, { cause: error });
    }
    throw error;
  }
  io.out('Press Ctrl+C to stop.');
  await io.untilStopped();
  await bridge.close();
  await hubApp?.close();
  await engine.close();
  return 0;
};

/**
 * Writes the scope options into the replica in `dataDir` (holding the folder, as an engine would):
 * `--keep-closed-days N` alone also turns keep-everything off (asking for N days means keeping N
 * days); `--keep-everything` keeps the stored number of days for when it is turned off again.
 */
export function saveScopeOptions(dataDir: string, options: { keepClosedDays?: number; isKeepEverything?: boolean }): ScopeSettings {
  ensurePrivateDir(dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    const db = openDatabase(dataDir);
    try {
      migrate(db);
      const stored = readScope(db);
      return writeScope(db, {
        keepClosedDays: options.keepClosedDays ?? stored.keepClosedDays,
        isKeepEverything: options.isKeepEverything ?? (options.keepClosedDays !== undefined ? false : stored.isKeepEverything),
      });
    } finally {
      db.close();
    }
  } finally {
    unlock();
  }
}

/** `--keep-closed-days N`: closed incidents of the last N days stay on this laptop (docs/replica-scope.md). */
function parseKeepClosedDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > maxKeepClosedDays) {
    throw new UsageError(`--keep-closed-days must be a whole number of days from 1 to ${maxKeepClosedDays}, got "${value}"`);
  }
  return days;
}
