// Signed backups and bundles end to end with real processes: a `holdfast server`, a commander's
// `holdfast web` laptop that connects to it (and so gets its certificate), then `holdfast backup`,
// `verify`, `evidence bundle` and `evidence verify` as separate processes on the laptop's folder.
// Each says who made the file, checked against the org key the laptop pinned; a backup whose rows
// were edited and manifest made again is refused.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestPathOf, sha256File } from '../../electron/engine/core/backup';
import { createProjections } from '../../electron/engine/core/projections';
import { runHoldfast, spawnWeb, startServerProcess, webCall, type ServerProcess } from '../support/processes';
import { tempDir } from '../support/temp';

const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const proc of running.splice(0).reverse()) await proc.stop();
}, 30_000);

describe('signed files with real processes', () => {
  it("a connected laptop's backup and bundle say who made them; an edited backup is refused", async () => {
    const service: ServerProcess = await startServerProcess(tempDir('holdfast-service-'));
    running.push(service);
    const token = service.addUser('ana', 'commander');
    const dataDir = tempDir('holdfast-laptop-');
    const web = await spawnWeb({ dataDir });
    running.push(web);
    await webCall(web, 'sync.connect', { url: service.url, token });
    const { deviceId } = await webCall<{ deviceId: string }>(web, 'app.info');
    const incident = await webCall<{ id: string }>(web, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1' });
    await web.stop();

    const out = join(tempDir('holdfast-backups-'), 'laptop.db');
    const backup = runHoldfast(['backup', '--data', dataDir, '--out', out]);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(new RegExp(`signature: .*laptop\\.db\\.signature\\.json \\(device ${deviceId}, certificate [0-9a-f]{32} of ana\\)`));
    const verify = runHoldfast(['verify', out, '--data', dataDir]);
    expect(verify.err).toBe('');
    expect(verify.code).toBe(0);
    const fingerprint = service.orgKey().fingerprint.match(/.{4}/g)!.join(' ');
    expect(verify.out).toContain(`signed by ana (commander) on device ${deviceId}`);
    expect(verify.out).toContain(`issuer: organisation key ${fingerprint}, checked against the organisation key this replica pinned`);

    const zip = join(tempDir('holdfast-bundles-'), 'evidence.zip');
    expect(runHoldfast(['evidence', 'bundle', incident.id, '--out', zip, '--data', dataDir]).code).toBe(0);
    const bundle = runHoldfast(['evidence', 'verify', zip, '--data', dataDir]);
    expect(bundle.err).toBe('');
    expect(bundle.out).toContain(`signed by ana (commander) on device ${deviceId}`);
    expect(bundle.out).toContain('checked against the organisation key this replica pinned');

    // Rows edited and the manifest made again (digest, size, SHA-256): the signature no longer holds.
    const db = new Database(out);
    db.prepare("UPDATE incidents SET title = 'Nothing happened'").run();
    const projectionDigest = createProjections(db).digest();
    db.close();
    const manifest = JSON.parse(readFileSync(manifestPathOf(out), 'utf8')) as object;
    writeFileSync(manifestPathOf(out), `${JSON.stringify({ ...manifest, projectionDigest, sha256: await sha256File(out), bytes: statSync(out).size }, null, 2)}\n`);
    for (const flags of [[], ['--allow-unsigned']]) {
      const edited = runHoldfast(['verify', out, '--data', dataDir, ...flags]);
      expect(edited.code).toBe(1);
      expect(edited.out).toBe('');
    }
    const restore = runHoldfast(['restore', out, '--data', tempDir('holdfast-restore-'), '--allow-unsigned']);
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('Refusing to restore');
  }, 180_000);
});
