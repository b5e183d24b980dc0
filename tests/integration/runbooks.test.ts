// Runbooks on real replicas: versions with parents, sibling versions from offline edits and their
// merge, search and suggestions, `holdfast runbooks import|export` as a round trip (rejected files
// change nothing), and executions inside incidents: pinned versions, step changes on the timeline,
// deviations, decisions that jump, who may change steps, and two responders merging per step.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { highlightEnd, highlightStart } from '@shared/domain/search';
import { holdfast } from '../support/cli';
import { call, exchange, openTestEngine, opsOf, refusal, stateOf, systemTexts } from '../support/engines';
import { certifyAt } from '../support/ops';
import { pushTo, settle, startCentral, type Central } from '../support/sync';
import { rollbackRunbook } from '../support/runbooks';
import { forgeOp } from '../support/trust';
import { tempDir } from '../support/temp';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

let clock = Date.UTC(2026, 10, 30, 9, 0, 0);
const now = () => clock;

function person(name: string, dataDir?: string): Engine {
  const engine = openTestEngine({ now, ...(dataDir ? { dataDir } : {}) });
  engine.replica.setActor(name);
  return engine;
}

const failover = (title = 'Fail over orders-db', extra = '') => `---
id: orders-failover
title: ${title}
services: [orders-db, checkout-api]
incident_types: [database]
tags: [postgres]
owner: team-data
review_by: 2027-03-01
---

Use when the orders primary stops taking writes.

1. [check] Confirm the primary is down
   \`pg_isready -h orders-db-1\` must fail from two hosts.
2. [command] Check replication lag
   \`\`\`sh
   psql -h orders-db-2 -c "select now() - pg_last_xact_replay_timestamp()"
   \`\`\`
3. [decision] Is the lag under 30 seconds?
   - yes: promote the replica (go to step 5)
   - no: wait for the replica to catch up (go to step 4)
4. [check] Wait for the replica to catch up
5. [recovery] Promote orders-db-2
   \`\`\`sh
   patronictl failover --candidate orders-db-2 --force
   \`\`\`
6. [check] Verify writes on the new primary${extra}
`;

const rollback = rollbackRunbook;

async function declare(engine: Engine, services = ['orders-db'], type = 'database') {
  return call(engine, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1', services, type });
}

describe('the runbook library', () => {
  it('keeps every save as an immutable version with its author and parent', async () => {
    const ana = person('ana');
    const first = await call(ana, 'runbooks.save', { source: failover() });
    expect(first.summary).toMatchObject({
      id: 'orders-failover',
      title: 'Fail over orders-db',
      services: ['orders-db', 'checkout-api'],
      incidentTypes: ['database'],
      tags: ['postgres'],
      owner: 'team-data',
      reviewBy: '2027-03-01',
      isReviewOverdue: false,
      versionCount: 1,
      stepCount: 6,
      updatedBy: 'ana',
    });
    expect(first.content.steps.map((s) => s.type)).toEqual(['check', 'command', 'decision', 'check', 'recovery', 'check']);
    expect(first.content.version).toMatchObject({ number: 1, parents: [], authorId: 'ana' });

    clock += 60_000;
    const ben = person('ben');
    exchange(ana, ben);
    const second = await call(ben, 'runbooks.save', {
      runbookId: 'orders-failover',
      source: failover('Fail over the orders database'),
      parents: [first.content.version.id],
      note: 'clearer title',
    });
    expect(second.content.version).toMatchObject({ number: 2, parents: [first.content.version.id], authorId: 'ben', note: 'clearer title', createdAt: clock });
    expect(second.history.map((v) => v.number)).toEqual([2, 1]);
    expect(second.history[0]).not.toHaveProperty('source');
    expect(second.siblings).toEqual([]);

    // Saving the same text again records nothing; the old version stays readable as it was.
    const before = stateOf(ben);
    await call(ben, 'runbooks.save', { runbookId: 'orders-failover', source: failover('Fail over the orders database'), parents: [second.content.version.id] });
    expect(stateOf(ben)).toEqual(before);
    const old = await call(ben, 'runbooks.get', { id: 'orders-failover', versionId: first.content.version.id });
    expect(old.content.version.source).toBe(failover());
    expect(old.summary.title).toBe('Fail over the orders database');
  });

  it('refuses a bad runbook with every reason, and changes nothing', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', { source: failover() });
    const before = stateOf(ana);
    const bad = failover()
      .replace('review_by: 2027-03-01', 'review_by: 2027-02-30')
      .replace(/ {3}```sh\n {3}psql[^\n]*\n {3}```\n/, '');
    const current = (await call(ana, 'runbooks.list', {}))[0].currentVersionId;
    const error = await refusal(() => call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: bad, parents: [current] }));
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('review_by "2027-02-30" is not a real date');
    expect(error.message).toContain('command step 2 "Check replication lag" has no command');
    expect((await refusal(() => call(ana, 'runbooks.save', { source: failover() }))).message).toBe(
      'A runbook with id "orders-failover" exists already: edit that one, or give this one another id in its front matter.',
    );
    expect(
      (await refusal(() => call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: rollback.replace('title:', 'id: other\ntitle:'), parents: [current] })))
        .message,
    ).toContain("a runbook's id cannot change");
    expect((await refusal(() => call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: failover('X'), parents: ['nope'] }))).message).toBe(
      'Version nope is not a version of runbook "orders-failover" on this replica.',
    );
    expect(stateOf(ana)).toEqual(before);
  });

  it('turns edits made offline at the same time into siblings that a person merges', async () => {
    const ana = person('ana');
    const ben = person('ben');
    const v1 = (await call(ana, 'runbooks.save', { source: failover() })).content.version.id;
    exchange(ana, ben);
    clock += 1000;
    const anaEdit = await call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: failover('Fail over orders-db (ana)'), parents: [v1] });
    clock += 1000;
    const benEdit = await call(ben, 'runbooks.save', { runbookId: 'orders-failover', source: failover('Fail over orders-db (ben)'), parents: [v1] });
    exchange(ana, ben);
    expect(ana.replica.digest()).toBe(ben.replica.digest());

    for (const engine of [ana, ben]) {
      const detail = await call(engine, 'runbooks.get', { id: 'orders-failover' });
      expect(detail.summary.headIds).toEqual([benEdit.content.version.id, anaEdit.content.version.id]);
      expect(detail.siblings.map((s) => s.version.authorId)).toEqual(['ben', 'ana']);
      // The newest head is what an execution started now would follow.
      expect(detail.summary.title).toBe('Fail over orders-db (ben)');
    }

    clock += 1000;
    const merged = await call(ana, 'runbooks.save', {
      runbookId: 'orders-failover',
      source: failover('Fail over orders-db (merged)'),
      parents: [anaEdit.content.version.id, benEdit.content.version.id],
      note: 'merged ana and ben',
    });
    exchange(ana, ben);
    const after = await call(ben, 'runbooks.get', { id: 'orders-failover' });
    expect(after.summary.headIds).toEqual([merged.content.version.id]);
    expect(after.siblings).toEqual([]);
    expect(after.history.map((v) => [v.number, v.parents.length])).toEqual([
      [4, 2],
      [3, 1],
      [2, 1],
      [1, 0],
    ]);
  });

  it('flags runbooks past their review-by date, and archived ones leave the list', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', { source: failover() });
    await call(ana, 'runbooks.save', { source: rollback });
    const list = await call(ana, 'runbooks.list', {});
    expect(list.map((r) => [r.id, r.isReviewOverdue])).toEqual([
      ['orders-failover', false],
      ['roll-back-a-release', true],
    ]);
    await call(ana, 'runbooks.archive', { id: 'roll-back-a-release', isArchived: true });
    expect((await call(ana, 'runbooks.list', {})).map((r) => r.id)).toEqual(['orders-failover']);
    expect(await call(ana, 'runbooks.search', { text: 'kubectl' })).toEqual([]);
    expect((await call(ana, 'runbooks.list', { includeArchived: true })).find((r) => r.id === 'roll-back-a-release')?.isArchived).toBe(true);
    const incident = await declare(ana, ['checkout-api'], 'deploy');
    expect((await call(ana, 'runbooks.suggest', { incidentId: incident.id })).map((r) => r.id)).toEqual(['orders-failover']);
    expect((await refusal(() => call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'roll-back-a-release' }))).message).toContain('is archived');
  });

  it('searches the current version of every runbook, matches highlighted', async () => {
    const ana = person('ana');
    const v1 = (await call(ana, 'runbooks.save', { source: failover() })).content.version.id;
    await call(ana, 'runbooks.save', { source: rollback });
    const hits = await call(ana, 'runbooks.search', { text: 'patronictl' });
    expect(hits.map((h) => h.runbookId)).toEqual(['orders-failover']);
    expect(hits[0].snippet).toContain(`${highlightStart}patronictl${highlightEnd}`);
    expect((await call(ana, 'runbooks.search', { text: 'kubectl rollout' })).map((h) => h.runbookId)).toEqual(['roll-back-a-release']);
    const tagged = await call(ana, 'runbooks.search', { text: 'postgres' });
    expect(tagged.map((h) => h.runbookId)).toEqual(['orders-failover']);
    expect(tagged[0].snippet).toContain(`${highlightStart}postgres${highlightEnd}`);
    // Step markers and front matter keys are not text: "check" finds only runbooks that say it.
    expect((await call(ana, 'runbooks.search', { text: 'recovery' })).map((h) => h.runbookId)).toEqual([]);
    // FTS syntax typed by a user is searched as words, never as a query.
    expect(await call(ana, 'runbooks.search', { text: '"unbalanced OR (' })).toEqual([]);

    await call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: failover().replace(/patronictl failover/g, 'pg_ctl promote'), parents: [v1] });
    expect(await call(ana, 'runbooks.search', { text: 'patronictl' })).toEqual([]);
    expect((await call(ana, 'runbooks.search', { text: 'pg_ctl' })).map((h) => h.runbookId)).toEqual(['orders-failover']);
    // The index is a projection: rebuilt from the op log it answers the same.
    ana.replica.rebuild();
    expect((await call(ana, 'runbooks.search', { text: 'pg_ctl' })).map((h) => h.runbookId)).toEqual(['orders-failover']);
  });

  it('suggests runbooks whose services or incident types match the incident', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', { source: failover() });
    await call(ana, 'runbooks.save', { source: rollback });
    const both = await declare(ana, ['checkout-api', 'orders-db'], 'database');
    expect((await call(ana, 'runbooks.suggest', { incidentId: both.id })).map((r) => [r.id, r.matches])).toEqual([
      ['orders-failover', ['service orders-db', 'service checkout-api', 'type database']],
      ['roll-back-a-release', ['service checkout-api']],
    ]);
    const none = await declare(ana, ['search'], 'security');
    expect(await call(ana, 'runbooks.suggest', { incidentId: none.id })).toEqual([]);
  });
});

describe('the library through the central service', () => {
  it('reaches every replica; a comms lead reads it, and their own replica and the service refuse their edits', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const ana = openTestEngine({ syncPollMs: 60_000 });
    const cleo = openTestEngine({ syncPollMs: 60_000 });
    await call(ana, 'sync.connect', { url: central.url, token: await central.token('ana', 'responder') });
    const token = await central.token('cleo', 'comms');
    await call(cleo, 'sync.connect', { url: central.url, token });
    const changed: string[] = [];
    cleo.onEvent((event, payload) => {
      if (event === 'stream.changed') changed.push((payload as { streamId: string }).streamId);
    });
    const saved = await call(ana, 'runbooks.save', { source: failover() });
    await settle([ana, cleo]);
    expect(changed).toContain('library');
    const onCleo = await call(cleo, 'runbooks.get', { id: 'orders-failover' });
    expect(onCleo.content.version).toEqual(saved.content.version);

    // Cleo's own replica judges the edit by her certificate and refuses it before writing.
    const before = stateOf(cleo);
    const edit = await refusal(() =>
      call(cleo, 'runbooks.save', { runbookId: 'orders-failover', source: failover('Cleo was here'), parents: [saved.content.version.id] }),
    );
    expect(edit).toMatchObject({ code: 'forbidden', message: 'the comms role may read the library but not change it' });
    expect(stateOf(cleo)).toEqual(before);

    // A laptop certified for Cleo pushes a library record anyway: the service stores it refused
    // with the same reason; every replica keeps them refused and shows none.
    const laptop = await certifyAt(central.url, token, 'cleo');
    const original = opsOf(ana).filter((op) => op.streamId === 'library');
    expect(original.length).toBeGreaterThan(0);
    const forged = original.map((op, i) => forgeOp(laptop, { entity: op.entity, rowId: op.rowId, fields: op.fields }, Date.now() + i));
    const pushed = await pushTo(central.url, token, forged);
    expect(pushed.results.map((r) => [r.status, r.reason])).toEqual(forged.map(() => ['refused', edit.message]));
    await settle([ana, cleo]);
    for (const engine of [ana, cleo]) {
      expect((await call(engine, 'runbooks.get', { id: 'orders-failover' })).history).toHaveLength(1);
      // Replicas keep them too (chains stay whole), refused for the same reason, never projected.
      const refused = engine.replica.opLog.refused().filter((op) => forged.some((f) => f.opId === op.opId));
      expect(refused.map((op) => op.reason)).toEqual(forged.map(() => edit.message));
    }
  });
});

describe('holdfast runbooks import and export', () => {
  const samples = join(import.meta.dirname, '../../docs/runbooks');

  it('imports a folder, reports every rejected file and imports nothing from it, and is idempotent', async () => {
    const dir = tempDir('holdfast-runbooks-');
    const data = tempDir('holdfast-data-');
    mkdirSync(join(dir, 'payments'));
    writeFileSync(join(dir, 'orders-failover.md'), failover());
    writeFileSync(join(dir, 'payments', 'Roll Back.md'), rollback.replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, 'broken-front-matter.md'), '---\ntitle: [unclosed\n---\n1. [check] x\n');
    writeFileSync(join(dir, 'unknown-step.md'), '---\ntitle: Unknown step\nreviewby: 2027-01-01\n---\n\n1. [pray] Hope it recovers\n');
    // Read strictly (CI), today's rules: an unknown key and an unmarked step are refused.
    const strict = await holdfast('runbooks', 'import', dir, '--strict', '--data', tempDir('holdfast-data-'));
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/rejected unknown-step\.md: .*unknown key "reviewby".*unknown step type "pray"/);
    writeFileSync(join(dir, 'notes.txt'), 'not a runbook');

    const first = await holdfast('runbooks', 'import', dir, '--data', data);
    expect(first.code).toBe(1);
    // Read leniently (the default): the unknown key is noted and ignored, the plain item is a step.
    expect(first.out.split('\n')).toEqual([
      'created orders-failover.md → orders-failover',
      'created payments/Roll Back.md → roll-back-a-release',
      'created unknown-step.md → unknown-step',
      '  note: line 3: front matter: unknown key "reviewby" (known keys: id, title, services, incident_types, tags, owner, review_by): ignored',
      `imported ${dir}: 3 created, 0 updated, 0 unchanged, 1 rejected`,
    ]);
    expect(first.err.split('\n')).toEqual([
      'rejected broken-front-matter.md: line 2: front matter: a list opened with [ is not closed: end it with ] on the same line, as in services: [orders-db, checkout-api]',
    ]);

    const second = await holdfast('runbooks', 'import', join(dir, 'payments'), '--data', data);
    expect(second).toMatchObject({
      code: 0,
      out: `unchanged Roll Back.md → roll-back-a-release\nimported ${join(dir, 'payments')}: 0 created, 0 updated, 1 unchanged, 0 rejected`,
    });

    // A folder of rejected files only changes nothing at all.
    const engine = openTestEngine({ dataDir: data });
    const before = stateOf(engine);
    await engine.close();
    const badOnly = tempDir('holdfast-bad-');
    writeFileSync(join(badOnly, 'a.md'), 'no front matter, no heading, no steps\n');
    writeFileSync(join(badOnly, 'b.md'), '---\ntitle: Command without code\n---\n\n1. [command] Restart it\n');
    const refused = await holdfast('runbooks', 'import', badOnly, '--data', data);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('rejected a.md: no title: start the file with a heading');
    expect(refused.err).toContain('has no command: put it in a fenced code block, or in `inline code`');
    const reopened = openTestEngine({ dataDir: data });
    expect(stateOf(reopened)).toEqual(before);

    expect((await holdfast('runbooks', 'import', join(dir, 'nope'), '--data', data)).err).toContain('there is no folder');
    const latin = tempDir('holdfast-latin-');
    writeFileSync(join(latin, 'cafe.md'), Buffer.from('---\ntitle: Caf\xe9\n---\n\n1. [check] x\n', 'latin1'));
    expect((await holdfast('runbooks', 'import', latin, '--data', tempDir('holdfast-data-'))).err).toBe('rejected cafe.md: not UTF-8 text: save the file as UTF-8');
    expect((await holdfast('runbooks', 'import', '--data', data)).code).toBe(2);
  });

  it('exports what it holds, and the export imports elsewhere as identical versions', async () => {
    const first = tempDir('holdfast-data-');
    expect((await holdfast('runbooks', 'import', samples, '--data', first)).code).toBe(0);
    const out = tempDir('holdfast-export-');
    const exported = await holdfast('runbooks', 'export', out, '--data', first);
    expect(exported.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      readdirSync(samples)
        .filter((f) => f.endsWith('.md'))
        .sort(),
    );
    for (const file of files) expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join(samples, file), 'utf8').replace(/\r\n/g, '\n'));

    // Back into the same replica: nothing changes.
    expect((await holdfast('runbooks', 'import', out, '--data', first)).out).toContain(`0 created, 0 updated, ${files.length} unchanged, 0 rejected`);
    // Into a fresh replica: the same runbooks, versions with the same text and front matter.
    const second = tempDir('holdfast-data-');
    expect((await holdfast('runbooks', 'import', out, '--data', second)).out).toContain(`${files.length} created, 0 updated, 0 unchanged, 0 rejected`);
    const a = openTestEngine({ dataDir: first });
    const b = openTestEngine({ dataDir: second });
    const shape = async (engine: Engine) =>
      Promise.all(
        (await call(engine, 'runbooks.list', {})).map(async ({ updatedAt: _u, currentVersionId: _c, headIds: _h, ...summary }) => ({
          summary,
          sources: await Promise.all(
            (await call(engine, 'runbooks.get', { id: summary.id })).history.map(
              async (v) => (await call(engine, 'runbooks.get', { id: summary.id, versionId: v.id })).content.version.source,
            ),
          ),
        })),
      );
    expect(await shape(b)).toEqual(await shape(a));
  });

  it('an import settles sibling versions: the file becomes the version built on every head', async () => {
    const ana = person('ana');
    const ben = person('ben');
    const v1 = (await call(ana, 'runbooks.save', { source: failover() })).content.version.id;
    exchange(ana, ben);
    await call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: failover('A'), parents: [v1] });
    await call(ben, 'runbooks.save', { runbookId: 'orders-failover', source: failover('B'), parents: [v1] });
    exchange(ana, ben);
    const report = await call(ana, 'runbooks.import', { files: [{ path: 'orders-failover.md', source: failover('From git') }] });
    expect(report.files).toEqual([{ path: 'orders-failover.md', runbookId: 'orders-failover', outcome: 'updated', errors: [], notes: [], mergedSiblings: 2 }]);
    const detail = await call(ana, 'runbooks.get', { id: 'orders-failover' });
    expect(detail.summary.headIds).toHaveLength(1);
    expect(detail.content.version.parents).toHaveLength(2);
    // Two files claiming one id: the second is rejected, the first imported.
    const twice = await call(ana, 'runbooks.import', {
      files: [
        { path: 'b/Roll Back.md', source: rollback },
        { path: 'a/roll-back.md', source: rollback },
      ],
    });
    expect(twice.files.map((f) => [f.path, f.outcome, f.errors])).toEqual([
      ['a/roll-back.md', 'created', []],
      ['b/Roll Back.md', 'rejected', ['runbook id "roll-back-a-release" is also the id of a/roll-back.md: each runbook must be in one file']],
    ]);
  });
});

describe('running a runbook in an incident', () => {
  it('follows the version it was started on, records every step on the timeline and collects deviations', async () => {
    const ana = person('ana');
    const v1 = (await call(ana, 'runbooks.save', { source: failover() })).content.version.id;
    const incident = await declare(ana);
    clock += 60_000;
    const run = await call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover' });
    expect(run).toMatchObject({ versionId: v1, versionNumber: 1, isVersionCurrent: true, assignees: ['ana'], status: 'active', progress: { settled: 0, total: 6 } });

    // The library moves on; the execution keeps its pinned steps.
    await call(ana, 'runbooks.save', { runbookId: 'orders-failover', source: failover('Fail over', '\n7. [check] Tell the payments team'), parents: [v1] });
    const pinned = (await call(ana, 'runs.list', { incidentId: incident.id }))[0];
    expect(pinned).toMatchObject({ versionNumber: 1, isVersionCurrent: false });
    expect(pinned.steps).toHaveLength(6);

    clock += 60_000;
    await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done' });
    clock += 60_000;
    await call(ana, 'runs.setStep', { runId: run.id, step: 1, state: 'skipped', note: 'monitoring already shows it down' });
    // A decision needs the branch taken; a jump forward passes over the steps between.
    expect((await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 3, state: 'done' }))).message).toBe(
      'Step 3 is a decision: say which branch was taken (yes, no).',
    );
    clock += 60_000;
    await call(ana, 'runs.setStep', { runId: run.id, step: 3, state: 'done', branch: 'YES' });
    clock += 60_000;
    const after = await call(ana, 'runs.setStep', { runId: run.id, step: 5, state: 'failed', note: 'patronictl: cluster lock held' });
    expect(after.steps.map((s) => [s.number, s.state, s.isBypassed, s.isOutOfOrder])).toEqual([
      [1, 'skipped', false, false],
      [2, 'done', false, true],
      [3, 'done', false, false],
      [4, 'pending', true, false],
      [5, 'failed', false, false],
      [6, 'pending', false, false],
    ]);
    expect(after.steps[2].branch).toBe('yes');
    expect(after.progress).toEqual({ settled: 5, total: 6 });
    expect(after.deviations.map((d) => [d.step, d.kind, d.note, d.by])).toEqual([
      [1, 'skipped', 'monitoring already shows it down', 'ana'],
      [2, 'out-of-order', '', 'ana'],
      [5, 'failed', 'patronictl: cluster lock held', 'ana'],
    ]);
    expect((await systemTexts(ana, incident.id)).slice(-5)).toEqual([
      'ana started runbook "Fail over orders-db" (version 1 of 1)',
      'ana did step 2 "Check replication lag" of "Fail over orders-db" (out of order: step 1 still open)',
      'ana skipped step 1 "Confirm the primary is down" of "Fail over orders-db": monitoring already shows it down',
      'ana decided at step 3 "Is the lag under 30 seconds?" of "Fail over orders-db": yes → step 5',
      'ana marked step 5 "Promote orders-db-2" (recovery action) of "Fail over orders-db" failed: patronictl: cluster lock held',
    ]);

    // Reasons are required; bad step numbers and branches on other steps are refused; nothing changes.
    const before = stateOf(ana);
    await expect(async () => call(ana, 'runs.setStep', { runId: run.id, step: 6, state: 'skipped' })).rejects.toThrow('say why the step is skipped');
    await expect(async () => call(ana, 'runs.setStep', { runId: run.id, step: 6, state: 'failed', note: '  ' })).rejects.toThrow('say what failed');
    expect((await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 9, state: 'done' }))).message).toBe(
      '"Fail over orders-db" has steps 1 to 6; there is no step 9.',
    );
    expect((await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 6, state: 'done', branch: 'yes' }))).code).toBe('bad_request');
    expect(stateOf(ana)).toEqual(before);

    // A note added later to a settled step keeps who settled it and when.
    const settled = (await call(ana, 'runs.list', { incidentId: incident.id }))[0].steps[1];
    clock += 60_000;
    const noted = await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done', note: 'lag was 0 bytes' });
    expect(noted.steps[1]).toMatchObject({ note: 'lag was 0 bytes', at: settled.at, by: 'ana' });

    // Reopening a step takes it out of the deviations.
    await call(ana, 'runs.setStep', { runId: run.id, step: 5, state: 'pending', note: 'lock released, trying again' });
    expect((await call(ana, 'runs.list', { incidentId: incident.id }))[0].deviations.map((d) => d.kind)).toEqual(['skipped', 'out-of-order']);
  });

  it('passes over the other alternative when a path rejoins ("then continue with step N")', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', {
      source: `---
id: two-ways
title: Two ways
services: [orders-db]
---

1. [decision] Is Patroni healthy?
   - patroni: go to step 2
   - manual: go to step 3
2. [recovery] Fail over with Patroni
   Wait for the new leader, then continue with step 4.
3. [recovery] Promote by hand
4. [check] Verify writes
`,
    });
    const incident = await declare(ana);
    const run = await call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'two-ways' });
    await call(ana, 'runs.setStep', { runId: run.id, step: 1, state: 'done', branch: 'patroni' });
    await call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done' });
    const after = await call(ana, 'runs.setStep', { runId: run.id, step: 4, state: 'done' });
    expect(after.steps.map((s) => [s.state, s.isBypassed, s.isOutOfOrder])).toEqual([
      ['done', false, false],
      ['done', false, false],
      ['pending', true, false],
      ['done', false, false],
    ]);
    expect(after.progress).toEqual({ settled: 4, total: 4 });
    expect(after.deviations).toEqual([]);
    // Every step settled: the run is completed, on the timeline, in the list and in the report.
    expect(after.status).toBe('completed');
    expect((await systemTexts(ana, incident.id)).slice(-2)).toEqual([
      'ana did step 4 "Verify writes" of "Two ways"',
      'runbook "Two ways" completed: every step settled (3 done, 1 passed over)',
    ]);
    expect((await call(ana, 'runs.list', { incidentId: incident.id }))[0].status).toBe('completed');
    const report = await call(ana, 'reports.render', { incidentId: incident.id, kind: 'incident', format: 'md' });
    expect(JSON.stringify(report)).toMatch(/Two ways \(v1\)[^\n]*completed/);
    // Stopping a completed run is refused; reopening a step makes it active again.
    expect((await refusal(() => call(ana, 'runs.stop', { runId: run.id, reason: 'done anyway' }))).message).toContain('is completed');
    expect((await call(ana, 'runs.setStep', { runId: run.id, step: 4, state: 'pending' })).status).toBe('active');
  });

  it('lets only the people assigned change steps; the commander assigns and stops', async () => {
    const ana = person('ana');
    const ben = person('ben');
    await call(ana, 'runbooks.save', { source: failover() });
    const incident = await declare(ana);
    exchange(ana, ben);
    const run = await call(ben, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover' });
    exchange(ana, ben);
    // ana commands the incident (she declared it) but is not assigned: she may assign, not tick steps.
    expect((await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 1, state: 'done' }))).message).toBe(
      'Only the people assigned to "Fail over orders-db" (ben) can change its steps; ask one of them or the incident commander to add you.',
    );
    const carl = person('carl');
    exchange(ana, ben, carl);
    expect((await refusal(() => call(carl, 'runs.assign', { runId: run.id, assignees: ['carl'] }))).message).toBe(
      'Only the people assigned to "Fail over orders-db" (ben) or the incident commander can change who works it.',
    );
    await call(ana, 'runs.assign', { runId: run.id, assignees: ['ben', 'ana'] });
    await call(ana, 'runs.setStep', { runId: run.id, step: 1, state: 'done' });
    const stopped = await call(ana, 'runs.stop', { runId: run.id, reason: 'the primary came back by itself' });
    expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'the primary came back by itself' });
    expect((await refusal(() => call(ana, 'runs.setStep', { runId: run.id, step: 2, state: 'done' }))).message).toContain('was stopped');
    expect((await systemTexts(ana, incident.id)).slice(-3)).toEqual([
      'ana assigned runbook "Fail over orders-db" to ben, ana',
      'ana did step 1 "Confirm the primary is down" of "Fail over orders-db"',
      'ana stopped runbook "Fail over orders-db" at 1 of 6 steps: the primary came back by itself',
    ]);
  });

  it('merges two responders working one execution offline step by step', async () => {
    const ana = person('ana');
    const ben = person('ben');
    await call(ana, 'runbooks.save', { source: failover() });
    const incident = await declare(ana);
    const run = await call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover' });
    await call(ana, 'runs.assign', { runId: run.id, assignees: ['ana', 'ben'] });
    exchange(ana, ben);

    // Offline from each other: ana confirms the outage, ben checks lag and answers the decision.
    clock += 60_000;
    await call(ana, 'runs.setStep', { runId: run.id, step: 1, state: 'done', note: 'pg_isready fails from bastion and app-1' });
    clock += 60_000;
    await call(ben, 'runs.setStep', { runId: run.id, step: 2, state: 'done' });
    clock += 1000;
    await call(ben, 'runs.setStep', { runId: run.id, step: 3, state: 'done', branch: 'no' });
    exchange(ana, ben);

    expect(ana.replica.digest()).toBe(ben.replica.digest());
    const merged = (await call(ben, 'runs.list', { incidentId: incident.id }))[0];
    expect(merged.steps.slice(0, 4).map((s) => [s.state, s.by, s.branch, s.isOutOfOrder, s.isBypassed])).toEqual([
      ['done', 'ana', null, false, false],
      ['done', 'ben', null, false, false],
      ['done', 'ben', 'no', false, false],
      ['pending', null, null, false, false],
    ]);
    expect(merged.deviations).toEqual([]);
    // The same step changed on both laptops: one answer wins everywhere, both stay on the timeline.
    clock += 60_000;
    await call(ana, 'runs.setStep', { runId: run.id, step: 4, state: 'done' });
    await call(ben, 'runs.setStep', { runId: run.id, step: 4, state: 'failed', note: 'lag still growing' });
    exchange(ana, ben);
    expect(ana.replica.digest()).toBe(ben.replica.digest());
    const texts = await systemTexts(ana, incident.id);
    const step4Texts = texts.filter((t) => t.includes('step 4 "'));
    expect([...step4Texts].sort()).toEqual([
      'ana did step 4 "Wait for the replica to catch up" of "Fail over orders-db"',
      'ben marked step 4 "Wait for the replica to catch up" of "Fail over orders-db" failed: lag still growing',
    ]);
    // The step shows the change recorded last (by clock), the same on both laptops.
    const step4 = (await call(ana, 'runs.list', { incidentId: incident.id }))[0].steps[3];
    expect(step4Texts[1].startsWith(`${step4.by} `)).toBe(true);
    expect(step4.state).toBe(step4.by === 'ana' ? 'done' : 'failed');
  });

  it('refuses to start a runbook in a closed incident or one the replica does not have', async () => {
    const ana = person('ana');
    await call(ana, 'runbooks.save', { source: failover() });
    const incident = await declare(ana);
    expect((await refusal(() => call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'nope' }))).code).toBe('not_found');
    expect((await refusal(() => call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover', versionId: 'v-missing' }))).code).toBe('not_found');
    // An execution that synced before the library did: shown, not workable until its version arrives.
    const run = await call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover' });
    await call(ana, 'runs.assign', { runId: run.id, assignees: ['ana', 'ben'] });
    const ben = person('ben');
    ben.replica.applyRemote(opsOf(ana).filter((op) => op.streamId !== 'library'));
    expect((await call(ben, 'runs.list', { incidentId: incident.id }))[0]).toMatchObject({ title: 'Fail over orders-db', steps: [], progress: { settled: 0, total: 0 } });
    expect((await refusal(() => call(ben, 'runs.setStep', { runId: run.id, step: 1, state: 'done' }))).code).toBe('unavailable');
    ben.replica.applyRemote(opsOf(ana));
    expect((await call(ben, 'runs.setStep', { runId: run.id, step: 1, state: 'done' })).progress).toEqual({ settled: 1, total: 6 });

    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'closed' });
    expect((await refusal(() => call(ana, 'runs.start', { incidentId: incident.id, runbookId: 'orders-failover' }))).message).toContain('is closed');
  });
});
