// Entry of the engine's worker thread in `holdfast web` (built to out/main/engine-worker.js): the
// engine behind the thread's parent port, opened with the options the host passed as workerData.
import { parentPort, workerData } from 'node:worker_threads';
import type { HostedEngineOptions } from './engine-protocol';
import { serveEngine } from './engine-service';

if (!parentPort) throw new Error('engine-worker runs as a worker thread only');
const port = parentPort;
// Once the engine has closed, letting go of the port lets the thread end on its own.
serveEngine(port, workerData as HostedEngineOptions, { onClosed: () => port.close() });
