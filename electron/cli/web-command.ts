// `holdfast web`: the engine behind the HTTP + WebSocket bridge, serving the built UI. The engine
// runs in a worker thread, so a long sync catch-up or import never stalls the HTTP loop; the bridge
// (and the hub's sync routes with --host) stay on this thread and talk to it over a port.
import { join } from 'node:path';
import { defaultAutoBackup } from '../engine/engine';
import type { EngineClient, EngineClientOptions } from '../engine/hosts/engine-client';
import type { HostedEngineOptions } from '../engine/hosts/engine-protocol';
import { hubUrls } from '../engine/hosts/engine-service';
import { startEngineInThread, startEngineWorker } from '../engine/hosts/engine-thread';
import { startWebBridge, type WebBridge } from '../engine/hosts/web-bridge';
import { dataDirOption, parsePort, parseStrict, type Command } from './io';
import { packageRoot } from './package-root';

/** `HOLDFAST_ENGINE_THREAD=main` keeps the engine on the HTTP thread (the worker bench compares both). */
function startEngine(hosted: HostedEngineOptions, options: EngineClientOptions): Promise<EngineClient> {
  if (process.env.HOLDFAST_ENGINE_THREAD === 'main') return startEngineInThread(hosted, options);
  return startEngineWorker(join(packageRoot, 'out', 'main', 'engine-worker.js'), hosted, options);
}

export const webCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'boolean' } });
  const isHub = values.host === true;
  const port = parsePort(values.port, 7420);
  const dataDir = dataDirOption(values.data);

  const engine = await startEngine(
    { dataDir, host: 'web', autoBackup: defaultAutoBackup },
    { log: io.err, onInternalError: (name, detail) => io.err(`holdfast web: ${name} failed: ${detail}`) },
  );
  let bridge: WebBridge;
  try {
    const hub = isHub ? await engine.hostHub() : undefined;
    hub?.setPort(port);
    bridge = await startWebBridge({
      hub,
      host: isHub ? '0.0.0.0' : '127.0.0.1',
      dispatch: engine.dispatch,
      subscribe: (listener) => engine.onEvent(listener),
      rendererDir: join(packageRoot, 'out', 'renderer'),
      port,
      log: io.err,
    });
    hub?.setPort(bridge.port);
    io.out(`Holdfast web is running with data in ${dataDir}`);
    io.out(`Open ${bridge.openUrl}`);
    if (hub) {
      io.out(`War room hub: other laptops join at ${hubUrls(bridge.port).join(' or ')} with join code ${hub.joinCode}`);
      io.out('The link above gives full control as you: share it with nobody; others join with the code.');
    }
  } catch (error) {
    await engine.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use; pass --port with a free port (or 0 for any)`, { cause: error });
    }
    throw error;
  }
  io.out('Press Ctrl+C to stop.');
  await io.untilStopped();
  await bridge.close();
  await engine.close();
  return 0;
};
