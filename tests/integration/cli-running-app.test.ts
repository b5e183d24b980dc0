// The command line as a user runs it: `--help` on every command, and `holdfast runbooks import`
// while the data folder is open in a running Holdfast (an engine in this process, and a real
// `holdfast web` process): the import goes through that engine instead of being refused.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunbookDetail, RunbookSummary } from '@shared/domain/runbook';
import type { Engine } from '../../electron/engine/engine';
import { holdfast } from '../support/cli';
import { call, openTestEngine } from '../support/engines';
import { runHoldfast, spawnWeb, stoppedAfterAll, webCall } from '../support/processes';
import { tempDir } from '../support/temp';

const fixtures = join(import.meta.dirname, '../fixtures/runbooks');
const commands = ['app', 'web', 'verify-chain', 'rebuild', 'backup', 'verify', 'restore', 'directory', 'runbooks', 'catalog', 'evidence', 'export', 'server', 'trust'];

describe('holdfast COMMAND --help', () => {
  it.each(commands)('holdfast %s --help prints that command and exits 0', async (command) => {
    const run = await holdfast(command, '--help');
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(run.out.split('\n')[0]).toBe(`Usage: holdfast ${command} [options]`);
    expect(run.out).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    // Only this command's lines, then the shared options.
    for (const other of commands.filter((c) => c !== command && !c.startsWith(command) && !command.startsWith(c))) {
      expect(run.out).not.toMatch(new RegExp(`^ {2}${other} `, 'm'));
    }
    expect(run.out).toContain('--data DIR');
  });

  it('answers -h, help COMMAND and --help after other arguments the same way', async () => {
    const help = (await holdfast('export', '--help')).out;
    expect(help).toContain('export INCIDENT --format F');
    expect(await holdfast('export', 'INC-1', '--format', 'md', '-h')).toMatchObject({ code: 0, out: help });
    expect(await holdfast('help', 'export')).toMatchObject({ code: 0, out: help });
    expect((await holdfast('runbooks', 'import', '--help')).out).toContain('--strict');
    // Still a usage error when the option is something else.
    expect((await holdfast('export', '--hlep')).code).toBe(2);
  });

  it('exits 0 from a real process, without starting anything', () => {
    for (const command of ['export', 'server', 'web']) {
      const run = runHoldfast([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`Usage: holdfast ${command} [options]`);
    }
  });
});

describe('runbooks import while an engine holds the data folder', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });

  it('goes through the running engine: created, then unchanged, then a new version of the same runbook', async () => {
    const data = tempDir('holdfast-running-');
    engine = openTestEngine({ dataDir: data });
    const first = await holdfast('runbooks', 'import', fixtures, '--data', data);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out.split('\n')).toEqual([
      `the data folder ${data} is open in a running Holdfast: going through it`,
      'created edge-cert-renewal.md → edge-cert-renewal',
      '  note: line 9: front matter: unknown key "last_reviewed_by" (known keys: id, title, services, incident_types, tags, owner, review_by): ignored',
      'created orders-db-failover.md → orders-db-failover',
      'created payments-queue-backlog.md → payments-queue-backlog',
      `imported ${fixtures}: 3 created, 0 updated, 0 unchanged, 0 rejected`,
    ]);
    expect((await call(engine, 'runbooks.list', {})).map((r) => r.id)).toEqual(['orders-db-failover', 'payments-queue-backlog', 'edge-cert-renewal']);
    expect((await holdfast('runbooks', 'import', fixtures, '--data', data)).out).toContain('0 created, 0 updated, 3 unchanged, 0 rejected');

    // The same file changed, under another name: a new version of the same runbook, never a copy.
    const edited = tempDir('holdfast-edited-');
    const source = readFileSync(join(fixtures, 'orders-db-failover.md'), 'utf8').replace('from two hosts', 'from three hosts');
    writeFileSync(join(edited, 'db-failover-v2.md'), source);
    const update = await holdfast('runbooks', 'import', join(edited, 'db-failover-v2.md'), '--data', data);
    expect(update.out).toContain('updated ');
    expect(update.out).toContain('→ orders-db-failover');
    const detail = await call(engine, 'runbooks.get', { id: 'orders-db-failover' });
    expect(detail.history).toHaveLength(2);
    expect(detail.content.steps[0].title).toContain('from three hosts');
    expect(await call(engine, 'runbooks.list', {})).toHaveLength(3);
  });

  it('keeps --strict through the running engine, and exports through it', async () => {
    const data = tempDir('holdfast-running-');
    engine = openTestEngine({ dataDir: data });
    const strict = await holdfast('runbooks', 'import', fixtures, '--strict', '--data', data);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('rejected orders-db-failover.md: no front matter');
    expect(await call(engine, 'runbooks.list', {})).toEqual([]);

    await holdfast('runbooks', 'import', fixtures, '--data', data);
    const out = tempDir('holdfast-export-');
    const exported = await holdfast('runbooks', 'export', out, '--data', data);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('exported 3 runbooks');
    // The exported file holds the id and snake_case keys: it imports back as the same runbook.
    expect(readFileSync(join(out, 'payments-queue-backlog.md'), 'utf8')).toMatch(/^---\nid: payments-queue-backlog\n[\s\S]*incident_types: \[degradation\]\n/);
  });
});

describe('evidence import while an engine holds the data folder', () => {
  it('verifies and loads the bundle through the running engine, and still refuses an incident it holds', async () => {
    const source = tempDir('holdfast-source-');
    const origin = openTestEngine({ dataDir: source });
    const incident = await call(origin, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1', services: ['orders-db'], type: 'database' });
    await origin.close();
    const bundle = join(tempDir('holdfast-bundle-'), 'bundle.zip');
    expect((await holdfast('evidence', 'bundle', incident.id, '--out', bundle, '--data', source)).code).toBe(0);

    const target = tempDir('holdfast-target-');
    const running = openTestEngine({ dataDir: target });
    try {
      const run = await holdfast('evidence', 'import', bundle, '--data', target, '--allow-unsigned');
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toContain(`the data folder ${target} is open in a running Holdfast: going through it`);
      expect(run.out).toMatch(new RegExp(`imported .*bundle\\.zip: incident ${incident.id}, \\d+ new ops`));
      expect((await call(running, 'incidents.get', { id: incident.id })).title).toBe('Orders writes failing');
      const again = await holdfast('evidence', 'import', bundle, '--data', target, '--allow-unsigned');
      expect(again.code).toBe(1);
      expect(again.err).toContain(`this replica already holds incident ${incident.id}`);
    } finally {
      await running.close();
    }
  });
});

describe('runbooks import while `holdfast web` runs on the data folder', () => {
  const running = stoppedAfterAll();

  it('imports through the web process, which shows the runbooks at once', async () => {
    const data = tempDir('holdfast-web-');
    const web = await spawnWeb({ dataDir: data });
    running.push(web);
    const folder = tempDir('holdfast-runbooks-');
    cpSync(fixtures, folder, { recursive: true });
    const run = runHoldfast(['runbooks', 'import', folder, '--data', data]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('is open in a running Holdfast: going through it');
    expect(run.out).toContain('3 created, 0 updated, 0 unchanged, 0 rejected');
    const list = await webCall<RunbookSummary[]>(web, 'runbooks.list', {});
    expect(list.map((r) => r.id).sort()).toEqual(['edge-cert-renewal', 'orders-db-failover', 'payments-queue-backlog']);
    const detail = await webCall<RunbookDetail>(web, 'runbooks.get', { id: 'orders-db-failover' });
    expect(detail.content.steps).toHaveLength(6);

    // A rejected file still fails the command (for CI), through the running app too.
    writeFileSync(join(folder, 'broken.md'), '---\ntitle: [unclosed\n---\n1. x\n');
    const again = runHoldfast(['runbooks', 'import', folder, '--data', data]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('rejected broken.md: line 2: front matter: a list opened with [ is not closed');
  });
});
