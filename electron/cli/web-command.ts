// `holdfast web`: the engine behind the HTTP + WebSocket bridge, serving the built UI.
import { join } from 'node:path';
import { createDispatch } from '../../shared/rpc';
import { defaultAutoBackup, openEngine } from '../engine/engine';
import { lanAddresses } from '../engine/sync/hub';
import { startWebBridge, type WebBridge } from '../engine/hosts/web-bridge';
import { dataDirOption, parsePort, parseStrict, type Command } from './io';
import { packageRoot } from './package-root';

export const webCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'boolean' } });
  const isHub = values.host === true;
  const port = parsePort(values.port, 7420);
  const dataDir = dataDirOption(values.data);

  const engine = openEngine({ dataDir, host: 'web', autoBackup: defaultAutoBackup, log: io.err });
  const dispatch = createDispatch(engine.handlers, {
    onInternalError: (error, name) => io.err(`holdfast web: ${name} failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
  let bridge: WebBridge;
  let bridgePort = port;
  const hub = isHub ? engine.hostHubInside(() => [...lanAddresses(), '127.0.0.1'].map((a) => `http://${a}:${bridgePort}`)) : undefined;
  try {
    bridge = await startWebBridge({
      hub,
      host: isHub ? '0.0.0.0' : '127.0.0.1',
      dispatch,
      subscribe: (listener) => engine.onEvent(listener),
      rendererDir: join(packageRoot, 'out', 'renderer'),
      port,
      log: io.err,
    });
  } catch (error) {
    await engine.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use; pass --port with a free port (or 0 for any)`);
    }
    throw error;
  }
  bridgePort = bridge.port;
  io.out(`Holdfast web is running with data in ${dataDir}`);
  io.out(`Open ${bridge.openUrl}`);
  if (hub) {
    const addresses = [...lanAddresses(), '127.0.0.1'].map((a) => `http://${a}:${bridge.port}`);
    io.out(`War room hub: other laptops join at ${addresses.join(' or ')} with join code ${hub.joinCode}`);
    io.out('The link above gives full control as you: share it with nobody; others join with the code.');
  }
  io.out('Press Ctrl+C to stop.');
  await io.untilStopped();
  await bridge.close();
  await engine.close();
  return 0;
};
