// Reports on real engines (real SQLite files): an incident with roles and a handoff, a timeline
// with pinned and corrected entries, a runbook run with deviations and an evidence-gate override,
// evidence with custody and a waiver, a customer update rejected then approved and published, a
// review and action items. Both reports are rendered in every format and checked for the facts
// they must carry, for escaping (a <script> in the title), and for the chain verification made at
// report time: intact, then broken after a custody row and an op are altered in the database. The
// `holdfast export` command is run for every format and for bad arguments and unknown incidents.
// On a certified replica, the reports say how each entry is vouched for: unsigned (before signing),
// unverified (a guest's own name), and the refused records with their reasons.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { readEvidenceBundle } from '../../electron/engine/evidence/bundle-reader';
import type { Request } from '@shared/contract';
import { holdfast } from '../support/cli';
import { call, exchange, openTestEngine, refusal } from '../support/engines';
import { tempDir } from '../support/temp';
import { certifyEngine } from '../support/certified-engine';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';

const t0 = Date.UTC(2026, 10, 3, 14, 0, 0);
let clock = t0;
const now = () => clock;
const minutes = (n: number) => n * 60_000;

const title = 'Checkout <script>alert("x")</script> & payments failing';
const customerValues = {
  headline: 'Some card payments are failing',
  impact: 'Card payments fail for 1 in 5 customers',
  status: 'We found the cause',
  actions: 'Moving payments to a healthy system',
};

function person(name: string, dataDir?: string): Engine {
  const engine = openTestEngine({ now, ...(dataDir ? { dataDir } : {}) });
  engine.replica.setActor(name);
  return engine;
}

const render = (engine: Engine, request: Request<'reports.render'>) => call(engine, 'reports.render', request);

/** Builds the incident on ravi's replica (maya approves on hers); returns the ids the checks need. */
async function scenario(dataDir?: string) {
  clock = t0;
  const ravi = person('ravi', dataDir);
  const maya = person('maya');
  const incident = await call(ravi, 'incidents.create', {
    title,
    severity: 'SEV1',
    services: ['checkout', 'payments'],
    type: 'outage',
    summary: 'Card payments failed after deploy 4512.\nRolled back.',
  });
  await call(ravi, 'incidents.correctMilestone', { id: incident.id, milestone: 'started', at: t0 - minutes(12), reason: 'error rate rose before the page' });

  clock += minutes(2);
  const pinned = await call(ravi, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Error rate at 40% on checkout | payments' });
  await call(ravi, 'timeline.pin', { entryId: pinned.id, isPinned: true });
  clock += minutes(1);
  const wrong = await call(ravi, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failed over to orders-db-3' });
  await call(ravi, 'timeline.pin', { entryId: wrong.id, isPinned: true });
  clock += minutes(1);
  const fixed = await call(ravi, 'timeline.correct', { entryId: wrong.id, text: 'Failed over to orders-db-2' });

  // Roles: the scribe assigned, the command handed over by offer and acceptance.
  await call(ravi, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'lee' });
  clock += minutes(1);
  await call(ravi, 'roles.offer', { seatId: `${incident.id}/commander`, to: 'maya' });
  exchange(ravi, maya);
  clock += minutes(1);
  await call(maya, 'roles.answer', { seatId: `${incident.id}/commander`, isAccepted: true });
  exchange(ravi, maya);

  // Evidence: one collected with a declared hash and handed on; one waived.
  const listed = await call(ravi, 'evidence.add', { incidentId: incident.id, artifactType: 'log', asset: 'payments-api-1', what: 'Payments API log' });
  const sha = 'ab'.repeat(32);
  await call(ravi, 'evidence.recordCollection', {
    artifactId: listed.id,
    collector: { name: 'Ravi Rao' },
    hostIds: ['payments-api-1'],
    acquisitionStart: clock - minutes(1),
    acquisitionEnd: clock,
    collectorTimeZone: 'Europe/London',
    tool: 'journalctl',
    storageLocation: 's3://evidence/pay/',
    fileName: 'payments.log',
    size: 2048,
    sha256: sha,
  });
  await call(ravi, 'evidence.addCustody', { artifactId: listed.id, action: 'transferred', from: 'Ravi Rao', to: 'Forensics desk', purpose: 'analysis' });
  const waived = await call(ravi, 'evidence.add', { incidentId: incident.id, artifactType: 'memory', asset: 'payments-api-2', what: 'Memory image' });
  await call(ravi, 'evidence.waive', { artifactId: waived.id, reason: 'Instance was replaced by autoscaling', approvedBy: 'dana' });
  const gated = await call(ravi, 'evidence.add', { incidentId: incident.id, artifactType: 'config', asset: 'lb', what: 'Load balancer config' });

  // A runbook run: a step skipped, a recovery action done over the evidence gate.
  await call(ravi, 'runbooks.save', {
    source: '---\nid: rollback\ntitle: Roll back the release\n---\n\n1. [check] Confirm the deploy caused it\n2. [recovery] Roll back to the previous release\n',
  });
  const run = await call(ravi, 'runs.start', { incidentId: incident.id, runbookId: 'rollback' });
  clock += minutes(1);
  await call(ravi, 'runs.setStep', { runId: run.id, step: 1, state: 'skipped', note: 'Deploy 4512 is the only change today' });
  await call(ravi, 'runs.setStep', { runId: run.id, step: 2, state: 'done', override: 'Payments lost every minute; IC approved' });

  // A customer update: rejected, changed, approved by the commander (maya), published.
  exchange(ravi, maya);
  const draft = await call(ravi, 'comms.start', { incidentId: incident.id, audience: 'customers' });
  await call(ravi, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: customerValues });
  await call(ravi, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
  exchange(ravi, maya);
  clock += minutes(1);
  await call(maya, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'reject', comment: 'Say when payments are back' });
  exchange(ravi, maya);
  await call(ravi, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: { ...customerValues, actions: 'Payments back within the hour' } });
  await call(ravi, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
  exchange(ravi, maya);
  clock += minutes(1);
  await call(maya, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve', comment: 'Good to go' });
  exchange(ravi, maya);
  const published = await call(ravi, 'comms.publish', { incidentId: incident.id, updateId: draft.id, acknowledgeLint: true });

  clock += minutes(20);
  await call(ravi, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
  clock += minutes(30);
  await call(ravi, 'incidents.setStatus', { id: incident.id, status: 'resolved' });

  // The review and its action items.
  await call(ravi, 'reviews.generate', { incidentId: incident.id });
  await call(ravi, 'reviews.save', {
    incidentId: incident.id,
    body: '# What happened\n\nDeploy **4512** broke card payments. <img src=x onerror="alert(1)">\n\n- [link](javascript:alert(1))\n- [runbook](https://example.org/rb)\n',
    factors: ['change-management', 'monitoring-gap'],
  });
  await call(ravi, 'actions.add', {
    incidentId: incident.id,
    title: 'Canary payments deploys',
    type: 'prevent',
    priority: 'P1',
    ownerId: 'lee',
    dueAt: t0 + 400 * 86_400_000,
  });
  exchange(ravi, maya);
  clock += minutes(5);
  return { ravi, maya, incident, pinned, wrong, fixed, listed, waived, gated, run, published, sha };
}

describe('the incident report', () => {
  it('carries the summary, impact, milestones and durations, roles, key timeline, deviations, evidence, updates, review and actions', async () => {
    const { ravi, incident } = await scenario();
    const md = await render(ravi, { incidentId: incident.id, kind: 'incident', format: 'md' });
    expect(md).toMatchObject({ fileName: `incident-${incident.id}-report.md`, mimeType: 'text/markdown' });
    const text = md.text;
    expect(text).toContain('# Incident report: Checkout \\<script\\>alert("x")\\</script\\> & payments failing');
    expect(text).toContain('Card payments failed after deploy 4512.  \nRolled back.');
    expect(text).toContain('| **Severity** | SEV1: Critical: customer-facing outage or data at risk |');
    expect(text).toContain('| **Services affected** | checkout, payments |');
    expect(text).toContain('Card payments fail for 1 in 5 customers');
    expect(text).toContain('| Impact started | 2026-11-03 13:48:00 UTC |');
    expect(text).toContain('| Detected | 2026-11-03 14:00:00 UTC |');
    expect(text).toContain('| Mitigated | 2026-11-03 14:29:00 UTC |');
    expect(text).toContain('| Resolved | 2026-11-03 14:59:00 UTC |');
    expect(text).toContain('| Closed | not reached |');
    expect(text).toContain('| Time to detect (TTD) | 12 min |');
    expect(text).toContain('| Time to acknowledge (TTA) | 0 s |');
    expect(text).toContain('| Time to mitigate (TTM) | 41 min |');
    expect(text).toContain('| Time to resolve (TTR) | 1 h 11 min |');
    expect(text).toContain('| Incident commander | maya |');
    expect(text).toContain('| Scribe | lee |');
    expect(text).toContain('maya accepted Incident commander from ravi');
    // Key timeline: pinned entries, the corrected one as it now stands, each once.
    expect(text).toContain('Error rate at 40% on checkout \\| payments');
    expect(text).toContain('Failed over to orders-db-2 (corrected)');
    expect(text).not.toContain('orders-db-3');
    expect(text).toContain('| Roll back the release | 1. Confirm the deploy caused it | Skipped | Deploy 4512 is the only change today | ravi |');
    expect(text).toContain('| Evidence gate overridden | Payments lost every minute; IC approved |');
    expect(text).toContain('| Payments API log (payments-api-1) | log | collected | ' + 'ab'.repeat(32) + ' | 2 |');
    expect(text).toContain('waived (approved by dana): Instance was replaced by autoscaling');
    expect(text).toMatch(/\| 2026-11-03 14:\d\d:00 UTC \| Customers \| Some card payments are failing \| ravi \| maya \| copied out by hand \|/);
    expect(text).toContain('- Change management\n- Monitoring gap');
    // The review body is Markdown inside the report, its headings below the report's own.
    expect(text).toContain('### What happened');
    // Raw HTML in the review stays text for any Markdown viewer.
    expect(text).toContain('Deploy **4512** broke card payments. &lt;img src=x onerror="alert(1)">');
    expect(text).toContain('| Canary payments deploys | Prevent | P1 | lee | 2027-12-08 14:00:00 UTC | open |');
  });

  it('is self-contained HTML with every value escaped and print CSS', async () => {
    const { ravi, incident } = await scenario();
    const html = (await render(ravi, { incidentId: incident.id, kind: 'incident', format: 'html' })).text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<h1>Checkout &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; payments failing</h1>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://example.org/rb">runbook</a>');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('<h3>What happened</h3>');
    expect(html).toContain('@media print');
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!example\.org)/);
    expect(html).toContain('<td>Failed over to orders-db-2 (corrected)</td>');
  });

  it('is structured JSON with ISO times', async () => {
    const { ravi, incident, run } = await scenario();
    const file = await render(ravi, { incidentId: incident.id, kind: 'incident', format: 'json' });
    expect(file.mimeType).toBe('application/json');
    const report = JSON.parse(file.text);
    expect(report).toMatchObject({
      format: 'holdfast-incident-report',
      version: 1,
      generatedBy: 'ravi',
      incident: { id: incident.id, title, severity: 'SEV1', status: 'resolved', services: ['checkout', 'payments'] },
      milestones: { started: '2026-11-03T13:48:00.000Z', detected: '2026-11-03T14:00:00.000Z', closed: null },
      durations: { detect: { abbreviation: 'TTD', ms: minutes(12), text: '12 min' }, resolve: { text: '1 h 11 min' } },
      review: {
        state: 'draft',
        factors: [
          { key: 'change-management', label: 'Change management' },
          { key: 'monitoring-gap', label: 'Monitoring gap' },
        ],
      },
      actions: [{ title: 'Canary payments deploys', priority: 'P1', ownerId: 'lee', status: 'open' }],
    });
    expect(report.keyTimeline.map((e: { text: string; isCorrected: boolean }) => [e.text, e.isCorrected])).toEqual([
      ['Error rate at 40% on checkout | payments', false],
      ['Failed over to orders-db-2', true],
    ]);
    expect(report.runs[0]).toMatchObject({ id: run.id, title: 'Roll back the release' });
    expect(report.runs[0].deviations.map((d: { kind: string }) => d.kind)).toEqual(['skipped', 'evidence-gate']);
    expect(report.updates[0]).toMatchObject({ audience: 'customers', approvedBy: 'maya', publishedBy: 'ravi' });
    expect(report.impact.statement).toBe('Card payments fail for 1 in 5 customers');
  });

  it("keeps the report's own sections whole whatever Markdown the review holds", async () => {
    const { ravi, incident } = await scenario();
    await call(ravi, 'reviews.save', { incidentId: incident.id, body: 'Looks like a heading\n===\n\nAnd another\n---\n\n```sh\nkubectl rollout undo deploy/payments\n' });
    const md = (await render(ravi, { incidentId: incident.id, kind: 'incident', format: 'md' })).text;
    expect(md).toContain('Looks like a heading\n\\===');
    expect(md).toContain('And another\n***');
    // The fence the review left open is closed before the report's next section.
    const afterReview = md.slice(md.indexOf('kubectl rollout undo'));
    expect(afterReview.indexOf('\n```')).toBeGreaterThan(-1);
    expect(afterReview.indexOf('\n```')).toBeLessThan(afterReview.indexOf('\n## '));
  });

  it('says an impact start nobody recorded is not recorded, not that it was not reached', async () => {
    const ravi = person('ravi');
    const incident = await call(ravi, 'incidents.create', { title: 'Search slow', severity: 'SEV3' });
    const md = (await render(ravi, { incidentId: incident.id, kind: 'incident', format: 'md' })).text;
    expect(md).toContain('| Impact started | not recorded |');
    expect(md).toContain('| Mitigated | not reached |');
  });

  it('refuses an unknown incident with not_found and bad requests by the schema', async () => {
    const ravi = person('ravi');
    const missing = await refusal(() => render(ravi, { incidentId: '01990000-0000-7000-8000-000000000000', kind: 'incident', format: 'md' }));
    expect(missing.code).toBe('not_found');
    expect(() => render(ravi, { incidentId: 'x', kind: 'summary' as 'incident', format: 'md' })).toThrow(/must be incident or audit/);
    expect(() => render(ravi, { incidentId: 'x', kind: 'incident', format: 'pdf' as 'md' })).toThrow(/must be one of md, html, json/);
  });
});

describe('the audit evidence report', () => {
  it('holds the complete timeline with corrections, role changes, approvals, custody with hashes and an intact verification', async () => {
    const { ravi, incident, wrong, fixed, listed, sha } = await scenario();
    const md = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'md' })).text;
    const record = ravi.evidenceRecord(incident.id);
    const opsSha = createHash('sha256')
      .update(record.ops.map((op) => `${JSON.stringify(op)}\n`).join(''))
      .digest('hex');
    expect(md).toContain('# Audit evidence report: Checkout');
    expect(md).toContain('Generated by** | ravi |');
    expect(md).toMatch(/\| \*\*Holdfast version\*\* \| 0\.0\.0-test \|/);
    expect(md).toContain(`| **SHA-256 of the op log** | ${opsSha} |`);
    expect(md).toMatch(/\*\*INTACT: all \d+ record\(s\) in 2 hash chain\(s\) of this incident match/);
    expect(md).not.toContain('BROKEN');
    // Every timeline entry, with author and recorded time; the corrected one struck and linked.
    const timeline = (await call(ravi, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 500 })).entries;
    const number = (id: string) => timeline.findIndex((e) => e.id === id) + 1;
    for (const entry of timeline) expect(md).toContain(`| ${number(entry.id)} | `);
    expect(md).toContain(`| ~~Failed over to orders-db-3~~ | corrected by #${number(fixed.id)}; pinned |`);
    expect(md).toContain(`| Failed over to orders-db-2 | corrects #${number(wrong.id)} |`);
    expect(md).toMatch(/\| 2026-11-03 14:03:00 UTC \| 2026-11-03 14:03:00 UTC \| action \| ravi \| ~~Failed over/);
    // Roles.
    expect(md).toContain('| Incident commander | took | — | ravi | ravi |');
    expect(md).toContain('| Scribe | assigned | — | lee | ravi |');
    expect(md).toContain('| Incident commander | offered | ravi | maya | ravi |');
    expect(md).toContain('| Incident commander | accepted handoff | ravi | maya | maya |');
    // Approvals: the update's requests and decisions, the waiver, the gate override.
    expect(md).toContain('| Customers | Some card payments are failing | rejected | maya | Say when payments are back |');
    expect(md).toContain('| Customers | Some card payments are failing | approved | maya | Good to go |');
    expect(md).toContain('| Customers | Some card payments are failing | published | ravi | approved by maya |');
    expect(md).toMatch(/\| Memory image \(payments-api-2\) \| Instance was replaced by autoscaling \| dana \| ravi \|/);
    expect(md).toMatch(/\| Roll back the release \| 2\. Roll back to the previous release \| Payments lost every minute; IC approved \| ravi \|/);
    // Custody per artifact with its hashes.
    const custody = await call(ravi, 'evidence.custody', { artifactId: listed.id });
    expect(custody.map((e) => e.action)).toEqual(['collected', 'transferred']);
    for (const event of custody) expect(md).toContain(`| ${event.hash} | ${event.prevHash} |`);
    expect(md).toContain(`| **SHA-256** | ${sha} |`);
    expect(md).toContain('| Ravi Rao → Forensics desk | analysis |');
    expect(md).toContain('Custody chain intact: all 2 event(s)');
  });

  it('as HTML and JSON: escaped, with the verification computed at report time', async () => {
    const { ravi, incident, listed } = await scenario();
    const html = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'html' })).text;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<title>Audit evidence report: Checkout &lt;script&gt;');
    expect(html).toContain('<p class="verdict">INTACT: all');
    expect(html).toContain('<td class="struck">Failed over to orders-db-3</td>');
    const json = JSON.parse((await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'json' })).text);
    expect(json).toMatchObject({
      format: 'holdfast-audit-report',
      generatedBy: 'ravi',
      holdfastVersion: '0.0.0-test',
      verification: { isIntact: true, custodyRecordsProblem: null },
    });
    expect(json.verification.opChains.breaks).toEqual([]);
    expect(json.verification.opChains.chains).toBe(2); // ravi's and maya's devices
    expect(json.verification.custody).toContainEqual({ artifactId: listed.id, events: 2, isIntact: true, problem: null });
    expect(json.opLog.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.timeline.find((e: { text: string }) => e.text === 'Failed over to orders-db-3').correctedBy).toHaveLength(1);
    expect(json.approvals.updates.map((u: { action: string }) => u.action)).toEqual(['approval requested', 'rejected', 'approval requested', 'approved', 'published']);
    expect(json.approvals.waivers).toMatchObject([{ approvedBy: 'dana', recordedBy: 'ravi', reason: 'Instance was replaced by autoscaling' }]);
    expect(json.approvals.gateOverrides).toMatchObject([{ reason: 'Payments lost every minute; IC approved', by: 'ravi', step: 2 }]);
  });

  it('shows a custody row and an op altered in the database as broken, with their positions', async () => {
    const { ravi, incident, listed, pinned } = await scenario();
    ravi.db.prepare("UPDATE custody_events SET to_party = 'someone else' WHERE action = 'transferred'").run();
    const opId = pinned.id;
    ravi.db.prepare("UPDATE ops SET fields = replace(fields, 'Error rate at 40%', 'Error rate at 4%') WHERE op_id = ?").run(opId);
    const md = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'md' })).text;
    // The custody chain, the op's chain, and the replica's projections against the altered op log.
    expect(md).toContain('**BROKEN: 3 problem(s) found.');
    expect(md).toContain('Replica against its op log: BROKEN: projections differ from the op log');
    expect(md).toContain('Custody chain BROKEN: custody event');
    expect(md).toContain('does not match its hash: the record was altered after it was written');
    const json = JSON.parse((await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'json' })).text);
    expect(json.verification.isIntact).toBe(false);
    expect(json.verification.custody.find((c: { artifactId: string }) => c.artifactId === listed.id)).toMatchObject({
      isIntact: false,
      problem: expect.stringContaining('altered'),
    });
    const ops = ravi
      .evidenceRecord(incident.id)
      .ops.filter((o) => o.deviceId === ravi.replica.deviceId)
      .sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
    const position = ops.findIndex((o) => o.opId === opId) + 1;
    expect(position).toBeGreaterThan(1);
    expect(json.verification.opChains.breaks).toEqual([
      {
        deviceId: ravi.replica.deviceId,
        streamId: `incident:${incident.id}`,
        position,
        opId,
        reason: 'its content does not match its hash: the record was altered after it was written',
      },
    ]);
    expect(md).toContain(`| ${ravi.replica.deviceId} | incident:${incident.id} | ${position} | ${opId} | its content does not match its hash`);
    const html = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'html' })).text;
    expect(html).toContain('<p class="verdict broken">BROKEN: 3 problem(s) found.');
  });

  it('notices a custody record deleted from the database', async () => {
    const { ravi, incident } = await scenario();
    ravi.db.prepare("DELETE FROM custody_events WHERE action = 'transferred'").run();
    const json = JSON.parse((await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'json' })).text);
    expect(json.verification.isIntact).toBe(false);
    expect(json.verification.custodyRecordsProblem).toMatch(/is in the op log but not among the custody records: a record was deleted/);
  });
});

describe('holdfast export', () => {
  async function exported() {
    const dataDir = tempDir('holdfast-export-');
    const built = await scenario(dataDir);
    const reference = {
      md: (await render(built.ravi, { incidentId: built.incident.id, kind: 'incident', format: 'md' })).text,
      timelineCount: (await call(built.ravi, 'timeline.window', { incidentId: built.incident.id, offset: 0, limit: 1 })).total,
    };
    await built.ravi.close();
    return { dataDir, incidentId: built.incident.id, reference };
  }

  it('writes the reports, the timeline CSV, Timesketch JSONL and the bundle', async () => {
    const { dataDir, incidentId, reference } = await exported();
    const md = await holdfast('export', incidentId, '--format', 'md', '--data', dataDir);
    expect(md).toMatchObject({ code: 0, err: '' });
    // The same report the engine renders, but for the moment it was made.
    const withoutStamp = (text: string) => text.replace(/generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, 'generated …');
    expect(withoutStamp(`${md.out}\n`)).toBe(withoutStamp(reference.md));

    const audit = await holdfast('export', incidentId, '--format', 'md', '--kind', 'audit', '--data', dataDir);
    expect(audit.code).toBe(0);
    expect(audit.out).toContain('# Audit evidence report: Checkout');
    expect(audit.out).toContain('INTACT');

    const out = join(tempDir('holdfast-export-out-'), 'audit.json');
    const json = await holdfast('export', incidentId, '--format', 'json', '--kind', 'audit', '--out', out, '--data', dataDir);
    expect(json).toMatchObject({ code: 0, out: expect.stringMatching(/^wrote .*audit\.json \(\d+ bytes\)$/) });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'holdfast-audit-report', verification: { isIntact: true } });

    const html = await holdfast('export', incidentId, '--format', 'html', '--data', dataDir);
    expect(html.out).toContain('<h1>Checkout &lt;script&gt;');

    const csv = await holdfast('export', incidentId, '--format', 'csv', '--data', dataDir);
    expect(csv.code).toBe(0);
    const lines = csv.out.split('\r\n');
    expect(lines[0]).toBe('number,entry_id,event_time_utc,recorded_time_utc,kind,author,source,text,corrects,corrected_by,is_pinned');
    expect(lines.filter((l) => l !== '')).toHaveLength(reference.timelineCount + 1);
    expect(csv.out).toContain('Error rate at 40% on checkout | payments');
    expect(csv.out).toMatch(/,action,ravi,,Failed over to orders-db-3,,[0-9a-f-]+,true\r\n/);

    const sketch = await holdfast('export', incidentId, '--format', 'timesketch', '--data', dataDir);
    expect(sketch.code).toBe(0);
    const rows = sketch.out.split('\n').map((line) => JSON.parse(line) as { message: string; timestamp_desc: string });
    expect(rows.some((r) => r.message === 'Failed over to orders-db-2')).toBe(true);
    expect(rows.some((r) => r.timestamp_desc === 'Custody transferred')).toBe(true);

    const zip = join(tempDir('holdfast-export-out-'), 'bundle.zip');
    const bundle = await holdfast('export', incidentId, '--format', 'bundle', '--out', zip, '--data', dataDir);
    expect(bundle).toMatchObject({ code: 0, out: expect.stringMatching(/^wrote .*bundle\.zip \(\d+ bytes\)$/) });
    const bytes = readFileSync(zip);
    expect(readEvidenceBundle(bytes)).toMatchObject({ ok: true, incidentId });
    // The audit report's op log hash is the bundle's ops.jsonl, as SHA256SUMS lists it.
    const sums = strFromU8(unzipSync(bytes, { filter: (f) => f.name === 'SHA256SUMS' }).SHA256SUMS);
    expect(sums).toContain(`${JSON.parse(readFileSync(out, 'utf8')).opLog.sha256}  ops.jsonl`);
  });

  it.each([
    [['export'], 'name the incident to export'],
    [['export', 'INC'], 'say which format with --format md|html|json|csv|timesketch|bundle'],
    [['export', 'INC', '--format', 'pdf'], '--format must be one of md, html, json, csv, timesketch, bundle, got "pdf"'],
    [['export', 'INC', '--format', 'md', '--kind', 'summary'], '--kind must be incident or audit, got "summary"'],
    [['export', 'INC', '--format', 'csv', '--kind', 'audit'], '--kind applies to the md, html and json reports, not to --format csv'],
    [['export', 'INC', '--format', 'bundle'], 'say where to write it with --out FILE.zip'],
    [['export', 'INC', '--format', 'md', '--out', ''], '--out needs a file path'],
    [['export', 'INC', 'OTHER', '--format', 'md'], 'Unexpected argument "OTHER"'],
    [['export', 'INC', '--format', 'md', '--pages', '3'], "Unknown option '--pages'"],
    [['export', 'INC', '--format'], "Option '--format <value>' argument missing"],
  ])('exits 2 with one line naming the problem for %j', async (argv, message) => {
    const run = await holdfast(...argv);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err.split('\n')).toHaveLength(1);
    expect(run.err).toMatch(/^holdfast export: /);
    expect(run.err).toContain(message);
  });

  it('exits 1 for an unknown incident and for a folder holding no replica', async () => {
    const { dataDir } = await exported();
    const unknown = await holdfast('export', '01990000-0000-7000-8000-000000000000', '--format', 'md', '--data', dataDir);
    expect(unknown).toMatchObject({ code: 1, out: '' });
    expect(unknown.err).toBe('holdfast export: No incident 01990000-0000-7000-8000-000000000000 on this replica.');
    const bundle = await holdfast('export', 'nope', '--format', 'bundle', '--out', join(tempDir(), 'x.zip'), '--data', dataDir);
    expect(bundle.code).toBe(1);
    const empty = tempDir('holdfast-export-empty-');
    const none = await holdfast('export', 'INC', '--format', 'md', '--data', empty);
    expect(none.code).toBe(1);
    expect(none.err).toContain('there is no Holdfast database in');
  });

  it('runs as the built `holdfast` bin: a report to stdout, a bad format exits 2', async () => {
    const { dataDir, incidentId } = await exported();
    const bin = join(import.meta.dirname, '../../electron/cli/holdfast.mjs');
    // Needs the build (npm test builds first); without it the bin says so and this fails.
    const audit = spawnSync(process.execPath, [bin, 'export', incidentId, '--format', 'md', '--kind', 'audit', '--data', dataDir], { encoding: 'utf8' });
    expect(audit.stderr).toBe('');
    expect(audit.status).toBe(0);
    expect(audit.stdout).toMatch(/^# Audit evidence report: Checkout \\<script\\>/);
    expect(audit.stdout).toMatch(/\*\*INTACT: all \d+ record\(s\)/);
    expect(audit.stdout).toMatch(/\| \*\*Holdfast version\*\* \| \d+\.\d+\.\d+/);
    const bad = spawnSync(process.execPath, [bin, 'export', incidentId, '--format', 'pdf', '--data', dataDir], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual(['holdfast export: --format must be one of md, html, json, csv, timesketch, bundle, got "pdf" (see `holdfast help`)']);
  });

  it('says the replica is in use when the app or holdfast web has it open', async () => {
    const dataDir = tempDir('holdfast-export-');
    const open = person('ravi', dataDir);
    const incident = await call(open, 'incidents.create', { title: 'Search slow', severity: 'SEV3' });
    const run = await holdfast('export', incident.id, '--format', 'md', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toContain('Holdfast is already running with the data folder');
  });
});

describe('how the reports say each entry is trusted', () => {
  /** A note as Holdfast wrote it before it signed ops: no certificate, no signature. */
  const unsignedNote = (incidentId: string, author: string, text: string, at: number): Op => {
    const deviceId = '0000feed0000beef';
    const unsigned = {
      opId: uuidv7(at),
      hlc: encodeHlc({ ms: at, counter: 0, deviceId }),
      streamId: `incident:${incidentId}`,
      actorId: author,
      deviceId,
      entity: 'timeline_entry' as const,
      rowId: '',
      kind: 'append' as const,
      fields: { incidentId, kind: 'note', text, eventAt: at },
      prevHash: genesisHash,
    };
    const op = { ...unsigned, rowId: unsigned.opId };
    return { ...op, hash: hashOp(op, nativeSha256Hex) };
  };

  it('marks unsigned and guest entries, counts the unsigned records and lists refused ones with their reason, in every format and in `holdfast export`', async () => {
    clock = t0;
    const dataDir = tempDir('holdfast-trust-report-');
    const ravi = person('ravi', dataDir);
    const incident = await call(ravi, 'incidents.create', { title: 'Checkout slow', severity: 'SEV2' });
    // Before this replica connected: an unsigned entry from an old laptop, accepted as sync did then.
    expect(ravi.replica.applyRemote([unsignedNote(incident.id, 'lee', 'Saw 502s at the edge', clock)])[0].status).toBe('accepted');

    // The replica connects: its organisation's key pinned, a commander certificate for ravi.
    clock += minutes(1);
    const { org, certOp } = certifyEngine(ravi, { user: 'ravi', role: 'commander', since: clock - minutes(30) });
    const host = org.certify({ role: 'commander', user: 'cora', notBefore: clock - minutes(30) });
    const guest = org.certify({ role: 'guest', user: 'guest:gil', hub: host, notBefore: clock - minutes(10) });
    const responder = org.certify({ role: 'responder', user: 'rui', notBefore: clock - minutes(30) });
    const guestCertOp = host.write(
      { entity: 'device_cert', rowId: '', fields: { body: guest.certificate.body, sig: guest.certificate.sig } as never },
      clock - minutes(5),
    );
    const note = guest.write(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: incident.id, kind: 'note', text: 'Bridge is on channel 4', eventAt: clock } },
      clock,
    );
    const severity = responder.write({ entity: 'incident', rowId: incident.id, fields: { severity: 'SEV1' } }, clock);
    const results = ravi.replica.applyRemote([
      certOp(host.certificate, clock - minutes(20)),
      certOp(responder.certificate, clock - minutes(20)),
      guestCertOp,
      note,
      severity,
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'refused']);
    const signedNote = await call(ravi, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Rolling back 4512' });

    // The timeline says how each entry is vouched for.
    const entries = (await call(ravi, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 50 })).entries;
    const trustOf = (text: string) => entries.find((e) => e.text === text)?.trust;
    expect([trustOf('Saw 502s at the edge'), trustOf('Bridge is on channel 4'), trustOf('Rolling back 4512')]).toEqual(['unsigned', 'guest', 'signed']);
    expect(signedNote.trust).toBe('signed');

    const audit = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'md' })).text;
    expect(audit).toContain('## Signatures and refused records');
    expect(audit).toMatch(/\d+ record\(s\) signed by the device that wrote them; 1 entries written before signing: unsigned\./);
    expect(audit).toContain('1 timeline entry by guests admitted at a war-room hub: unverified: named by themselves.');
    expect(audit).toMatch(/\| note \| lee \(unsigned\) \| Saw 502s at the edge \|/);
    expect(audit).toMatch(/\| note \| guest:gil \(unverified: named by themselves\) \| Bridge is on channel 4 \|/);
    expect(audit).toMatch(/\| note \| ravi \| Rolling back 4512 \|/);
    expect(audit).toMatch(new RegExp(`\\| rui \\| incident \\| — \\| responders may not change severity[^|]*\\| ${severity.opId} \\|`));
    // The refused change is listed, not applied.
    expect((await call(ravi, 'incidents.get', { id: incident.id })).severity).toBe('SEV2');

    const json = JSON.parse((await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'json' })).text) as {
      trust: { unsignedOps: number; guestEntries: number; refused: { opId: string; actorId: string; reason: string }[] };
      timeline: { text: string; trust: string }[];
    };
    expect(json.trust).toMatchObject({ unsignedOps: 1, guestEntries: 1, refused: [{ opId: severity.opId, actorId: 'rui' }] });
    expect(json.trust.refused[0].reason).toContain('responders may not change severity');
    expect(json.timeline.find((e) => e.text === 'Bridge is on channel 4')?.trust).toBe('guest');
    const html = (await render(ravi, { incidentId: incident.id, kind: 'audit', format: 'html' })).text;
    expect(html).toContain('guest:gil (unverified: named by themselves)');
    expect(html).toContain('1 entries written before signing: unsigned.');
    await ravi.close();

    // `holdfast export --format md` (the incident report) says the same.
    const exported = await holdfast('export', incident.id, '--format', 'md', '--data', dataDir);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('1 entries written before signing: unsigned.');
    expect(exported.out).toContain('1 timeline entry by guests admitted at a war-room hub: unverified: named by themselves.');
    expect(exported.out).toMatch(/\| responders may not change severity[^|]*\|/);
  });
});
