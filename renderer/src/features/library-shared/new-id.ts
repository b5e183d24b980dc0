// Ids for new library entries, made from their names as the engine makes them, with a number added
// when one is taken, so that a new entry never overwrites another.
import { runbookSlug } from '@shared/domain/runbook-format';

/** `base`, else `base-2`, `base-3`…: the first one not taken. */
export function firstFree(base: string, isTaken: (id: string) => boolean): string {
  let id = base;
  for (let n = 2; isTaken(id); n++) id = `${base}-${n}`;
  return id;
}

/** A new entry's id from its name; undefined when the name gives none (the engine then says what is missing). */
export function idFromName(name: string, isTaken: (id: string) => boolean): string | undefined {
  const base = runbookSlug(name).slice(0, 76).replace(/-+$/, '');
  return base === '' ? undefined : firstFree(base, isTaken);
}
