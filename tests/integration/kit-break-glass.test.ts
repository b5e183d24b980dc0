// The break-glass kit: what it holds (phone tree, break-glass runbooks, pre-approved holding
// statements, how to start or join a hub), that it is one self-contained HTML file, that it is made
// again when its sources change, and — with real `holdfast` processes — that `kit save` writes it
// and `kit verify` accepts it as signed and refuses it once a PIN in it was changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../electron/engine/engine';
import { kitFileName } from '../../electron/engine/kit/kit-keeper';
import { certifyEngine } from '../support/certified-engine';
import { call } from '../support/engines';
import { eventually } from '../support/eventually';
import { runHoldfast } from '../support/processes';
import { rollbackRunbook } from '../support/runbooks';
import { tempDir } from '../support/temp';

const breakGlassRunbook = `---
title: Fail over to the standby region
tags: [break-glass, database]
---

## [check] Confirm the primary region is unreachable

## [recovery] Promote the standby

\`\`\`sh
pg_ctl promote -D /var/lib/postgresql/standby
\`\`\`
`;

let engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});

async function seeded(dataDir = tempDir()): Promise<Engine> {
  const engine = openEngine({ dataDir, host: 'web', log: () => undefined });
  engines.push(engine);
  const team = await call(engine, 'directory.saveTeam', {
    name: 'Payments',
    description: 'Card payments',
    escalationPhone: '+44 20 7946 0101',
    pager: 'payments-oncall',
  });
  await call(engine, 'directory.savePerson', { name: 'Priya Shah', phones: [{ label: 'mobile', number: '+44 7700 900123' }], teamId: team.id });
  await call(engine, 'directory.saveBridge', { name: 'Major incident bridge', dialIn: [{ label: 'UK', number: '+44 20 7946 0999' }], pin: '482913#' });
  await call(engine, 'runbooks.save', { source: breakGlassRunbook });
  await call(engine, 'runbooks.save', { source: rollbackRunbook });
  await call(engine, 'comms.saveTemplate', {
    name: 'We are aware',
    audience: 'customers',
    title: 'We are looking into a problem with {{headline}}',
    body: 'We know some of you cannot pay by card. We are working on it and will update you by {{nextUpdate}}.',
  });
  await call(engine, 'comms.saveTemplate', { name: 'Draft only', audience: 'customers', title: 'Not approved', body: 'This one was never approved.' });
  await call(engine, 'kit.setHolding', { templateId: 'we-are-aware', isPreApproved: true });
  return engine;
}

describe('the break-glass kit', () => {
  it('holds the phone tree, the break-glass runbooks and the marked holding statements, in one file that fetches nothing', async () => {
    const engine = await seeded();
    expect(await call(engine, 'kit.holdingTemplates', {})).toEqual(['we-are-aware']);
    const kit = await call(engine, 'kit.file', {});
    const { html } = kit;
    expect(html).toContain('Payments');
    expect(html).toContain('href="tel:+442079460101"');
    expect(html).toContain('Priya Shah');
    expect(html).toContain('482913#');
    expect(html).toContain('Fail over to the standby region');
    expect(html).toContain('pg_ctl promote -D /var/lib/postgresql/standby');
    // Only runbooks tagged break-glass, only templates marked pre-approved.
    expect(html).not.toContain('Roll back a release');
    expect(html).toContain('We know some of you cannot pay by card.');
    expect(html).not.toContain('This one was never approved.');
    expect(html).toContain('Start or join a war-room hub');
    expect(kit.info.counts).toEqual({ teams: 1, bridges: 1, people: 1, runbooks: 1, statements: 1 });
    // Self-contained: inline CSS, no script to run, nothing loaded from anywhere.
    expect(html).toMatch(/<style>[\s\S]+<\/style>/);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|\bsrc=|@import|url\(/i);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/json")/);
    // Dated and signed, and kept in the data folder.
    expect(html).toMatch(/Made \d{4}-\d\d-\d\d \d\d:\d\d UTC on device/);
    expect(html).toContain('"format": "holdfast-file-signature"');
    expect(readFileSync(join(kit.info.path), 'utf8')).toBe(html);
  });

  it('is made again when one of its sources changes', async () => {
    const dataDir = tempDir();
    const engine = await seeded(dataDir);
    const before = await call(engine, 'kit.info', {});
    await call(engine, 'directory.saveBridge', { name: 'Database bridge', dialIn: [{ label: '', number: '+1 415 555 0100' }], pin: '771' });
    await eventually(() => {
      expect(readFileSync(join(dataDir, kitFileName), 'utf8')).toContain('Database bridge');
    });
    const after = await call(engine, 'kit.info', {});
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.counts.bridges).toBe(2);
    // Unmarking a statement takes it out.
    await call(engine, 'kit.setHolding', { templateId: 'we-are-aware', isPreApproved: false });
    await eventually(() => {
      expect(readFileSync(join(dataDir, kitFileName), 'utf8')).not.toContain('We know some of you cannot pay by card.');
    });
  });

  it('refuses to mark a template that does not exist, and changes nothing', async () => {
    const engine = await seeded();
    await expect(async () => call(engine, 'kit.setHolding', { templateId: 'nope', isPreApproved: true })).rejects.toThrow(/No update template nope/);
    expect(await call(engine, 'kit.holdingTemplates', {})).toEqual(['we-are-aware']);
  });

  it('holdfast kit save writes the signed kit; kit verify accepts it and refuses it once changed (real processes)', async () => {
    const dataDir = tempDir();
    const engine = await seeded(dataDir);
    certifyEngine(engine, { user: 'dana', role: 'commander', since: Date.now() - 60_000 });
    await engine.close();
    engines = [];
    const file = join(tempDir(), 'kit.html');
    const saved = runHoldfast(['kit', 'save', file, '--data', dataDir]);
    expect(saved.err).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.out).toMatch(/saved the break-glass kit to .*kit\.html: 1 teams, 1 bridges, 1 people, 1 runbooks, 1 holding statements/);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('482913#');

    const verified = runHoldfast(['kit', 'verify', file, '--data', dataDir]);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/signed by dana \(commander\) on device .*checked against the organisation key this replica pinned/);

    // A changed PIN breaks the signature: never accepted.
    writeFileSync(file, html.replace('482913#', '111111#'));
    const forged = runHoldfast(['kit', 'verify', file, '--data', dataDir]);
    expect(forged.code).toBe(1);
    expect(forged.err).toMatch(/signature fails: .*changed/);

    // Edits outside the signed content change what the kit shows just as much: never accepted.
    for (const edited of [html.replace('<body>', '<body><p>Call 555-0100 first</p>'), html.replace('</style>', '</style><style>.phone-tree{display:none}</style>')]) {
      writeFileSync(file, edited);
      const outside = runHoldfast(['kit', 'verify', file, '--data', dataDir]);
      expect(outside.code).toBe(1);
      expect(outside.err).toContain('changed outside its signed content');
    }
    writeFileSync(file, html);
    expect(runHoldfast(['kit', 'verify', file, '--data', dataDir]).code).toBe(0);

    const notKit = join(tempDir(), 'page.html');
    writeFileSync(notKit, '<html><body>hello</body></html>');
    const refused = runHoldfast(['kit', 'verify', notKit, '--data', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('not a Holdfast break-glass kit');
  }, 120_000);
});
