// The directory's CSV format and field rules: what a file must look like, how each bad row is
// reported with its line, how rows match people already known, and that an export reads back.
import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, phoneProblem, savePersonRequest, saveBridgeRequest, splitPhoneList, telHref, type Directory, type Person } from '@shared/domain/directory';
import { describeCsvProblems, planDirectoryImport, readDirectoryCsv, writeDirectoryCsv, type CsvReading } from '../../electron/engine/directory/directory-csv';

const header = 'name,handle,email,phone,team,time_zone,title,notes';

function read(text: string): CsvReading {
  const reading = readDirectoryCsv(text);
  if (reading.problems.length > 0) throw new Error(describeCsvProblems(reading.problems));
  return reading;
}

function problemsOf(text: string): string[] {
  const reading = readDirectoryCsv(text);
  if (reading.problems.length === 0) throw new Error('expected the file to be refused');
  return reading.problems.map((p) => `line ${p.line}: ${p.reason}`);
}

const person = (fields: Partial<Person>): Person => ({
  id: 'p1',
  name: 'Someone',
  handle: null,
  email: '',
  phones: [],
  teamId: null,
  timeZone: '',
  title: '',
  notes: '',
  updatedAt: 0,
  ...fields,
});

let counter = 0;
const newId = () => `new-${(counter += 1)}`;

describe('reading a directory CSV', () => {
  it('reads people with labelled phones, quoted cells, a BOM, CRLF line ends and friendly headers', () => {
    const text =
      '\ufeffName,Handle,E-mail,Phone,Team,Time Zone,Title,Notes\r\n' +
      'Amara Okafor,amara,amara@example.com,"mobile: +44 7700 900123; desk: +44 20 7946 0958 x12",Platform,europe/london,SRE lead,"Prefers calls, not texts"\r\n' +
      '\r\n' +
      'Ben Tran,,,+1 415 555 0101,,America/Los_Angeles,,\r\n';
    expect(problemsOf(text)).toEqual(['line 1: unknown column "E-mail": the columns are name, handle, email, phone, team, time_zone, title, notes']);

    const reading = read(text.replace('E-mail', 'email'));
    expect(reading.rows).toEqual([
      {
        line: 2,
        row: {
          name: 'Amara Okafor',
          handle: 'amara',
          email: 'amara@example.com',
          phone: [
            { label: 'mobile', number: '+44 7700 900123' },
            { label: 'desk', number: '+44 20 7946 0958 x12' },
          ],
          team: 'Platform',
          time_zone: 'Europe/London',
          title: 'SRE lead',
          notes: 'Prefers calls, not texts',
        },
      },
      {
        line: 4,
        row: {
          name: 'Ben Tran',
          handle: null,
          email: '',
          phone: [{ label: '', number: '+1 415 555 0101' }],
          team: '',
          time_zone: 'America/Los_Angeles',
          title: '',
          notes: '',
        },
      },
    ]);
  });

  it('reports every bad row with the line it starts on, and accepts none of them', () => {
    const text = [
      header,
      'Ok Person,ok,,,,,,',
      ',nobody,,,,,,', // line 3: no name
      'Zed,zed,zed-at-example,,,,,', // line 4: bad e-mail
      '"Multi Line",ml,,,,,,"first', // line 5–6: a note over two lines, then a bad time zone on the next row
      'second"',
      'Tz,tz,,,,Mars/Olympus_Mons,,', // line 7
      'Ph,ph,,call me maybe,,,,', // line 8
      'Many,many,,1 111;2 222;3 333;4 444;5 555;6 666,,,,', // line 9
      'Wide,wide,,,,,,,extra', // line 10
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'line 3: name: give the person a name',
      'line 4: email: must be an e-mail address like name@example.com',
      'line 7: time_zone: "Mars/Olympus_Mons" is not a known IANA time zone; use a name like Europe/Berlin or America/New_York',
      'line 8: phone: "call me maybe" is not a phone number: use digits with an optional leading +, spaces, dashes, dots or parentheses, and an optional extension (x123)',
      'line 9: phone: at most 5 numbers, separated by ";"',
      'line 10: has 9 cells but the header has 8 columns: quote cells that contain commas',
    ]);
  });

  it('refuses unknown, repeated and missing columns, broken quoting and files without people', () => {
    expect(problemsOf('name,phone,shoe_size\nA,,42\n')).toEqual([
      'line 1: unknown column "shoe_size": the columns are name, handle, email, phone, team, time_zone, title, notes',
    ]);
    expect(problemsOf('name,Name\nA,B\n')).toEqual(['line 1: column "Name" appears twice']);
    expect(problemsOf('email,phone\na@example.com,123\n')).toEqual([
      'line 1: there is no "name" column; the columns are name, handle, email, phone, team, time_zone, title, notes',
    ]);
    expect(problemsOf('name;email\nA;a@example.com\n')[0]).toContain('separate columns with commas');
    expect(problemsOf('name,notes\nA,"never closed\n')).toEqual(['line 2: a quoted cell is never closed: add the missing "']);
    expect(problemsOf('name,title\n\n,\n')).toEqual(['line 1: the file has a header but no people: add one row per person']);
    expect(problemsOf('')[0]).toContain('the file is empty');
  });

  it('treats missing trailing cells as empty and leaves out columns the file does not have', () => {
    const reading = read('name,title,notes\nAda,Engineer\n');
    expect(reading.columns).toEqual(['name', 'title', 'notes']);
    expect(reading.rows[0].row).toEqual({ name: 'Ada', title: 'Engineer', notes: '' });
  });
});

describe('planning an import', () => {
  const platform = { id: 't1', name: 'Platform', description: '', escalationPhone: '', pager: '', updatedAt: 0 };
  const directory: Directory = {
    people: [
      person({ id: 'p-amara', name: 'Amara Okafor', handle: 'amara', email: 'amara@example.com', teamId: 't1' }),
      person({ id: 'p-ben', name: 'Ben Tran', email: 'ben@example.com' }),
      person({ id: 'p-cy', name: 'Cy Park' }),
      person({ id: 'p-kim1', name: 'Alex Kim', handle: 'akim' }),
      person({ id: 'p-kim2', name: 'Alex Kim', handle: 'alexk' }),
    ],
    teams: [platform],
    bridges: [],
  };

  it('matches by handle, then e-mail, then name, creates new people and teams, and counts what changed', () => {
    const plan = planDirectoryImport(
      read(
        [
          'name,handle,email,team,title',
          'Amara O.,amara,,platform,SRE lead', // by handle: renamed, e-mail cleared, title set; team matched in any case
          'Benjamin Tran,,BEN@example.com,,', // by e-mail (any case): renamed, the e-mail as the file spells it
          'Cy Park,cy,,Payments,', // by name: gains a handle and a new team
          'Alex Kim,akim,,,', // by handle, though two people share the name: unchanged
          'Dana Fox,dana,dana@example.com,Payments,Comms', // new, in the team created by the row above
        ].join('\n'),
      ),
      directory,
      newId,
    );
    if (!plan.ok) throw new Error(describeCsvProblems(plan.problems));
    expect(plan.report).toEqual({ created: 1, updated: 3, unchanged: 1, teamsCreated: 1 });
    const [team, amara, ben, cy, dana] = plan.drafts;
    expect(team).toEqual({ entity: 'team', rowId: expect.any(String), fields: { name: 'Payments', description: '', escalationPhone: '', pager: '' } });
    expect(amara).toEqual({ entity: 'person', rowId: 'p-amara', fields: { name: 'Amara O.', email: '', title: 'SRE lead' } });
    expect(ben).toEqual({ entity: 'person', rowId: 'p-ben', fields: { name: 'Benjamin Tran', email: 'BEN@example.com' } });
    expect(cy).toEqual({ entity: 'person', rowId: 'p-cy', fields: { handle: 'cy', teamId: team.rowId } });
    expect(dana).toMatchObject({ entity: 'person', fields: { name: 'Dana Fox', handle: 'dana', teamId: team.rowId, phones: [], timeZone: '', notes: '' } });
  });

  it('refuses duplicate people in one file and names that could be several people', () => {
    const plan = planDirectoryImport(
      read(['name,handle,email', 'Dana Fox,dana,', 'Dana F.,Dana,', 'Ben,,ben@example.com', 'Ben Tran,,', 'Alex Kim,,'].join('\n')),
      directory,
      newId,
    );
    expect(plan.ok ? [] : plan.problems).toEqual([
      { line: 3, reason: 'the same person as line 2 (handle Dana): keep one row per person' },
      { line: 5, reason: 'the same person as line 4 (Ben Tran): keep one row per person' },
      { line: 6, reason: '2 people are named Alex Kim: add their handle or e-mail to say which one' },
    ]);
  });

  it('does not match someone by name when the row has another handle', () => {
    const plan = planDirectoryImport(read('name,handle\nAlex Kim,alex.new\n'), directory, newId);
    expect(plan.ok && plan.report).toEqual({ created: 1, updated: 0, unchanged: 0, teamsCreated: 0 });
  });

  it('writes an export that reads back to the same rows', () => {
    const full: Directory = {
      ...directory,
      people: [
        person({
          id: 'p-q',
          name: 'Quinn "Q" O\'Neil',
          handle: 'quinn',
          email: 'quinn@example.com',
          phones: [
            { label: 'mobile', number: '+1 212 555 0147' },
            { label: '', number: '020 7946 0000' },
          ],
          teamId: 't1',
          timeZone: 'America/New_York',
          title: 'Network, edge',
          notes: 'Two lines:\nback-up pager first',
        }),
      ],
    };
    const csv = writeDirectoryCsv(full);
    expect(csv.split('\n')[0]).toBe(header);
    expect(read(csv).rows[0].row).toEqual({
      name: 'Quinn "Q" O\'Neil',
      handle: 'quinn',
      email: 'quinn@example.com',
      phone: full.people[0].phones,
      team: 'Platform',
      time_zone: 'America/New_York',
      title: 'Network, edge',
      notes: 'Two lines:\nback-up pager first',
    });
    const again = planDirectoryImport(read(csv), full, newId);
    expect(again.ok && again.report).toEqual({ created: 0, updated: 0, unchanged: 1, teamsCreated: 0 });
  });
});

describe('directory fields', () => {
  it('knows time zones by their IANA names', () => {
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Moon/Tranquility')).toBeNull();
  });

  it('accepts dialable numbers and makes tel: links of them', () => {
    expect(phoneProblem('+1 (415) 555-0101')).toBeNull();
    expect(phoneProblem('020 7946 0958 ext. 12')).toBeNull();
    expect(phoneProblem('12')).toContain('has 2 digits');
    expect(phoneProblem('+1 415 CALL-NOW')).toContain('is not a phone number');
    expect(telHref('+1 (415) 555-0101 x12')).toBe('tel:+14155550101;ext=12');
    expect(telHref('020 7946 0958')).toBe('tel:02079460958');
    expect(splitPhoneList(' mobile: +1 555 0100 ;; 0800 123 ')).toEqual([
      { label: 'mobile', number: '+1 555 0100' },
      { label: '', number: '0800 123' },
    ]);
  });

  it('checks saves: a name for new records, http(s) meeting links, known fields only', () => {
    expect(savePersonRequest.safeParse({ email: 'a@example.com' }).error?.issues[0]).toMatchObject({ path: ['name'], message: 'give the person a name' });
    expect(savePersonRequest.safeParse({ id: 'p1', timeZone: 'Europe/Paris' }).success).toBe(true);
    expect(savePersonRequest.parse({ name: 'A', handle: '', timeZone: 'europe/paris' })).toMatchObject({ handle: null, timeZone: 'Europe/Paris' });
    expect(saveBridgeRequest.safeParse({ name: 'Bridge', meetingUrl: 'javascript:alert(1)' }).error?.issues[0].message).toBe('must be an http:// or https:// link');
    expect(saveBridgeRequest.safeParse({ name: 'Bridge', meetingUrl: 'https://meet.example.com/abc' }).success).toBe(true);
    expect(saveBridgeRequest.safeParse({ name: 'Bridge', colour: 'red' }).success).toBe(false);
  });
});
