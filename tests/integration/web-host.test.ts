// `holdfast web --host`: the browser UI on loopback and a war-room hub over TLS, joined by a replica.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, openTestEngine } from '../support/engines';
import { settle, startCentral } from '../support/sync';
import { tempDir } from '../support/temp';

const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const close of closers.splice(0)) await close();
});

describe('holdfast web --host', () => {
  it('serves a hub with a join code that another replica syncs with', async () => {
    // The host connected to the service once: its certificate lets it admit people.
    const service = await startCentral('sqlite');
    closers.push(() => service.close());
    const dataDir = tempDir();
    const once = openTestEngine({ dataDir, syncPollMs: 60_000 });
    await call(once, 'sync.connect', { url: service.url, token: await service.token('hana', 'commander') });
    await once.close();
    const bin = join(import.meta.dirname, '../../electron/cli/holdfast.mjs');
    const child = spawn(process.execPath, [bin, 'web', '--host', '--data', dataDir, '--port', '0', '--hub-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const printed = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no join code printed:\n${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/War room hub: join code/.test(out)) {
          clearTimeout(timer);
          resolve(out);
        }
      });
    });
    const link = /(https:\/\/127\.0\.0\.1:\d+\/join#\S+)/.exec(printed)![1];
    const url = /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1];
    const token = /#token=(\S+)/.exec(printed)![1];

    // Someone in the room declares an incident in the host's browser UI…
    const declared = await fetch(`${url}/api/call/incidents.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: 'Core switch down', severity: 'SEV1' }),
    }).then((r) => r.json() as Promise<{ value: { id: string } }>);

    // …and a laptop that joins the hub (as a guest: it never connected to the service) gets it, and its notes reach the host.
    const laptop = openTestEngine({ syncPollMs: 60_000 });
    laptop.replica.setActor('sam');
    await call(laptop, 'sync.join', { link });
    await settle([laptop]);
    expect(await call(laptop, 'incidents.get', { id: declared.value.id })).toMatchObject({ title: 'Core switch down' });
    await call(laptop, 'timeline.add', { incidentId: declared.value.id, kind: 'note', text: 'Moved uplinks to the spare switch' });
    await settle([laptop]);
    const page = await fetch(`${url}/api/call/timeline.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ incidentId: declared.value.id }),
    }).then((r) => r.json() as Promise<{ value: { entries: { kind: string; text: string; authorId: string }[] } }>);
    const written = page.value.entries.filter((e) => e.kind !== 'system');
    expect(written.map((e) => [e.text, e.authorId])).toEqual([['Moved uplinks to the spare switch', 'guest:sam']]);
  });
});
