import { describe, expect, it } from 'vitest';
import {
  approvalRefusal,
  asMarkdown,
  asPlainText,
  audienceLabels,
  audiences,
  builtInUpdateTemplates,
  cadenceRequest,
  cadenceSetting,
  cadenceStatus,
  defaultCadence,
  lintUpdate,
  markdownToPlainText,
  needsApproval,
  nextUpdateSuggestion,
  renderTemplate,
  templatePlaceholders,
  templateValues,
  type Audience,
  type Cadence,
  type LintContext,
  type LintRule,
} from '@shared/domain/comms';
import type { Severity } from '@shared/domain/incident';

const minute = 60_000;
const declaredAt = Date.UTC(2025, 2, 1, 14, 0);
const at = (minutes: number, seconds = 0) => declaredAt + minutes * minute + seconds * 1000;

describe('templates', () => {
  it('has one built-in template per audience, using only documented placeholders', () => {
    expect(builtInUpdateTemplates.map((t) => t.audience).sort()).toEqual([...audiences].sort());
    for (const template of builtInUpdateTemplates) {
      const { unresolved } = renderTemplate(`${template.title}\n${template.body}`, {});
      expect(unresolved.length).toBeGreaterThan(0);
      for (const name of unresolved) expect(Object.keys(templatePlaceholders)).toContain(name);
      for (const field of ['impact', 'status', 'actions', 'nextUpdate']) expect(unresolved).toContain(field);
    }
    expect(audienceLabels).toEqual({ internal: 'Internal responders', executives: 'Executives', customers: 'Customers' });
  });

  it('keeps severities and internal titles out of the customer template', () => {
    const customers = builtInUpdateTemplates.find((t) => t.audience === 'customers')!;
    const { unresolved } = renderTemplate(`${customers.title}\n${customers.body}`, {});
    expect(unresolved.filter((name) => name.startsWith('incident.'))).toEqual([]);
    expect(lintUpdate(`${customers.title}\n${customers.body}`, { audience: 'customers' }).every((f) => f.rule === 'placeholder')).toBe(true);
  });

  it('asks executives for an honest recovery estimate', () => {
    const executives = builtInUpdateTemplates.find((t) => t.audience === 'executives')!;
    expect(renderTemplate(executives.body, {}).unresolved).toContain('eta');
  });
});

describe('renderTemplate', () => {
  it('fills placeholders, with or without spaces inside the braces', () => {
    expect(renderTemplate('{{incident.title}}: {{ impact }} / {{impact}}', { 'incident.title': 'Checkout down', impact: 'All card payments fail' })).toEqual({
      text: 'Checkout down: All card payments fail / All card payments fail',
      unresolved: [],
    });
  });

  it('leaves unknown and empty values as {{name}}, listed once each in order', () => {
    const result = renderTemplate('{{ status }} {{eta}} {{impact}} {{  eta}} {{actions}}', { impact: 'x', status: '   ', actions: '' });
    expect(result.text).toBe('{{status}} {{eta}} x {{eta}} {{actions}}');
    expect(result.unresolved).toEqual(['status', 'eta', 'actions']);
  });

  it('completes a partial render when rendered again, without ever doubling braces', () => {
    const first = renderTemplate('Next update by {{ nextUpdate }}; {{{impact}}}', {});
    expect(first.text).toBe('Next update by {{nextUpdate}}; {{impact}}');
    const second = renderTemplate(first.text, { nextUpdate: '14:35 UTC' });
    expect(second).toEqual({ text: 'Next update by 14:35 UTC; {{impact}}', unresolved: ['impact'] });
    expect(renderTemplate(second.text, {}).text).toBe(second.text);
    expect(renderTemplate(second.text, { impact: 'none' }).text).toBe('Next update by 14:35 UTC; none');
    expect(second.text).not.toContain('{{{{');
  });

  it('inserts values as written: trimmed, not rescanned, not HTML-escaped', () => {
    expect(renderTemplate('{{a}}|{{b}}', { a: '  <b>R&D</b> {{b}} ', b: 'B' }).text).toBe('<b>R&D</b> {{b}}|B');
  });

  it('does not take values from the object prototype, and leaves non-placeholders alone', () => {
    expect(renderTemplate('{{constructor}} {{toString}}', {})).toEqual({ text: '{{constructor}} {{toString}}', unresolved: ['constructor', 'toString'] });
    expect(renderTemplate('{{}} {{ two words }} {{1x}}', {})).toEqual({ text: '{{}} {{ two words }} {{1x}}', unresolved: [] });
  });

  it('builds values from the incident and what the author wrote', () => {
    const values = templateValues({
      incident: { title: 'Checkout 500s', severity: 'SEV2', status: 'identified', services: ['checkout', 'payments'], declaredAt },
      commander: 'Ana López',
      fields: { impact: 'Card payments fail', status: '', eta: 'Not known yet' },
      nextUpdateAt: at(30),
    });
    expect(values).toMatchObject({
      'incident.title': 'Checkout 500s',
      'incident.severity': 'SEV2',
      'incident.severityMeaning': 'Major: significant degradation for many users',
      'incident.services': 'checkout, payments',
      'incident.declaredAt': '2025-03-01 14:00 UTC',
      'incident.commander': 'Ana López',
      impact: 'Card payments fail',
      eta: 'Not known yet',
      nextUpdate: '2025-03-01 14:30 UTC',
    });
    expect(values).not.toHaveProperty('status');
    const executives = builtInUpdateTemplates.find((t) => t.audience === 'executives')!;
    expect(renderTemplate(executives.body, values).unresolved).toEqual(['status', 'actions']);
  });
});

describe('cadence', () => {
  const status = (over: Partial<Parameters<typeof cadenceStatus>[0]> & { now: number }) =>
    cadenceStatus({ severity: 'SEV1', audience: 'internal', cadence: defaultCadence, declaredAt, lastPublishedAt: null, ...over });

  it('is a valid setting as shipped, and stops for SEV4', () => {
    expect(cadenceSetting.parse(defaultCadence)).toEqual(defaultCadence);
    expect(Object.values(defaultCadence.SEV4)).toEqual([null, null, null]);
  });

  it('makes the first update due one interval after the declaration, through every level', () => {
    expect(status({ now: at(5) })).toEqual({ audience: 'internal', intervalMin: 15, lastPublishedAt: null, dueAt: at(15), level: 'ok', minutesLeft: 10 });
    expect(status({ now: at(9, 59) })).toMatchObject({ level: 'ok', minutesLeft: 6 });
    expect(status({ now: at(10) })).toMatchObject({ level: 'soon', minutesLeft: 5 });
    expect(status({ now: at(14, 30) })).toMatchObject({ level: 'soon', minutesLeft: 1 });
    expect(status({ now: at(15) })).toMatchObject({ level: 'soon', minutesLeft: 0 });
    expect(status({ now: at(15) + 1 })).toMatchObject({ level: 'overdue', minutesLeft: 0 });
    expect(status({ now: at(17) })).toMatchObject({ level: 'overdue', minutesLeft: -2 });
    expect(Object.is(status({ now: at(15, 30) }).minutesLeft, 0)).toBe(true);
  });

  it('turns amber a fifth of the interval before, at least 5 minutes before', () => {
    const customers = (now: number, severity: Severity = 'SEV1') => status({ audience: 'customers', severity, now }).level;
    expect([customers(at(23)), customers(at(24))]).toEqual(['ok', 'soon']); // 30 min: 6 min window
    expect([customers(at(95), 'SEV3'), customers(at(96), 'SEV3')]).toEqual(['ok', 'soon']); // 120 min: 24 min window
  });

  it('counts from the last published update afterwards', () => {
    expect(status({ audience: 'customers', lastPublishedAt: at(12), now: at(20) })).toMatchObject({
      dueAt: at(42),
      level: 'ok',
      minutesLeft: 22,
      lastPublishedAt: at(12),
    });
  });

  it('keeps an earlier promised "next update at", not a later one', () => {
    expect(status({ audience: 'customers', lastPublishedAt: at(12), nextUpdateAt: at(30), now: at(26) })).toMatchObject({ dueAt: at(30), level: 'soon', minutesLeft: 4 });
    expect(status({ audience: 'customers', lastPublishedAt: at(12), nextUpdateAt: at(60), now: at(26) })).toMatchObject({ dueAt: at(42), level: 'ok' });
  });

  it('applies a severity change at once', () => {
    const common = { audience: 'internal' as Audience, lastPublishedAt: at(10), now: at(40) };
    expect(status({ ...common, severity: 'SEV3' })).toMatchObject({ intervalMin: 60, dueAt: at(70), level: 'ok' });
    expect(status({ ...common, severity: 'SEV1' })).toMatchObject({ intervalMin: 15, dueAt: at(25), level: 'overdue', minutesLeft: -15 });
  });

  it('runs no clock without a cadence, unless an update promised a time', () => {
    const none = { intervalMin: null, dueAt: null, level: 'none', minutesLeft: null };
    expect(status({ severity: 'SEV4', now: at(600) })).toMatchObject(none);
    expect(status({ severity: 'SEV3', audience: 'executives', lastPublishedAt: at(5), now: at(600) })).toMatchObject(none);
    expect(status({ severity: 'SEV4', lastPublishedAt: at(5), nextUpdateAt: at(30), now: at(24) })).toMatchObject({ intervalMin: null, dueAt: at(30), level: 'ok' });
    expect(status({ severity: 'SEV4', lastPublishedAt: at(5), nextUpdateAt: at(30), now: at(25) })).toMatchObject({ level: 'soon' });
    expect(status({ severity: 'SEV4', lastPublishedAt: at(5), nextUpdateAt: at(30), now: at(31) })).toMatchObject({ level: 'overdue', minutesLeft: -1 });
  });

  it('uses an organisation cadence', () => {
    const cadence: Cadence = { ...defaultCadence, SEV2: { internal: 10, executives: null, customers: 1440 } };
    expect(status({ severity: 'SEV2', cadence, now: at(1) })).toMatchObject({ dueAt: at(10), level: 'ok' });
    expect(status({ severity: 'SEV2', audience: 'customers', cadence, now: at(1) })).toMatchObject({ dueAt: at(1440), minutesLeft: 1439 });
  });

  it('suggests the next update one interval ahead, rounded up to 5 minutes', () => {
    expect(nextUpdateSuggestion({ intervalMin: 30 }, at(12, 10))).toBe(at(45));
    expect(nextUpdateSuggestion({ intervalMin: 15 }, at(5))).toBe(at(20));
    expect(nextUpdateSuggestion({ intervalMin: 15 }, at(5) + 1)).toBe(at(25));
    expect(nextUpdateSuggestion(status({ severity: 'SEV4', now: at(5) }), at(5))).toBeNull();
    expect(nextUpdateSuggestion(status({ now: at(3, 1) }), at(3, 1))).toBe(at(20));
  });
});

describe('cadenceRequest', () => {
  const issues = (input: unknown) => cadenceRequest.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('accepts whole minutes from 5 to 1440, or null, for every severity and audience', () => {
    expect(cadenceRequest.parse({ cadence: defaultCadence })).toEqual({ cadence: defaultCadence });
    const edges = { internal: 5, executives: 1440, customers: null };
    expect(cadenceRequest.safeParse({ cadence: { SEV1: edges, SEV2: edges, SEV3: edges, SEV4: edges } }).success).toBe(true);
  });

  it('says what is wrong with each value', () => {
    const cadence = { ...defaultCadence, SEV1: { internal: 4, executives: 1441, customers: 7.5 }, SEV2: { internal: '15', executives: null } };
    expect(issues({ cadence })).toEqual([
      ['cadence.SEV1.internal', 'must be at least 5 minutes: nobody writes a useful update faster'],
      ['cadence.SEV1.executives', 'must be at most 1440 minutes (a day); use null for updates as needed'],
      ['cadence.SEV1.customers', 'must be a whole number of minutes'],
      ['cadence.SEV2.internal', 'must be the minutes between updates (5 to 1440), or null for updates as needed'],
      ['cadence.SEV2.customers', 'is missing: give the minutes between updates (5 to 1440), or null for updates as needed'],
    ]);
  });

  it('wants every severity and only known severities and audiences', () => {
    const { SEV4: _dropped, ...rest } = defaultCadence;
    expect(issues({ cadence: { ...rest, SEV5: {} } })).toEqual([
      ['cadence.SEV4', 'is missing: give { internal: minutes or null, executives: minutes or null, customers: minutes or null }'],
      ['cadence', 'has no severity SEV5: use SEV1, SEV2, SEV3, SEV4'],
    ]);
    expect(issues({ cadence: { ...defaultCadence, SEV1: { ...defaultCadence.SEV1, partners: 30 } } })).toEqual([
      ['cadence.SEV1', 'has no audience partners: use internal, executives, customers'],
    ]);
    expect(issues({ cadence: 'fast' })).toEqual([['cadence', 'must give the cadence of every severity: SEV1, SEV2, SEV3, SEV4']]);
    expect(issues({ cadence: defaultCadence, extra: true })?.[0][0]).toBe('');
  });
});

describe('lintUpdate', () => {
  const people = [
    { name: 'Ana María López', handle: 'alopez', email: 'ana.lopez@acme.io' },
    { name: 'Ben Okafor', handle: 'admin', email: '' },
    { name: 'Cher', handle: null },
  ];
  const lint = (text: string, audience: Audience = 'customers', context: Partial<LintContext> = {}) =>
    lintUpdate(text, { audience, people, internalDomains: ['acme.net'], ...context });
  const hits = (text: string, rule: LintRule, audience: Audience = 'customers') =>
    lint(text, audience)
      .filter((f) => f.rule === rule)
      .map((f) => f.excerpt);

  describe('speculation', () => {
    it('flags guesses as whole words, whatever the case', () => {
      expect(hits('This is Probably a network issue, most likely in one region. Maybe. Perhaps. Hopefully soon.', 'speculation')).toEqual([
        'Probably',
        'likely',
        'Maybe',
        'Perhaps',
        'Hopefully',
      ]);
      expect(hits('We think it is fixed. We believe so. I guess. It seems slow. It appears to be stable.', 'speculation')).toEqual([
        'We think',
        'We believe',
        'I guess',
        'seems',
        'appears to be',
      ]);
      expect(hits('A repeat is unlikely.', 'speculation')).toEqual(['unlikely']);
    });

    it('flags causes and fixes stated before anyone knows', () => {
      expect(hits('It might be caused by the cache. It is caused by load. Errors are due to a bad change.', 'speculation')).toEqual([
        'might be caused',
        'caused by',
        'due to',
      ]);
      expect(hits('The root cause was a bad certificate. It should be fixed soon; payments should be back by 15:00.', 'speculation')).toEqual([
        'root cause was',
        'should be fixed',
        'should be back',
      ]);
    });

    it('leaves facts and look-alike words alone', () => {
      expect(
        hits('The likelihood is low. Seamless sign-in works. The fix is due to be released at 15:00. We will share the root cause after our review.', 'speculation'),
      ).toEqual([]);
      expect(hits('Payments fail for 20% of customers. We restarted the service at 14:10.', 'speculation')).toEqual([]);
    });

    it('tells the writer why, for the audience reading it', () => {
      const [finding] = lint('We believe service is back.', 'executives');
      expect(finding).toEqual({
        rule: 'speculation',
        excerpt: 'We believe',
        start: 0,
        end: 10,
        message: '"We believe" is a guess, and executives read a guess as a fact: say what you know, and "not known yet" where you do not.',
      });
    });
  });

  describe('blame', () => {
    it('flags blaming words and actors', () => {
      expect(hits('This was human error: a mistake by the on-site crew. We do not blame anyone.', 'blame')).toEqual(['human error', 'mistake by', 'blame']);
      expect(hits('An engineer broke the config. The team caused it. Our payment provider failed. A vendor pushed a bad update.', 'blame')).toEqual([
        'engineer broke',
        'team caused',
        'Our payment provider failed',
        'vendor pushed',
      ]);
    });

    it('flags a change named for the team or person who made it', () => {
      expect(hits('This is probably a bad deploy by the database team. A config change made by an engineer. Deployments by our vendors.', 'blame')).toEqual([
        'deploy by the database team',
        'change made by an engineer',
        'Deployments by our vendors',
      ]);
      expect(hits('A change by 14:00 will restore service. The update by noon is planned.', 'blame')).toEqual([]);
    });

    it('flags people of the directory who "broke" or "pushed" something, by name, first name or user name', () => {
      expect(hits('Ana María López pushed a change; Ana forgot the flag; alopez deployed it; Ben caused it.', 'blame', 'executives')).toEqual([
        'Ana María López pushed',
        'Ana forgot',
        'alopez deployed',
        'Ben caused',
      ]);
    });

    it("flags an internal team named in an update, and a fault that is someone else's", () => {
      expect(hits("The outage was the DBA team’s fault. We are working with the database team. Ben's mistake.", 'blame')).toEqual([
        'the DBA team',
        'the database team',
        "Ben's mistake",
      ]);
      expect(hits("It was the payments team's fault.", 'blame', 'executives')).toEqual(['the payments team']);
      expect(hits("Our engineering team is on it; the whole team is here. It's fault-tolerant now, and that's faulty logic.", 'blame')).toEqual([]);
    });

    it('leaves owning the problem alone', () => {
      expect(hits('This was our fault and we are sorry. A host failed and traffic moved. The failure of one disk slowed reads.', 'blame')).toEqual([]);
    });
  });

  describe('person-name', () => {
    it('flags names, first and last names, user names and e-mail addresses from the directory', () => {
      expect(hits('Ana María López and ana lópez are on it; ask @alopez (alopez) or ana.lopez@acme.io. Cher too.', 'person-name')).toEqual([
        'Ana María López',
        'ana lópez',
        '@alopez',
        'alopez',
        'ana.lopez@acme.io',
        'Cher',
      ]);
      expect(lint('Ask Ana López.')[0].message).toBe('"Ana López" names Ana María López: customers need no names of staff; say "our team" or "our engineers".');
    });

    it('needs whole words, and an @ for generic user names', () => {
      expect(hits('Banana López, alopez2, xalopez, Cherry, ana, Ben', 'person-name')).toEqual([]);
      expect(hits('The admin console works; @admin is looking.', 'person-name')).toEqual(['@admin']);
      expect(hits('Ana María López', 'person-name', 'executives')).toEqual([]);
      expect(lintUpdate('Ana María López', { audience: 'customers' })).toEqual([]);
    });
  });

  describe('internal-host', () => {
    it('flags internal domains and cluster names', () => {
      expect(hits('db-1.internal, api.corp, nas.lan, printer.local, kafka-0.kafka.svc.cluster.local and localhost:8080 are down.', 'internal-host')).toEqual([
        'db-1.internal',
        'api.corp',
        'nas.lan',
        'printer.local',
        'kafka-0.kafka.svc.cluster.local',
        'localhost',
      ]);
      expect(hits('See grafana.eu.acme.net and acme.net, not acme.network or status.acme.com.', 'internal-host')).toEqual(['grafana.eu.acme.net', 'acme.net']);
    });

    it('flags private and loopback addresses, not public ones or version numbers', () => {
      expect(hits('10.0.4.17, 172.16.0.0/12, 192.168.1.20, 127.0.0.1, http://10.1.2.3/admin and 169.254.169.254.', 'internal-host')).toEqual([
        '10.0.4.17',
        '172.16.0.0/12',
        '192.168.1.20',
        '127.0.0.1',
        '10.1.2.3',
        '169.254.169.254',
      ]);
      expect(hits('8.8.8.8, 172.32.0.1, 10.0.0.300, version 10.2.3 and 1.10.0.4.2', 'internal-host')).toEqual([]);
    });

    it('flags lower-case dash-number host names, not ordinary words with numbers', () => {
      expect(hits('db-1 and orders-db-2 and ip-10-0-4-17 and web-03 in eu-west-1 failed.', 'internal-host')).toEqual([
        'db-1',
        'orders-db-2',
        'ip-10-0-4-17',
        'web-03',
        'eu-west-1',
      ]);
      // Capitalised, ordinary, dated, version-like or dash-less tokens are not hosts.
      expect(
        hits('COVID-19, Windows-10, covid-19, tier-1 support, utf-8, x86-64, 2024-05-01, checkout-v2, db1, mp3, e-2, a 24-7 team, year-2024.', 'internal-host'),
      ).toEqual([]);
      expect(hits('See https://status.example.com/incidents/abc-123 for history.', 'internal-host')).toEqual([]);
    });
  });

  describe('internal-jargon', () => {
    it('flags severities, roles and room words for customers', () => {
      expect(hits('SEV1, Sev-2, severity 3 and P1: the incident commander (IC) opened a war room and the runbook; on-call paged.', 'internal-jargon')).toEqual([
        'SEV1',
        'Sev-2',
        'severity 3',
        'P1',
        'incident commander',
        'IC',
        'war room',
        'runbook',
        'on-call',
      ]);
    });

    it('flags internal references, not public standards', () => {
      expect(hits('We reverted release 4512 (PR #8812, OPS-1234).', 'internal-jargon')).toEqual(['release 4512', 'PR #8812', 'OPS-1234']);
      expect(hits('Dates follow ISO-8601; we hold SOC-2; CVE-2024-3094 does not affect us; Windows-10 users; COVID-19; release 2; topic.', 'internal-jargon')).toEqual(
        [],
      );
    });

    it('is for customers only', () => {
      expect(hits('SEV1 war room', 'internal-jargon', 'executives')).toEqual([]);
    });
  });

  describe('placeholder', () => {
    it('flags unfilled placeholders for every audience', () => {
      for (const audience of audiences) expect(hits('Next update by {{nextUpdate}}, {{ eta }}.', 'placeholder', audience)).toEqual(['{{nextUpdate}}', '{{ eta }}']);
      expect(lint('{{eta}}', 'internal')[0].message).toBe('"{{eta}}" was never filled in: write it, or delete it before publishing.');
    });
  });

  describe('audiences and order', () => {
    const text = 'SEV1: we think Ana López broke db-1.internal. {{eta}}';

    it('checks only placeholders for responders, guesses and blame for executives, everything for customers', () => {
      expect(lint(text, 'internal').map((f) => f.rule)).toEqual(['placeholder']);
      expect(lint(text, 'executives').map((f) => f.rule)).toEqual(['speculation', 'blame', 'placeholder']);
      expect(lint(text, 'customers').map((f) => [f.rule, f.excerpt, f.start, f.end])).toEqual([
        ['internal-jargon', 'SEV1', 0, 4],
        ['speculation', 'we think', 6, 14],
        ['blame', 'Ana López broke', 15, 30],
        ['person-name', 'Ana López', 15, 24],
        ['internal-host', 'db-1.internal', 31, 44],
        ['placeholder', '{{eta}}', 46, 53],
      ]);
    });

    it('reports overlapping findings of one rule once, and is deterministic', () => {
      expect(hits('It appears to be caused by the cache.', 'speculation')).toEqual(['appears to be caused']);
      const findings = lint(text);
      for (const finding of findings) expect(text.slice(finding.start, finding.end)).toBe(finding.excerpt);
      expect(lint(text)).toEqual(findings);
    });

    it('finds nothing in a good customer update', () => {
      const good = 'Some customers cannot complete card payments. We have found the failing component and are moving traffic away from it. Next update by 14:30 UTC.';
      expect(lint(good)).toEqual([]);
    });
  });
});

describe('approval', () => {
  it('asks for approval of customer and executive updates as the organisation sets, never for responders', () => {
    expect(needsApproval('customers', { customers: true, executives: false })).toBe(true);
    expect(needsApproval('executives', { customers: true, executives: false })).toBe(false);
    expect(needsApproval('executives', { customers: false, executives: true })).toBe(true);
    expect(needsApproval('internal', { customers: true, executives: true })).toBe(false);
  });

  const command = { commanderId: 'ana', deputyId: 'ben', namedApprovers: ['cara'] };

  it('lets the commander, the deputy or a named approver approve what someone else wrote', () => {
    for (const approver of ['ana', 'ben', 'cara']) expect(approvalRefusal({ author: 'sam', approver, ...command })).toBeNull();
  });

  it('refuses the author and anyone else, saying who can', () => {
    expect(approvalRefusal({ author: 'ana', approver: 'ana', ...command })).toBe(
      'You wrote this update, so someone else approves it: ben (deputy commander) or cara (approver).',
    );
    expect(approvalRefusal({ author: 'sam', approver: 'dev', ...command })).toBe(
      'Only ana (incident commander), ben (deputy commander) or cara (approver) can approve this update.',
    );
    expect(approvalRefusal({ author: 'ana', approver: 'dev', commanderId: 'ana', deputyId: null, namedApprovers: [] })).toBe(
      'Nobody can approve this update yet: assign an incident commander or deputy, or name an approver.',
    );
    expect(approvalRefusal({ author: 'ana', approver: 'ana', commanderId: 'ana', deputyId: null, namedApprovers: ['ana'] })).toBe(
      'You wrote this update, so someone else approves it, and nobody else can: assign a deputy commander or name an approver.',
    );
    expect(approvalRefusal({ author: 'sam', approver: 'dev', commanderId: null, deputyId: null, namedApprovers: [] })).toBe(
      'Nobody can approve this update yet: assign an incident commander or deputy, or name an approver.',
    );
  });
});

describe('copying an update out', () => {
  const update = {
    title: 'Card payments failing',
    body: '**What is affected:** Some card payments fail.\n\n- *Status:* see [our status page](https://status.example.com)\n- Call `support` at <https://example.com/help>',
    audience: 'executives' as Audience,
    publishedAt: Date.UTC(2025, 2, 1, 14, 5, 30),
    incidentTitle: 'orders-db-2 replication lag',
  };

  it('renders Markdown with a footer saying when, for whom and about what', () => {
    expect(asMarkdown(update)).toBe(
      `**Card payments failing**\n\n${update.body}\n\n_Published 2025-03-01 14:05 UTC · Executives · Incident: orders-db-2 replication lag_\n`,
    );
  });

  it('renders plain text without Markdown', () => {
    expect(asPlainText(update)).toBe(
      [
        'Card payments failing',
        '',
        'What is affected: Some card payments fail.',
        '',
        '- Status: see our status page (https://status.example.com)',
        '- Call support at https://example.com/help',
        '',
        'Published 2025-03-01 14:05 UTC · Executives · Incident: orders-db-2 replication lag',
        '',
      ].join('\n'),
    );
  });

  it('leaves the internal incident title out of customer copies, and marks drafts', () => {
    const customers = { ...update, audience: 'customers' as Audience, publishedAt: null };
    expect(asMarkdown(customers)).not.toContain('orders-db-2');
    expect(asPlainText(customers)).toMatch(/\n\nDraft, not published\n$/);
  });

  it('strips only the Markdown updates use', () => {
    expect(markdownToPlainText('## Heading\n* one\n+ two\n__bold__ _it_ ~~old~~ snake_case_name 2 * 3 * 4 \\*literal\\* [https://a.example](https://a.example)')).toBe(
      'Heading\n- one\n- two\nbold it old snake_case_name 2 * 3 * 4 *literal* https://a.example',
    );
    expect(markdownToPlainText('`**kept**` and **bold**')).toBe('**kept** and bold');
    for (const template of builtInUpdateTemplates) expect(markdownToPlainText(template.body)).not.toMatch(/\*|__/);
  });
});
