// Entry of the engine's Electron utility process (built to out/main/engine-utility.js): main sends
// the engine's options with one end of a MessageChannelMain, and the engine is served on that port.
import type { MessageEvent } from 'electron';
import type { HostedEngineOptions } from '../engine/hosts/engine-protocol';
import { serveEngine } from '../engine/hosts/engine-service';
import { portOf } from './engine-process';

process.parentPort.once('message', (event: MessageEvent) => {
  const [port] = event.ports;
  port.start();
  // Main ends this process once the engine has said it closed.
  serveEngine(portOf(port), event.data as HostedEngineOptions);
});
