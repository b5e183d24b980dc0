// What the person, team and bridge editors work on, checked with the engine's own field schemas
// (shared/domain/directory.ts) before anything is sent, so a field's problem is named in the
// engine's words at the field's path. The forms differ from the requests only where typing does:
// number rows left blank are dropped rather than refused, and "No team" is ''.
import { z } from 'zod';
import { bridgeFields, personFields, phoneEntry, teamFields, type Bridge, type Person, type Phone, type Team } from '@shared/domain/directory';

const isBlank = (row: Phone) => row.label.trim() === '' && row.number.trim() === '';

/** A row as typed: a blank one is dropped (null), any other is a number the shared rule checks. */
const phoneRow = z.object({ label: z.string(), number: z.string() }).transform((row, ctx) => {
  if (isBlank(row)) return null;
  const parsed = phoneEntry.safeParse(row);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: row });
  return z.NEVER;
});

/** The rows as typed, read into the list a request carries (`list`: its shared schema). */
const phoneRows = (list: z.ZodType<Phone[], Phone[]>) =>
  z
    .array(phoneRow)
    .transform((rows) => rows.filter((row): row is Phone => row !== null))
    .pipe(list);

export const personForm = z.object({
  ...personFields,
  phones: phoneRows(personFields.phones),
  teamId: z
    .string()
    .transform((id) => id || null)
    .pipe(personFields.teamId),
});
export type PersonForm = z.input<typeof personForm>;

export const teamForm = z.object(teamFields);
export type TeamForm = z.input<typeof teamForm>;

export const bridgeForm = z.object({ ...bridgeFields, dialIn: phoneRows(bridgeFields.dialIn) });
export type BridgeForm = z.input<typeof bridgeForm>;

export const personFormOf = (person: Person | null): PersonForm => ({
  name: person?.name ?? '',
  handle: person?.handle ?? '',
  email: person?.email ?? '',
  phones: person?.phones.length ? person.phones : [{ label: 'mobile', number: '' }],
  teamId: person?.teamId ?? '',
  timeZone: person?.timeZone ?? '',
  title: person?.title ?? '',
  notes: person?.notes ?? '',
});

export const teamFormOf = (team: Team | null): TeamForm => ({
  name: team?.name ?? '',
  description: team?.description ?? '',
  escalationPhone: team?.escalationPhone ?? '',
  pager: team?.pager ?? '',
});

export const bridgeFormOf = (bridge: Bridge | null): BridgeForm => ({
  name: bridge?.name ?? '',
  dialIn: bridge?.dialIn.length ? bridge.dialIn : [{ label: '', number: '' }],
  pin: bridge?.pin ?? '',
  meetingUrl: bridge?.meetingUrl ?? '',
  notes: bridge?.notes ?? '',
});
