// People a role or task can go to: everyone in the directory with a Holdfast user name, everyone
// who holds a role or wrote on this incident's timeline, and this replica's own user, offered as
// suggestions (any user name may still be typed).
import { useStore } from '../../store';
import { useDirectoryPeople } from '../directory/directory-queries';
import { useOpenRoom, useOpenTimelineAuthors } from './war-room-queries';

export function usePeople(): string[] {
  const me = useStore((s) => s.appInfo?.actorId);
  const directory = useDirectoryPeople();
  const seats = useOpenRoom().value?.seats;
  const authors = useOpenTimelineAuthors().value;

  const names = new Set<string>(authors ?? []);
  for (const seat of seats ?? []) if (seat.holderId) names.add(seat.holderId);
  if (me) names.add(me);
  for (const person of directory) if (person.handle) names.add(person.handle);
  return [...names].sort();
}
