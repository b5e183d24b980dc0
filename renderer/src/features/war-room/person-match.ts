// What a typed user name means in the people directory: the person it names, the people it may
// mean ("ben" → ben.tran), or nobody. The action dialog's person fields say which, so a role never
// silently goes to a name nobody answers to.
import type { Person } from '@shared/domain/directory';

type Listed = Pick<Person, 'name' | 'handle' | 'email' | 'phones'>;

export type PersonMatch<P extends Listed = Listed> =
  | { kind: 'empty' }
  /** The directory has no one with a user name: nothing to check against. */
  | { kind: 'no-directory' }
  | { kind: 'exact'; person: P }
  | { kind: 'suggest'; people: P[] }
  | { kind: 'none' };

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** The parts a handle or name is made of: "ben.tran" → ben, tran; "Ana María López" → ana, maria, lopez. */
const partsOf = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * How `typed` matches the directory: exactly a user name (case-insensitive), or the people whose
 * user name, name or e-mail starts with it or has a part that does ("ben" → ben.tran; "tran" →
 * ben.tran; "Ben Tran" → ben.tran), at most `limit`, best first.
 */
export function matchPerson<P extends Listed>(typed: string, people: P[], limit = 5): PersonMatch<P> {
  const text = fold(typed);
  if (text === '') return { kind: 'empty' };
  const listed = people.filter((p) => p.handle);
  if (listed.length === 0) return { kind: 'no-directory' };
  const exact = listed.find((p) => fold(p.handle ?? '') === text);
  if (exact) return { kind: 'exact', person: exact };
  const typedParts = partsOf(text);
  const scored = listed
    .map((person) => {
      const handle = fold(person.handle ?? '');
      const name = fold(person.name);
      const email = fold(person.email).split('@')[0];
      const parts = [...partsOf(handle), ...partsOf(name), ...partsOf(email)];
      let score = 0;
      if (name === text || email === text) score = 4;
      else if (handle.startsWith(text)) score = 3;
      else if (typedParts.every((t) => parts.some((p) => p.startsWith(t)))) score = 2;
      else if (handle.includes(text) || name.includes(text)) score = 1;
      return { person, score, handle };
    })
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.handle.localeCompare(b.handle));
  return scored.length === 0 ? { kind: 'none' } : { kind: 'suggest', people: scored.slice(0, limit).map((entry) => entry.person) };
}
