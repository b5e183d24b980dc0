// Runs the engine for a plain-Node host (`holdfast web`): in a worker thread, so a long sync
// catch-up never blocks the host's HTTP loop, or on the host's own thread behind the same port
// (for comparison benches and as a fallback), and hands back the client either way.
import { existsSync } from 'node:fs';
import { MessageChannel, Worker } from 'node:worker_threads';
import { connectEngine, type EngineClient, type EngineClientOptions } from './engine-client';
import type { HostedEngineOptions } from './engine-protocol';
import { serveEngine } from './engine-service';

/** How long a closed engine's thread may take to end before it is stopped. */
const exitGraceMs = 5_000;

/** Starts the built worker entry (out/main/engine-worker.js) and waits until the engine is open. */
export async function startEngineWorker(entry: string, hosted: HostedEngineOptions, options: EngineClientOptions = {}): Promise<EngineClient> {
  if (!existsSync(entry)) throw new Error(`The engine is not built (${entry} is missing). Run \`npm run build\` first.`);
  const worker = new Worker(entry, { workerData: hosted });
  const client = connectEngine(worker, options);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (error) => {
    options.log?.(`holdfast: the engine thread failed: ${error.stack ?? error.message}`);
    client.lost(`its thread failed: ${error.message}`);
  });
  worker.on('exit', (code) => client.lost(`its thread exited with code ${code}`));
  const stop = async () => {
    const timer = setTimeout(() => void worker.terminate(), exitGraceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    await client.ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ...client,
    async close() {
      await client.close();
      await stop();
    },
  };
}

/** The engine on this thread, spoken to through the same port protocol as a worker. */
export async function startEngineInThread(hosted: HostedEngineOptions, options: EngineClientOptions = {}): Promise<EngineClient> {
  const { port1, port2 } = new MessageChannel();
  serveEngine(port2, hosted, { onClosed: () => port2.close() });
  const client = connectEngine(port1, options);
  try {
    await client.ready();
  } catch (error) {
    port1.close();
    throw error;
  }
  return {
    ...client,
    async close() {
      await client.close();
      port1.close();
    },
  };
}
