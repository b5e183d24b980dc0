// Runbooks as teams already write them (tests/fixtures/runbooks): read leniently by default, refused
// by the strict reading CI uses, and stored in one canonical form with one id rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalKey } from '@shared/domain/file-keys';
import { canonicalRunbookSource, runbookIdOf } from '@shared/domain/runbook-canonical';
import { parseRunbook, type ParsedRunbook, type RunbookParse } from '@shared/domain/runbook-format';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/runbooks', `${name}.md`), 'utf8');

function parsed(result: RunbookParse): ParsedRunbook {
  if (!result.ok) throw new Error(`expected the runbook to parse, got:\n${result.errors.join('\n')}`);
  return result.runbook;
}
const stepsOf = (runbook: ParsedRunbook) => runbook.steps.map((s) => [s.type, s.title]);

describe('a plain numbered SRE runbook with inline code, no front matter', () => {
  const source = fixture('orders-db-failover');

  it('takes its title from the first heading and each numbered item as a step', () => {
    const runbook = parsed(parseRunbook(source));
    expect(runbook.meta).toMatchObject({ id: null, title: 'Orders DB failover', services: [] });
    expect(runbook.intro).toMatch(/^Use this when the orders primary/);
    expect(runbook.intro).not.toContain('# Orders DB failover');
    expect(stepsOf(runbook)).toEqual([
      ['step', 'Confirm the primary is really down: `pg_isready -h orders-db-1 -p 5432` must fail from two hosts.'],
      ['step', 'Check replication lag on the replica:'],
      ['step', 'Freeze deploys in #deploys so nothing writes a migration mid-failover.'],
      ['step', 'Promote the replica: `patronictl -c /etc/patroni.yml failover orders --candidate orders-db-2 --force`'],
      ['step', 'Point PgBouncer at the new primary and reload it: `sudo systemctl reload pgbouncer`'],
      ['step', 'Verify writes: place a test order in staging-prod and watch `orders_created_total` rise.'],
    ]);
  });

  it('takes inline code that reads as a command line as the step commands, not a lone name', () => {
    const runbook = parsed(parseRunbook(source));
    expect(runbook.steps.map((s) => s.commands)).toEqual([
      ['pg_isready -h orders-db-1 -p 5432'],
      ['psql -h orders-db-2 -c "select now() - pg_last_xact_replay_timestamp()"'],
      [],
      ['patronictl -c /etc/patroni.yml failover orders --candidate orders-db-2 --force'],
      ['sudo systemctl reload pgbouncer'],
      [],
    ]);
    expect(runbook.steps[1].body).toBe('`psql -h orders-db-2 -c "select now() - pg_last_xact_replay_timestamp()"`\nIt should be under 30 seconds.');
  });

  it('leaves the escalation list out of the steps (it is under an Escalation heading)', () => {
    expect(parsed(parseRunbook(source)).steps.some((s) => s.title.includes('dba-oncall'))).toBe(false);
  });

  it('is refused by the strict reading, with what to change', () => {
    const result = parseRunbook(source, { strict: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'no front matter: start the file with a --- line, then title: …, then a closing --- line',
      'no steps: write steps as list items or headings starting with [check], [command], [decision] or [recovery]',
    ]);
  });
});

describe('a runbook with one heading per step and camelCase front matter', () => {
  const source = fixture('payments-queue-backlog');

  it('reads incidentTypes and reviewBy as incident_types and review_by', () => {
    expect(parsed(parseRunbook(source)).meta).toEqual({
      id: null,
      title: 'Payments queue backlog',
      services: ['payments-worker', 'payments-queue'],
      incidentTypes: ['degradation'],
      tags: [],
      owner: 'Payments',
      reviewBy: '2027-09-30',
    });
  });

  it('makes each "Step N:" heading a step without its numbering, and keeps the overview in the intro', () => {
    const runbook = parsed(parseRunbook(source));
    expect(stepsOf(runbook)).toEqual([
      ['step', 'Check the queue depth and consumers'],
      ['step', 'Check the card gateway latency'],
      ['step', 'Restart the stuck consumers'],
      ['step', 'Watch the backlog drain'],
    ]);
    expect(runbook.steps.map((s) => s.commands)).toEqual([
      ['rabbitmqctl list_queues name messages consumers | grep payments'],
      [],
      ['kubectl -n payments rollout restart deployment/payments-worker'],
      [],
    ]);
    expect(runbook.intro).toContain('## Overview');
    expect(runbook.intro).not.toContain('# Payments queue backlog');
  });
});

describe('a marked runbook with snake_case keys, an unknown key, plain items and inline-code commands', () => {
  const source = fixture('edge-cert-renewal');

  it('reads the marked steps, makes the unmarked item of their list a step, and notes the unknown key', () => {
    const runbook = parsed(parseRunbook(source));
    expect(runbook.meta).toMatchObject({ id: 'edge-cert-renewal', services: ['edge-proxy'], incidentTypes: ['outage', 'security'], reviewBy: '2027-01-31' });
    expect(runbook.notes).toEqual([
      'line 9: front matter: unknown key "last_reviewed_by" (known keys: id, title, services, incident_types, tags, owner, review_by): ignored',
    ]);
    expect(runbook.steps.map((s) => [s.type, s.commands])).toEqual([
      ['check', []],
      ['command', ['sudo certbot renew --cert-name checkout.example.com']],
      ['step', ['sudo nginx -t && sudo systemctl reload nginx']],
      ['decision', []],
      ['recovery', []],
      ['check', []],
    ]);
    expect(runbook.steps[3].branches.map((b) => [b.name, b.goTo])).toEqual([
      ['yes', 6],
      ['no', 5],
    ]);
  });

  it('is refused strictly: the unknown key, the command written inline, the step numbers', () => {
    const result = parseRunbook(source, { strict: true });
    expect(result.ok ? [] : result.errors).toEqual([
      'line 9: front matter: unknown key "last_reviewed_by" (known keys: id, title, services, incident_types, tags, owner, review_by)',
      'line 18: command step 2 "Renew with certbot: `sudo certbot renew --cert-name checkout.example.com`" has no code block: put the command in a fenced block',
      // Strictly, the unmarked item is no step, so the steps the branches name are numbered differently.
      'line 24: decision step 3 "Does the new certificate serve?": branch "yes" goes to step 6, which does not exist (steps are numbered 1 to 5)',
    ]);
  });
});

describe('one id rule and one stored form', () => {
  it('ids a runbook by its front matter id, else by the slug of its title (never its file name)', () => {
    expect(runbookIdOf(parsed(parseRunbook(fixture('orders-db-failover'))).meta)).toBe('orders-db-failover');
    expect(runbookIdOf(parsed(parseRunbook(fixture('payments-queue-backlog'))).meta)).toBe('payments-queue-backlog');
    expect(runbookIdOf({ id: 'edge-cert-renewal', title: 'Renew the edge TLS certificate' })).toBe('edge-cert-renewal');
  });

  it('writes keys in snake_case and the id in, keeping everything else as written', () => {
    const source = fixture('payments-queue-backlog');
    const runbook = parsed(parseRunbook(source));
    const canonical = canonicalRunbookSource(source, runbook.meta, runbookIdOf(runbook.meta));
    expect(canonical.split('\n').slice(0, 8)).toEqual([
      '---',
      'id: payments-queue-backlog',
      'title: Payments queue backlog',
      'services: [payments-worker, payments-queue]',
      'incident_types: [degradation]',
      'owner: Payments',
      'review_by: 2027-09-30',
      '---',
    ]);
    expect(canonical.split('\n').slice(8).join('\n')).toBe(source.split('\n').slice(7).join('\n'));
  });

  it('gives a file without front matter one with its id and title, and reads it back the same', () => {
    const source = fixture('orders-db-failover');
    const runbook = parsed(parseRunbook(source));
    const canonical = canonicalRunbookSource(source, runbook.meta, runbookIdOf(runbook.meta));
    expect(canonical.startsWith('---\nid: orders-db-failover\ntitle: Orders DB failover\n---\n\n# Orders DB failover\n')).toBe(true);
    const again = parsed(parseRunbook(canonical));
    expect(again.meta).toEqual({ ...runbook.meta, id: 'orders-db-failover' });
    expect(again.intro).toBe(runbook.intro);
    expect(again.steps.map(({ line: _l, ...s }) => s)).toEqual(runbook.steps.map(({ line: _l, ...s }) => s));
  });

  it('is idempotent: the canonical form of a canonical source is itself', () => {
    for (const name of ['orders-db-failover', 'payments-queue-backlog', 'edge-cert-renewal']) {
      const runbook = parsed(parseRunbook(fixture(name)));
      const once = canonicalRunbookSource(fixture(name), runbook.meta, runbookIdOf(runbook.meta));
      const reread = parsed(parseRunbook(once));
      expect(canonicalRunbookSource(once, reread.meta, runbookIdOf(reread.meta))).toBe(once);
    }
  });

  it('quotes a title YAML would misread', () => {
    const canonical = canonicalRunbookSource('# Fail over: orders\n\n1. do it\n', { id: null, title: 'Fail over: orders' }, 'fail-over-orders');
    expect(parsed(parseRunbook(canonical)).meta.title).toBe('Fail over: orders');
    const numeric = canonicalRunbookSource('# 404\n\n1. do it\n', { id: null, title: '404' }, 'x404');
    expect(parsed(parseRunbook(numeric)).meta.title).toBe('404');
  });
});

describe('key spellings', () => {
  it.each([
    ['review_by', 'review_by'],
    ['review-by', 'review_by'],
    ['reviewBy', 'review_by'],
    ['Review by', 'review_by'],
    ['ownerTeam', 'owner_team'],
    ['owner-team', 'owner_team'],
    ['RTO min', 'rto_min'],
    ['rtoMin', 'rto_min'],
    ['incidentTypes', 'incident_types'],
    ['title', 'title'],
  ])('%s is %s', (spelling, key) => {
    expect(canonicalKey(spelling)).toBe(key);
  });

  it('refuses a key given twice under two spellings', () => {
    const result = parseRunbook('---\ntitle: x\nreview-by: 2027-01-01\nreviewBy: 2027-02-01\n---\n1. a\n');
    expect(result.ok ? [] : result.errors).toEqual(['line 4: front matter: review_by is given twice (also line 3): keep one']);
  });
});

describe('lenient reading of other shapes', () => {
  it('takes the list of a "Steps" section, not the prerequisites', () => {
    const runbook = parsed(parseRunbook('# Drain a node\n\n## Prerequisites\n\n1. VPN\n2. kubectl access\n\n## Steps\n\n1. Cordon it\n2. Drain it\n'));
    expect(stepsOf(runbook)).toEqual([
      ['step', 'Cordon it'],
      ['step', 'Drain it'],
    ]);
  });

  it('takes a bulleted list when there is no numbered one', () => {
    expect(stepsOf(parsed(parseRunbook('# Restart\n\n- Stop the worker\n- Start it\n')))).toEqual([
      ['step', 'Stop the worker'],
      ['step', 'Start it'],
    ]);
  });

  it('says how to write steps when it finds none, and how to give a title when there is none', () => {
    expect(parseRunbook('# Only a title\n\nSome words.\n')).toEqual({
      ok: false,
      errors: ['no steps: write the steps as a numbered list (1. …), one heading per step, or list items starting with [check], [command], [decision] or [recovery]'],
    });
    expect(parseRunbook('1. a step\n')).toEqual({
      ok: false,
      errors: ['no title: start the file with a heading (# Fail over the orders database), or give title: in front matter'],
    });
  });

  it('treats an unknown [word] as text, not as a marker', () => {
    expect(stepsOf(parsed(parseRunbook('# T\n\n1. [Optional] warm the cache\n2. Restart\n')))).toEqual([
      ['step', '[Optional] warm the cache'],
      ['step', 'Restart'],
    ]);
  });

  it('reads every marked runbook as the strict reading does', () => {
    for (const name of ['certificate-expiry', 'database-failover', 'release-rollback']) {
      const source = readFileSync(join(import.meta.dirname, '../../docs/runbooks', `${name}.md`), 'utf8');
      const lenient = parsed(parseRunbook(source));
      const strict = parsed(parseRunbook(source, { strict: true }));
      expect(lenient.steps).toEqual(strict.steps);
      expect(lenient.meta).toEqual(strict.meta);
    }
  });

  it('never throws, whatever the text', () => {
    const pieces = fc.constantFrom('# ', '## ', '1. ', '- ', '[check] ', '`code x`', '```\n', '---\n', 'title: x\n', 'Steps\n', '\n', 'text', ':', '  ');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 120 }), (parts) => {
        expect(typeof parseRunbook(parts.join('')).ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  }, 20_000);
});
