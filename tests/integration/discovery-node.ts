// One laptop for the discovery tests, run as its own process (./discovery-node.mjs) inside a network
// namespace: it opens an engine in the data folder given as its first argument and answers JSON
// lines on stdin, one JSON line each on stdout:
//   {"id":1,"op":"certify","user":"cmdr","role":"commander"}  certify it under a test organisation
//   {"id":2,"op":"call","name":"hub.start","request":{"port":7440}}  any engine call
//   {"id":3,"op":"announce","deviceId":"…","port":7440,"fingerprint":"…","title":"…"}  a bare announcement
import { createInterface } from 'node:readline';
import { openEngine } from '../../electron/engine/engine';
import { createLanDiscovery } from '../../electron/engine/discovery/lan-discovery';
import { certifyEngine } from '../support/certified-engine';
import { calls, type Handlers } from '@shared/contract';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('give the data folder');
const engine = openEngine({ dataDir, host: 'web', log: (line) => process.stderr.write(`${line}\n`) });
const extra = createLanDiscovery();

const answer = (id: unknown, body: object) => process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);

type Command = { id: number; op: string; [key: string]: unknown };

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'certify': {
      const certified = certifyEngine(engine, { user: String(command.user), role: command.role as 'commander', since: Date.now() - 60_000 });
      return { certId: certified.certificate.certId };
    }
    case 'call': {
      const name = command.name as keyof Handlers;
      const handler = engine.handlers[name] as (request: unknown) => unknown;
      return await handler(calls[name].request.parse(command.request ?? {}));
    }
    case 'announce':
      await extra.announce({
        deviceId: String(command.deviceId),
        port: Number(command.port),
        fingerprint: String(command.fingerprint),
        title: String(command.title),
        hostedBy: 'someone else',
      });
      return { announced: true };
    case 'quit':
      await extra.close();
      await engine.close();
      setImmediate(() => process.exit(0));
      return { closed: true };
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as Command;
  run(command).then(
    (value) => answer(command.id, { ok: true, value }),
    (error: unknown) => answer(command.id, { ok: false, error: { code: (error as { code?: string }).code ?? 'error', message: (error as Error).message } }),
  );
});
lines.on('close', () => {
  void extra
    .close()
    .then(() => engine.close())
    .then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ ready: true, deviceId: engine.replica.deviceId })}\n`);
