// Store benchmark (`npm run bench -- store`):
// 1. 200k ops written and signed by four certified devices of a bench organisation (signing timed
//    on its own), applied in pages of 500 (as a pull delivers them) to an engine that pinned the
//    org key, so every op is authenticated and judged, the certificates arriving in the first
//    page; and the same op-log rows (cert_id and sig included) and projection rows written with
//    raw better-sqlite3, a transaction per page; print ops/s, the ratio and verifications per op.
// 2. On a judging replica of 1M signed ops: p50/p99 latency of a single timeline append (signed,
//    judged, a full durable commit) and of the incident-list and timeline-page queries, and the
//    database size per op.
// Figures are printed against their targets as ratios; nothing here passes or fails a build.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '@shared/canonical';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { ed25519 } from '@shared/node/ed25519';
import { hashBytes, storedHashOf } from '@shared/node/op-rows';
import { openDatabase, databaseFileName } from '../electron/engine/core/database';
import { openEngine, type Engine } from '../electron/engine/engine';
import { migrate } from '../electron/engine/core/schema';
import { benchOrg, type BenchDevice, type BenchOrg } from './lib/bench-org';

const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
const words = 'database checkout latency rollback deploy gateway queue timeout replica failover dns certificate cache eviction throttled'.split(' ');

/** The device ids of the generated workload's laptops. */
export const benchDeviceIds = (devices: number) => Array.from({ length: devices }, (_, i) => (0xa000 + i).toString(16).padStart(16, '0'));

/**
 * A realistic op stream from `devices` laptops: declarations, field edits and timeline appends.
 * With `signed`, each laptop is one of its certified devices: it writes as its certificate's user
 * and signs every op.
 */
export function generate(incidents: number, opsPerIncident: number, devices: number, bigIncidentAppends = 0, signed?: { org: BenchOrg; devices: BenchDevice[] }): Op[] {
  const deviceIds = benchDeviceIds(devices);
  const signers = new Map(signed?.devices.map((d) => [d.deviceId, d]));
  const heads = new Map<string, string>();
  let ms = 1_795_000_000_000;
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const sentence = () => Array.from({ length: 8 + rand(10) }, () => words[rand(words.length)]).join(' ');
  const ops: Op[] = [];
  const make = (deviceId: string, entity: Op['entity'], rowId: string | null, streamId: string, fields: Op['fields']) => {
    ms += 1;
    const opId = uuidv7(ms);
    const key = `${deviceId}|${streamId}`;
    const signer = signers.get(deviceId);
    const unsigned = {
      opId,
      hlc: encodeHlc({ ms, counter: 0, deviceId }),
      streamId,
      actorId: signer?.user ?? `responder-${deviceId.slice(-2)}`,
      deviceId,
      entity,
      rowId: rowId ?? opId,
      kind: entity === 'incident' ? ('set' as const) : ('append' as const),
      fields,
      prevHash: heads.get(key) ?? genesisHash,
    };
    const op = signed && signer ? signed.org.sign(unsigned, signer) : { ...unsigned, hash: hashOp(unsigned) };
    heads.set(key, op.hash);
    ops.push(op);
  };
  const incidentIds: string[] = [];
  for (let i = 0; i < incidents; i += 1) {
    const id = uuidv7(ms);
    incidentIds.push(id);
    const stream = `incident:${id}`;
    make(deviceIds[i % devices], 'incident', id, stream, {
      title: `Incident ${i}: ${sentence().slice(0, 60)}`,
      severity: severities[rand(4)],
      status: 'investigating',
      summary: sentence(),
      declaredAt: ms,
    });
    for (let k = 1; k < opsPerIncident; k += 1) {
      const device = deviceIds[rand(devices)];
      if (k % 2 === 1) {
        make(device, 'timeline_entry', null, stream, { incidentId: id, kind: 'note', text: sentence(), eventAt: ms });
      } else {
        const field = (['severity', 'summary', 'status'] as const)[rand(3)];
        const value = field === 'severity' ? severities[rand(4)] : field === 'status' ? 'identified' : sentence();
        make(device, 'incident', id, stream, { [field]: value });
      }
    }
  }
  if (bigIncidentAppends > 0) {
    const id = incidentIds[0];
    for (let k = 0; k < bigIncidentAppends; k += 1) {
      make(deviceIds[rand(devices)], 'timeline_entry', null, `incident:${id}`, { incidentId: id, kind: 'observation', text: sentence(), eventAt: ms });
    }
  }
  return ops;
}

/**
 * The same op-log and projection rows the engine ends with, written with plain statements, a
 * transaction per page (committed as a pull's pages are: without waiting for the disk).
 */
function rawInsert(db: Database.Database, pages: Op[][]): void {
  const insertOp = db.prepare(`INSERT INTO ops (op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, cert_id, sig)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertIncident = db.prepare(`INSERT INTO incidents (id, title, severity, status, summary, declared_at, updated_at, clocks)
    VALUES (@id, @title, @severity, @status, @summary, @declaredAt, @updatedAt, '{}')`);
  const updateIncident = db.prepare(`UPDATE incidents SET severity = coalesce(@severity, severity), status = coalesce(@status, status),
      summary = coalesce(@summary, summary), updated_at = @updatedAt WHERE id = @id`);
  const insertEntry = db.prepare(`INSERT INTO timeline_entries (id, incident_id, kind, text, event_at, recorded_at, author_id, hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  const page = db.transaction((ops: Op[]) => {
    for (const op of ops) {
      insertOp.run(
        op.opId,
        op.hlc,
        op.streamId,
        op.actorId,
        op.deviceId,
        op.entity,
        op.rowId,
        op.kind,
        canonicalJson(op.fields),
        storedHashOf(op.prevHash),
        hashBytes(op.hash),
        now,
        op.certId ?? null,
        op.sig ?? null,
      );
      const f = op.fields as Record<string, string | number | undefined>;
      if (op.entity === 'incident') {
        const row = {
          id: op.rowId,
          title: f.title ?? null,
          severity: f.severity ?? null,
          status: f.status ?? null,
          summary: f.summary ?? null,
          declaredAt: f.declaredAt ?? null,
          updatedAt: now,
        };
        if (f.title !== undefined) insertIncident.run(row);
        else updateIncident.run(row);
      } else if (op.entity === 'timeline_entry') {
        insertEntry.run(op.rowId, f.incidentId, f.kind, f.text, f.eventAt, now, op.actorId, op.hlc);
      }
    }
  });
  db.pragma('synchronous = NORMAL');
  for (const ops of pages) page(ops);
  db.pragma('synchronous = FULL');
}

/** Splits ops into pages of `size`, as a pull delivers them. */
const pagesOf = (ops: Op[], size: number): Op[][] => Array.from({ length: Math.ceil(ops.length / size) }, (_, i) => ops.slice(i * size, (i + 1) * size));

/** Counts signature verifications (every check the engine makes goes through ed25519.verify). */
function countVerifications(): { count: () => number } {
  const verify = ed25519.verify;
  let count = 0;
  ed25519.verify = (publicKey, message, signature) => {
    count += 1;
    return verify(publicKey, message, signature);
  };
  return { count: () => count };
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

function timeMs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

/**
 * Where a database's bytes go, read from SQLite's `dbstat` table: pages per table and index (the
 * FTS5 shadow tables of one index counted together), biggest first.
 */
export function sizeBreakdown(file: string): { name: string; bytes: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
    const totals = new Map<string, number>();
    for (const { name, bytes } of rows) {
      const key = /^(\w+_fts)_(data|idx|docsize|config|content)$/.exec(name)?.[1] ?? name;
      totals.set(key, (totals.get(key) ?? 0) + bytes);
    }
    const free = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    if (free > 0) totals.set('(free pages)', free);
    return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  } finally {
    db.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const scale = Number(args.find((a) => a.startsWith('--scale='))?.slice(8) ?? '1');
  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-'));
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const org = benchOrg();
    say(`store bench (${new Date().toISOString()}, node ${process.version})`);
    // 1. Throughput: engine vs raw, 200k signed ops each, in pages of 500.
    if (!args.includes('--replica-only')) {
      const verifications = countVerifications();
      const count = Math.round(200_000 * scale);
      const devices = benchDeviceIds(4).map((id) => org.device(id, 'commander', `commander-${id.slice(-2)}`));
      const ops = generate(count / 10, 10, 4, 0, { org, devices });
      const signMicros = org.signMicros();
      // The certificates travel in the trust stream, at the head of the first page (the service's order).
      const pages = pagesOf([...org.trustOps(devices.map((d) => d.certificate)), ...ops], 500);
      const engine = openEngine({ dataDir: join(workDir, 'engine'), host: 'web', log: () => undefined });
      engine.replica.trust.pinOrgKey(org.orgKey);
      const results: ReturnType<Engine['replica']['applyRemote']> = [];
      const verifiedBefore = verifications.count();
      const engineMs = timeMs(() => {
        for (const page of pages) results.push(...engine.replica.applyRemote(page, 'bench', { isRefetchable: true }));
      });
      const verified = verifications.count() - verifiedBefore;
      const accepted = results.filter((r) => r.status === 'accepted').length;
      const total = pages.reduce((n, p) => n + p.length, 0);
      if (accepted !== total) throw new Error(`engine accepted ${accepted} of ${total} ops: ${JSON.stringify(results.find((r) => r.status !== 'accepted'))}`);
      await engine.close();

      const raw = openDatabase(join(workDir, 'raw'));
      migrate(raw);
      const rawMs = timeMs(() => rawInsert(raw, pages));
      raw.close();

      const engineRate = total / (engineMs / 1000);
      const rawRate = total / (rawMs / 1000);
      say(`apply ${ops.length} ops signed by 4 certified devices (+ ${total - ops.length} certificates), pages of 500, a transaction each`);
      say(`  signing (hash + Ed25519, outside the timed part):  ${fmt(signMicros / ops.length)} µs/op`);
      say(`  engine (authenticate, judge, hash check, merge, project): ${fmt(engineRate, 0)} ops/s, ${fmt(verified / total, 3)} verifications/op`);
      say(`  raw better-sqlite3 (same op-log rows with cert_id and sig, same projection rows): ${fmt(rawRate, 0)} ops/s`);
      say('  (both queue timeline text for full-text indexing, which runs after the batch)');
      say(`  ratio engine/raw: ${fmt(engineRate / rawRate)} (target >= 0.50)`);

      if (args.includes('--throughput-only')) return 0;
    }

    // 2. Latency on a replica of 1M ops.
    const bigCount = Math.round(1_000_000 * scale);
    const bigAppends = Math.round(bigCount / 10);
    const bigDevices = benchDeviceIds(6).map((id) => org.device(id, 'commander', `commander-${id.slice(-2)}`));
    const bigOps = generate((bigCount - bigAppends) / 10, 10, 6, bigAppends, { org, devices: bigDevices });
    const dataDir = join(workDir, 'replica');
    const replica = openEngine({ dataDir, host: 'web', log: () => undefined });
    // A certified laptop: it pinned the org key and holds a certificate, so its appends are signed and judged.
    replica.replica.trust.pinOrgKey(org.orgKey);
    const own = org.certificateFor(replica.replica.deviceId, replica.replica.publicKey!, 'commander', 'bench-commander');
    replica.replica.trust.adoptCertificate(own);
    replica.replica.setActor('bench-commander');
    const bigPages = pagesOf([...org.trustOps([...bigDevices.map((d) => d.certificate), own]), ...bigOps], 500);
    for (const page of bigPages) replica.replica.applyRemote(page, 'bench', { isRefetchable: true });
    // What the app does at idle after a large sync: index the queued timeline text, checkpoint.
    const indexStart = process.hrtime.bigint();
    await replica.handlers['search.query']({ text: 'rollback', limit: 1 });
    const indexSeconds = Number(process.hrtime.bigint() - indexStart) / 1e9;
    replica.db.pragma('wal_checkpoint(TRUNCATE)');
    const opTotal = replica.replica.opLog.count();
    const incidentIds = replica.db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all() as string[];
    const bigIncident = bigOps[0].rowId;

    const append: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const incidentId = incidentIds[(i * 7919) % incidentIds.length];
      append.push(timeMs(() => replica.handlers['timeline.add']({ incidentId, kind: 'note', text: `bench append ${i} rollback finished`, eventAt: undefined })));
    }
    const list: number[] = [];
    for (let i = 0; i < 300; i += 1) list.push(timeMs(() => replica.handlers['incidents.list']({ limit: 200 })));
    const page: number[] = [];
    let cursor: { eventAt: number; id: string } | undefined;
    for (let i = 0; i < 300; i += 1) {
      const incidentId = i % 2 === 0 ? bigIncident : incidentIds[(i * 104_729) % incidentIds.length];
      let result: { next: { eventAt: number; id: string } | null } = { next: null };
      page.push(
        timeMs(() => {
          result = replica.handlers['timeline.list']({ incidentId, limit: 100, before: i % 2 === 0 ? cursor : undefined }) as typeof result;
        }),
      );
      if (i % 2 === 0) cursor = result.next ?? undefined;
    }
    await replica.close();
    const bytes = statSync(join(dataDir, databaseFileName)).size;
    const keep = args.find((a) => a.startsWith('--keep-db='))?.slice(10);
    if (keep) copyFileSync(join(dataDir, databaseFileName), keep);

    const a = percentiles(append);
    const l = percentiles(list);
    const p = percentiles(page);
    say(`judging replica of ${opTotal} signed ops (${incidentIds.length} incidents; one with ${bigAppends} timeline entries)`);
    say(`  full-text indexing of the synced timeline text: ${fmt(indexSeconds)} s (done at idle or before the first search)`);
    say(`  timeline append (signed, judged, durable): p50 ${fmt(a.p50)} ms  p99 ${fmt(a.p99)} ms  (target p99 < 2 ms: ratio ${fmt(a.p99 / 2)})`);
    say(`  incident list (200): p50 ${fmt(l.p50)} ms  p99 ${fmt(l.p99)} ms  (target < 20 ms: ratio ${fmt(l.p99 / 20)})`);
    say(`  timeline page (100): p50 ${fmt(p.p50)} ms  p99 ${fmt(p.p99)} ms  (target < 20 ms: ratio ${fmt(p.p99 / 20)})`);
    say(`  database size: ${fmt(bytes / 1024 / 1024, 1)} MiB, ${fmt(bytes / opTotal, 0)} bytes per op (target <= 700: ratio ${fmt(bytes / opTotal / 700)})`);
    for (const { name, bytes: part } of sizeBreakdown(join(dataDir, databaseFileName)).filter((p) => p.bytes / opTotal >= 1)) {
      say(`    ${name.padEnd(28)} ${fmt(part / 1024 / 1024, 1).padStart(8)} MiB ${fmt(part / opTotal, 0).padStart(6)} B/op`);
    }
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
