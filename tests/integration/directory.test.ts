// The people directory on real engines: CSV import (idempotent, all or nothing), edits and
// tombstones, the directory reaching another replica through the real central service, and the
// CLI's export → import round trip.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdfast } from '../support/cli';
import { call, openTestEngine, refusal, stateOf } from '../support/engines';
import { settle, startCentral, type Central } from '../support/sync';
import { tempDir } from '../support/temp';

const sampleCsv = readFileSync(join(import.meta.dirname, '../../docs/samples/directory.csv'), 'utf8');

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

describe('directory import', () => {
  it('imports the sample file, and importing it again changes nothing', async () => {
    const engine = openTestEngine();
    expect(await call(engine, 'directory.import', { csv: sampleCsv })).toEqual({ created: 11, updated: 0, unchanged: 0, teamsCreated: 3 });

    const directory = await call(engine, 'directory.list', {});
    expect(directory.teams.map((t) => t.name)).toEqual(['Customer Comms', 'Payments', 'Platform SRE']);
    expect(directory.people.map((p) => p.name).slice(0, 3)).toEqual(['Amara Okafor', 'Ben Tran', 'Chloé Martin']);
    const elena = directory.people.find((p) => p.handle === 'elena');
    expect(elena).toMatchObject({
      email: 'elena.garcia@example.com',
      phones: [
        { label: 'mobile', number: '+1 212 555 0147' },
        { label: 'desk', number: '+1 212 555 0198 x214' },
      ],
      teamId: directory.teams.find((t) => t.name === 'Payments')?.id,
      timeZone: 'America/New_York',
      title: 'Payments engineering manager',
    });
    expect(directory.people.find((p) => p.name === 'Kofi Boateng')?.handle).toBeNull();

    const before = stateOf(engine);
    expect(await call(engine, 'directory.import', { csv: sampleCsv })).toEqual({ created: 0, updated: 0, unchanged: 11, teamsCreated: 0 });
    expect(stateOf(engine)).toEqual(before);

    // A later file with a new phone for one person updates just that person, in place.
    const edited = sampleCsv.replace('mobile: +1 415 555 0101', 'mobile: +1 415 555 0109');
    expect(await call(engine, 'directory.import', { csv: edited })).toEqual({ created: 0, updated: 1, unchanged: 10, teamsCreated: 0 });
    expect(engine.replica.opLog.count()).toBe(before.ops + 1);
    const ben = (await call(engine, 'directory.list', {})).people.find((p) => p.handle === 'ben.tran');
    expect(ben?.phones).toEqual([{ label: 'mobile', number: '+1 415 555 0109' }]);
  });

  it('refuses a file with any bad row, lists each with its line, and changes nothing', async () => {
    const engine = openTestEngine();
    await call(engine, 'directory.import', { csv: sampleCsv });
    const before = stateOf(engine);
    const bad = [
      'name,handle,phone,time_zone',
      'New Person,new.person,+1 415 555 0177,Europe/Oslo',
      ',nameless,,',
      'Lost,lost,,Atlantis/Capital',
      'Amara Again,amara,,',
      'Amara Twice,amara,,',
    ].join('\n');
    const error = await refusal(() => call(engine, 'directory.import', { csv: bad }));
    expect(error.code).toBe('bad_request');
    expect(error.message.split('\n')).toEqual([
      'Nothing was imported: the CSV has 3 problems. Fix the file and import it again.',
      'line 3: name: give the person a name',
      'line 4: time_zone: "Atlantis/Capital" is not a known IANA time zone; use a name like Europe/Berlin or America/New_York',
      'line 6: the same person as line 5 (handle amara): keep one row per person',
    ]);
    expect(stateOf(engine)).toEqual(before);

    const unknownColumn = await refusal(() => call(engine, 'directory.import', { csv: 'name,pager\nA,123\n' }));
    expect(unknownColumn.message).toContain('line 1: unknown column "pager"');
    expect(stateOf(engine)).toEqual(before);
  });
});

describe('directory edits', () => {
  it('creates, edits only what changed, and removes with tombstones', async () => {
    const engine = openTestEngine();
    const team = await call(engine, 'directory.saveTeam', { name: 'Database', escalationPhone: '+1 415 555 0188', pager: 'db-oncall@pager.example.com' });
    const person = await call(engine, 'directory.savePerson', {
      name: 'Rosa Diaz',
      handle: 'rosa',
      phones: [{ label: 'mobile', number: '+1 415 555 0120' }],
      teamId: team.id,
      timeZone: 'america/chicago',
    });
    expect(person).toMatchObject({ name: 'Rosa Diaz', handle: 'rosa', email: '', teamId: team.id, timeZone: 'America/Chicago', notes: '' });

    const ops = engine.replica.opLog.count();
    await call(engine, 'directory.savePerson', { id: person.id, name: 'Rosa Diaz', title: 'DBA' });
    const written = engine.replica.opLog.since(ops, 10);
    expect(written.map((op) => op.fields)).toEqual([{ title: 'DBA' }]); // the unchanged name is not rewritten
    expect(written[0].streamId).toBe('directory');
    await call(engine, 'directory.savePerson', { id: person.id, title: 'DBA' });
    expect(engine.replica.opLog.count()).toBe(ops + 1); // nothing changed, nothing written

    const bridge = await call(engine, 'directory.saveBridge', {
      name: 'Major incident bridge',
      dialIn: [{ label: 'US', number: '+1 646 555 0100' }],
      pin: '482 913#',
      meetingUrl: 'https://meet.example.com/major-incident',
    });
    expect((await call(engine, 'directory.list', {})).bridges).toEqual([bridge]);

    const taken = await refusal(() => call(engine, 'directory.savePerson', { name: 'Other Rosa', handle: 'ROSA' }));
    expect(taken.message).toBe('The handle ROSA already belongs to Rosa Diaz; each person has their own Holdfast user name.');
    expect((await refusal(() => call(engine, 'directory.savePerson', { name: 'Nobody', teamId: 'no-such-team' }))).code).toBe('not_found');

    // Removing the team leaves its people without a team rather than pointing at nothing.
    await call(engine, 'directory.remove', { kind: 'team', id: team.id });
    const afterTeam = await call(engine, 'directory.list', {});
    expect(afterTeam.teams).toEqual([]);
    expect(afterTeam.people[0].teamId).toBeNull();

    const afterPerson = await call(engine, 'directory.remove', { kind: 'person', id: person.id });
    expect(afterPerson.people).toEqual([]);
    expect((await call(engine, 'directory.remove', { kind: 'bridge', id: bridge.id })).bridges).toEqual([]);
    const gone = await refusal(() => call(engine, 'directory.savePerson', { id: person.id, title: 'Back' }));
    expect(gone).toMatchObject({ code: 'not_found', message: expect.stringContaining('it may have been removed') });

    // Tombstones are projections of ops like any other field: a rebuild gives the same directory.
    expect(engine.replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
  });
});

describe('directory sync', () => {
  it('reaches a second replica through the central service, announced as a directory change', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const alice = openTestEngine({ syncPollMs: 60_000 });
    const bob = openTestEngine({ syncPollMs: 60_000 });
    await call(alice, 'sync.connect', { url: central.url, token: await central.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: central.url, token: await central.token('bob', 'commander') });
    const changed: string[] = [];
    bob.onEvent((event, payload) => {
      if (event === 'stream.changed') changed.push((payload as { streamId: string }).streamId);
    });

    await call(alice, 'directory.import', { csv: sampleCsv });
    await call(alice, 'directory.saveBridge', { name: 'Payments bridge', dialIn: [{ label: 'UK', number: '+44 20 7946 0000' }], pin: '1234#' });
    await settle([alice, bob]);

    const onBob = await call(bob, 'directory.list', {});
    expect(onBob).toEqual(await call(alice, 'directory.list', {}));
    expect(onBob.people).toHaveLength(11);
    expect(onBob.bridges.map((b) => b.name)).toEqual(['Payments bridge']);
    expect(changed).toContain('directory');

    // Bob's edit comes back to Alice the same way.
    const grace = onBob.people.find((p) => p.handle === 'grace');
    await call(bob, 'directory.savePerson', { id: grace!.id, notes: 'On leave until Monday' });
    await settle([alice, bob]);
    expect((await call(alice, 'directory.list', {})).people.find((p) => p.handle === 'grace')?.notes).toBe('On leave until Monday');
  });
});

describe('holdfast directory', () => {
  it('exports what it imported, and the export imports again unchanged elsewhere', async () => {
    const work = tempDir();
    const sampleFile = join(work, 'people.csv');
    writeFileSync(sampleFile, sampleCsv);
    const first = join(work, 'first');
    const second = join(work, 'second');

    expect(await holdfast('directory', 'import', sampleFile, '--data', first)).toEqual({
      code: 0,
      out: `imported ${sampleFile}: 11 created, 0 updated, 0 unchanged; 3 teams created`,
      err: '',
    });
    const exported = await holdfast('directory', 'export', '--data', first);
    expect(exported.code).toBe(0);
    expect(exported.out.split('\n')[0]).toBe('name,handle,email,phone,team,time_zone,title,notes');
    expect(exported.out.split('\n')).toHaveLength(12);

    const exportFile = join(work, 'export.csv');
    writeFileSync(exportFile, `${exported.out}\n`);
    expect((await holdfast('directory', 'import', exportFile, '--data', first)).out).toContain('0 created, 0 updated, 11 unchanged; 0 teams created');
    expect((await holdfast('directory', 'import', exportFile, '--data', second)).out).toContain('11 created, 0 updated, 0 unchanged; 3 teams created');
    expect((await holdfast('directory', 'export', '--data', second)).out).toBe(exported.out);
  });

  it('fails with the bad rows and exit 1, and exits 2 when used wrongly', async () => {
    const work = tempDir();
    const badFile = join(work, 'bad.csv');
    writeFileSync(badFile, 'name,email\nAda,not-an-address\n');
    const bad = await holdfast('directory', 'import', badFile, '--data', join(work, 'data'));
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      'holdfast directory: Nothing was imported: the CSV has 1 problem. Fix the file and import it again.\nline 2: email: must be an e-mail address like name@example.com',
    );
    expect(await holdfast('directory', 'import', join(work, 'missing.csv'), '--data', join(work, 'data'))).toMatchObject({
      code: 1,
      err: expect.stringContaining('there is no file'),
    });

    for (const [argv, message] of [
      [['directory'], 'usage: holdfast directory import FILE.csv'],
      [['directory', 'sync'], 'usage: holdfast directory import FILE.csv'],
      [['directory', 'import', '--data', work], 'name the CSV file to import'],
      [['directory', 'export', 'extra.csv', '--data', work], 'Unexpected argument'],
    ] as const) {
      const run = await holdfast(...argv);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.err).toContain(message);
    }
  });
});
