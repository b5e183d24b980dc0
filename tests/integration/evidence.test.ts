// Forensic evidence on real replicas and real files: checklists in volatility order, hashing in
// the engine (a multi-gigabyte sparse file, progress, cancel, zero-byte and size-mismatch flags),
// verification, the append-only custody chain and its tamper detection (also by verify-chain),
// the evidence gate on recovery steps and its override, and the bundle's export → verify →
// import round trip into a fresh replica; signed bundles carry their certificates (trust.json), and
// a replica that pinned its organisation's key refuses a crafted one, naming the problem.
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { readEvidenceBundle } from '../../electron/engine/evidence/bundle-reader';
import { buildEvidenceBundle } from '../../electron/engine/evidence/evidence-bundle';
import type { HashJob } from '@shared/domain/evidence';
import { holdfast } from '../support/cli';
import { call, openTestEngine, opsOf, refusal, systemTexts } from '../support/engines';
import { encodeHlc, decodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { tempDir } from '../support/temp';
import { certifyEngine } from '../support/certified-engine';
import { testOrg, type TestOrg } from '../support/trust';
import { fingerprintOf } from '@shared/trust/certificate';
import { groupedFingerprint } from '@shared/trust/api';
import type { BundleTrust } from '../../electron/engine/evidence/bundle-trust';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';

let clock = Date.UTC(2026, 9, 30, 9, 0, 0);
const now = () => clock;

function person(name: string, dataDir?: string): Engine {
  const engine = openTestEngine({ now, ...(dataDir ? { dataDir } : {}) });
  engine.replica.setActor(name);
  return engine;
}

/** Resolves with the job once it is no longer running, collecting the progress events seen. */
function finished(engine: Engine, jobId: string): Promise<{ job: HashJob; progress: HashJob[] }> {
  const progress: HashJob[] = [];
  return new Promise((resolve) => {
    const stop = engine.onEvent((event, payload) => {
      if (event !== 'evidence.hashProgress') return;
      const job = payload as HashJob;
      if (job.id !== jobId) return;
      progress.push(job);
      if (job.state !== 'running') {
        stop();
        resolve({ job, progress });
      }
    });
  });
}

const collection = (artifactId: string, extra: Record<string, unknown>) => ({
  artifactId,
  collector: { name: 'Ana Lima', role: 'ops lead', contact: '+44 7700 900123' },
  hostIds: ['orders-db-1', '10.0.4.17'],
  acquisitionStart: clock - 120_000,
  acquisitionEnd: clock - 60_000,
  collectorTimeZone: 'Europe/London',
  tool: 'pg_dump',
  command: 'pg_dump --schema-only orders',
  storageLocation: 's3://evidence/inc-1/',
  fileName: 'evidence.bin',
  size: 0,
  ...extra,
});

async function declareWithChecklist(engine: Engine) {
  const incident = await call(engine, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1', services: ['orders-db'], type: 'outage' });
  const view = await call(engine, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' });
  return { incident, view };
}

describe('evidence checklists and collection', () => {
  it('lists a checklist most volatile first and collects an item hashed by Holdfast', async () => {
    const ana = person('ana');
    expect((await call(ana, 'evidence.templates', {})).map((t) => t.id)).toEqual(['bad-release', 'database-outage', 'compromised-host']);
    const { incident, view } = await declareWithChecklist(ana);
    expect(view.artifacts.map((a) => [a.artifactType, a.volatility, a.state])).toEqual([
      ['process', 2, 'planned'],
      ['heap-dump', 3, 'planned'],
      ['config', 4, 'planned'],
      ['database', 5, 'planned'],
      ['log', 6, 'planned'],
      ['log', 6, 'planned'],
    ]);
    expect(view.gate.missing).toHaveLength(5);
    expect((await refusal(() => call(ana, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' }))).code).toBe('conflict');

    const dir = tempDir('holdfast-evidence-');
    const file = join(dir, 'pg_stat_activity.txt');
    const content = 'pid | state | query\n4242 | active | UPDATE orders SET …\n';
    const bytes = Buffer.byteLength(content);
    writeFileSync(file, content);
    const expected = createHash('sha256').update(content).digest('hex');
    const target = view.artifacts[0];
    await call(ana, 'evidence.startCollecting', { artifactId: target.id });
    const started = await call(ana, 'evidence.hashFile', { artifactId: target.id, path: file, withLegacy: true });
    const { job } = await finished(ana, started.id);
    expect(job).toMatchObject({ state: 'done', bytesDone: bytes, bytesTotal: bytes, sha256: expected, md5: createHash('md5').update(content).digest('hex') });

    clock += 60_000;
    const collected = await call(ana, 'evidence.recordCollection', collection(target.id, { size: bytes, hashJobId: job.id }));
    expect(collected).toMatchObject({
      state: 'collected',
      sha256: expected,
      md5: createHash('md5').update(content).digest('hex'),
      sha1: createHash('sha1').update(content).digest('hex'),
      hashSource: 'holdfast',
      hashWarning: '',
      size: bytes,
      collector: { name: 'Ana Lima', role: 'ops lead', contact: '+44 7700 900123' },
      collectorTimeZone: 'Europe/London',
    });
    const custody = await call(ana, 'evidence.custody', { artifactId: target.id });
    expect(custody.map((e) => e.action)).toEqual(['collected', 'hashed']);
    expect(custody[1].prevHash).toBe(custody[0].hash);
    expect((await systemTexts(ana, incident.id)).at(-1)).toMatch(
      /^ana collected "Process list.*SHA-256 [0-9a-f]{12}… \(computed by Holdfast\), stored at s3:\/\/evidence\/inc-1\/$/,
    );

    // Verify: the same bytes match; changed bytes are a recorded mismatch.
    const verify = await call(ana, 'evidence.hashFile', { artifactId: target.id, path: file, purpose: 'verify' });
    expect((await finished(ana, verify.id)).job.state).toBe('done');
    expect((await call(ana, 'evidence.list', { incidentId: incident.id })).artifacts[0].state).toBe('verified');
    writeFileSync(file, `${content}tampered\n`);
    const again = await call(ana, 'evidence.hashFile', { artifactId: target.id, path: file, purpose: 'verify' });
    await finished(ana, again.id);
    const after = await call(ana, 'evidence.list', { incidentId: incident.id });
    expect(after.artifacts[0].hashWarning).toMatch(/did not match/);
    expect(after.artifacts[0].state).toBe('collected');
    expect(after.custody.filter((e) => e.action === 'verified').map((e) => e.result)).toEqual(['match', 'mismatch']);
    expect(after.chainProblem).toBeNull();
    // The file restored: a match verifies it again and clears the warning.
    writeFileSync(file, content);
    const restored = await call(ana, 'evidence.hashFile', { artifactId: target.id, path: file, purpose: 'verify' });
    await finished(ana, restored.id);
    expect((await call(ana, 'evidence.list', { incidentId: incident.id })).artifacts[0]).toMatchObject({ state: 'verified', hashWarning: '' });
    expect((await refusal(() => call(ana, 'evidence.hashFile', { artifactId: target.id, path: '//fileserver/share/dump.bin' }))).message).toContain('network path');
  });

  it('flags a zero-byte file and a size that disagrees, and refuses bad collections without writing', async () => {
    const ana = person('ana');
    const { view } = await declareWithChecklist(ana);
    const dir = tempDir('holdfast-evidence-');
    writeFileSync(join(dir, 'empty.log'), '');
    const job = await call(ana, 'evidence.hashFile', { artifactId: view.artifacts[0].id, path: join(dir, 'empty.log') });
    await finished(ana, job.id);
    const empty = await call(ana, 'evidence.recordCollection', collection(view.artifacts[0].id, { size: 10, hashJobId: job.id }));
    expect(empty.hashWarning).toBe('size mismatch: declared 10 bytes, the file has 0; zero-byte file: the collection may have failed');
    expect(empty.size).toBe(0);

    const declared = await call(ana, 'evidence.recordCollection', collection(view.artifacts[1].id, { size: 2_147_483_648, sha256: 'AB'.repeat(32), tool: 'avml' }));
    expect(declared).toMatchObject({ hashSource: 'tool', sha256: 'ab'.repeat(32), hashWarning: '' });

    const before = { ops: ana.replica.opLog.count(), digest: ana.replica.digest() };
    await expect(async () => call(ana, 'evidence.recordCollection', collection(view.artifacts[2].id, { size: 1 }))).rejects.toThrow('give either the SHA-256');
    await expect(async () => call(ana, 'evidence.recordCollection', collection(view.artifacts[2].id, { size: 1, sha256: 'nothex' }))).rejects.toThrow('64 hexadecimal');
    expect((await refusal(() => call(ana, 'evidence.hashFile', { artifactId: view.artifacts[2].id, path: 'relative/file' }))).message).toContain('full path');
    expect((await refusal(() => call(ana, 'evidence.hashFile', { artifactId: view.artifacts[2].id, path: join(dir, 'missing') }))).message).toContain(
      'there is no such file',
    );
    expect((await refusal(() => call(ana, 'evidence.waive', { artifactId: view.artifacts[0].id, reason: 'x', approvedBy: 'dana' }))).code).toBe('conflict');
    expect({ ops: ana.replica.opLog.count(), digest: ana.replica.digest() }).toEqual(before);
  });

  it('hashes a multi-gigabyte sparse file as a stream, with progress, and can cancel one', async () => {
    const ana = person('ana');
    const { view } = await declareWithChecklist(ana);
    const dir = tempDir('holdfast-big-');
    const path = join(dir, 'memory.lime');
    const size = 3 * 1024 ** 3 + 12345;
    const fd = openSync(path, 'w');
    ftruncateSync(fd, size);
    writeSync(fd, Buffer.from('LiME header'), 0, 11, 0);
    writeSync(fd, Buffer.from('tail marker'), 0, 11, size - 11);
    closeSync(fd);
    // The expected hash, computed independently without reading the sparse file.
    const expected = createHash('sha256');
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    expected.update('LiME header');
    let left = size - 22;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      expected.update(n === zeros.length ? zeros : zeros.subarray(0, n));
      left -= n;
    }
    expected.update('tail marker');

    const started = await call(ana, 'evidence.hashFile', { artifactId: view.artifacts[0].id, path });
    const heapBefore = process.memoryUsage().rss;
    const { job, progress } = await finished(ana, started.id);
    expect(job.state).toBe('done');
    expect(job.bytesDone).toBe(size);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.bytesDone)).toEqual([...progress.map((p) => p.bytesDone)].sort((a, b) => a - b));
    // Read as a stream: memory grows by far less than the file.
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(512 * 1024 * 1024);
    const collected = await call(ana, 'evidence.recordCollection', collection(view.artifacts[0].id, { size, hashJobId: job.id, tool: 'LiME' }));
    expect(collected.sha256).toBe(expected.digest('hex'));

    const second = await call(ana, 'evidence.hashFile', { artifactId: view.artifacts[1].id, path });
    const ending = finished(ana, second.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(ana, 'evidence.cancelHash', { jobId: second.id })).id).toBe(second.id);
    const cancelled = (await ending).job;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.bytesDone).toBeLessThan(size);
    expect((await refusal(() => call(ana, 'evidence.recordCollection', collection(view.artifacts[1].id, { size, hashJobId: second.id })))).message).toContain(
      'is cancelled',
    );

    // At most four files are hashed at once; a fifth waits for the person to retry.
    const four = await Promise.all([0, 1, 2, 3].map(async (i) => call(ana, 'evidence.hashFile', { artifactId: view.artifacts[i].id, path })));
    expect((await refusal(() => call(ana, 'evidence.hashFile', { artifactId: view.artifacts[4].id, path }))).message).toBe(
      '4 files are being hashed already; wait for one to finish or cancel one.',
    );
    const ended = four.map((job) => finished(ana, job.id));
    for (const job of four) await call(ana, 'evidence.cancelHash', { jobId: job.id });
    expect((await Promise.all(ended)).map((e) => e.job.state)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  }, 120_000);
});

describe('checklist templates', () => {
  it('are saved in the library with who saved them; a new one never replaces another; built-ins can be hidden', async () => {
    const ana = person('ana');
    const saved = await call(ana, 'evidence.saveTemplate', {
      name: 'Kubernetes node failure',
      incidentTypes: ['outage'],
      items: [
        { key: 'node-journal', artifactType: 'log', what: 'Node journal', how: 'journalctl -b' },
        { key: 'kubelet-config', artifactType: 'config', what: 'Kubelet config' },
        { key: 'node-memory', artifactType: 'memory', what: 'Memory of the node', isRequired: false },
        { key: 'pod-list', artifactType: 'log', what: 'Pods on the node' },
      ],
    });
    expect(saved).toMatchObject({ id: 'kubernetes-node-failure', updatedBy: 'ana', updatedAt: clock });
    expect(saved.items.map((i) => [i.key, i.volatility, i.isRequired])).toEqual([
      ['node-journal', 6, true],
      ['kubelet-config', 4, true],
      ['node-memory', 1, false],
      ['pod-list', 6, true],
    ]);
    expect(
      (await refusal(() => call(ana, 'evidence.saveTemplate', { name: 'Kubernetes node failure', items: [{ key: 'x', artifactType: 'log', what: 'x' }] }))).code,
    ).toBe('conflict');
    await expect(async () => call(ana, 'evidence.saveTemplate', { name: 'Bad', items: [{ key: 'Bad Key', artifactType: 'log', what: 'x' }] })).rejects.toThrow(
      'lower-case letters',
    );

    // Started in an incident: most volatile first, equal volatility in the checklist's order.
    const incident = await call(ana, 'incidents.create', { title: 'Node down', severity: 'SEV2' });
    const view = await call(ana, 'evidence.startChecklist', { incidentId: incident.id, templateId: saved.id });
    expect(view.artifacts.map((a) => a.itemKey)).toEqual(['node-memory', 'kubelet-config', 'node-journal', 'pod-list']);

    const remaining = await call(ana, 'evidence.removeTemplate', { id: 'compromised-host' });
    expect(remaining.map((t) => t.id)).toEqual(['bad-release', 'database-outage', 'kubernetes-node-failure']);
  });
});

describe('the chain of custody', () => {
  it('is append-only: corrections are new events, transfers need from, to and purpose', async () => {
    const ana = person('ana');
    const { view } = await declareWithChecklist(ana);
    const id = view.artifacts[3].id;
    await call(ana, 'evidence.recordCollection', collection(id, { size: 100, sha256: 'cd'.repeat(32) }));
    await expect(async () => call(ana, 'evidence.addCustody', { artifactId: id, action: 'transferred', to: 'legal' })).rejects.toThrow(
      'a transfer needs from, to and purpose',
    );
    const transfer = await call(ana, 'evidence.addCustody', {
      artifactId: id,
      action: 'transferred',
      from: 'ana',
      to: 'legal hold locker 3',
      purpose: 'litigation hold',
    });
    const fix = await call(ana, 'evidence.addCustody', { artifactId: id, action: 'correction', corrects: transfer.id, note: 'it was locker 4' });
    const chain = await call(ana, 'evidence.custody', { artifactId: id });
    expect(chain.map((e) => e.action)).toEqual(['collected', 'transferred', 'correction']);
    expect(chain[2]).toMatchObject({ corrects: transfer.id, prevHash: transfer.hash, hash: fix.hash });
    await call(ana, 'evidence.addCustody', { artifactId: id, action: 'disposed', note: 'destroyed under retention policy' });
    expect((await refusal(() => call(ana, 'evidence.addCustody', { artifactId: id, action: 'accessed' }))).message).toContain('was disposed of');
  });

  it('detects a custody record changed or deleted in the database, and verify-chain exits 1', async () => {
    const data = tempDir('holdfast-data-');
    const ana = person('ana', data);
    const { incident, view } = await declareWithChecklist(ana);
    const id = view.artifacts[3].id;
    await call(ana, 'evidence.recordCollection', collection(id, { size: 100, sha256: 'cd'.repeat(32) }));
    await call(ana, 'evidence.addCustody', { artifactId: id, action: 'transferred', from: 'ana', to: 'legal', purpose: 'hold' });
    await call(ana, 'evidence.addCustody', { artifactId: id, action: 'stored', to: 'locker 4' });
    expect((await call(ana, 'evidence.list', { incidentId: incident.id })).chainProblem).toBeNull();
    await ana.close();
    expect((await holdfast('verify-chain', '--data', data)).out).toMatch(/; 3 custody event\(s\) verified; \d+ projected row\(s\) match the op log replayed;/);

    const tamper = person('ana', data);
    tamper.db.prepare("UPDATE custody_events SET to_party = 'someone else' WHERE action = 'transferred'").run();
    expect((await call(tamper, 'evidence.list', { incidentId: incident.id })).chainProblem).toMatch(/does not match its hash: the record was altered/);
    await tamper.close();
    const run = await holdfast('verify-chain', '--data', data);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/BROKEN: custody event .* \(transferred of artifact .*\) does not match its hash/);

    const removed = person('ana', data);
    removed.replica.rebuild();
    expect((await call(removed, 'evidence.list', { incidentId: incident.id })).chainProblem).toBeNull();
    removed.db.prepare("DELETE FROM custody_events WHERE action = 'transferred'").run();
    expect((await call(removed, 'evidence.list', { incidentId: incident.id })).chainProblem).toMatch(/follows a record that is not in its artifact's chain/);
    // Deleting the last record leaves a chain that still links: the op log shows it is gone.
    removed.replica.rebuild();
    removed.db.prepare("DELETE FROM custody_events WHERE action = 'stored'").run();
    expect((await call(removed, 'evidence.list', { incidentId: incident.id })).chainProblem).toBeNull();
    await removed.close();
    const last = await holdfast('verify-chain', '--data', data);
    expect(last.code).toBe(1);
    expect(last.err).toMatch(/custody event .* is in the op log but not among the custody records: a record was deleted/);
  });
});

describe('custody records that arrive by sync', () => {
  /** `op` with other fields (and a new id and later clock), signed again as its device would. */
  const variant = (op: Op, fields: Record<string, unknown>, streamId = op.streamId, laterMs = 1): Op => {
    const hlc = decodeHlc(op.hlc);
    const opId = uuidv7(hlc.ms + laterMs);
    const { hash: _hash, ...rest } = op;
    const unsigned = { ...rest, opId, rowId: opId, streamId, hlc: encodeHlc({ ...hlc, ms: hlc.ms + laterMs }), fields: { ...op.fields, ...fields } as Op['fields'] };
    return { ...unsigned, hash: hashOp(unsigned) };
  };

  it("refuses a custody event for another incident's artifact", async () => {
    const ana = person('ana');
    const { view } = await declareWithChecklist(ana);
    const other = await declareWithChecklist(ana);
    await call(ana, 'evidence.addCustody', { artifactId: view.artifacts[0].id, action: 'accessed', note: 'read the process list' });
    const event = opsOf(ana).find((op) => op.entity === 'custody_event') as Op;
    const forged = variant(event, { artifactId: other.view.artifacts[0].id, action: 'disposed', eventId: uuidv7() });
    const [result] = ana.replica.applyRemote([forged]);
    expect(result.status).toBe('rejected');
    expect(await call(ana, 'evidence.custody', { artifactId: other.view.artifacts[0].id })).toEqual([]);
  });

  it('does not open the gate for an artifact marked verified by an op without its record', async () => {
    const ana = person('ana');
    const { incident, view } = await declareWithChecklist(ana);
    const artifactOp = opsOf(ana).find((op) => op.entity === 'artifact' && op.rowId === view.artifacts[0].id) as Op;
    const shortcut = { ...variant(artifactOp, {}), rowId: artifactOp.rowId };
    const { hash: _h, ...unsigned } = { ...shortcut, fields: { incidentId: incident.id, state: 'verified' } as Op['fields'] };
    expect(ana.replica.applyRemote([{ ...unsigned, hash: hashOp(unsigned) }])[0].status).toBe('accepted');
    const after = await call(ana, 'evidence.list', { incidentId: incident.id });
    expect(after.artifacts[0].state).toBe('verified');
    expect(after.gate.missing.map((a) => a.id)).toContain(view.artifacts[0].id);
  });

  it('keeps the first record of a replayed event id on every replica, whatever the order', async () => {
    const ana = person('ana');
    const { incident, view } = await declareWithChecklist(ana);
    await call(ana, 'evidence.addCustody', { artifactId: view.artifacts[0].id, action: 'accessed', note: 'original' });
    const ops = opsOf(ana);
    const event = ops.find((op) => op.entity === 'custody_event') as Op;
    const replay = variant(event, { note: 'replayed' }, event.streamId, 5000);
    const first = person('ben');
    const second = person('cleo');
    first.replica.applyRemote([...ops, replay]);
    second.replica.applyRemote([replay, ...ops]);
    expect(first.replica.digest()).toBe(second.replica.digest());
    const custody = (await call(second, 'evidence.list', { incidentId: incident.id })).custody;
    expect(custody.map((e) => e.note)).toEqual(['original']);
  });
});

describe('the evidence gate on recovery actions', () => {
  it('refuses a recovery step while required evidence is missing, unless overridden with a reason on the timeline', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', {
      source: `---
id: promote
title: Promote the replica
---

1. [check] Confirm the primary is down
2. [recovery] Promote orders-db-2
`,
    });
    const { incident, view } = await declareWithChecklist(ana);
    const run = await call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'promote' });
    const before = ana.replica.opLog.count();
    const refused = await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done' }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(
      /^Preserve the evidence first: 5 required artifacts are neither collected nor waived \(Process list.*: planned;.*\)\. To go ahead anyway/,
    );
    expect(ana.replica.opLog.count()).toBe(before);
    // Failing a recovery step is not gated: nothing changed in production.
    await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'failed', note: 'patroni refused' });

    const overridden = await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done', override: 'orders are being lost every minute; commander approved' });
    expect(overridden.deviations.map((d) => [d.kind, d.note])).toEqual([
      ['out-of-order', ''],
      ['evidence-gate', 'orders are being lost every minute; commander approved'],
    ]);
    expect((await systemTexts(ana, incident.id)).at(-1)).toMatch(
      /^ana did step 2 "Promote orders-db-2" \(recovery action\) of "Promote the replica" \(out of order: step 1 still open\) — evidence gate overridden \(5 required artifacts not collected: .*\): orders are being lost every minute; commander approved$/,
    );

    // With every required item collected or waived, the gate is open.
    for (const artifact of view.artifacts.filter((a) => a.isRequired)) {
      await call(ana, 'evidence.waive', { artifactId: artifact.id, reason: 'replica promoted already', approvedBy: 'dana' });
    }
    await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'pending' });
    const clean = await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done' });
    expect(clean.deviations.map((d) => d.kind)).toEqual(['out-of-order']);
    expect((await call(ana, 'evidence.list', { incidentId: incident.id })).gate.missing).toEqual([]);
    // New required evidence later: a note on the recovery step, done already, is not gated again.
    await call(ana, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'bad-release' });
    expect((await call(ana, 'evidence.list', { incidentId: incident.id })).gate.missing).toHaveLength(3);
    const noted = await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done', note: 'new primary is orders-db-2' });
    expect(noted.steps[1]).toMatchObject({ state: 'done', note: 'new primary is orders-db-2' });
  });
});

describe('the evidence bundle', () => {
  it('exports, verifies and imports into a fresh replica with the same artifacts and custody', async () => {
    const data = tempDir('holdfast-data-');
    const ana = person('ana', data);
    const { incident, view } = await declareWithChecklist(ana);
    await call(ana, 'evidence.recordCollection', collection(view.artifacts[2].id, { size: 100, sha256: 'ef'.repeat(32) }));
    await call(ana, 'evidence.addCustody', { artifactId: view.artifacts[2].id, action: 'transferred', from: 'ana', to: 'legal', purpose: 'hold' });
    const original = await call(ana, 'evidence.list', { incidentId: incident.id });
    const manifest = JSON.parse((await call(ana, 'evidence.export', { incidentId: incident.id, format: 'manifest-json' })).text) as { artifacts: unknown[] };
    expect(manifest.artifacts).toHaveLength(6);
    const form = await call(ana, 'evidence.export', { incidentId: incident.id, format: 'custody-html', artifactId: view.artifacts[2].id });
    expect(form.text).toContain('legal');
    expect(readEvidenceBundle(buildEvidenceBundle(ana.evidenceRecord(incident.id))).ok).toBe(true);
    await ana.close();

    const dir = tempDir('holdfast-bundle-');
    const zip = join(dir, 'evidence.zip');
    expect((await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data)).code).toBe(0);
    // A laptop that never connected signs with its device key alone: accepted only when told so.
    expect((await holdfast('evidence', 'verify', zip)).err).toContain('device key not certified');
    const verified = await holdfast('evidence', 'verify', zip, '--allow-unsigned');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('every file, op and custody chain is intact and every derived file');
    expect(verified.out).toContain('ACCEPTED UNSIGNED (--allow-unsigned)');

    const fresh = tempDir('holdfast-fresh-');
    const imported = await holdfast('evidence', 'import', zip, '--data', fresh, '--allow-unsigned');
    expect(imported.code).toBe(0);
    const copy = person('ben', fresh);
    expect(await call(copy, 'evidence.list', { incidentId: incident.id })).toEqual(original);
    await copy.close();
    // A replica that holds the incident is never changed by a bundle.
    const again = await holdfast('evidence', 'import', zip, '--data', fresh, '--allow-unsigned');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds incident');

    // A manifest rewritten with its checksums but not its ops: caught by replaying the ops.
    const files = unzipSync(readFileSync(zip));
    const manifestOf = JSON.parse(strFromU8(files['manifest.json'])) as { custody: unknown[] };
    manifestOf.custody.pop();
    files['manifest.json'] = strToU8(`${JSON.stringify(manifestOf, null, 2)}\n`);
    files.SHA256SUMS = strToU8(
      Object.keys(files)
        .filter((name) => name !== 'SHA256SUMS')
        .sort()
        .map((name) => `${createHash('sha256').update(files[name]).digest('hex')}  ${name}\n`)
        .join(''),
    );
    const forged = join(dir, 'forged.zip');
    writeFileSync(forged, zipSync(files));
    const caught = await holdfast('evidence', 'verify', forged, '--allow-unsigned');
    expect(caught.code).toBe(1);
    expect(caught.err).toContain("manifest.json does not match what the bundle's ops hold");

    // A bundle changed after export is refused and imports nothing.
    const bytes = Buffer.from(readFileSync(zip));
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(zip, bytes);
    const broken = await holdfast('evidence', 'verify', zip);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('NOT VERIFIED');
  });
});

describe('signed evidence bundles', () => {
  /** The bundle's files with `change` applied and SHA256SUMS made again, as someone crafting a bundle would. */
  const crafted = (zip: string, out: string, change: (files: Record<string, Uint8Array>) => void) => {
    const files = unzipSync(readFileSync(zip));
    change(files);
    files.SHA256SUMS = strToU8(
      Object.keys(files)
        .filter((name) => name !== 'SHA256SUMS')
        .sort()
        .map((name) => `${createHash('sha256').update(files[name]).digest('hex')}  ${name}\n`)
        .join(''),
    );
    writeFileSync(out, zipSync(files));
    return out;
  };
  /** ops.jsonl with its last op rewritten by `rewrite` (its hash made again, so only a signature can tell). */
  const rewriteLastOp = (files: Record<string, Uint8Array>, rewrite: (op: Op) => Op) => {
    const lines = strFromU8(files['ops.jsonl']).trimEnd().split('\n');
    const { hash: _hash, ...rest } = rewrite(JSON.parse(lines.at(-1)!) as Op);
    const { sig, ...hashed } = rest;
    lines[lines.length - 1] = JSON.stringify({ ...hashed, hash: hashOp(hashed, nativeSha256Hex), ...(sig === undefined ? {} : { sig }) });
    files['ops.jsonl'] = strToU8(`${lines.join('\n')}\n`);
  };
  /** A fresh data folder whose replica pinned `org`'s key (it checks bundles against it). */
  const pinnedReplica = async (org: TestOrg) => {
    const dir = tempDir('holdfast-pinned-');
    const engine = openTestEngine({ now, dataDir: dir });
    engine.replica.trust.pinOrgKey(org.orgKey);
    await engine.close();
    return dir;
  };
  /** An incident written on a certified replica and exported as a bundle. */
  const signedBundle = async (org?: TestOrg) => {
    const data = tempDir('holdfast-signed-');
    const ana = person('ana', data);
    const certified = certifyEngine(ana, { user: 'ana', role: 'commander', since: clock - 30 * 60_000, ...(org ? { org } : {}) });
    const incident = await call(ana, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1' });
    await call(ana, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Primary is read-only' });
    const last = await call(ana, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failed over to orders-db-2' });
    await ana.close();
    const zip = join(tempDir('holdfast-signed-bundle-'), 'evidence.zip');
    expect((await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data)).code).toBe(0);
    return { ...certified, incident, last, zip };
  };
  const opCount = async (dir: string) => {
    const engine = openTestEngine({ now, dataDir: dir });
    const count = engine.replica.opLog.count();
    await engine.close();
    return count;
  };

  it('carries the certificates and org key its ops are signed under, and imports into a replica of that organisation as valid ops', async () => {
    const { org, certificate, service, incident, zip } = await signedBundle();
    const trust = JSON.parse(strFromU8(unzipSync(readFileSync(zip))['trust.json'])) as BundleTrust;
    expect(trust.orgKeys.map((k) => k.keyId)).toEqual([org.keyId]);
    expect(trust.certificates.map((c) => c.certId).sort()).toEqual([certificate.certId, service.certificate.certId].sort());
    expect(trust.ops.map((op) => op.entity)).toEqual(['device_cert', 'device_cert']);

    const verified = await holdfast('evidence', 'verify', zip);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/\d+ signed ops, 0 unsigned \(written before signing\); certificates check against the organisation key the bundle carries/);

    const pinned = await pinnedReplica(org);
    const imported = await holdfast('evidence', 'import', zip, '--data', pinned);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/, 0 kept but not applied \(held or refused\), 0 rejected; \d+ signed ops.*the organisation key this replica pinned/);
    const copy = openTestEngine({ now, dataDir: pinned });
    expect((await call(copy, 'incidents.get', { id: incident.id })).title).toBe('Orders writes failing');
    const texts = (await call(copy, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 50 })).entries.map((e) => [e.text, e.trust]);
    expect(texts).toContainEqual(['Failed over to orders-db-2', 'signed']);
    expect(copy.replica.trust.heldCount()).toBe(0);
    await copy.close();
  });

  it("carries the service's seal over entries written before signing, so a pinned replica imports them as unsigned, not held", async () => {
    const data = tempDir('holdfast-sealed-');
    const ana = person('ana', data);
    const incident = await call(ana, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1' });
    const deviceId = '0000feed0000beef';
    const legacyFields = { incidentId: incident.id, kind: 'note', text: 'Written before signing', eventAt: clock };
    const opId = uuidv7(clock);
    const unsigned = {
      opId,
      hlc: encodeHlc({ ms: clock, counter: 0, deviceId }),
      streamId: `incident:${incident.id}`,
      actorId: 'lee',
      deviceId,
      entity: 'timeline_entry' as const,
      rowId: opId,
      kind: 'append' as const,
      fields: legacyFields,
      prevHash: genesisHash,
    };
    const legacy: Op = { ...unsigned, hash: hashOp(unsigned, nativeSha256Hex) };
    expect(ana.replica.applyRemote([legacy])[0].status).toBe('accepted');
    const { org, service } = certifyEngine(ana, { user: 'ana', role: 'commander', since: clock - 30 * 60_000 });
    const seal = service.write({ entity: 'legacy_seal', rowId: '', fields: { streamId: `incident:${incident.id}`, hashes: [legacy.hash] } }, clock);
    expect(ana.replica.applyRemote([seal])[0].status).toBe('accepted');
    await ana.close();
    const zip = join(tempDir('holdfast-sealed-bundle-'), 'evidence.zip');
    expect((await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data)).code).toBe(0);
    const trust = JSON.parse(strFromU8(unzipSync(readFileSync(zip))['trust.json'])) as BundleTrust;
    expect(trust.ops.filter((op) => op.entity === 'legacy_seal').map((op) => op.opId)).toEqual([seal.opId]);

    const pinned = await pinnedReplica(org);
    const imported = await holdfast('evidence', 'import', zip, '--data', pinned);
    expect(imported.err).toBe('');
    expect(imported.out).toMatch(/0 kept but not applied \(held or refused\), 0 rejected; \d+ signed ops, 1 unsigned \(written before signing\)/);
    const copy = openTestEngine({ now, dataDir: pinned });
    const entries = (await call(copy, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 50 })).entries;
    expect(entries.find((e) => e.text === 'Written before signing')?.trust).toBe('unsigned');
    await copy.close();
  });

  it('refuses a crafted bundle, naming the problem, and changes nothing: a changed field, another organisation, a stripped signature', async () => {
    const { org, zip } = await signedBundle();
    const dir = tempDir('holdfast-crafted-');
    const pinned = await pinnedReplica(org);
    const before = await opCount(pinned);

    // A field changed after signing, its hash made again: the signature no longer matches.
    const changed = crafted(zip, join(dir, 'changed.zip'), (files) =>
      rewriteLastOp(files, (op) => ({ ...op, fields: { ...op.fields, text: 'Failed over to orders-db-3' } })),
    );
    const byChange = await holdfast('evidence', 'import', changed, '--data', pinned);
    expect(byChange.code).toBe(1);
    expect(byChange.err).toMatch(/op [0-9a-f-]+: its signature does not verify with certificate [0-9a-f]{32}'s key \(ana\): the op was changed after it was signed/);
    expect((await holdfast('evidence', 'verify', changed)).err).toContain('the op was changed after it was signed');

    // A signature stripped (the op still names its certificate), and one stripped with its certificate id and hash made again.
    const stripped = crafted(zip, join(dir, 'stripped.zip'), (files) => {
      const lines = strFromU8(files['ops.jsonl']).trimEnd().split('\n');
      const { sig: _sig, ...op } = JSON.parse(lines.at(-1)!) as Op;
      lines[lines.length - 1] = JSON.stringify(op);
      files['ops.jsonl'] = strToU8(`${lines.join('\n')}\n`);
    });
    const bySig = await holdfast('evidence', 'import', stripped, '--data', pinned);
    expect(bySig.code).toBe(1);
    expect(bySig.err).toContain('an op that names a certificate must be signed');
    const unsigned = crafted(zip, join(dir, 'unsigned.zip'), (files) => rewriteLastOp(files, ({ sig: _sig, certId: _certId, ...op }) => op));
    const byUnsigned = await holdfast('evidence', 'import', unsigned, '--data', pinned);
    expect(byUnsigned.code).toBe(1);
    expect(byUnsigned.err).toMatch(/op [0-9a-f-]+ is unsigned but .*: its signature was stripped/);

    // A bundle signed under another organisation's certificates: it checks against its own key, not the one pinned here.
    const other = await signedBundle(testOrg());
    const byOrg = await holdfast('evidence', 'import', other.zip, '--data', pinned);
    expect(byOrg.code).toBe(1);
    expect(byOrg.err).toMatch(
      /certificate [0-9a-f]{32} \(ana\) is of organisation [0-9a-f]{32}, not of the organisation this replica pinned \([0-9a-f]{32}\): the bundle was signed elsewhere/,
    );
    expect(byOrg.err).toContain('NOT VERIFIED');
    // On its own that bundle is consistent: verify (no pinned key) passes and names the key it carries, for comparing out of band.
    const alone = await holdfast('evidence', 'verify', other.zip);
    expect(alone.code).toBe(0);
    expect(alone.out).toContain(`the organisation key the bundle carries (${groupedFingerprint(fingerprintOf(other.org.orgKey.publicKey, nativeSha256Hex))})`);

    expect(await opCount(pinned)).toBe(before);
  });
});
