// The service catalog's pure logic: blast radius over reverse dependency edges (diamonds, cycles,
// unknown ids), cycle detection, durations and tiers as people write them, and reading YAML and CSV
// files with every problem reported at its line.
import { describe, expect, it } from 'vitest';
import {
  blastRadius,
  dependencyCycles,
  didYouMean,
  formatMinutes,
  impactOf,
  matchService,
  parseMinutes,
  parseTier,
  unknownDependencies,
  type Service,
  type ServiceTier,
  type ServiceView,
} from '@shared/domain/catalog';
import type { Team } from '@shared/domain/directory';
import { checkEntries } from '../../electron/engine/catalog/catalog-entries';
import { readCatalogCsv, readCatalogYaml, writeCatalog } from '../../electron/engine/catalog/catalog-file';
import { planCatalogImport, type ImportContext } from '../../electron/engine/catalog/catalog-import';

const node = (id: string, dependsOn: string[] = [], tier: ServiceTier = 2) => ({ id, name: id.toUpperCase(), tier, dependsOn });

const service = (id: string, fields: Partial<Service> = {}): Service => ({
  id,
  name: id,
  description: '',
  tier: 3,
  ownerTeamId: null,
  rtoMin: null,
  rpoMin: null,
  dependsOn: [],
  runbookIds: [],
  checklistIds: [],
  updatedAt: 0,
  updatedBy: 'test',
  ...fields,
});

const team = (id: string, name: string): Team => ({ id, name, description: '', escalationPhone: '', pager: '', updatedAt: 0 });

describe('blast radius', () => {
  // db ← api ← web, db ← cache ← web (a diamond), web ← edge; and a cycle jobs → queue → jobs that also needs db.
  const graph = [
    node('db'),
    node('api', ['db'], 1),
    node('cache', ['db'], 3),
    node('web', ['api', 'cache'], 1),
    node('edge', ['web']),
    node('jobs', ['queue', 'db']),
    node('queue', ['jobs']),
    node('lonely', ['ghost']),
  ];

  it('lists every service that depends on one, directly or through others, each once at its shortest depth', () => {
    expect(blastRadius(graph, 'db')).toEqual([
      { id: 'api', name: 'API', tier: 1, depth: 1, via: ['db'] },
      { id: 'jobs', name: 'JOBS', tier: 2, depth: 1, via: ['db'] },
      { id: 'cache', name: 'CACHE', tier: 3, depth: 1, via: ['db'] },
      // Reached through both sides of the diamond: listed once, with both.
      { id: 'web', name: 'WEB', tier: 1, depth: 2, via: ['api', 'cache'] },
      { id: 'queue', name: 'QUEUE', tier: 2, depth: 2, via: ['jobs'] },
      { id: 'edge', name: 'EDGE', tier: 2, depth: 3, via: ['web'] },
    ]);
  });

  it('ends on cycles and never lists the service in its own blast radius', () => {
    expect(blastRadius(graph, 'jobs').map((e) => [e.id, e.depth])).toEqual([['queue', 1]]);
    expect(blastRadius(graph, 'queue').map((e) => [e.id, e.depth])).toEqual([['jobs', 1]]);
    const ring = [node('a', ['c']), node('b', ['a']), node('c', ['b']), node('d', ['c'])];
    expect(blastRadius(ring, 'a').map((e) => [e.id, e.depth, e.via])).toEqual([
      ['b', 1, ['a']],
      ['c', 2, ['b']],
      ['d', 3, ['c']],
    ]);
    expect(blastRadius([node('self', ['self'])], 'self')).toEqual([]);
  });

  it('is empty for a leaf and for an id the catalog does not have', () => {
    expect(blastRadius(graph, 'edge')).toEqual([]);
    expect(blastRadius(graph, 'nope')).toEqual([]);
    // A dependency on an unknown id is reported apart, not walked.
    expect(blastRadius(graph, 'ghost').map((e) => e.id)).toEqual(['lonely']);
    expect(unknownDependencies(graph)).toEqual([{ serviceId: 'lonely', dependencyId: 'ghost' }]);
  });

  it('stays fast on a long chain', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => node(`s${i}`, i === 0 ? [] : [`s${i - 1}`]));
    const radius = blastRadius(chain, 's0');
    expect(radius).toHaveLength(1999);
    expect(radius.at(-1)).toMatchObject({ id: 's1999', depth: 1999 });
  });
});

describe('dependency cycles', () => {
  it('finds every cycle once, from its smallest id, closed back on it', () => {
    const services = [node('a', ['b']), node('b', ['c', 'a']), node('c', ['a']), node('d', ['d']), node('e', ['a']), node('f', ['missing'])];
    expect(dependencyCycles(services)).toEqual([
      ['a', 'b', 'a'],
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });

  it('finds none in a graph with diamonds but no cycle', () => {
    expect(dependencyCycles([node('db'), node('api', ['db']), node('cache', ['db']), node('web', ['api', 'cache', 'db'])])).toEqual([]);
  });
});

describe('matching, durations and tiers', () => {
  const services = [service('checkout-api', { name: 'Checkout API' }), service('orders-db', { name: 'Orders database', dependsOn: [] })];

  it('matches an incident service by id or name in any case', () => {
    expect(matchService(services, 'checkout-api')?.id).toBe('checkout-api');
    expect(matchService(services, ' CHECKOUT-API ')?.id).toBe('checkout-api');
    expect(matchService(services, 'orders  Database')?.id).toBe('orders-db');
    expect(matchService(services, 'payments')).toBeUndefined();
    const views = services.map((s): ServiceView => ({ ...s, owners: { teamId: null, team: null, people: [] } }));
    const impact = impactOf(views, ['Checkout API', 'checkout-api', 'payments']);
    expect(impact.services.map((s) => s.service.id)).toEqual(['checkout-api']);
    expect(impact.unmatched).toEqual(['payments']);
  });

  it('reads and writes recovery objectives', () => {
    expect(parseMinutes('15')).toEqual({ minutes: 15 });
    expect(parseMinutes(15)).toEqual({ minutes: 15 });
    expect(parseMinutes('4h')).toEqual({ minutes: 240 });
    expect(parseMinutes('1h 30m')).toEqual({ minutes: 90 });
    expect(parseMinutes('1d')).toEqual({ minutes: 1440 });
    expect(parseMinutes('')).toEqual({ minutes: null });
    expect(parseMinutes(null)).toEqual({ minutes: null });
    expect(parseMinutes('-5')).toEqual({ problem: expect.stringContaining('is not a duration') });
    expect(parseMinutes(2.5)).toEqual({ problem: expect.stringContaining('whole') });
    expect(parseMinutes('soon')).toEqual({ problem: expect.stringContaining('"soon" is not a duration') });
    expect(parseMinutes(600_000)).toEqual({ problem: expect.stringContaining('more than a year') });
    expect([0, 15, 90, 240, 1440, 1530, null].map(formatMinutes)).toEqual(['0 min', '15 min', '1 h 30 min', '4 h', '1 d', '1 d 1 h 30 min', 'not set']);
  });

  it('reads tiers as people write them', () => {
    expect([1, '2', 'T3', 'tier 4', 'Tier 1'].map(parseTier)).toEqual([{ tier: 1 }, { tier: 2 }, { tier: 3 }, { tier: 4 }, { tier: 1 }]);
    expect(parseTier(5)).toEqual({ problem: expect.stringContaining('5 is not a tier: use 1 (critical, customer-facing)') });
    expect(parseTier('gold')).toEqual({ problem: expect.stringContaining('"gold" is not a tier') });
  });

  it('suggests what was probably meant', () => {
    expect(didYouMean('payment', ['Platform SRE', 'Payments', 'Customer Comms'])).toBe('Payments');
    expect(didYouMean('platform-sre', ['Platform SRE', 'Payments'])).toBe('Platform SRE');
    expect(didYouMean('dependsOn', ['depends_on', 'description'])).toBe('depends_on');
    expect(didYouMean('zzzz', ['Payments'])).toBeNull();
  });
});

const teams = [team('t-pay', 'Payments'), team('t-sre', 'Platform SRE')];
const context = (services: Service[] = []): ImportContext => ({ services, teams, runbookIds: ['database-failover'], checklistIds: ['bad-release'], actor: 'ada' });

const lines = (problems: { line: number; message: string }[]) => problems.map((p) => `line ${p.line}: ${p.message}`);

describe('reading a YAML catalog', () => {
  it('reads services with the line of each and its fields', () => {
    const reading = readCatalogYaml('services:\n  - id: db\n    tier: 1\n    rto_min: 4h\n  - id: api\n    depends_on: [db]\n');
    expect(reading.problems).toEqual([]);
    expect(reading.entries.map((e) => [e.line, e.values, e.lines.rto_min])).toEqual([
      [2, { id: 'db', tier: 1, rto_min: '4h' }, 4],
      [5, { id: 'api', depends_on: ['db'] }, undefined],
    ]);
    // A bare list is a catalog too.
    expect(readCatalogYaml('- id: db\n').entries).toHaveLength(1);
  });

  it('reports bad YAML at its line', () => {
    expect(lines(readCatalogYaml('services:\n  - id: db\n    depends_on: [a, b\n  - id: c\n').problems)).toEqual([expect.stringMatching(/^line [34]: not valid YAML: /)]);
    expect(lines(readCatalogYaml('services:\n  - id: a\n    id: b\n').problems)).toEqual(['line 3: not valid YAML: Map keys must be unique']);
    expect(lines(readCatalogYaml('').problems)).toEqual([expect.stringContaining('line 1: the file is empty')]);
    expect(lines(readCatalogYaml('version: 2\nservices: []\n').problems)).toEqual([expect.stringContaining('line 1: unknown key "version" at the top of the file')]);
    expect(lines(readCatalogYaml('services:\n  - just-a-name\n').problems)).toEqual([expect.stringContaining('line 2: each service is a map of fields')]);
  });

  it('reports every bad field of every service at its line, with what was probably meant', () => {
    const yaml = [
      'services:', //           1
      '  - id: Checkout API', // 2
      '    tier: 7', //          3
      '    rto_min: soon', //    4
      '    owner: Payments', //  5
      '  - name: No id here', // 6
      '    rpo_min: -1', //      7
      '  - id: fine', //         8
      '    dependsOn: [x]', //   9 (camelCase reads as depends_on: fine)
      '    colour: red', //      10
    ].join('\n');
    expect(lines(checkEntries(readCatalogYaml(yaml)).problems).sort()).toEqual(
      [
        'line 2: id "Checkout API" must be lower-case letters, digits and dashes, like checkout-api (e.g. "checkout-api")',
        'line 3: tier: 7 is not a tier: use 1 (critical, customer-facing), 2 (important), 3 (internal) or 4 (best effort)',
        'line 4: rto_min: "soon" is not a duration: give whole minutes (15), or a number with a unit (30m, 4h, 1d)',
        'line 5: unknown field "owner": did you mean owner_team?; the fields are id, name, tier, owner_team, rto_min, rpo_min, depends_on, runbooks, checklists, description',
        'line 6: give the service an id (e.g. "no-id-here"): incidents, runbooks and other services name it by its id',
        'line 7: rpo_min: -1 is not a whole, non-negative number of minutes',
        'line 10: unknown field "colour"; the fields are id, name, tier, owner_team, rto_min, rpo_min, depends_on, runbooks, checklists, description',
      ].sort(),
    );
  });
});

describe('reading a CSV catalog', () => {
  const header = 'id,name,tier,owner_team,rto_min,rpo_min,depends_on,runbooks,checklists,description';

  it('reads rows with their lines, lists split on ";"', () => {
    const reading = readCatalogCsv(
      `${header}\ndb,Orders DB,1,Platform SRE,30,1,,database-failover,,"Postgres, with ""Patroni"""\napi,API,T2,payments,15,0,db;cache,,bad-release,\n`,
    );
    expect(reading.problems).toEqual([]);
    const checked = checkEntries(reading);
    expect(checked.problems).toEqual([]);
    expect(checked.entries.map(({ lines: _lines, ...e }) => e)).toEqual([
      {
        line: 2,
        id: 'db',
        name: 'Orders DB',
        tier: 1,
        ownerTeam: 'Platform SRE',
        rtoMin: 30,
        rpoMin: 1,
        dependsOn: [],
        runbookIds: ['database-failover'],
        checklistIds: [],
        description: 'Postgres, with "Patroni"',
      },
      {
        line: 3,
        id: 'api',
        name: 'API',
        tier: 2,
        ownerTeam: 'payments',
        rtoMin: 15,
        rpoMin: 0,
        dependsOn: ['db', 'cache'],
        runbookIds: [],
        checklistIds: ['bad-release'],
        description: '',
      },
    ]);
  });

  it('reports header and row problems at their lines, a quoted line break counting', () => {
    expect(lines(readCatalogCsv('id,nmae,tier\n').problems)).toEqual([
      'line 1: unknown column "nmae": did you mean name?; the columns are id, name, tier, owner_team, rto_min, rpo_min, depends_on, runbooks, checklists, description',
    ]);
    expect(lines(readCatalogCsv('name,tier\nx,1\n').problems)).toEqual([expect.stringContaining('line 1: there is no "id" column')]);
    expect(lines(readCatalogCsv('id,name\n"a,b\n').problems)).toEqual([expect.stringMatching(/^line 2: not valid CSV: a quoted cell is never closed/)]);
    const csv = `${header}\na,A,1,,,,,,,"two\nlines"\nb,B,9,,soon,,,,,\nc,C,1,,,,,,,,extra\n`;
    expect(lines(checkEntries(readCatalogCsv(csv)).problems)).toEqual([
      'line 5: has 11 cells but the header has 10 columns: quote cells that contain commas',
      'line 4: tier: "9" is not a tier: use 1 (critical, customer-facing), 2 (important), 3 (internal) or 4 (best effort)',
      'line 4: rto_min: "soon" is not a duration: give whole minutes (15), or a number with a unit (30m, 4h, 1d)',
    ]);
  });
});

describe('planning an import', () => {
  const yamlOf = (...services: string[]) => `services:\n${services.join('')}`;

  it('refuses unknown teams and dependencies, duplicates and cycles, each at its line; warns of unknown runbooks', () => {
    const yaml = yamlOf(
      '  - id: api\n    owner_team: Payment\n    depends_on: [db, cash]\n    runbooks: [database-failovr]\n', // 2-5
      '  - id: db\n    owner_team: payments\n    depends_on: [jobs]\n', // 6-8
      '  - id: jobs\n    owner_team: t-sre\n    depends_on: [api]\n', // 9-11
      '  - id: api\n    name: Again\n', // 12-13
      '  - id: self\n    depends_on: [self]\n', // 14-15
    );
    const plan = planCatalogImport(readCatalogYaml(yaml), context());
    expect(plan.drafts).toEqual([]);
    expect(lines(plan.report.errors)).toEqual([
      'line 3: owner_team: no team "Payment" in the directory; did you mean "Payments"?',
      'line 4: depends_on: unknown service "cash": it is neither in this file nor in the catalog',
      'line 4: depends_on: dependency cycle api → db → jobs → api: a service cannot depend on itself through others; remove one of these dependencies',
      'line 12: the service "api" is also at line 2: keep one entry per service',
      'line 15: depends_on: "self" depends on itself',
    ]);
    expect(lines(plan.report.warnings)).toEqual(['line 5: runbooks: no runbook "database-failovr" in this replica\'s library; did you mean "database-failover"?']);
  });

  it('checks dependencies and names against the catalog too, and finds cycles through services not in the file', () => {
    const catalog = [service('db', { name: 'Orders DB', dependsOn: ['api'] }), service('cache')];
    const plan = planCatalogImport(readCatalogYaml(yamlOf('  - id: api\n    name: orders db\n    depends_on: [db, cache, Orders DB]\n')), context(catalog));
    expect(lines(plan.report.errors)).toEqual([
      'line 3: name "orders db" is the name of the catalog\'s service "db": each service needs its own name',
      'line 4: depends_on: unknown service "Orders DB": it is neither in this file nor in the catalog; did you mean "db"?',
      'line 4: depends_on: dependency cycle api → db → api: a service cannot depend on itself through others; remove one of these dependencies',
    ]);
  });

  it('plans ops only for what changes, keeping fields the file leaves out', () => {
    const stored = service('db', { name: 'Orders DB', tier: 1, ownerTeamId: 't-sre', rtoMin: 30, description: 'kept' });
    const csv = 'id,name,tier,owner_team,rto_min\ndb,Orders DB,1,Platform SRE,30\napi,API,2,Payments,15\n';
    const plan = planCatalogImport(readCatalogCsv(csv), context([stored]));
    expect(plan.report).toMatchObject({ created: 1, updated: 0, unchanged: 1, errors: [] });
    expect(plan.drafts).toEqual([
      {
        entity: 'service',
        rowId: 'api',
        fields: {
          name: 'API',
          description: '',
          tier: 2,
          ownerTeamId: 't-pay',
          rtoMin: 15,
          rpoMin: null,
          dependsOn: [],
          runbookIds: [],
          checklistIds: [],
          deleted: false,
          updatedBy: 'ada',
        },
      },
    ]);
    const changed = planCatalogImport(readCatalogCsv('id,tier,rpo_min\ndb,2,5m\n'), context([stored]));
    expect(changed.drafts).toEqual([{ entity: 'service', rowId: 'db', fields: { tier: 2, rpoMin: 5, updatedBy: 'ada' } }]);
  });

  it('writes a catalog that reads back unchanged, in both formats', () => {
    const services = [
      service('db', {
        name: 'Orders DB',
        tier: 1,
        ownerTeamId: 't-sre',
        rtoMin: 30,
        rpoMin: 0,
        runbookIds: ['database-failover'],
        description: '=SUM(1), with "quotes"\nand a line',
      }),
      service('api', { name: 'API', tier: 2, ownerTeamId: 't-pay', dependsOn: ['db'], checklistIds: ['bad-release'] }),
    ];
    for (const format of ['yaml', 'csv'] as const) {
      const text = writeCatalog(format, services, teams);
      const reading = format === 'yaml' ? readCatalogYaml(text) : readCatalogCsv(text);
      const plan = planCatalogImport(reading, context(services));
      expect({ format, errors: plan.report.errors, unchanged: plan.report.unchanged, drafts: plan.drafts }).toEqual({ format, errors: [], unchanged: 2, drafts: [] });
    }
    expect(writeCatalog('yaml', services, teams)).toContain('    depends_on: [ db ]\n');
  });
});

describe('YAML values that look like numbers', () => {
  it('keeps ids, names and dependencies as they were written', async () => {
    const { readCatalogYaml } = await import('../../electron/engine/catalog/catalog-file');
    const reading = readCatalogYaml('services:\n  - id: legacy-1\n    name: 1.10\n    tier: 2\n    depends_on: [010, 0x1f]\n');
    expect(reading.problems).toEqual([]);
    expect(reading.entries[0].values).toMatchObject({ name: '1.10', tier: 2, depends_on: ['010', '0x1f'] });
  });
});

describe('cycles in a catalog too big to walk every path', () => {
  it('still finds a cycle the path walk runs out of budget before reaching', async () => {
    const { dependencyCycles } = await import('@shared/domain/catalog');
    // Forty layers of five services, each depending on every service of the next layer: more paths
    // than the walk explores. A two-service cycle sits behind them.
    const layer = (n: number) => [0, 1, 2, 3, 4].map((k) => `l${String(n).padStart(2, '0')}-${k}`);
    const services = Array.from({ length: 40 }, (_, n) => layer(n).map((id) => ({ id, dependsOn: n < 39 ? layer(n + 1) : ['zz-x'] }))).flat();
    services.push({ id: 'zz-x', dependsOn: ['zz-y'] }, { id: 'zz-y', dependsOn: ['zz-x'] });
    expect(dependencyCycles(services)).toContainEqual(['zz-x', 'zz-y', 'zz-x']);
  });
});
