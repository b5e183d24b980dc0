import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maxRunbookChars,
  parseRunbook as parseAnyRunbook,
  runbookIdPattern,
  runbookSlug,
  type ParsedRunbook,
  type RunbookParse,
  type RunbookStep,
} from '@shared/domain/runbook-format';

/** These tests hold the strict reading (`--strict`, for CI); runbook-lenient.test.ts holds the default one. */
const parseRunbook = (source: string) => parseAnyRunbook(source, { strict: true });

const fence = '```';

/** A runbook mixing list-item and heading steps; line numbers in comments are the file's. */
const fullRunbook = [
  '---', // 1
  'id: orders-db-failover', // 2
  'title: "  Fail over orders-db  "', // 3
  'services: [orders-db, checkout-api]', // 4
  'incident-types: database', // 5
  'tags:', // 6
  '  - postgres', // 7
  '  - " failover "', // 8
  'owner: DBA on-call', // 9
  'review-by: 2028-02-29', // 10
  '---', // 11
  '', // 12
  'Use this when the **primary** is down.', // 13
  '', // 14
  '1. [check] Check replication lag', // 15
  '   on every replica', // 16
  '', // 17
  `   ${fence}sql`, // 18
  '   SELECT now() - pg_last_xact_replay_timestamp();', // 19
  '     -- indented inside the block', // 20
  `   ${fence}`, // 21
  '2. [Command]  Capture `patronictl` evidence', // 22
  '', // 23
  '       patronictl list orders > list.txt', // 24
  '', // 25
  '   - [check] a nested item is not a step', // 26
  '   - [foo] nor an error', // 27
  '', // 28
  '## [decision] Promote now?', // 29
  '', // 30
  'Look at the lag first.', // 31
  '', // 32
  '- yes: lag under 1 MB → step 4', // 33
  '- No: go to step 1', // 34
  '- wait -> step 5', // 35
  '', // 36
  '## [recovery] Promote `orders-db-2`', // 37
  '', // 38
  `${fence}sh`, // 39
  'patronictl failover orders --candidate orders-db-2 --force', // 40
  fence, // 41
  '', // 42
  '### Notes', // 43
  '', // 44
  'A subsection stays in the step.', // 45
  '', // 46
  '## Afterwards', // 47
  '', // 48
  'Not part of any step.', // 49
  '', // 50
  '- [ ] a task item is not a step', // 51
  '- [x] [check] nor is a done one', // 52
  '- \\[check] an escaped marker is not a step', // 53
  '', // 54
  '# [CHECK] Verify writes', // 55
  '', // 56
].join('\n');

function parsed(result: RunbookParse): ParsedRunbook {
  if (!result.ok) throw new Error(`expected the runbook to parse, got:\n${result.errors.join('\n')}`);
  return result.runbook;
}

function errorsOf(result: RunbookParse): string[] {
  if (result.ok) throw new Error('expected errors, but the runbook parsed');
  return result.errors;
}

/** A runbook with a valid front matter (three lines: ---, title, ---) and the given body. */
const withBody = (...lines: string[]) => ['---', 'title: Test', '---', ...lines].join('\n');
/** A runbook with the given front matter lines and one valid step. */
const withFront = (...lines: string[]) => ['---', ...lines, '---', '- [check] a'].join('\n');

describe('parseRunbook: a full runbook', () => {
  const runbook = parsed(parseRunbook(fullRunbook));

  it('reads the front matter', () => {
    expect(runbook.meta).toEqual({
      id: 'orders-db-failover',
      title: 'Fail over orders-db',
      services: ['orders-db', 'checkout-api'],
      incidentTypes: ['database'],
      tags: ['postgres', 'failover'],
      owner: 'DBA on-call',
      reviewBy: '2028-02-29',
    });
    expect(typeof runbook.meta.reviewBy).toBe('string');
  });

  it('keeps the intro between the front matter and the first step', () => {
    expect(runbook.intro).toBe('Use this when the **primary** is down.');
  });

  it('reads list-item and heading steps in document order', () => {
    const expected: RunbookStep[] = [
      {
        number: 1,
        type: 'check',
        title: 'Check replication lag',
        body: ['on every replica', '', `${fence}sql`, 'SELECT now() - pg_last_xact_replay_timestamp();', '  -- indented inside the block', fence].join('\n'),
        commands: ['SELECT now() - pg_last_xact_replay_timestamp();\n  -- indented inside the block'],
        branches: [],
        next: null,
        line: 15,
      },
      {
        number: 2,
        type: 'command',
        title: 'Capture `patronictl` evidence',
        body: ['    patronictl list orders > list.txt', '', '- [check] a nested item is not a step', '- [foo] nor an error'].join('\n'),
        commands: ['patronictl list orders > list.txt'],
        branches: [],
        next: null,
        line: 22,
      },
      {
        number: 3,
        type: 'decision',
        title: 'Promote now?',
        body: ['Look at the lag first.', '', '- yes: lag under 1 MB → step 4', '- No: go to step 1', '- wait -> step 5'].join('\n'),
        commands: [],
        branches: [
          { name: 'yes', text: 'lag under 1 MB → step 4', goTo: 4 },
          { name: 'No', text: 'go to step 1', goTo: 1 },
          { name: 'wait -> step 5', text: '', goTo: 5 },
        ],
        next: null,
        line: 29,
      },
      {
        number: 4,
        type: 'recovery',
        title: 'Promote `orders-db-2`',
        body: [`${fence}sh`, 'patronictl failover orders --candidate orders-db-2 --force', fence, '', '### Notes', '', 'A subsection stays in the step.'].join('\n'),
        commands: ['patronictl failover orders --candidate orders-db-2 --force'],
        branches: [],
        next: null,
        line: 37,
      },
      { number: 5, type: 'check', title: 'Verify writes', body: '', commands: [], branches: [], next: null, line: 55 },
    ];
    expect(runbook.steps).toEqual(expected);
  });

  it('reads where a step sends the path next, so alternatives after a decision rejoin', () => {
    const source = [
      '---',
      'title: Rejoin',
      '---',
      '1. [decision] Which way?',
      '   - a: go to step 2',
      '   - b: go to step 3',
      '2. [recovery] Way a',
      '   Run it, then continue with step 4.',
      '3. [recovery] Way b',
      '   Mentions go to step 4 mid-sentence only.',
      '4. [check] Both ways end here',
      '   → step 1',
      '5. [check] Jumps nowhere',
      '   Then go to step 9.',
    ].join('\n');
    const parsed = parseRunbook(source);
    expect(parsed).toEqual({ ok: false, errors: ['line 14: step 5 "Jumps nowhere" goes to step 9, which does not exist (steps are numbered 1 to 5)'] });
    const fixed = parseRunbook(source.replace('Then go to step 9.', 'Done.'));
    if (!fixed.ok) throw new Error(fixed.errors.join('\n'));
    expect(fixed.runbook.steps.map((s) => s.next)).toEqual([null, 4, null, 1, null]);
  });

  it('refuses a paragraph too long to parse quickly, but not long code blocks', () => {
    const head = '---\ntitle: Long\n---\n\n1. [check] x\n\n';
    expect(parseRunbook(`${head}${'*a_'.repeat(2000)}\n`)).toEqual({
      ok: false,
      errors: ['line 7: paragraph is longer than 5000 characters: break it up with blank lines or a list'],
    });
    const code = `${head}2. [command] dump\n\n   \`\`\`sh\n${'   echo pg_stat_replication\n'.repeat(400)}   \`\`\`\n`;
    expect(parseRunbook(code).ok).toBe(true);
  });

  it('never throws, whatever the text: a result or reasons', () => {
    const head = '---\ntitle: Fuzz\n---\n\n';
    const pieces = fc.constantFrom('[check] ', '[decision] ', '- ', '1. ', '> ', '```\n', '# ', '*', '_', '[', ']', '(go to step 2)', '\n', '  ', 'text', ':', '---\n');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 200 }), fc.string({ maxLength: 200 }), (parts, noise) => {
        const result = parseRunbook(head + parts.join('') + noise);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result every time', () => {
    expect(JSON.stringify(parseRunbook(fullRunbook))).toBe(JSON.stringify(parseRunbook(fullRunbook)));
  });

  it('accepts CRLF line endings with the same result and line numbers', () => {
    expect(parseRunbook(fullRunbook.replace(/\n/g, '\r\n'))).toEqual(parseRunbook(fullRunbook));
  });

  it('counts lines with CRLF endings in errors too', () => {
    const source = withBody('', '- [command] no code here').replace(/\n/g, '\r\n');
    expect(errorsOf(parseRunbook(source))).toEqual(['line 5: command step 1 "no code here" has no code block: put the command in a fenced block']);
  });
});

describe('parseRunbook: steps', () => {
  it('does not take GFM task items for steps', () => {
    const steps = parsed(parseRunbook(withBody('- [ ] [check] a task', '- [x] done', '- [check] a step'))).steps;
    expect(steps.map((s) => [s.number, s.title, s.line])).toEqual([[1, 'a step', 6]]);
  });

  it('does not take items of nested lists for steps', () => {
    const steps = parsed(parseRunbook(withBody('- [check] outer', '  - [check] inner', '  - [whatever] inner too', '    - [command] deeper'))).steps;
    expect(steps).toHaveLength(1);
    expect(steps[0].body).toBe('- [check] inner\n- [whatever] inner too\n  - [command] deeper');
  });

  it('does not take markers inside a blockquote, a link or behind an escape for steps', () => {
    const result = parseRunbook(
      withBody('> [check] quoted', '', '- [check](https://example.com) a link', '- \\[check] escaped', '', '[check] a paragraph', '', '- [recovery] real'),
    );
    expect(parsed(result).steps.map((s) => s.title)).toEqual(['real']);
  });

  it('matches markers case-insensitively, with headings of any depth', () => {
    const steps = parsed(parseRunbook(withBody('###### [ReCoVeRy] deep', '', '# [CHECK] top'))).steps;
    expect(steps.map((s) => [s.type, s.title])).toEqual([
      ['recovery', 'deep'],
      ['check', 'top'],
    ]);
  });

  it('ends a heading step at the next heading of the same or a higher level, or at the next step', () => {
    const steps = parsed(
      parseRunbook(
        withBody(
          '## [check] one',
          'text one',
          '### deeper',
          'still one',
          '# Higher',
          'not in a step',
          '### [check] two',
          'text two',
          '#### [check] three',
          'text three',
          '- [check] four',
          '## [check] five',
          'text five',
          '',
          '- [check] six',
        ),
      ),
    ).steps;
    expect(steps.map((s) => [s.title, s.body])).toEqual([
      ['one', 'text one\n### deeper\nstill one'],
      ['two', 'text two'],
      ['three', 'text three'],
      ['four', ''],
      ['five', 'text five'],
      ['six', ''],
    ]);
  });

  it("keeps the rest of a list item step's first paragraph as the start of its body", () => {
    const step = parsed(parseRunbook(withBody('10. [check] Title line', '    second line', 'lazy third line', '', '        indented code'))).steps[0];
    expect(step.title).toBe('Title line');
    expect(step.body).toBe('second line\nlazy third line\n\n    indented code');
    expect(step.commands).toEqual(['indented code']);
  });

  it('collects code blocks anywhere in the body, in order', () => {
    const step = parsed(
      parseRunbook(
        withBody(
          '- [command] run',
          '',
          `  ${fence}sh`,
          '  first',
          `  ${fence}`,
          '',
          '  > quoted',
          '  >',
          `  > ${fence}`,
          '  > second',
          `  > ${fence}`,
          '',
          '  - nested',
          '',
          '        third',
        ),
      ),
    ).steps[0];
    expect(step.commands).toEqual(['first', 'second', 'third']);
  });

  it('keeps everything before the first step as the intro', () => {
    const runbook = parsed(parseRunbook(withBody('', '# Title', '', 'Some words.', '', '- a plain item', '', '## [check] go', '')));
    expect(runbook.intro).toBe('# Title\n\nSome words.\n\n- a plain item');
  });

  it('reports a step marker with no title', () => {
    expect(errorsOf(parseRunbook(withBody('- [check]', '## [Recovery]   ')))).toEqual([
      'line 4: step 1 has no title: write what to do on the same line, after [check]',
      'line 5: step 2 has no title: write what to do on the same line, after [Recovery]',
    ]);
  });

  it('reports unknown step types in headings and top-level items', () => {
    expect(errorsOf(parseRunbook(withBody('- [check] fine', '- [foo] Do it', '', '## [Verify] things')))).toEqual([
      'line 5: unknown step type "foo" (use check, command, decision or recovery)',
      'line 7: unknown step type "Verify" (use check, command, decision or recovery)',
    ]);
  });

  it('reports a runbook without steps', () => {
    expect(errorsOf(parseRunbook(withBody('Just prose.', '', '- and a list')))).toEqual([
      'no steps: write steps as list items or headings starting with [check], [command], [decision] or [recovery]',
    ]);
  });

  it('requires a code block in command steps', () => {
    expect(errorsOf(parseRunbook(withBody('- [check] fine', '- [command] Restart `nginx`', '  with systemctl')))).toEqual([
      'line 5: command step 2 "Restart `nginx`" has no code block: put the command in a fenced block',
    ]);
  });
});

describe('parseRunbook: decision steps', () => {
  const decision = (...branchLines: string[]) => withBody('- [check] one', '- [decision] Pick', '', ...branchLines.map((l) => `  ${l}`), '- [check] three');

  it('reads branches from the first list of the body', () => {
    const step = parsed(parseRunbook(decision('Read this first.', '', '- Go:  go  to  step 3', '  more words', '- Stop', '', 'then', '', '- other: list'))).steps[1];
    expect(step.branches).toEqual([
      { name: 'Go', text: 'go  to  step 3 more words', goTo: 3 },
      { name: 'Stop', text: '', goTo: null },
    ]);
  });

  it('needs at least two branches', () => {
    const message = 'line 5: decision step 2 "Pick" needs at least two branches as a list (- yes: … / - no: …)';
    expect(errorsOf(parseRunbook(decision('- yes: go to step 3')))).toEqual([message]);
    expect(errorsOf(parseRunbook(decision('No list at all.')))).toEqual([message]);
  });

  it('refuses a branch that goes to a step that does not exist, or to the decision itself', () => {
    expect(errorsOf(parseRunbook(decision('- yes: go to step 4', '- no: -> step 2', '- maybe: → step 0')))).toEqual([
      'line 7: decision step 2 "Pick": branch "yes" goes to step 4, which does not exist (steps are numbered 1 to 3)',
      'line 8: decision step 2 "Pick": branch "no" goes to itself (step 2): point it at the step to continue with',
      'line 9: decision step 2 "Pick": branch "maybe" goes to step 0, which does not exist (steps are numbered 1 to 3)',
    ]);
  });

  it('requires unique branch names (case-insensitive) and a name for each branch', () => {
    expect(errorsOf(parseRunbook(decision('- yes: a', '- YES: b', '- : c')))).toEqual([
      'line 8: decision step 2 "Pick" has more than one branch named "YES": give each branch its own name',
      'line 9: decision step 2 "Pick" has a branch without a name: write each branch as "- name: what to do"',
    ]);
  });

  it('may go back to an earlier step', () => {
    const step = parsed(parseRunbook(decision('- retry: go to step 1', '- done: go to step 3'))).steps[1];
    expect(step.branches.map((b) => b.goTo)).toEqual([1, 3]);
  });
});

describe('parseRunbook: front matter', () => {
  it('requires front matter on the first line, and still checks the steps', () => {
    expect(errorsOf(parseRunbook('\n---\ntitle: x\n---\n- [command] run'))).toEqual([
      'no front matter: start the file with a --- line, then title: …, then a closing --- line',
      'line 5: command step 1 "run" has no code block: put the command in a fenced block',
    ]);
  });

  it('requires the front matter to be closed', () => {
    expect(errorsOf(parseRunbook('---\ntitle: x\n- [check] a'))).toEqual(['line 1: front matter is not closed: add a --- line after its last key']);
  });

  it('reports YAML errors at the line that holds the mistake, in words', () => {
    expect(errorsOf(parseRunbook(withFront('title: a', 'title: b')))).toEqual(['line 3: front matter: "title" is given twice: keep one of them']);
    // An unclosed [ on line 3 is where the mistake is, not line 4 where the parser noticed it.
    expect(errorsOf(parseRunbook(withFront('owner: x', 'services: [orders-db, checkout', 'tags: [db]')))).toEqual([
      'line 3: front matter: a list opened with [ is not closed: end it with ] on the same line, as in services: [orders-db, checkout-api]',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: "Fail over', 'owner: dba')))).toEqual([
      'line 2: front matter: a value starting with " is not closed: end it with " on the same line',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: Fail over: orders db', 'owner: dba')))).toEqual([
      'line 2: front matter: the value of title holds ": ": put the value in quotes, as in title: "Fail over: orders db"',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: x', '  owner: dba')))).toEqual([
      'line 3: front matter: this line is indented under a value: start every key at the beginning of its line',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: @oops')))).toEqual(['line 2: front matter: a value cannot start with @: put the value in quotes']);
    for (const error of errorsOf(parseRunbook(withFront('owner: x', 'title: [oops')))) expect(error).not.toMatch(/\n|at line|column/);
  });

  it('requires a mapping', () => {
    expect(errorsOf(parseRunbook(withFront('- title', '- x')))).toEqual(['line 2: front matter must be "key: value" lines, starting with title: …']);
  });

  it('reports unknown keys', () => {
    expect(errorsOf(parseRunbook(withFront('title: x', 'severity: high', 'incidentTypes: [database]')))).toEqual([
      'line 3: front matter: unknown key "severity" (known keys: id, title, services, incident_types, tags, owner, review_by)',
    ]);
  });

  it('checks the title', () => {
    expect(errorsOf(parseRunbook(withFront('owner: x')))).toEqual(['front matter: title is required: add a line such as "title: Fail over the orders database"']);
    expect(errorsOf(parseRunbook(withFront('title: "   "')))).toEqual(['line 2: front matter: title must not be empty']);
    expect(errorsOf(parseRunbook(withFront('title: 404')))).toEqual(['line 2: front matter: title must be text (put it in quotes if it looks like a number or a date)']);
    expect(errorsOf(parseRunbook(withFront(`title: ${'t'.repeat(201)}`)))).toEqual(['line 2: front matter: title is 201 characters long, at most 200 allowed']);
    expect(parsed(parseRunbook(withFront(`title: ${'t'.repeat(200)}`))).meta.title).toHaveLength(200);
  });

  it('checks the id', () => {
    expect(errorsOf(parseRunbook(withFront('title: x', 'id: Orders DB')))).toEqual([
      'line 3: front matter: id "Orders DB" is not a slug: use lower-case letters, digits and dashes, at most 80 characters (e.g. "orders-db")',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: x', 'id: [a]')))).toEqual(['line 3: front matter: id must be a slug such as database-failover']);
    expect(parsed(parseRunbook(withFront('title: x'))).meta.id).toBeNull();
  });

  it('takes lists of names or a single name, and defaults', () => {
    expect(parsed(parseRunbook(withFront('title: x', 'services: edge-proxy', 'tags: []'))).meta).toEqual({
      id: null,
      title: 'x',
      services: ['edge-proxy'],
      incidentTypes: [],
      tags: [],
      owner: '',
      reviewBy: null,
    });
  });

  it('checks lists of names', () => {
    const fiftyOne = `[${Array.from({ length: 51 }, (_, i) => `s${i}`).join(', ')}]`;
    expect(errorsOf(parseRunbook(withFront('title: x', 'services: 3', 'incident-types: [database, [nested], ""]', `tags: ${fiftyOne}`)))).toEqual([
      'line 3: front matter: services must be a list of names, such as [orders-db, checkout-api], or a single name',
      'line 4: front matter: incident_types item 2 must be a name (text)',
      'line 4: front matter: incident_types item 3 must not be empty',
      'line 5: front matter: tags has 51 items, at most 50 allowed',
    ]);
    expect(errorsOf(parseRunbook(withFront('title: x', `tags: [ok, ${'t'.repeat(101)}]`)))).toEqual([
      'line 3: front matter: tags item 2 is 101 characters long, at most 100 allowed',
    ]);
  });

  it('checks the owner', () => {
    expect(errorsOf(parseRunbook(withFront('title: x', 'owner: [a, b]')))).toEqual(['line 3: front matter: owner must be text, such as a team name']);
  });

  it.each(['2027-02-30', '2027-13-01', '2027-00-10', '2100-02-29', '2027-04-31'])('refuses review-by %s, which is not a real date', (date) => {
    expect(errorsOf(parseRunbook(withFront('title: x', `review-by: ${date}`)))).toEqual([
      `line 3: front matter: review_by "${date}" is not a real date: write it as YYYY-MM-DD, such as 2027-03-31`,
    ]);
  });

  it.each(['27-01-01', '2027-1-1', '"2027-01-01T10:00:00Z"', '20270101', '!!timestamp 2027-01-01'])('refuses review-by %s, which is not written YYYY-MM-DD', (value) => {
    expect(errorsOf(parseRunbook(withFront('title: x', `review-by: ${value}`)))).toEqual([
      'line 3: front matter: review_by must be a date written YYYY-MM-DD, such as 2027-03-31',
    ]);
  });

  it('keeps review-by as the string written (never a Date)', () => {
    for (const value of ['2028-02-29', '"2027-12-31"']) {
      const reviewBy = parsed(parseRunbook(withFront('title: x', `review-by: ${value}`))).meta.reviewBy;
      expect(typeof reviewBy).toBe('string');
      expect(reviewBy).toBe(value.replace(/"/g, ''));
    }
  });
});

describe('parseRunbook: limits and error collection', () => {
  it('refuses a source longer than maxRunbookChars', () => {
    const tooLong = withBody('- [check] a', 'x'.repeat(maxRunbookChars));
    expect(errorsOf(parseRunbook(tooLong))).toEqual([`runbook is too long: ${tooLong.length} characters, at most 200000 allowed (split it into several runbooks)`]);
    const atLimit = withBody('- [check] a', '');
    expect(parseRunbook(atLimit + ' '.repeat(maxRunbookChars - atLimit.length)).ok).toBe(true);
  });

  it('collects every error, front matter first, then the body in file order', () => {
    const source = [
      '---', // 1
      'title: ""', // 2
      'owner: x', // 3
      'colour: red', // 4
      'review-by: 2027-02-30', // 5
      '---', // 6
      '- [command] no code', // 7
      '- [oops] typo', // 8
      '- [decision] choose', // 9
      '  - yes: go to step 9', // 10
      '- [check]', // 11
    ].join('\n');
    expect(errorsOf(parseRunbook(source))).toEqual([
      'line 2: front matter: title must not be empty',
      'line 4: front matter: unknown key "colour" (known keys: id, title, services, incident_types, tags, owner, review_by)',
      'line 5: front matter: review_by "2027-02-30" is not a real date: write it as YYYY-MM-DD, such as 2027-03-31',
      'line 7: command step 1 "no code" has no code block: put the command in a fenced block',
      'line 8: unknown step type "oops" (use check, command, decision or recovery)',
      'line 9: decision step 2 "choose" needs at least two branches as a list (- yes: … / - no: …)',
      'line 10: decision step 2 "choose": branch "yes" goes to step 9, which does not exist (steps are numbered 1 to 3)',
      'line 11: step 3 has no title: write what to do on the same line, after [check]',
    ]);
  });
});

describe('runbookSlug', () => {
  it.each([
    ['Database failover', 'database-failover'],
    ['  Release -- Rollback (K8s)!  ', 'release-rollback-k8s'],
    ['Café crème', 'cafe-creme'],
    ['certificate_expiry.md', 'certificate-expiry-md'],
    ['ÅNGSTRÖM 2027', 'angstrom-2027'],
    ['日本語', ''],
    ['---', ''],
    ['', ''],
  ])('%j → %j', (text, slug) => {
    expect(runbookSlug(text)).toBe(slug);
  });

  it('cuts long text to 80 characters without a trailing dash', () => {
    const slug = runbookSlug(`${'a'.repeat(79)} b c`);
    expect(slug).toBe('a'.repeat(79));
    expect(runbookSlug('x'.repeat(200))).toHaveLength(80);
  });

  it('always yields a valid id or nothing', () => {
    for (const text of ['Hello World', 'a', '9 lives', `${'z-'.repeat(60)}`, 'Ünïcödé—dashes', '  ']) {
      const slug = runbookSlug(text);
      if (slug !== '') expect(slug).toMatch(runbookIdPattern);
    }
  });
});

describe('runbookIdPattern', () => {
  it.each(['a', 'database-failover', '0', 'x'.repeat(80)])('accepts %s', (id) => {
    expect(runbookIdPattern.test(id)).toBe(true);
  });

  it.each(['', '-a', 'a-', 'A', 'a_b', 'a b', 'x'.repeat(81), 'é'])('refuses %j', (id) => {
    expect(runbookIdPattern.test(id)).toBe(false);
  });
});

describe('sample runbooks in docs/runbooks', () => {
  const dir = join(process.cwd(), 'docs', 'runbooks');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();

  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s parses, with its file name as id and at least three steps', (file) => {
    const runbook = parsed(parseRunbook(readFileSync(join(dir, file), 'utf8')));
    expect(runbook.meta.id).toBe(file.replace(/\.md$/, ''));
    expect(runbook.meta.reviewBy).toMatch(/^2027-/);
    expect(runbook.meta.services.length).toBeGreaterThan(0);
    expect(runbook.meta.incidentTypes.length).toBeGreaterThan(0);
    expect(runbook.meta.owner).not.toBe('');
    expect(runbook.intro).not.toBe('');
    expect(runbook.steps.length).toBeGreaterThanOrEqual(3);
    // Evidence first: some step before the first recovery step captures it.
    const firstRecovery = runbook.steps.findIndex((s) => s.type === 'recovery');
    if (firstRecovery >= 0) expect(runbook.steps.slice(0, firstRecovery).some((s) => /evidence/i.test(s.title))).toBe(true);
  });

  it('together use command, decision and recovery steps', () => {
    const types = new Set(files.flatMap((file) => parsed(parseRunbook(readFileSync(join(dir, file), 'utf8'))).steps.map((s) => s.type)));
    expect(types).toContain('command');
    expect(types).toContain('decision');
    expect(types).toContain('recovery');
  });
});
