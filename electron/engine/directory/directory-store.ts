// Read queries over the directory projections (people, teams, bridges). Writes go through ops
// (replica.ts); removed records stay as tombstones and are left out here.
import type { Database } from 'better-sqlite3';
import type { Bridge, Directory, Person, Phone, Team } from '@shared/domain/directory';

type Stored<T, Lists extends keyof T> = Omit<T, Lists> & { [K in Lists]: string };

const parsePhones = (json: string) => JSON.parse(json) as Phone[];

export function createDirectoryStore(db: Database) {
  // A person whose team was removed shows no team rather than a dangling id.
  const personSql = `SELECT p.id, p.name, p.handle, p.email, p.phones, t.id AS teamId, p.time_zone AS timeZone, p.title, p.notes,
      p.updated_at AS updatedAt
    FROM people p LEFT JOIN teams t ON t.id = p.team_id AND t.deleted = 0
    WHERE p.deleted = 0`;
  const teamSql = `SELECT id, name, description, escalation_phone AS escalationPhone, pager, updated_at AS updatedAt FROM teams WHERE deleted = 0`;
  const bridgeSql = `SELECT id, name, dial_in AS dialIn, meeting_url AS meetingUrl, pin, notes, updated_at AS updatedAt FROM bridges WHERE deleted = 0`;
  const byName = 'ORDER BY name COLLATE NOCASE, id';

  const people = db.prepare(`${personSql} ORDER BY p.name COLLATE NOCASE, p.id`);
  const person = db.prepare(`${personSql} AND p.id = ?`);
  const teams = db.prepare(`${teamSql} ${byName}`);
  const team = db.prepare(`${teamSql} AND id = ?`);
  const bridges = db.prepare(`${bridgeSql} ${byName}`);
  const bridge = db.prepare(`${bridgeSql} AND id = ?`);

  const toPerson = (row: Stored<Person, 'phones'>): Person => ({ ...row, phones: parsePhones(row.phones) });
  const toBridge = (row: Stored<Bridge, 'dialIn'>): Bridge => ({ ...row, dialIn: parsePhones(row.dialIn) });

  return {
    /** Everyone and everything not removed, each list sorted by name. */
    list(): Directory {
      return {
        people: (people.all() as Stored<Person, 'phones'>[]).map(toPerson),
        teams: teams.all() as Team[],
        bridges: (bridges.all() as Stored<Bridge, 'dialIn'>[]).map(toBridge),
      };
    },
    person(id: string): Person | undefined {
      const row = person.get(id) as Stored<Person, 'phones'> | undefined;
      return row && toPerson(row);
    },
    team: (id: string) => team.get(id) as Team | undefined,
    bridge(id: string): Bridge | undefined {
      const row = bridge.get(id) as Stored<Bridge, 'dialIn'> | undefined;
      return row && toBridge(row);
    },
  };
}
export type DirectoryStore = ReturnType<typeof createDirectoryStore>;
