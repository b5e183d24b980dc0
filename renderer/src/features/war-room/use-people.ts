// People a role or task can go to: everyone in the directory with a Holdfast user name, everyone
// who holds a role or wrote on this incident's timeline, and this replica's own user, offered as
// suggestions (any user name may still be typed).
import { useEffect, useState } from 'react';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';

// Several components ask at once when the war room opens: one read per incident and change.
let lastRead: { key: string; names: Promise<string[]> } | null = null;
function readAuthors(incidentId: string, version: number): Promise<string[]> {
  const key = `${incidentId}:${version}`;
  if (lastRead?.key !== key) {
    const names = client().call('timeline.authors', { incidentId });
    lastRead = { key, names };
    // A failed read is not kept: the next component to ask tries again.
    names.catch(() => {
      if (lastRead?.key === key) lastRead = null;
    });
  }
  return lastRead.names;
}

export function usePeople(): string[] {
  const incidentId = useStore((s) => s.openIncidentId);
  const seats = useStore((s) => s.room?.seats);
  const me = useStore((s) => s.appInfo?.actorId);
  const directory = useStore((s) => s.directory.people);
  const version = useStore((s) => s.timelineVersion);
  const [authors, setAuthors] = useState<string[]>([]);

  useEffect(() => {
    if (!incidentId) return;
    let isCurrent = true;
    readAuthors(incidentId, version)
      .then((names) => isCurrent && setAuthors(names))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [incidentId, version]);

  const names = new Set<string>(authors);
  for (const seat of seats ?? []) if (seat.holderId) names.add(seat.holderId);
  if (me) names.add(me);
  for (const person of directory) if (person.handle) names.add(person.handle);
  return [...names].sort();
}
