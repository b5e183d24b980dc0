// The people directory: who to call, how, and whether it is night where they are; the teams to
// escalate to and the bridges to dial into. Kept on every replica, so it works with chat and SSO down.
import { useDeferredValue, useState } from 'react';
import type { Bridge, Directory, Person, Team } from '@shared/domain/directory';
import { EmptyState } from '../shell/empty-state';
import { PageHeader } from '../shell/page-header';
import { BridgeCard } from './bridge-card';
import { BridgeDialog } from './bridge-dialog';
import { DirectoryGate, useDirectoryEditGate } from './directory-gate';
import { useDirectory } from './directory-queries';
import { ImportCsvButton } from './import-csv-button';
import { ImportOutcome } from './import-outcome';
import { PeopleGroups } from './people-groups';
import { PersonDialog } from './person-dialog';
import { RailSection } from './rail-section';
import { TeamCard } from './team-card';
import { TeamDialog } from './team-dialog';
import './directory.css';

type Editing = { kind: 'person'; record: Person | null } | { kind: 'team'; record: Team | null } | { kind: 'bridge'; record: Bridge | null } | null;

/** Lower case without accents, so "chloe" finds Chloé. */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

const empty: Directory = { people: [], teams: [], bridges: [] };

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const matches = (query: string, ...texts: (string | null | undefined)[]) => query === '' || texts.some((text) => text && fold(text).includes(query));

export function DirectoryPage() {
  const { value: directory, error, isLoading } = useDirectory();
  const { people, teams, bridges } = directory ?? empty;
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const folded = fold(useDeferredValue(query).trim());

  const teamName = new Map(teams.map((team) => [team.id, team.name]));
  const shownPeople = people.filter((p) => matches(folded, p.name, p.title, p.handle, p.teamId ? teamName.get(p.teamId) : null));
  const shownTeams = teams.filter((t) => matches(folded, t.name, t.description));
  const shownBridges = bridges.filter((b) => matches(folded, b.name, b.notes));
  const close = () => setEditing(null);
  const gate = useDirectoryEditGate();

  return (
    <DirectoryGate.Provider value={gate}>
      <PageHeader
        title="Directory"
        subtitle={`${count(people.length, 'person', 'people')} · ${count(teams.length, 'team')} · ${count(bridges.length, 'bridge')}, kept on this replica for when chat and SSO are down`}
        actions={
          <div className="directory-actions">
            <ImportCsvButton />
            <button type="button" className="button button-primary" data-testid="add-person" onClick={() => setEditing({ kind: 'person', record: null })} {...gate}>
              Add person
            </button>
          </div>
        }
      />
      <ImportOutcome />
      {error && (
        <div className="banner banner-bad" role="alert">
          Could not load the directory: {error}
        </div>
      )}
      <div className="field directory-search">
        <input
          type="search"
          data-testid="directory-search"
          aria-label="Search people by name, team or title"
          placeholder="Search by name, team or title"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="directory-layout">
        <div className="directory-people">
          {isLoading ? (
            <p className="muted">Loading the directory…</p>
          ) : people.length === 0 ? (
            <EmptyState title="No one in the directory yet">
              <p>
                Import a CSV of people (name, phone, team, time_zone…) or add them one by one. Every replica keeps a copy, so the war room can call people when chat and
                SSO are down.
              </p>
            </EmptyState>
          ) : shownPeople.length === 0 ? (
            <p className="muted" data-testid="directory-no-match">
              No one matches “{query}”.
            </p>
          ) : (
            <PeopleGroups people={shownPeople} teams={teams} onEdit={(record) => setEditing({ kind: 'person', record })} />
          )}
        </div>
        <aside className="directory-rail">
          <RailSection
            kind="bridge"
            title="Bridges"
            emptyText={bridges.length === 0 ? 'No bridges yet: add the dial-in numbers and PIN of your incident call.' : null}
            onAdd={() => setEditing({ kind: 'bridge', record: null })}
          >
            {shownBridges.map((bridge) => (
              <BridgeCard key={bridge.id} bridge={bridge} onEdit={() => setEditing({ kind: 'bridge', record: bridge })} />
            ))}
          </RailSection>
          <RailSection
            kind="team"
            title="Teams"
            emptyText={teams.length === 0 ? 'No teams yet: an import creates the teams its people name.' : null}
            onAdd={() => setEditing({ kind: 'team', record: null })}
          >
            {shownTeams.map((team) => (
              <TeamCard
                key={team.id}
                team={team}
                memberCount={people.filter((p) => p.teamId === team.id).length}
                onEdit={() => setEditing({ kind: 'team', record: team })}
              />
            ))}
          </RailSection>
        </aside>
      </div>
      {editing?.kind === 'person' && <PersonDialog person={editing.record} onClose={close} />}
      {editing?.kind === 'team' && <TeamDialog team={editing.record} onClose={close} />}
      {editing?.kind === 'bridge' && <BridgeDialog bridge={editing.record} onClose={close} />}
    </DirectoryGate.Provider>
  );
}
