// The service catalog on real engines: services saved, read with their blast radius, owners and
// contacts, and refused with clear errors (nothing changed); the sample file imported all or
// nothing (a bad file leaves the digest and op count as they were), idempotently; what the catalog
// says about an incident's services; the catalog reaching another replica, concurrent edits of
// different fields merging; and the CLI's import → export → import round trip.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { holdfast } from '../support/cli';
import { call, exchange, openTestEngine, refusal, stateOf } from '../support/engines';
import { tempDir } from '../support/temp';

const docs = join(import.meta.dirname, '../../docs');
const directoryCsv = readFileSync(join(docs, 'samples/directory.csv'), 'utf8');
const sampleYaml = readFileSync(join(docs, 'samples/catalog.yaml'), 'utf8');
const sampleFile = join(docs, 'samples/catalog.yaml');
const runbookFiles = readdirSync(join(docs, 'runbooks'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ path: name, source: readFileSync(join(docs, 'runbooks', name), 'utf8') }));

/** An engine with the sample directory and runbooks, as a team has before its catalog. */
async function preparedEngine(): Promise<Engine> {
  const engine = openTestEngine();
  await call(engine, 'directory.import', { csv: directoryCsv });
  await call(engine, 'runbooks.import', { files: runbookFiles });
  return engine;
}

const teamId = async (engine: Engine, name: string) => {
  const team = (await call(engine, 'directory.list', {})).teams.find((t) => t.name === name);
  if (!team) throw new Error(`no team ${name}`);
  return team.id;
};

describe('catalog services', () => {
  it('saves services and reads one with its blast radius, dependencies, owners with contacts, runbooks and checklists', async () => {
    const engine = await preparedEngine();
    const payments = await teamId(engine, 'Payments');
    const db = await call(engine, 'catalog.save', {
      name: 'Orders DB',
      tier: 1,
      ownerTeamId: await teamId(engine, 'Platform SRE'),
      rtoMin: 30,
      rpoMin: 1,
      runbookIds: ['database-failover'],
    });
    expect(db).toMatchObject({ id: 'orders-db', name: 'Orders DB', tier: 1, rtoMin: 30, rpoMin: 1, dependsOn: [], updatedBy: engine.replica.actorId });
    await call(engine, 'catalog.save', {
      id: 'checkout-api',
      name: 'Checkout API',
      tier: 1,
      ownerTeamId: payments,
      dependsOn: ['orders-db'],
      checklistIds: ['bad-release', 'gone'],
    });
    await call(engine, 'catalog.save', { id: 'ledger', name: 'Ledger', tier: 2, dependsOn: ['orders-db'] });
    await call(engine, 'catalog.save', { id: 'storefront', name: 'Storefront', tier: 1, dependsOn: ['checkout-api', 'ledger', 'checkout-api'] });

    expect((await call(engine, 'catalog.list', {})).map((s) => s.id)).toEqual(['checkout-api', 'ledger', 'orders-db', 'storefront']);
    const detail = await call(engine, 'catalog.get', { id: 'orders-db' });
    expect(detail.blastRadius).toEqual([
      { id: 'checkout-api', name: 'Checkout API', tier: 1, depth: 1, via: ['orders-db'] },
      { id: 'ledger', name: 'Ledger', tier: 2, depth: 1, via: ['orders-db'] },
      { id: 'storefront', name: 'Storefront', tier: 1, depth: 2, via: ['checkout-api', 'ledger'] },
    ]);
    expect(detail.service.owners.team?.name).toBe('Platform SRE');
    expect(detail.service.owners.people.map((p) => p.name)).toEqual(['Amara Okafor', 'Ben Tran', 'Chloé Martin', 'Dev Patel']);
    expect(detail.service.owners.people[0]).toMatchObject({
      email: 'amara.okafor@example.com',
      phones: [
        { label: 'mobile', number: '+44 7700 900123' },
        { label: 'desk', number: '+44 20 7946 0958' },
      ],
    });
    expect(detail.runbooks).toEqual([{ id: 'database-failover', title: 'Fail over the orders database to a streaming replica', isKnown: true }]);
    expect(detail.cycles).toEqual([]);

    const checkout = await call(engine, 'catalog.get', { id: 'checkout-api' });
    expect(checkout.dependencies).toEqual([{ id: 'orders-db', name: 'Orders DB', tier: 1, isKnown: true }]);
    expect(checkout.checklists).toEqual([
      { id: 'bad-release', title: 'Bad release: before rollback', isKnown: true },
      { id: 'gone', title: 'gone', isKnown: false },
    ]);
    expect((await call(engine, 'catalog.get', { id: 'storefront' })).service.dependsOn).toEqual(['checkout-api', 'ledger']);

    // A save with one field changes that field alone; saving it again records nothing.
    const ops = engine.replica.opLog.count();
    expect(await call(engine, 'catalog.save', { id: 'ledger', rtoMin: 240 })).toMatchObject({ name: 'Ledger', tier: 2, rtoMin: 240, dependsOn: ['orders-db'] });
    await call(engine, 'catalog.save', { id: 'ledger', rtoMin: 240, tier: 2 });
    expect(engine.replica.opLog.count()).toBe(ops + 1);
  });

  it('refuses bad saves and removals with what to fix, changing nothing', async () => {
    const engine = await preparedEngine();
    await call(engine, 'catalog.save', { id: 'db', name: 'Orders DB' });
    await call(engine, 'catalog.save', { id: 'api', name: 'API', dependsOn: ['db'] });
    await call(engine, 'catalog.save', { id: 'web', name: 'Web', dependsOn: ['api'] });
    const before = stateOf(engine);

    const cases: [Parameters<typeof call<'catalog.save'>>[2], string][] = [
      [{ id: 'db', dependsOn: ['web'] }, 'dependsOn: that would make a dependency cycle, api → db → web → api.'],
      [{ id: 'db', dependsOn: ['db'] }, '"Orders DB" cannot depend on itself.'],
      [{ id: 'api', dependsOn: ['dbb'] }, 'dependsOn: no service "dbb" in the catalog; did you mean "db"?'],
      [{ id: 'api', ownerTeamId: 'no-such-team' }, 'No team no-such-team in the directory on this replica'],
      [{ name: 'orders db' }, 'The service "db" is already named "Orders DB"'],
      [{ name: 'API' }, 'A service with id "api" exists already'],
      [{ id: 'new-one' }, 'Give the new service "new-one" a name.'],
    ];
    for (const [request, message] of cases) {
      expect((await refusal(() => call(engine, 'catalog.save', request))).message).toContain(message);
    }
    expect(() => call(engine, 'catalog.save', { id: 'db', tier: 5 })).toThrow('tier');
    expect(() => call(engine, 'catalog.save', { id: 'Bad Id', name: 'x' })).toThrow('lower-case letters, digits and dashes');
    expect((await refusal(() => call(engine, 'catalog.remove', { id: 'db' }))).message).toBe(
      '"Orders DB" cannot be removed: API depends on it. Remove those dependencies first.',
    );
    expect((await refusal(() => call(engine, 'catalog.get', { id: 'nope' }))).code).toBe('not_found');
    expect(stateOf(engine)).toEqual(before);

    // Removed from the leaf up; a removed service can be saved again, whole.
    expect((await call(engine, 'catalog.remove', { id: 'web' })).map((s) => s.id)).toEqual(['api', 'db']);
    expect(await call(engine, 'catalog.save', { id: 'web', name: 'Web again' })).toMatchObject({ id: 'web', name: 'Web again', tier: 3, dependsOn: [] });
  });
});

describe('catalog import', () => {
  it('imports the sample file, and importing it again adds no ops', async () => {
    const engine = await preparedEngine();
    const report = await call(engine, 'catalog.import', { format: 'yaml', text: sampleYaml });
    expect(report).toMatchObject({ isImported: true, isDryRun: false, created: 12, updated: 0, unchanged: 0, errors: [], warnings: [] });
    const checkout = await call(engine, 'catalog.get', { id: 'checkout-api' });
    expect(checkout.service).toMatchObject({ name: 'Checkout API', tier: 1, rtoMin: 15, rpoMin: 0, dependsOn: ['orders-db', 'payments-gateway', 'identity'] });
    expect(checkout.service.owners.team?.name).toBe('Payments');
    expect(checkout.blastRadius.map((e) => [e.id, e.depth])).toEqual([
      ['storefront', 1],
      ['mobile-api', 1],
    ]);
    const db = await call(engine, 'catalog.get', { id: 'orders-db' });
    expect(db.blastRadius.map((e) => `${e.depth} ${e.id}`)).toEqual([
      '1 checkout-api',
      '1 ledger',
      '1 notifications',
      '1 admin-console',
      '1 reporting',
      '2 payments-gateway',
      '2 storefront',
      '2 mobile-api',
    ]);
    expect((await call(engine, 'catalog.get', { id: 'ledger' })).service.rtoMin).toBe(240);

    const before = stateOf(engine);
    expect(await call(engine, 'catalog.import', { format: 'yaml', text: sampleYaml })).toMatchObject({ isImported: true, created: 0, updated: 0, unchanged: 12 });
    expect(stateOf(engine)).toEqual(before);

    // The same catalog as CSV, one service changed: one op.
    const csv = (await call(engine, 'catalog.export', { format: 'csv' })).text.replace('ledger,Ledger,2,', 'ledger,Ledger,1,');
    expect(await call(engine, 'catalog.import', { format: 'csv', text: csv })).toMatchObject({ created: 0, updated: 1, unchanged: 11 });
    expect(engine.replica.opLog.count()).toBe(before.ops + 1);
    expect((await call(engine, 'catalog.get', { id: 'ledger' })).service.tier).toBe(1);
  });

  it('refuses a file with any problem, lists each with its line, and leaves the state as it was', async () => {
    const engine = await preparedEngine();
    await call(engine, 'catalog.import', { format: 'yaml', text: sampleYaml });
    const before = stateOf(engine);
    const bad = [
      'services:',
      '  - id: checkout-api', // 2: changed, would be an update if the file were good
      '    tier: 2',
      '  - id: search', // 4
      '    owner_team: Paymnts', // 5
      '    depends_on: [checkout-api, catalog-db]', // 6
      '    rto_min: 90 minutes please', // 7
      '  - id: orders-db', // 8
      '    depends_on: [storefront]', // 9
    ].join('\n');
    const report = await call(engine, 'catalog.import', { format: 'yaml', text: bad });
    expect(report).toMatchObject({ isImported: false, created: 0, updated: 0, unchanged: 0, services: [] });
    expect(report.errors.map((e) => `line ${e.line}: ${e.message}`)).toEqual([
      'line 5: owner_team: no team "Paymnts" in the directory; did you mean "Payments"?',
      'line 6: depends_on: unknown service "catalog-db": it is neither in this file nor in the catalog',
      'line 7: rto_min: "90 minutes please" is not a duration: give whole minutes (15), or a number with a unit (30m, 4h, 1d)',
      'line 9: depends_on: dependency cycle checkout-api → orders-db → storefront → checkout-api: a service cannot depend on itself through others; remove one of these dependencies',
      'line 9: depends_on: dependency cycle checkout-api → payments-gateway → ledger → orders-db → storefront → checkout-api: a service cannot depend on itself through others; remove one of these dependencies',
    ]);
    expect(stateOf(engine)).toEqual(before);

    // Warnings alone do not refuse a file; a dry run changes nothing either way.
    const warned = 'id,name,runbooks\nsearch,Search,search-reindex\n';
    expect(await call(engine, 'catalog.import', { format: 'csv', text: warned, dryRun: true })).toMatchObject({
      isImported: false,
      isDryRun: true,
      created: 1,
      warnings: [{ line: 2, serviceId: 'search', message: 'runbooks: no runbook "search-reindex" in this replica\'s library (yet)' }],
    });
    expect(stateOf(engine)).toEqual(before);
    expect(await call(engine, 'catalog.import', { format: 'csv', text: warned })).toMatchObject({ isImported: true, created: 1 });
  });
});

describe('catalog and incidents', () => {
  it('tells an incident its services: tier, objectives, owners with contacts and blast radius', async () => {
    const engine = await preparedEngine();
    await call(engine, 'catalog.import', { format: 'yaml', text: sampleYaml });
    const incident = await call(engine, 'incidents.create', {
      title: 'Checkout failing',
      severity: 'SEV1',
      services: ['Checkout API', 'ORDERS-DB', 'checkout-api', 'search'],
    });
    const answer = await call(engine, 'catalog.forIncident', { incidentId: incident.id });
    expect(answer.incidentId).toBe(incident.id);
    expect(answer.unmatched).toEqual(['search']);
    expect(answer.services.map((s) => [s.name, s.service.id, s.service.tier, s.service.rtoMin, s.service.rpoMin])).toEqual([
      ['Checkout API', 'checkout-api', 1, 15, 0],
      ['ORDERS-DB', 'orders-db', 1, 30, 1],
    ]);
    const [checkout] = answer.services;
    expect(checkout.service.owners.team).toMatchObject({ name: 'Payments' });
    expect(checkout.service.owners.people.find((p) => p.handle === 'elena')).toMatchObject({
      email: 'elena.garcia@example.com',
      phones: [{ number: '+1 212 555 0147' }, { number: '+1 212 555 0198 x214' }],
    });
    expect(checkout.blastRadius.map((e) => e.id)).toEqual(['storefront', 'mobile-api']);
    expect(checkout.dependencies.map((d) => d.id)).toEqual(['orders-db', 'payments-gateway', 'identity']);
    expect((await refusal(() => call(engine, 'catalog.forIncident', { incidentId: 'nope' }))).code).toBe('not_found');
  });
});

describe('catalog sync', () => {
  it('reaches another replica, and concurrent edits of different fields both stay', async () => {
    const a = await preparedEngine();
    const b = openTestEngine();
    exchange(a, b);
    await call(a, 'catalog.import', { format: 'yaml', text: sampleYaml });
    exchange(a, b);
    expect(await call(b, 'catalog.list', {})).toEqual(await call(a, 'catalog.list', {}));
    expect((await call(b, 'catalog.get', { id: 'orders-db' })).blastRadius).toEqual((await call(a, 'catalog.get', { id: 'orders-db' })).blastRadius);
    expect(b.replica.digest()).toBe(a.replica.digest());

    await call(a, 'catalog.save', { id: 'ledger', tier: 1 });
    await call(b, 'catalog.save', { id: 'ledger', rtoMin: 60 });
    await call(b, 'catalog.remove', { id: 'status-page' });
    exchange(a, b);
    for (const engine of [a, b]) {
      expect((await call(engine, 'catalog.get', { id: 'ledger' })).service).toMatchObject({ tier: 1, rtoMin: 60 });
      expect((await call(engine, 'catalog.list', {})).map((s) => s.id)).not.toContain('status-page');
    }
    expect(b.replica.digest()).toBe(a.replica.digest());
    // Two replicas each add one edge offline: a cycle neither could make alone. It is shown on the
    // services in it, and does not stop edits that do not add to it.
    await call(a, 'catalog.save', { id: 'p', name: 'P' });
    await call(a, 'catalog.save', { id: 'q', name: 'Q' });
    exchange(a, b);
    await call(a, 'catalog.save', { id: 'p', dependsOn: ['q'] });
    await call(b, 'catalog.save', { id: 'q', dependsOn: ['p'] });
    exchange(a, b);
    expect((await call(a, 'catalog.get', { id: 'p' })).cycles).toEqual([['p', 'q', 'p']]);
    expect((await call(b, 'catalog.get', { id: 'p' })).blastRadius.map((e) => e.id)).toEqual(['q']);
    expect(await call(a, 'catalog.save', { id: 'p', tier: 1, dependsOn: ['q'] })).toMatchObject({ tier: 1 });
    expect(await call(a, 'catalog.save', { id: 'q', dependsOn: ['p', 'orders-db'] })).toMatchObject({ dependsOn: ['p', 'orders-db'] });
    expect((await refusal(() => call(a, 'catalog.save', { id: 'orders-db', dependsOn: ['q'] }))).message).toContain('dependency cycle, orders-db → q → orders-db');
    await call(a, 'catalog.save', { id: 'q', dependsOn: ['orders-db'] });
    expect((await call(a, 'catalog.get', { id: 'p' })).cycles).toEqual([]);
    exchange(a, b);
    await call(b, 'catalog.remove', { id: 'p' });
    await call(b, 'catalog.remove', { id: 'q' });
    exchange(a, b);

    // And the sample imported on the second replica now changes nothing there either (status-page aside, which it brings back).
    expect(await call(b, 'catalog.import', { format: 'yaml', text: sampleYaml })).toMatchObject({ created: 1, updated: 1, unchanged: 10 });
  });
});

describe('holdfast catalog', () => {
  it('imports a file, refuses a bad one with its lines and exit 1, and exports what imports again unchanged', async () => {
    const work = tempDir();
    const first = join(work, 'first');
    const second = join(work, 'second');
    for (const data of [first, second]) expect((await holdfast('directory', 'import', join(docs, 'samples/directory.csv'), '--data', data)).code).toBe(0);

    // The sample names runbooks and checklists; a replica without the runbooks is warned of them.
    const imported = await holdfast('catalog', 'import', sampleFile, '--data', first);
    expect(imported.code).toBe(0);
    expect(imported.out).toBe(`imported ${sampleFile}: 12 created, 0 updated, 0 unchanged; 4 warnings`);
    expect(imported.err.split('\n')).toEqual([
      'warning: line 13: runbooks: no runbook "database-failover" in this replica\'s library (yet)',
      'warning: line 34: runbooks: no runbook "certificate-expiry" in this replica\'s library (yet)',
      'warning: line 63: runbooks: no runbook "release-rollback" in this replica\'s library (yet)',
      'warning: line 63: runbooks: no runbook "database-failover" in this replica\'s library (yet)',
    ]);
    expect((await holdfast('catalog', 'import', sampleFile, '--data', first)).out).toBe(`imported ${sampleFile}: 0 created, 0 updated, 12 unchanged; 4 warnings`);

    for (const format of ['yaml', 'csv'] as const) {
      const exported = await holdfast('catalog', 'export', '--format', format, '--data', first);
      expect(exported.code).toBe(0);
      const file = join(work, `export.${format}`);
      writeFileSync(file, `${exported.out}\n`);
      expect((await holdfast('catalog', 'import', file, '--data', first)).out).toContain('0 created, 0 updated, 12 unchanged');
      if (format === 'yaml') {
        expect((await holdfast('catalog', 'import', file, '--data', second)).out).toContain('12 created, 0 updated, 0 unchanged');
        expect((await holdfast('catalog', 'export', '--data', second)).out).toBe(exported.out);
      }
    }
    const out = join(work, 'catalog.csv');
    expect(await holdfast('catalog', 'export', '--out', out, '--data', first)).toEqual({ code: 0, out: `exported 12 services to ${out}`, err: '' });
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('id,name,tier,owner_team,rto_min,rpo_min,depends_on,runbooks,checklists,description');

    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'id,name,tier,owner_team\nsearch,Search,0,Search team\n');
    const refused = await holdfast('catalog', 'import', bad, '--data', first);
    expect(refused.code).toBe(1);
    expect(refused.err.split('\n')).toEqual([
      'line 2: tier: "0" is not a tier: use 1 (critical, customer-facing), 2 (important), 3 (internal) or 4 (best effort)',
      'line 2: owner_team: no team "Search team" in the directory; its teams are Customer Comms, Payments, Platform SRE',
      `nothing was imported: ${bad} has 2 problems; fix the file and import it again`,
    ]);
    expect((await holdfast('catalog', 'import', bad, '--dry-run', '--data', first)).code).toBe(1);

    for (const [argv, message] of [
      [['catalog'], 'usage: holdfast catalog import FILE'],
      [['catalog', 'sync'], 'usage: holdfast catalog import FILE'],
      [['catalog', 'import', '--data', work], 'name the catalog file to import'],
      [['catalog', 'import', join(work, 'catalog.txt'), '--data', work], 'name it .yaml or .csv, or give --format yaml|csv'],
      [['catalog', 'export', '--format', 'xml', '--data', work], '--format must be yaml or csv, got "xml"'],
      [['catalog', 'export', 'extra', '--data', work], 'Unexpected argument'],
    ] as const) {
      const run = await holdfast(...argv);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.err).toContain(message);
    }
  });
});
