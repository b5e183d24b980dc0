// The people directory: people, teams and conference bridges, cached on every replica so a war room
// can still call people when chat and SSO are down. Also the CSV format people are imported in.
import { z } from 'zod';

export const directoryKinds = ['person', 'team', 'bridge'] as const;
export type DirectoryKind = (typeof directoryKinds)[number];

// A type rather than an interface, so a phone is plain JSON to the op layer.
export type Phone = {
  /** "mobile", "desk"… or '' when the source did not say. */
  label: string;
  number: string;
};

export interface Person {
  id: string;
  name: string;
  /** Their Holdfast user name, the id incident roles are held by; null when they have none. */
  handle: string | null;
  email: string;
  phones: Phone[];
  teamId: string | null;
  /** IANA name (e.g. Europe/Berlin), or '' when unknown. */
  timeZone: string;
  title: string;
  notes: string;
  updatedAt: number;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  /** The number that reaches whoever is on call for the team. */
  escalationPhone: string;
  /** A pager address or service name, for teams paged rather than called. */
  pager: string;
  updatedAt: number;
}

export interface Bridge {
  id: string;
  name: string;
  dialIn: Phone[];
  meetingUrl: string;
  pin: string;
  notes: string;
  updatedAt: number;
}

export interface Directory {
  people: Person[];
  teams: Team[];
  bridges: Bridge[];
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Teams named in the file that did not exist yet. */
  teamsCreated: number;
}

export const maxPhones = 5;
export const maxDialIns = 10;
/** Large enough for any real organisation's export, small enough for one transport message. */
export const maxCsvChars = 2_000_000;

/**
 * The IANA name of a time zone this runtime knows, spelled as the zone database spells it
 * ("europe/london" → "Europe/London"), or null. A name is kept as given otherwise: ICU would turn
 * Asia/Kolkata into its legacy alias Asia/Calcutta.
 */
export function canonicalTimeZone(name: string): string | null {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  const folded = name.toLowerCase();
  if (resolved.toLowerCase() === folded) return resolved;
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === folded) ?? name;
}

const numberPattern = /^\+?[\d\s().-]+?(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i;
const extension = /\s*(?:x|ext\.?)\s*(\d{1,6})$/i;

/** Why `number` is not a dialable phone number, or null when it is. */
export function phoneProblem(number: string): string | null {
  if (!numberPattern.test(number)) {
    return `"${number}" is not a phone number: use digits with an optional leading +, spaces, dashes, dots or parentheses, and an optional extension (x123)`;
  }
  const digits = number.replace(extension, '').replace(/\D/g, '').length;
  if (digits < 3 || digits > 20) return `"${number}" has ${digits} digit${digits === 1 ? '' : 's'}; a phone number has 3 to 20`;
  return null;
}

/** A `tel:` link for a number people wrote by hand ("+1 (415) 555-0101 x12" → "tel:+14155550101;ext=12"). */
export function telHref(number: string): string {
  const ext = extension.exec(number)?.[1];
  const main = number.replace(extension, '').replace(/[^\d+]/g, '');
  return `tel:${main}${ext ? `;ext=${ext}` : ''}`;
}

const text = (max: number, what = 'characters') =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} ${what}` });

const phoneNumber = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'give the number' })
  .max(40, { error: 'must be at most 40 characters' })
  .check((ctx) => {
    const problem = phoneProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

export const phoneEntry = z
  .object({
    label: text(40).refine((label) => !/[:;]/.test(label), { error: 'must not contain ":" or ";"' }),
    number: phoneNumber,
  })
  .strict();

const optionalPhone = z
  .string({ error: 'must be text' })
  .trim()
  .max(40, { error: 'must be at most 40 characters' })
  .check((ctx) => {
    const problem = ctx.value === '' ? null : phoneProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

const name = (what: string) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: `give the ${what} a name` })
    .max(200, { error: 'must be at most 200 characters' });

/** Holdfast user names: the same rule as `holdfast server user add`. '' means none. */
const handle = z
  .string({ error: 'must be text' })
  .trim()
  .refine((value) => value === '' || /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u.test(value), {
    error: 'must be a Holdfast user name: 1 to 64 letters, digits, dots, dashes, underscores or @',
  })
  .nullable()
  .transform((value) => (value === '' ? null : value));

const email = z
  .string({ error: 'must be text' })
  .trim()
  .max(320, { error: 'must be at most 320 characters' })
  .refine((value) => value === '' || z.email().safeParse(value).success, { error: 'must be an e-mail address like name@example.com' });

const timeZone = z
  .string({ error: 'must be text' })
  .trim()
  .max(100, { error: 'must be at most 100 characters' })
  .check((ctx) => {
    if (ctx.value !== '' && canonicalTimeZone(ctx.value) === null) {
      ctx.issues.push({ code: 'custom', message: `"${ctx.value}" is not a known IANA time zone; use a name like Europe/Berlin or America/New_York`, input: ctx.value });
    }
  })
  .transform((value) => (value === '' ? '' : (canonicalTimeZone(value) ?? value)));

const meetingUrl = z
  .string({ error: 'must be text' })
  .trim()
  .max(2000, { error: 'must be at most 2000 characters' })
  .refine((value) => value === '' || (/^https?:\/\//i.test(value) && URL.canParse(value)), { error: 'must be an http:// or https:// link' });

const rowId = (what: string) =>
  z
    .string({ error: `must be a ${what} id` })
    .min(1)
    .max(100);

/** The fields of a person as requests carry them. */
export const personFields = {
  name: name('person'),
  handle,
  email,
  phones: z.array(phoneEntry, { error: 'must be a list of {label, number}' }).max(maxPhones, { error: `at most ${maxPhones} phone numbers per person` }),
  teamId: rowId('team').nullable(),
  timeZone,
  title: text(200),
  notes: text(5000),
};

/** The fields of a team as requests carry them. */
export const teamFields = {
  name: name('team'),
  description: text(2000),
  escalationPhone: optionalPhone,
  pager: text(200),
};

/** The fields of a bridge as requests carry them. */
export const bridgeFields = {
  name: name('bridge'),
  dialIn: z.array(phoneEntry, { error: 'must be a list of {label, number}' }).max(maxDialIns, { error: `at most ${maxDialIns} dial-in numbers per bridge` }),
  meetingUrl,
  pin: text(40),
  notes: text(5000),
};

/** A save without `id` creates the record (its name is then required); with `id` it changes the fields given. */
function saveRequest<F extends z.ZodRawShape>(fields: F, what: string) {
  return z
    .object({ id: rowId(what), ...fields })
    .partial()
    .strict()
    .refine((request: { id?: unknown; name?: unknown }) => request.id !== undefined || request.name !== undefined, {
      error: `give the ${what} a name`,
      path: ['name'],
    });
}

export const savePersonRequest = saveRequest(personFields, 'person');
export const saveTeamRequest = saveRequest(teamFields, 'team');
export const saveBridgeRequest = saveRequest(bridgeFields, 'bridge');
export type SavePersonRequest = z.input<typeof savePersonRequest>;
export type SaveTeamRequest = z.input<typeof saveTeamRequest>;
export type SaveBridgeRequest = z.input<typeof saveBridgeRequest>;

export const removeDirectoryEntryRequest = z
  .object({
    kind: z.enum(directoryKinds, { error: `must be one of ${directoryKinds.join(', ')}` }),
    id: rowId('directory entry'),
  })
  .strict();

export const importDirectoryRequest = z
  .object({
    csv: z
      .string({ error: 'must be the text of a CSV file' })
      .min(1, { error: 'the file is empty: it needs a header row and one row per person' })
      .max(maxCsvChars, { error: `the file is larger than ${maxCsvChars / 1_000_000} MB; split it and import the parts` }),
  })
  .strict();

// ---- CSV ---------------------------------------------------------------------------------------

/** The columns of a directory CSV, in the order an export writes them. */
export const csvColumns = ['name', 'handle', 'email', 'phone', 'team', 'time_zone', 'title', 'notes'] as const;
export type CsvColumn = (typeof csvColumns)[number];

/** "mobile: +1 415 555 0101; +1 415 555 0199" → two phones, the second without a label. */
export function splitPhoneList(cell: string): Phone[] {
  return cell
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon < 0 ? { label: '', number: part } : { label: part.slice(0, colon).trim(), number: part.slice(colon + 1).trim() };
    });
}

export function joinPhoneList(phones: Phone[]): string {
  return phones.map((phone) => (phone.label ? `${phone.label}: ${phone.number}` : phone.number)).join('; ');
}

/**
 * One CSV row, as the strings of the columns the file has. Columns a file leaves out are left as
 * they are on an existing person; an empty cell clears the field.
 */
export const csvPersonRow = z
  .object({
    name: personFields.name,
    handle: personFields.handle,
    email: personFields.email,
    phone: z
      .string()
      .transform(splitPhoneList)
      .pipe(z.array(phoneEntry).max(maxPhones, { error: `at most ${maxPhones} numbers, separated by ";"` })),
    team: text(200),
    time_zone: personFields.timeZone,
    title: personFields.title,
    notes: personFields.notes,
  })
  .partial()
  .required({ name: true })
  .strict();
export type CsvPersonRow = z.output<typeof csvPersonRow>;
