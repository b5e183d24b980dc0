// Evidence exports: the manifests, the custody form, the Timesketch files, and the bundle's round
// trip, including every kind of tampering the bundle reader has to catch and name.
import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readEvidenceBundle } from '../../electron/engine/evidence/bundle-reader';
import { custodyFormHtml } from '../../electron/engine/evidence/custody-form';
import { buildEvidenceBundle } from '../../electron/engine/evidence/evidence-bundle';
import { exportFile, type EvidenceRecord } from '../../electron/engine/evidence/evidence-export';
import { manifestCsv, manifestJson } from '../../electron/engine/evidence/evidence-manifest';
import { timesketchCsv, timesketchJsonl } from '../../electron/engine/evidence/timesketch-export';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { parse } from 'csv-parse/sync';
import { custodyGenesis, custodyRecord, type Artifact, type CustodyEvent } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import type { TimelineEntry } from '@shared/domain/timeline';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';

const t0 = Date.UTC(2026, 0, 15, 14, 30, 0); // 09:30 in New York (EST, UTC-5)
const incidentId = uuidv7(t0 - 3_600_000);
const deviceA = '0123456789abcdef';
const deviceB = 'fedcba9876543210';

/** Signed ops chained per device, as a replica writes them. */
function opChain(): Op[] {
  const heads = new Map<string, string>();
  let ms = t0 - 3_000_000;
  const make = (deviceId: string, entity: Op['entity'], fields: Op['fields'], rowId?: string): Op => {
    ms += 1000;
    const opId = uuidv7(ms);
    const draft: Omit<Op, 'hash'> = {
      opId,
      hlc: encodeHlc({ ms, counter: 0, deviceId }),
      streamId: `incident:${incidentId}`,
      actorId: deviceId === deviceA ? 'alice' : 'bob',
      deviceId,
      entity,
      rowId: rowId ?? opId,
      kind: entity === 'incident' ? 'set' : 'append',
      fields,
      prevHash: heads.get(deviceId) ?? genesisHash,
    };
    const op = { ...draft, hash: hashOp(draft, nativeSha256Hex) };
    heads.set(deviceId, op.hash);
    return op;
  };
  return [
    make(deviceA, 'incident', { title: 'Database exfiltration suspected', severity: 'SEV1', status: 'investigating' }, incidentId),
    make(deviceA, 'timeline_entry', { incidentId, kind: 'observation', text: 'Unusual egress from db-primary', eventAt: t0 - 1_000_000 }),
    make(deviceB, 'timeline_entry', { incidentId, kind: 'action', text: 'Memory capture started', eventAt: t0 }),
    make(deviceA, 'timeline_entry', { incidentId, kind: 'decision', text: 'Isolate db-primary', eventAt: t0 + 5_000 }),
    make(deviceB, 'timeline_entry', { incidentId, kind: 'note', text: 'Disk image queued', eventAt: t0 + 9_000 }),
  ];
}

/** Custody events chained per artifact from the genesis hash, each hashed over its record. */
function custodyLog(): CustodyEvent[] {
  const heads = new Map<string, string>();
  let n = 0;
  const event = (artifactId: string, at: number, fields: Partial<CustodyEvent>): CustodyEvent => {
    n += 1;
    const rest: Omit<CustodyEvent, 'hash'> = {
      id: `custody-${n}`,
      incidentId,
      artifactId,
      action: 'accessed',
      from: '',
      to: '',
      purpose: '',
      note: '',
      sha256: null,
      result: null,
      corrects: null,
      at,
      actorId: 'alice',
      prevHash: heads.get(artifactId) ?? custodyGenesis,
      ...fields,
    };
    const hash = nativeSha256Hex(custodyRecord(rest));
    heads.set(artifactId, hash);
    return { ...rest, hash };
  };
  return [
    event('art-mem', t0 + 60_000, { action: 'collected', sha256: 'a'.repeat(64), note: 'Captured with <LiME> & "dd"' }),
    event('art-disk', t0 + 70_000, { action: 'collected', actorId: 'bob' }),
    event('art-mem', t0 + 120_000, { action: 'transferred', from: 'Alice Ng', to: 'Evidence locker 3', purpose: 'Long-term storage' }),
    event('art-mem', t0 + 180_000, { action: 'verified', sha256: 'a'.repeat(64), result: 'match' }),
  ];
}

function artifact(overrides: Partial<Artifact>): Artifact {
  return {
    id: 'art',
    incidentId,
    templateId: null,
    itemKey: null,
    artifactType: 'other',
    asset: '',
    what: 'something',
    how: '',
    isRequired: true,
    volatility: 9,
    state: 'planned',
    reason: '',
    approvedBy: null,
    collector: null,
    hostIds: [],
    acquisitionStart: null,
    acquisitionEnd: null,
    collectorTimeZone: '',
    tool: '',
    command: '',
    storageLocation: '',
    fileName: '',
    size: null,
    sha256: null,
    md5: null,
    sha1: null,
    hashSource: null,
    hashWarning: '',
    createdAt: t0 - 600_000,
    createdBy: 'alice',
    ...overrides,
  };
}

function timelineEntry(id: string, kind: TimelineEntry['kind'], text: string, eventAt: number): TimelineEntry {
  return {
    id,
    incidentId,
    kind,
    text,
    eventAt,
    recordedAt: eventAt + 2_000,
    authorId: 'alice',
    corrects: null,
    correctedBy: [],
    isPinned: false,
    isPending: false,
    refusal: null,
    source: null,
  };
}

function record(): EvidenceRecord {
  const incident: Incident = {
    id: incidentId,
    title: 'Database exfiltration suspected',
    severity: 'SEV1',
    status: 'investigating',
    summary: 'Egress spike from db-primary',
    type: 'security',
    services: ['orders-db'],
    isDrill: false,
    declaredAt: t0 - 3_600_000,
    updatedAt: t0,
    milestones: { started: null, detected: t0 - 4_000_000, acknowledged: null, mitigated: null, resolved: null, closed: null },
    isLegalHold: false,
    legalHoldReason: '',
  };
  return {
    incident,
    artifacts: [
      artifact({
        id: 'art-mem',
        artifactType: 'memory',
        asset: 'db-primary',
        what: 'RAM of <script>alert(1)</script> db-primary',
        how: 'LiME to external disk',
        state: 'verified',
        volatility: 1,
        collector: { name: 'Alice Ng', role: 'Forensic analyst', contact: '+1 555 0100' },
        hostIds: ['db-primary.corp', '10.0.0.5'],
        acquisitionStart: t0,
        acquisitionEnd: Date.UTC(2026, 6, 1, 12, 0, 5), // summer: EDT, UTC-4
        collectorTimeZone: 'America/New_York',
        tool: '=HYPERLINK("http://evil.example","x")',
        command: 'insmod lime.ko "path=/mnt/usb/mem.lime format=lime"',
        storageLocation: 'Locker 3, shelf 2',
        fileName: 'mem.lime',
        size: 17_179_869_184,
        sha256: 'a'.repeat(64),
        md5: 'b'.repeat(32),
        sha1: null,
        hashSource: 'holdfast',
      }),
      artifact({
        id: 'art-disk',
        artifactType: 'disk',
        asset: '-db-replica, "east"',
        what: '@disk image\nsecond line',
        state: 'collected',
        collector: { name: 'Bob Li', role: 'SRE', contact: '' },
        hostIds: ['db-replica'],
        acquisitionStart: t0 + 10_000,
        acquisitionEnd: t0 + 40_000,
        collectorTimeZone: 'Asia/Kolkata',
        tool: 'dd',
        sha256: 'c'.repeat(64),
        sha1: 'd'.repeat(40),
        hashSource: 'tool',
      }),
    ],
    custody: custodyLog(),
    timeline: [
      timelineEntry('tl-2', 'decision', 'Isolate db-primary', t0 + 60_000),
      timelineEntry('tl-1', 'observation', 'Unusual egress from db-primary', t0 - 1_000_000),
      timelineEntry('tl-3', 'note', '+1 from the DBA, see =cmd', t0 + 60_000),
    ],
    ops: opChain(),
    exportedAt: t0 + 3_600_000,
    exportedBy: 'carol',
    holdfastVersion: '0.1.0',
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bundle's files, changed by `edit`, zipped again; SHA256SUMS recomputed when asked. */
function rezip(bundle: Uint8Array, edit: (files: Record<string, Uint8Array>) => void, recomputeSums = false): Uint8Array {
  const files = unzipSync(bundle);
  edit(files);
  if (recomputeSums) {
    files.SHA256SUMS = strToU8(
      Object.keys(files)
        .filter((path) => path !== 'SHA256SUMS')
        .sort()
        .map((path) => `${sha256(files[path])}  ${path}\n`)
        .join(''),
    );
  }
  return zipSync(files);
}

const csvRows = (text: string): string[][] => parse(text, { relax_column_count: false });

describe('manifestJson', () => {
  it('holds the incident, every artifact with its collection record and hashes, and the custody check', () => {
    const r = record();
    const file = manifestJson(r);
    expect(file).toMatchObject({ fileName: `incident-${incidentId}-manifest.json`, mimeType: 'application/json' });
    const manifest = JSON.parse(file.text);
    expect(manifest).toMatchObject({
      format: 'holdfast-evidence-manifest',
      version: 1,
      exportedBy: 'carol',
      exportedAt: new Date(t0 + 3_600_000).toISOString(),
      incident: { id: incidentId, severity: 'SEV1', declaredAt: new Date(t0 - 3_600_000).toISOString() },
      custodyChain: { isIntact: true, problem: null, events: 4 },
      ops: { streamId: `incident:${incidentId}`, count: 5 },
    });
    expect(manifest.artifacts).toHaveLength(2);
    expect(manifest.artifacts[0]).toMatchObject({
      id: 'art-mem',
      collection: {
        collector: { name: 'Alice Ng' },
        hostIds: ['db-primary.corp', '10.0.0.5'],
        acquisitionStart: '2026-01-15T14:30:00.000Z',
        collectorTimeZone: 'America/New_York',
      },
      file: { name: 'mem.lime', size: 17_179_869_184 },
      hashes: { sha256: 'a'.repeat(64), md5: 'b'.repeat(32), sha1: null, source: 'holdfast' },
      custody: { events: 3, head: r.custody[3].hash },
    });
    expect(manifest.custody).toEqual(r.custody);
  });

  it('reports a broken custody chain', () => {
    const r = record();
    r.custody[2] = { ...r.custody[2], to: 'Somewhere else' };
    const manifest = JSON.parse(manifestJson(r).text);
    expect(manifest.custodyChain.isIntact).toBe(false);
    expect(manifest.custodyChain.problem).toContain('custody-3');
  });
});

describe('manifestCsv', () => {
  it('writes a header and one RFC 4180 row per artifact', () => {
    const file = manifestCsv(record());
    expect(file.mimeType).toBe('text/csv');
    expect(file.text.endsWith('\r\n')).toBe(true);
    const rows = csvRows(file.text);
    expect(rows).toHaveLength(3);
    const [header, mem, disk] = rows;
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    expect(cell(mem, 'artifact_id')).toBe('art-mem');
    expect(cell(mem, 'host_ids')).toBe('db-primary.corp; 10.0.0.5');
    expect(cell(mem, 'command')).toBe('insmod lime.ko "path=/mnt/usb/mem.lime format=lime"');
    expect(cell(mem, 'size_bytes')).toBe('17179869184');
    expect(cell(disk, 'what')).toBe("'@disk image\nsecond line");
    expect(file.text).toContain('"insmod lime.ko ""path=/mnt/usb/mem.lime format=lime"""');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const rows = csvRows(manifestCsv(record()).text);
    const [header, mem, disk] = rows;
    expect(mem[header.indexOf('tool')]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(disk[header.indexOf('asset')]).toBe('\'-db-replica, "east"');
    for (const row of rows) for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('custodyFormHtml', () => {
  it('escapes every value and carries no script or external resource', () => {
    const file = custodyFormHtml(record(), 'art-mem');
    expect(file).toMatchObject({ fileName: `incident-${incidentId}-custody-art-mem.html`, mimeType: 'text/html' });
    expect(file.text).not.toMatch(/<script/i);
    expect(file.text).toContain('RAM of &lt;script&gt;alert(1)&lt;/script&gt; db-primary');
    expect(file.text).toContain('Captured with &lt;LiME&gt; &amp; &quot;dd&quot;');
    expect(file.text).not.toMatch(/\b(src|href)=/i);
    expect(file.text).not.toMatch(/url\(|@import/i);
    expect(file.text).toContain('@page');
  });

  it("shows acquisition times in UTC and in the collector's time zone", () => {
    const html = custodyFormHtml(record(), 'art-mem').text;
    expect(html).toContain('2026-01-15 14:30:00 UTC');
    expect(html).toContain('2026-01-15 09:30:00 GMT-5 (America/New_York)');
    expect(html).toContain('2026-07-01 12:00:05 UTC');
    expect(html).toContain('2026-07-01 08:00:05 GMT-4 (America/New_York)');
    const disk = custodyFormHtml(record(), 'art-disk').text;
    expect(disk).toContain('2026-01-15 20:00:10 GMT+5:30 (Asia/Kolkata)');
  });

  it('lists the artifact, its hashes, the custody log, the chain check and signature lines', () => {
    const r = record();
    const html = custodyFormHtml(r, 'art-mem').text;
    expect(html).toContain('computed by Holdfast from the file');
    expect(html).toContain('a'.repeat(64));
    expect(html).toContain('Alice Ng → Evidence locker 3');
    expect(html).toContain('Long-term storage');
    expect(html).toContain('verified (match)');
    expect(html).toContain(r.custody[2].hash.slice(0, 12));
    expect(html).toContain('Intact: all 3 custody event(s)');
    expect(html).toContain('Released by');
    expect(html).toContain('Received by');
    expect(html).not.toContain('art-disk');
    expect(custodyFormHtml(r, 'art-disk').text).toContain('declared by the collection tool');
  });

  it('says when the chain is broken, and names a missing artifact', () => {
    const r = record();
    r.custody[3] = { ...r.custody[3], result: 'mismatch' };
    expect(custodyFormHtml(r, 'art-mem').text).toContain('BROKEN: custody event custody-4');
    expect(() => custodyFormHtml(r, 'art-gone')).toThrow(/artifact "art-gone" is not in incident/);
  });

  it('says when a time zone is unknown rather than guessing', () => {
    const r = record();
    r.artifacts[0] = { ...r.artifacts[0], collectorTimeZone: 'Mars/Olympus_Mons' };
    expect(custodyFormHtml(r, 'art-mem').text).toContain('&quot;Mars/Olympus_Mons&quot; is not a known IANA time zone');
  });
});

describe('Timesketch exports', () => {
  it('writes one JSON object a line, timeline and custody merged in time order with exact microseconds', () => {
    const r = record();
    const file = timesketchJsonl(r);
    expect(file.mimeType).toBe('application/x-ndjson');
    const rows = file.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(r.timeline.length + r.custody.length);
    for (const row of rows) {
      expect(Number.isSafeInteger(row.timestamp)).toBe(true);
      expect(row.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(row.timestamp).toBe(Date.parse(row.datetime) * 1000);
      expect(row).toMatchObject({ source: 'holdfast', incident_id: incidentId });
      expect(typeof row.message).toBe('string');
      expect(typeof row.timestamp_desc).toBe('string');
    }
    expect(rows.map((row) => row.timestamp)).toEqual([...rows.map((row) => row.timestamp)].sort((a, b) => a - b));
    expect(rows[0]).toMatchObject({
      message: 'Unusual egress from db-primary',
      timestamp: (t0 - 1_000_000) * 1000,
      timestamp_desc: 'Event Recorded',
      kind: 'observation',
      author: 'alice',
    });
    // Equal timestamps: timeline entries first, then custody, each by id.
    expect(rows.slice(1, 4).map((row) => row.entry_id ?? row.custody_event_id)).toEqual(['tl-2', 'tl-3', 'custody-1']);
    const transfer = rows.find((row) => row.custody_event_id === 'custody-3');
    expect(transfer).toMatchObject({
      timestamp: (t0 + 120_000) * 1000,
      timestamp_desc: 'Custody transferred',
      artifact_id: 'art-mem',
      sha256: 'a'.repeat(64),
      author: 'alice',
      from: 'Alice Ng',
      to: 'Evidence locker 3',
      event_hash: r.custody[2].hash,
    });
    expect(transfer.message).toContain('Custody transferred: memory artifact');
  });

  it('writes the same rows as CSV with the required columns first and the formula guard', () => {
    const r = record();
    const jsonl = timesketchJsonl(r)
      .text.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const [header, ...rows] = csvRows(timesketchCsv(r).text);
    expect(header.slice(0, 4)).toEqual(['message', 'datetime', 'timestamp_desc', 'timestamp']);
    expect(header).toEqual(expect.arrayContaining(['source', 'incident_id', 'kind', 'author', 'artifact_id', 'sha256']));
    expect(rows).toHaveLength(jsonl.length);
    rows.forEach((row, index) => {
      expect(row[1]).toBe(jsonl[index].datetime);
      expect(row[3]).toBe(String(jsonl[index].timestamp));
    });
    expect(rows.find((row) => row[0].includes('DBA'))![0]).toBe("'+1 from the DBA, see =cmd");
  });
});

describe('exportFile', () => {
  it('dispatches by format and needs an artifact for the custody form', () => {
    const r = record();
    expect(exportFile(r, 'manifest-json')).toEqual(manifestJson(r));
    expect(exportFile(r, 'manifest-csv')).toEqual(manifestCsv(r));
    expect(exportFile(r, 'timesketch-jsonl')).toEqual(timesketchJsonl(r));
    expect(exportFile(r, 'timesketch-csv')).toEqual(timesketchCsv(r));
    expect(exportFile(r, 'custody-html', 'art-disk')).toEqual(custodyFormHtml(r, 'art-disk'));
    expect(() => exportFile(r, 'custody-html')).toThrow(/needs an artifactId/);
  });
});

describe('evidence bundle', () => {
  it('round-trips: every file checksummed, the same ops, the manifest readable', () => {
    const r = record();
    const bundle = buildEvidenceBundle(r);
    const reading = readEvidenceBundle(bundle);
    expect(reading.problems).toEqual([]);
    expect(reading.ok).toBe(true);
    expect(reading.incidentId).toBe(incidentId);
    expect(reading.ops).toEqual(r.ops);
    expect(reading.files).toEqual([
      'SHA256SUMS',
      'custody/art-disk.html',
      'custody/art-mem.html',
      'manifest.csv',
      'manifest.json',
      'ops.jsonl',
      'timesketch.csv',
      'timesketch.jsonl',
    ]);
    expect(reading.manifest).toEqual(JSON.parse(manifestJson(r).text));

    const files = unzipSync(bundle);
    const sums = strFromU8(files.SHA256SUMS);
    const lines = sums.trimEnd().split('\n');
    expect(lines.map((line) => line.slice(66))).toEqual(reading.files.filter((path) => path !== 'SHA256SUMS'));
    for (const line of lines) expect(line).toBe(`${sha256(files[line.slice(66)])}  ${line.slice(66)}`);
    expect(strFromU8(files['ops.jsonl'])).toBe(r.ops.map((op) => `${JSON.stringify(op)}\n`).join(''));
  });

  it('is byte-for-byte deterministic for equal input', () => {
    const r = record();
    expect(sha256(buildEvidenceBundle(r))).toBe(sha256(buildEvidenceBundle(structuredClone(r))));
  });

  it('names a file changed after export', () => {
    const bundle = rezip(buildEvidenceBundle(record()), (files) => {
      files['manifest.csv'] = strToU8(strFromU8(files['manifest.csv']).replace('Locker 3', 'Locker 4'));
    });
    const reading = readEvidenceBundle(bundle);
    expect(reading.ok).toBe(false);
    expect(reading.problems).toEqual(['"manifest.csv": does not match its SHA-256 in SHA256SUMS: the file was changed after export']);
  });

  it('names a missing file and an extra file', () => {
    const missing = readEvidenceBundle(rezip(buildEvidenceBundle(record()), (files) => delete files['custody/art-disk.html']));
    expect(missing.ok).toBe(false);
    expect(missing.problems).toEqual(['"custody/art-disk.html": listed in SHA256SUMS but missing from the bundle']);

    const extra = readEvidenceBundle(rezip(buildEvidenceBundle(record()), (files) => (files['notes.txt'] = strToU8('added later'))));
    expect(extra.ok).toBe(false);
    expect(extra.problems).toEqual(['"notes.txt": in the bundle but not listed in SHA256SUMS: the file was added after export']);

    const noOps = readEvidenceBundle(rezip(buildEvidenceBundle(record()), (files) => delete files['ops.jsonl'], true));
    expect(noOps.problems).toEqual(['ops.jsonl: missing from the bundle (every Holdfast evidence bundle has one)']);
  });

  it('catches an altered op even when SHA256SUMS was recomputed to match', () => {
    const r = record();
    const bundle = rezip(
      buildEvidenceBundle(r),
      (files) => {
        files['ops.jsonl'] = strToU8(strFromU8(files['ops.jsonl']).replace('Isolate db-primary', 'Keep db-primary online'));
      },
      true,
    );
    const reading = readEvidenceBundle(bundle);
    expect(reading.ok).toBe(false);
    expect(reading.problems[0]).toBe(`ops.jsonl line 4 (op ${r.ops[3].opId}): hash: does not match the op's content`);
    expect(reading.ops.map((op) => op.opId)).not.toContain(r.ops[3].opId);
  });

  it('catches a removed op by its broken chain', () => {
    const r = record();
    const bundle = rezip(
      buildEvidenceBundle(r),
      (files) => {
        const lines = strFromU8(files['ops.jsonl']).split('\n');
        lines.splice(1, 1); // device A's second op
        files['ops.jsonl'] = strToU8(lines.join('\n'));
      },
      true,
    );
    const reading = readEvidenceBundle(bundle);
    expect(reading.problems).toEqual([
      `ops.jsonl: chain of device ${deviceA} in stream incident:${incidentId} breaks at record 2 (op ${r.ops[3].opId}, line 3): it does not chain to record 1: a record is missing, reordered or was inserted`,
    ]);
  });

  it('catches an altered custody event even when SHA256SUMS was recomputed to match', () => {
    const bundle = rezip(
      buildEvidenceBundle(record()),
      (files) => {
        const manifest = JSON.parse(strFromU8(files['manifest.json']));
        manifest.custody[2].to = 'Unknown courier';
        files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
      },
      true,
    );
    const reading = readEvidenceBundle(bundle);
    expect(reading.ok).toBe(false);
    expect(reading.problems).toEqual([
      'manifest.json: custody event custody-3 (transferred of artifact art-mem) does not match its hash: the record was altered after it was written',
    ]);
  });

  it('catches a removed custody event', () => {
    const bundle = rezip(
      buildEvidenceBundle(record()),
      (files) => {
        const manifest = JSON.parse(strFromU8(files['manifest.json']));
        manifest.custody.splice(2, 1);
        files['manifest.json'] = strToU8(JSON.stringify(manifest));
      },
      true,
    );
    expect(readEvidenceBundle(bundle).problems).toEqual([
      expect.stringContaining("custody event custody-4 (verified of artifact art-mem) follows a record that is not in its artifact's chain"),
    ]);
  });

  it('refuses garbage without throwing', () => {
    for (const bytes of [new Uint8Array(0), strToU8('not a zip at all'), new Uint8Array(5000).fill(0x50)]) {
      const reading = readEvidenceBundle(bytes);
      expect(reading.ok).toBe(false);
      expect(reading.problems).toEqual([expect.stringContaining('not a readable ZIP archive')]);
      expect(reading).toMatchObject({ files: [], ops: [], incidentId: null, manifest: null });
    }
    expect(readEvidenceBundle(null as unknown as Uint8Array).ok).toBe(false);
  });

  it('names broken content in a well-formed archive', () => {
    const reading = readEvidenceBundle(
      rezip(
        buildEvidenceBundle(record()),
        (files) => {
          files['manifest.json'] = strToU8('{ not json');
          files['ops.jsonl'] = strToU8('[1,2]\n\n{"opId"');
        },
        true,
      ),
    );
    expect(reading.problems).toEqual([
      'manifest.json: is not valid JSON',
      'ops.jsonl line 1: op: must be an object',
      'ops.jsonl line 2: is empty',
      'ops.jsonl line 3: is not valid JSON',
    ]);
  });

  it('refuses paths that climb out of the bundle or are absolute', () => {
    const zip = zipSync({ '../evil.sh': strToU8('rm -rf ~'), '/etc/cron.d/x': strToU8('x') });
    const reading = readEvidenceBundle(zip);
    expect(reading.ok).toBe(false);
    expect(reading.problems).toEqual(
      expect.arrayContaining(['"../evil.sh": refused because it climbs out of the bundle with ".."', '"/etc/cron.d/x": refused because it is an absolute path']),
    );
    expect(reading.files).toEqual([]);
  });

  it('refuses more than 10,000 entries', () => {
    const many: Zippable = {};
    for (let i = 0; i <= 10_000; i += 1) many[`f${i}`] = new Uint8Array(0);
    const reading = readEvidenceBundle(zipSync(many, { level: 0 }));
    expect(reading.problems).toEqual([expect.stringContaining('more than 10000 files')]);
  });

  it('refuses an archive that declares more than 2 GiB uncompressed, before unpacking it', () => {
    const zip = zipSync({ 'big.bin': [strToU8('tiny'), { level: 0 }] });
    // Patch the central directory's uncompressed size (offset 24 of the 0x02014b50 header) to 4 GiB - 1.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let central = -1;
    for (let i = zip.length - 4; i >= 0; i -= 1)
      if (view.getUint32(i, true) === 0x02014b50) {
        central = i;
        break;
      }
    expect(central).toBeGreaterThan(0);
    view.setUint32(central + 24, 0xffff_fffe, true);
    const reading = readEvidenceBundle(zip);
    expect(reading.problems).toEqual([expect.stringContaining('more than 2 GiB')]);
  });
});
