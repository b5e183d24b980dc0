// Stakeholder communications: who hears about an incident (audiences), what an update says (templates
// with placeholders), how often (cadence per severity and audience), what must not reach executives
// or customers (lint), who approves, and how a published update is copied out. Pure rules and text:
// the engine, the offline outbox and the composer all ask this module.
import { z } from 'zod';
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import { severities, severityMeaning, type Incident, type Severity } from './incident';

// ─── Audiences, fields and templates ──────────────────────────────────────────────────────────────

export const audiences = ['internal', 'executives', 'customers'] as const;
export type Audience = (typeof audiences)[number];

export const audienceLabels: Record<Audience, string> = {
  internal: 'Internal responders',
  executives: 'Executives',
  customers: 'Customers',
};

/** Where an update stands: written, waiting for a second person, decided, out, or dropped. */
export const updateStates = ['draft', 'awaiting-approval', 'approved', 'rejected', 'published', 'discarded'] as const;
export type UpdateState = (typeof updateStates)[number];

/** Where the delivery of a published update to one channel stands. */
export const deliveryStates = ['queued', 'sending', 'delivered', 'failed', 'retrying'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const maxUpdateTitleChars = 500;
export const maxUpdateBodyChars = 20_000;

/** The fields every update answers, whatever its audience. */
export const updateFields = ['impact', 'status', 'actions', 'nextUpdate'] as const;
export type UpdateField = (typeof updateFields)[number];

/** What the composer calls each field. */
export const updateFieldLabels: Record<UpdateField, string> = {
  impact: 'Impact',
  status: 'Current status',
  actions: 'What we are doing',
  nextUpdate: 'Next update at',
};

/** A reusable shape of update for one audience; `title` and `body` hold `{{placeholders}}`. */
export interface UpdateTemplate {
  id: string;
  audience: Audience;
  name: string;
  title: string;
  /** Markdown: only bold, italics, links and `- ` bullets are used (see markdownToPlainText). */
  body: string;
}

/** Every placeholder a template may use, with what it is replaced by (templateValues fills them). */
export const templatePlaceholders = {
  'incident.title': "The incident title, in responders' words: not for customers",
  'incident.severity': 'SEV1 to SEV4: not for customers, who do not know the scale',
  'incident.severityMeaning': 'What the severity means in this organisation (e.g. "Critical: customer-facing outage or data at risk")',
  'incident.status': 'Where the incident stands: investigating, identified, mitigated, resolved or closed',
  'incident.services': 'The affected services, comma-separated',
  'incident.declaredAt': 'When the incident was declared (e.g. 2025-03-01 14:05 UTC)',
  'incident.commander': 'Who commands the incident',
  headline: 'One sentence on what customers notice, in their words (e.g. "Some card payments are failing")',
  impact: 'Who or what is affected, and how badly',
  status: 'Where the response stands now',
  actions: 'What the team is doing next',
  eta: 'When service is expected back, or "Not known yet": never a guess',
  nextUpdate: 'When the next update will be published (e.g. 2025-03-01 14:35 UTC)',
} as const satisfies Record<string, string>;
export type TemplatePlaceholder = keyof typeof templatePlaceholders;

/**
 * The templates every organisation starts with, one per audience. Responders get the technical
 * picture; executives the business impact and an honest recovery estimate; customers plain words
 * about what they notice, with no severities, systems, names or causes.
 */
export const builtInUpdateTemplates: UpdateTemplate[] = [
  {
    id: 'builtin-internal',
    audience: 'internal',
    name: 'Responder update',
    title: '{{incident.severity}} {{incident.status}}: {{incident.title}}',
    body: [
      '- **Severity:** {{incident.severity}} ({{incident.severityMeaning}})',
      '- **Services:** {{incident.services}}',
      '- **Incident commander:** {{incident.commander}}',
      '',
      '**Impact:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      '**Next update:** {{nextUpdate}}',
    ].join('\n'),
  },
  {
    id: 'builtin-executives',
    audience: 'executives',
    name: 'Executive briefing',
    title: '{{incident.severity}}: {{incident.title}}',
    body: [
      '**Business impact:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      '**Expected recovery:** {{eta}}',
      '',
      '**Next update:** {{nextUpdate}}',
      '',
      '_Incident commander: {{incident.commander}}. Declared {{incident.declaredAt}}._',
    ].join('\n'),
  },
  {
    id: 'builtin-customers',
    audience: 'customers',
    name: 'Customer status update',
    title: '{{headline}}',
    body: [
      '**What is affected:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      'We are sorry for the disruption. We will post the next update by {{nextUpdate}}, or sooner if anything changes.',
    ].join('\n'),
  },
];

/** A time as updates state it: UTC, to the minute ("2025-03-01 14:05 UTC"). */
export function formatUpdateTime(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm')} UTC`;
}

/** What a composer knows when it fills a template. */
export interface TemplateContext {
  incident: Pick<Incident, 'title' | 'severity' | 'status' | 'services' | 'declaredAt'>;
  /** The organisation's wording of the severities; the defaults otherwise. */
  severityMeanings?: Record<Severity, string>;
  /** The incident commander, as people know them (a name, else a user name). */
  commander?: string | null;
  /** What the author wrote: headline, impact, status, actions, eta (and nextUpdate, as text). */
  fields?: Partial<Record<TemplatePlaceholder, string>>;
  /** The promised next update (UTC ms): fills `{{nextUpdate}}` unless `fields.nextUpdate` is given. */
  nextUpdateAt?: number | null;
}

/** The values for renderTemplate; anything unknown or not written yet is left out, so it stays a placeholder. */
export function templateValues(context: TemplateContext): Record<string, string> {
  const { incident } = context;
  const values: Record<string, string> = {
    'incident.title': incident.title,
    'incident.severity': incident.severity,
    'incident.severityMeaning': (context.severityMeanings ?? severityMeaning)[incident.severity],
    'incident.status': incident.status,
    // An incident declared before anyone named the services still reads as a sentence.
    'incident.services': incident.services.length > 0 ? incident.services.join(', ') : 'not named yet',
    'incident.declaredAt': formatUpdateTime(incident.declaredAt),
  };
  if (context.commander) values['incident.commander'] = context.commander;
  if (context.nextUpdateAt != null) values.nextUpdate = formatUpdateTime(context.nextUpdateAt);
  for (const [name, value] of Object.entries(context.fields ?? {})) if (value !== undefined && value.trim() !== '') values[name] = value;
  return values;
}

const placeholderName = '[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*';
// `{{{name}}}` (Handlebars' unescaped form) is read as `{{name}}`: there is no escaping to opt out of.
const placeholderPattern = new RegExp(`\\{\\{\\{\\s*(${placeholderName})\\s*\\}\\}\\}|\\{\\{\\s*(${placeholderName})\\s*\\}\\}`, 'g');

/**
 * Fills `{{name}}` placeholders (spaces inside the braces allowed) in one pass. A placeholder with no
 * value, or only whitespace, is written back as `{{name}}` and listed in `unresolved` (once each, in
 * order of first appearance), so rendering the result again with more values completes it. Values are
 * inserted as written (trimmed), never rescanned and never HTML-escaped: the output is plain text or
 * Markdown.
 */
export function renderTemplate(template: string, values: Record<string, string>): { text: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const text = template.replace(placeholderPattern, (_match, triple: string | undefined, double: string | undefined) => {
    const name = (triple ?? double) as string;
    const value = Object.hasOwn(values, name) && typeof values[name] === 'string' ? values[name].trim() : '';
    if (value !== '') return value;
    if (!unresolved.includes(name)) unresolved.push(name);
    return `{{${name}}}`;
  });
  return { text, unresolved };
}

// ─── Cadence ──────────────────────────────────────────────────────────────────────────────────────

/** Minutes between updates per severity and audience; null = no cadence (updates as needed). */
export type Cadence = Record<Severity, Record<Audience, number | null>>;

/**
 * Responders hear most often, executives and customers at a pace they can read. A SEV3 has a
 * workaround: executives hear about it as needed, customers every two hours. A SEV4 has no customer
 * impact yet, so no clock runs.
 */
export const defaultCadence: Cadence = {
  SEV1: { internal: 15, executives: 30, customers: 30 },
  SEV2: { internal: 30, executives: 60, customers: 60 },
  SEV3: { internal: 60, executives: null, customers: 120 },
  SEV4: { internal: null, executives: null, customers: null },
};

export const minCadenceMin = 5;
export const maxCadenceMin = 1440;

const cadenceMinutes = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? `is missing: give the minutes between updates (${minCadenceMin} to ${maxCadenceMin}), or null for updates as needed`
        : `must be the minutes between updates (${minCadenceMin} to ${maxCadenceMin}), or null for updates as needed`,
  })
  .int({ error: 'must be a whole number of minutes' })
  .min(minCadenceMin, { error: `must be at least ${minCadenceMin} minutes: nobody writes a useful update faster` })
  .max(maxCadenceMin, { error: `must be at most ${maxCadenceMin} minutes (a day); use null for updates as needed` })
  .nullable();

const severityCadence = z.strictObject(Object.fromEntries(audiences.map((a) => [a, cadenceMinutes])) as Record<Audience, typeof cadenceMinutes>, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `has no audience ${issue.keys.join(', ')}: use ${audiences.join(', ')}`
      : `${issue.input === undefined ? 'is missing' : 'must be minutes per audience'}: give { ${audiences.map((a) => `${a}: minutes or null`).join(', ')} }`,
});

/** An organisation's cadence: every severity and every audience, in whole minutes or null. */
export const cadenceSetting = z.strictObject(Object.fromEntries(severities.map((s) => [s, severityCadence])) as Record<Severity, typeof severityCadence>, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `has no severity ${issue.keys.join(', ')}: use ${severities.join(', ')}`
      : `must give the cadence of every severity: ${severities.join(', ')}`,
});

export const cadenceRequest = z.object({ cadence: cadenceSetting }).strict();

/**
 * How an update clock stands. There is no separate "due" level: an update is `soon` until the
 * moment it is due and `overdue` after it.
 */
export const cadenceLevels = ['none', 'ok', 'soon', 'overdue'] as const;
export type CadenceLevel = (typeof cadenceLevels)[number];

export interface CadenceStatus {
  audience: Audience;
  intervalMin: number | null;
  lastPublishedAt: number | null;
  /** When the next update is due (UTC ms); null when no clock runs. */
  dueAt: number | null;
  level: CadenceLevel;
  /** Whole minutes until dueAt, rounded up (30 s left is 1); 0 in the first minute overdue, then negative. */
  minutesLeft: number | null;
}

const minuteMs = 60_000;

/** How long before an update is due it turns amber: a fifth of the interval, at least 5 minutes. */
export const soonWindowMin = (intervalMin: number | null) => Math.max(5, (intervalMin ?? 0) / 5);

/**
 * Where the update clock of one audience stands. The first update is due one interval after the
 * declaration, each next one an interval after the last published update. A "next update at" the
 * last update promised (`nextUpdateAt`) wins when it is earlier than that, and is kept even when the
 * severity has no cadence: a promise to readers is a deadline. Pass the current severity: a change
 * of severity moves the clock at once (an escalation can make an update overdue immediately).
 * Callers stop asking once the incident is resolved.
 *
 * Levels: `none` when no clock runs; `ok` while more than soonWindowMin is left; `soon` within it,
 * up to and including dueAt; `overdue` once now is past dueAt.
 */
export function cadenceStatus(args: {
  severity: Severity;
  audience: Audience;
  cadence: Cadence;
  declaredAt: number;
  lastPublishedAt: number | null;
  nextUpdateAt?: number | null;
  now: number;
}): CadenceStatus {
  const { audience, lastPublishedAt, now } = args;
  const intervalMin = args.cadence[args.severity][audience];
  const byCadence = intervalMin === null ? null : (lastPublishedAt ?? args.declaredAt) + intervalMin * minuteMs;
  const promised = args.nextUpdateAt ?? null;
  const dueAt = byCadence === null ? promised : promised === null ? byCadence : Math.min(byCadence, promised);
  if (dueAt === null) return { audience, intervalMin, lastPublishedAt, dueAt: null, level: 'none', minutesLeft: null };
  const leftMs = dueAt - now;
  const level: CadenceLevel = leftMs < 0 ? 'overdue' : leftMs <= soonWindowMin(intervalMin) * minuteMs ? 'soon' : 'ok';
  return { audience, intervalMin, lastPublishedAt, dueAt, level, minutesLeft: Math.ceil(leftMs / minuteMs) || 0 };
}

/**
 * What the composer proposes for "next update at": one interval from now, rounded up to the next
 * 5 minutes of the clock (14:32:10 → 14:35). Null when the audience has no cadence.
 */
export function nextUpdateSuggestion(status: Pick<CadenceStatus, 'intervalMin'>, now: number): number | null {
  if (status.intervalMin === null) return null;
  const step = 5 * minuteMs;
  return Math.ceil((now + status.intervalMin * minuteMs) / step) * step;
}

// ─── Lint ─────────────────────────────────────────────────────────────────────────────────────────

export const lintRules = ['speculation', 'blame', 'person-name', 'internal-host', 'placeholder', 'internal-jargon'] as const;
export type LintRule = (typeof lintRules)[number];

/** Responders may read anything but an unfilled placeholder; executives no guesses or blame; customers none of it. */
export const lintRulesByAudience: Record<Audience, readonly LintRule[]> = {
  internal: ['placeholder'],
  executives: ['speculation', 'blame', 'placeholder'],
  customers: lintRules,
};

export interface LintFinding {
  rule: LintRule;
  /** What is wrong and what to write instead. */
  message: string;
  /** text.slice(start, end) */
  excerpt: string;
  start: number;
  end: number;
}

export interface LintContext {
  audience: Audience;
  /** The directory (a Person fits); names, user names and e-mail addresses are looked for. */
  people?: { name: string; handle?: string | null; email?: string | null }[];
  /** The organisation's internal DNS domains (e.g. "acme.net"): the domain and its subdomains are flagged. */
  internalDomains?: string[];
}

interface Check {
  rule: LintRule;
  pattern: RegExp;
  message: (excerpt: string, readers: string) => string;
  isFalseAlarm?: (excerpt: string) => boolean;
}

const wordChar = '\\p{L}\\p{N}_';
/** A phrase as whole words: case-insensitive, any whitespace between its words. */
const words = (phrases: string[], flags = 'giu') =>
  new RegExp(`(?<![${wordChar}])(?:${phrases.map((p) => p.replaceAll(' ', '\\s+')).join('|')})(?![${wordChar}])`, flags);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// Host names run on through dots and dashes; a dot followed by a space or the end is the sentence's.
const hostStart = `(?<![${wordChar}.-])`;
const hostEnd = `(?![${wordChar}-]|\\.[${wordChar}])`;
const quoted = (excerpt: string) => `"${excerpt.replace(/\s+/g, ' ')}"`;

const guess = (excerpt: string, readers: string) =>
  `${quoted(excerpt)} is a guess, and ${readers} read a guess as a fact: say what you know, and "not known yet" where you do not.`;
const blamed = (excerpt: string) => `${quoted(excerpt)} blames someone: say what happened to the service, not who caused it; updates are as blameless as the review.`;
const jargon = (excerpt: string) => `${quoted(excerpt)} is internal jargon customers do not know: say it in their words (e.g. "our team", "we are investigating").`;

/** Lowercase words that take a number after a dash in ordinary text ("covid-19", "tier-1"); never host names. */
const ordinaryDashNumberWords = new Set([
  'covid',
  'sha',
  'utf',
  'md',
  'mp',
  'x86',
  'ipv',
  'top',
  'tier',
  'level',
  'phase',
  'step',
  'stage',
  'day',
  'week',
  'month',
  'year',
  'part',
  'round',
  'type',
  'class',
  'grade',
  'section',
  'chapter',
  'page',
  'item',
  'option',
  'plan',
  'version',
  'windows',
  'win',
  'ios',
  'android',
  'iphone',
]);
/** Upper-case prefixes of public standards, not tickets ("COVID-19", "ISO-8601", "SOC-2", "CVE-2024-1234"). */
const publicCodePrefixes = new Set(['COVID', 'SHA', 'UTF', 'ISO', 'RFC', 'CVE', 'TLS', 'SSL', 'HTTP', 'SOC', 'PCI', 'WCAG', 'IEEE', 'MD', 'MP', 'IPV']);

const isPrivateOrLoopbackIpv4 = (excerpt: string) =>
  excerpt
    .split('/')[0]
    .split('.')
    .every((octet) => Number(octet) <= 255);

/**
 * The fixed checks. Speculation and blame are phrase lists; internal hosts are recognised by shape:
 * - names ending in .internal, .local (and so .svc.cluster.local), .localdomain, .corp, .lan,
 *   .intranet or .home.arpa, and `localhost`;
 * - IPv4 addresses in 10/8, 172.16/12, 192.168/16, 127/8 and 169.254/16, with an optional /prefix;
 * - lower-case dash-number tokens (`db-1`, `orders-db-2`, `ip-10-0-4-17`, `eu-west-1`): a first part of
 *   at least 2 characters starting with a letter, a last part of 1 to 3 digits, and not an ordinary
 *   word such as "covid-19" or "tier-1" (ordinaryDashNumberWords). Capitalised tokens ("Windows-10",
 *   "COVID-19", "DB-1") and tokens without a dash (`db1`, `mp3`) are never taken for hosts.
 * Internal jargon, for customers only: severities (SEV1, Sev-2, severity 3, P0 to P4), incident
 * commander and IC, war room, runbook, playbook, on-call, blast radius, and internal references:
 * "release 4512", "build 1234", "PR #123", ticket keys such as OPS-1234 (not public codes such as
 * ISO-8601 or CVE-2024-1234).
 */
const staticChecks: Check[] = [
  {
    rule: 'speculation',
    pattern: words([
      'probably',
      'likely',
      'unlikely',
      'maybe',
      'perhaps',
      'possibly',
      'presumably',
      'hopefully',
      'seems?',
      'seemed',
      'seemingly',
      'appears? to be',
      'looks like',
      'i guess',
      'i think',
      'i believe',
      'we think',
      'we believe',
      'we suspect',
      'we assume',
      'we guess',
      'our (?:best )?guess',
    ]),
    message: guess,
  },
  {
    rule: 'speculation',
    pattern: words([
      '(?:might|may|could|appears? to|seems? to) be (?:caused|due|related)',
      'caused by',
      'due to(?! be\\b)',
      'root(?:-| )cause (?:is|was|has been|appears|seems|looks)',
    ]),
    message: (excerpt, readers) =>
      `${quoted(excerpt)} names a cause, and ${readers} read it as the confirmed root cause: describe the impact and what you are doing; the cause belongs in the review once it is known.`,
  },
  {
    rule: 'speculation',
    pattern: words(['should (?:be )?(?:fixed|resolved|restored|back|working|available|recovered|fine|ok|okay)']),
    message: (excerpt) => `${quoted(excerpt)} promises a fix nobody can guarantee yet: give a time only when you are sure, and say when the next update comes.`,
  },
  {
    rule: 'blame',
    pattern: words([
      'human error',
      'operator error',
      'user error',
      'mistakes? (?:by|of|from)',
      'fault of',
      'at fault',
      'blam(?:e|es|ed|ing)',
      'negligen(?:ce|t)',
      'careless(?:ness)?',
    ]),
    message: blamed,
  },
  {
    rule: 'blame',
    pattern: words([
      "(?:engineer|developer|dev|team|vendor|provider|supplier|contractor|operator|admin|administrator|employee|staff|intern|colleague)s?(?:'s|’s)? (?:broke|caused|forgot|pushed|deleted|misconfigured|dropped|missed|messed up|screwed up)",
      '(?:someone|somebody) (?:broke|caused|forgot|pushed|deleted|misconfigured|dropped|missed|messed up|screwed up)',
      '(?:our|the|a) (?:[\\p{L}-]+ )?(?:provider|vendor|supplier|partner|hosting provider)s? (?:failed|broke|caused|went down|let us down|dropped the ball)',
      // "a bad deploy by the database team": the change is named for who made it.
      '(?:deploy(?:ment)?|change|release|push|update|migration|config(?:uration)?)s? (?:made |pushed |done )?by (?:the |our |a |an )?(?:[\\p{L}-]+ )?(?:team|engineer|developer|dev|vendor|provider|contractor|operator|admin|administrator|intern|colleague|on-call)s?',
    ]),
    message: blamed,
  },
  {
    rule: 'internal-host',
    pattern: new RegExp(`${hostStart}(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:internal|local|localdomain|corp|lan|intranet|home\\.arpa)|localhost)${hostEnd}`, 'giu'),
    message: (excerpt) => `${quoted(excerpt)} is an internal host name: name what people use instead (e.g. "checkout" or "the login page").`,
  },
  {
    rule: 'internal-host',
    pattern:
      /(?<![\d.])(?:(?:10|127)(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2})(?:\/\d{1,2})?(?!\d|\.\d)/g,
    message: (excerpt) => `${quoted(excerpt)} is a private network address: name the affected feature instead.`,
    isFalseAlarm: (excerpt) => !isPrivateOrLoopbackIpv4(excerpt),
  },
  {
    rule: 'internal-host',
    pattern: new RegExp(`(?<![${wordChar}./@-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\\d{1,3}${hostEnd}`, 'gu'),
    message: (excerpt) => `${quoted(excerpt)} looks like an internal host name: name the affected feature instead (e.g. "order history").`,
    isFalseAlarm: (excerpt) => {
      const parts = excerpt.split('-');
      return parts[0].length < 2 || (parts.length === 2 && ordinaryDashNumberWords.has(parts[0]));
    },
  },
  {
    rule: 'internal-jargon',
    pattern: words(['sev(?:erity)?(?:-| )?[0-4]']),
    message: (excerpt) => `${quoted(excerpt)} is our internal severity scale, which customers do not know: describe what they notice instead.`,
  },
  {
    rule: 'internal-jargon',
    pattern: words(['P[0-4]'], 'gu'),
    message: (excerpt) => `${quoted(excerpt)} is an internal priority, which customers do not know: describe what they notice instead.`,
  },
  { rule: 'internal-jargon', pattern: words(['incident commander', 'war(?: )?room', 'runbooks?', 'playbooks?', 'on-?call', 'blast radius']), message: jargon },
  { rule: 'internal-jargon', pattern: words(['IC'], 'gu'), message: jargon },
  {
    rule: 'internal-jargon',
    pattern: words(['(?:release|build|ticket|change|deploy|deployment|PR|MR|pull request|commit)s?(?: )?#?\\d{3,}']),
    message: (excerpt) => `${quoted(excerpt)} is an internal reference customers cannot look up: describe the change instead (e.g. "a recent update").`,
  },
  {
    rule: 'internal-jargon',
    pattern: new RegExp(`(?<![${wordChar}-])[A-Z][A-Z0-9]{1,9}-\\d{1,6}(?![${wordChar}-])`, 'gu'),
    message: (excerpt) =>
      `${quoted(excerpt)} looks like an internal ticket or system name, which customers cannot look up: describe the work or the affected feature instead.`,
    isFalseAlarm: (excerpt) => publicCodePrefixes.has(excerpt.split('-')[0]),
  },
  {
    rule: 'placeholder',
    pattern: /\{\{[^{}\n]*\}\}/g,
    message: (excerpt) => `${quoted(excerpt)} was never filled in: write it, or delete it before publishing.`,
  },
];

/** User names too generic to flag when written without an @ ("the admin console"). */
const genericHandles = new Set(['admin', 'root', 'ops', 'oncall', 'support', 'system', 'test', 'user', 'holdfast']);
const blameVerbs = "(?:'s|’s)?\\s+(?:broke|caused|forgot|pushed|deployed|deleted|misconfigured|dropped|missed)";

/**
 * Checks for the people of the directory mentioned in `text`: their full name, first and last name,
 * e-mail address, `@handle`, and handle as a whole word (at least 3 characters and not generic);
 * and, for blame, any of these or their first name followed by "broke", "caused", "forgot"…
 * Only people whose name, handle or e-mail the text contains get a pattern.
 */
function peopleChecks(text: string, people: NonNullable<LintContext['people']>): Check[] {
  const folded = text.toLowerCase();
  const checks: Check[] = [];
  const seen = new Set<string>();
  const add = (rule: LintRule, source: string, message: Check['message']) => {
    const key = `${rule}\u0000${source}`;
    if (seen.has(key)) return;
    seen.add(key);
    checks.push({ rule, pattern: new RegExp(source, 'giu'), message });
  };
  const nameSource = (parts: string[]) => `(?<![${wordChar}])${parts.map(escapeRegExp).join('\\s+')}(?![${wordChar}])`;
  const handleSource = (handle: string, at: '@' | '@?' | '') => `(?<![${wordChar}.@-])${at}${escapeRegExp(handle)}(?![${wordChar}@-]|\\.[${wordChar}])`;
  for (const person of people) {
    const parts = person.name.trim().split(/\s+/).filter(Boolean);
    const handle = person.handle?.trim() ?? '';
    const email = person.email?.trim() ?? '';
    const isNamed = parts.length > 0 && folded.includes(parts[0].toLowerCase());
    const isHandled = handle !== '' && folded.includes(handle.toLowerCase());
    if (isNamed) {
      const names = parts.length > 1 ? [parts, [parts[0], parts[parts.length - 1]]] : parts[0].length >= 3 ? [parts] : [];
      for (const name of names) {
        add(
          'person-name',
          nameSource(name),
          (excerpt, readers) => `${quoted(excerpt)} names ${person.name}: ${readers} need no names of staff; say "our team" or "our engineers".`,
        );
        add('blame', nameSource(name) + blameVerbs, blamed);
      }
      if (parts.length > 1 && parts[0].length >= 2) add('blame', nameSource([parts[0]]) + blameVerbs, blamed);
    }
    if (isHandled) {
      const bare = handle.length >= 3 && !genericHandles.has(handle.toLowerCase());
      add(
        'person-name',
        handleSource(handle, bare ? '@?' : '@'),
        (excerpt, readers) => `${quoted(excerpt)} is the user name of ${person.name}: ${readers} need no names of staff; say "our team".`,
      );
      add('blame', handleSource(handle, bare ? '@?' : '@') + blameVerbs, blamed);
    }
    if (email !== '' && folded.includes(email.toLowerCase())) {
      add(
        'person-name',
        `(?<![${wordChar}.+-])${escapeRegExp(email)}(?![${wordChar}-]|\\.[${wordChar}])`,
        (excerpt) => `${quoted(excerpt)} is the e-mail address of ${person.name}: give your support address instead.`,
      );
    }
  }
  return checks;
}

function domainChecks(domains: string[]): Check[] {
  return domains
    .map((domain) =>
      domain
        .trim()
        .toLowerCase()
        .replace(/^\*?\.+/, '')
        .replace(/\.+$/, ''),
    )
    .filter((domain) => domain !== '')
    .map((domain) => ({
      rule: 'internal-host' as const,
      pattern: new RegExp(`${hostStart}(?:[a-z0-9-]+\\.)*${escapeRegExp(domain)}${hostEnd}`, 'giu'),
      message: (excerpt: string) => `${quoted(excerpt)} is in the internal domain ${domain}: name the affected feature instead.`,
    }));
}

const readersOf: Record<Audience, string> = { internal: 'responders', executives: 'executives', customers: 'customers' };

/**
 * What an update for `audience` should not say, with where it says it (lint the title and the body
 * separately: positions are within `text`). Rules by audience: lintRulesByAudience. Phrases match as
 * whole words, case-insensitively ("likely" and "unlikely" are both guesses; "likelihood" is not
 * matched). Where findings of one rule overlap, the earliest (then longest) stands for them; findings
 * of different rules are all reported. Sorted by start, then rule order; deterministic.
 */
export function lintUpdate(text: string, context: LintContext): LintFinding[] {
  const rules = lintRulesByAudience[context.audience];
  const readers = readersOf[context.audience];
  const checks = [...staticChecks, ...peopleChecks(text, context.people ?? []), ...domainChecks(context.internalDomains ?? [])];
  const found: LintFinding[] = [];
  for (const check of checks) {
    if (!rules.includes(check.rule)) continue;
    for (const match of text.matchAll(check.pattern)) {
      const excerpt = match[0];
      if (excerpt === '' || check.isFalseAlarm?.(excerpt)) continue;
      found.push({ rule: check.rule, message: check.message(excerpt, readers), excerpt, start: match.index, end: match.index + excerpt.length });
    }
  }
  const kept: LintFinding[] = [];
  for (const rule of lintRules) {
    let end = -1;
    for (const finding of found.filter((f) => f.rule === rule).sort((a, b) => a.start - b.start || b.end - a.end)) {
      if (finding.start < end) continue;
      kept.push(finding);
      end = finding.end;
    }
  }
  return kept.sort((a, b) => a.start - b.start || lintRules.indexOf(a.rule) - lintRules.indexOf(b.rule) || a.end - b.end);
}

// ─── Approval ─────────────────────────────────────────────────────────────────────────────────────

/** Which audiences' updates wait for a second person before they go out; internal ones never do. */
export interface ApprovalSetting {
  customers: boolean;
  executives: boolean;
}

export const defaultApprovalSetting: ApprovalSetting = { customers: true, executives: false };

export function needsApproval(audience: Audience, setting: ApprovalSetting): boolean {
  return audience === 'internal' ? false : setting[audience];
}

const orList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);

/**
 * Why `approver` may not approve an update `author` wrote (null when they may): a second person
 * approves, and that person is the incident commander, the deputy or a named approver.
 */
export function approvalRefusal(args: {
  author: string;
  approver: string;
  commanderId: string | null;
  deputyId: string | null;
  namedApprovers: string[];
}): string | null {
  const { author, approver, commanderId, deputyId, namedApprovers } = args;
  const approvers = new Map<string, string>();
  if (commanderId) approvers.set(commanderId, 'incident commander');
  if (deputyId && !approvers.has(deputyId)) approvers.set(deputyId, 'deputy commander');
  for (const id of namedApprovers) if (id && !approvers.has(id)) approvers.set(id, 'approver');
  const others = [...approvers].filter(([id]) => id !== author).map(([id, role]) => `${id} (${role})`);
  if (approver === author) {
    return others.length > 0
      ? `You wrote this update, so someone else approves it: ${orList(others)}.`
      : 'You wrote this update, so someone else approves it, and nobody else can: assign a deputy commander or name an approver.';
  }
  if (approvers.has(approver)) return null;
  if (others.length === 0) return 'Nobody can approve this update yet: assign an incident commander or deputy, or name an approver.';
  return `Only ${orList(others)} can approve this update.`;
}

// ─── Copying out ──────────────────────────────────────────────────────────────────────────────────

export interface UpdateCopy {
  title: string;
  body: string;
  audience: Audience;
  /** UTC ms; null for a draft. */
  publishedAt: number | null;
  incidentTitle: string;
}

// The incident title is responders' wording: a customer copy leaves it out.
function footer(update: UpdateCopy): string {
  const when = update.publishedAt === null ? 'Draft, not published' : `Published ${formatUpdateTime(update.publishedAt)}`;
  if (update.audience === 'customers') return when;
  return `${when} · ${audienceLabels[update.audience]} · Incident: ${update.incidentTitle}`;
}

/** An update as Markdown, to paste into chat, e-mail or a document: bold title, body, italic footer. */
export function asMarkdown(update: UpdateCopy): string {
  return `**${update.title.trim()}**\n\n${update.body.trim()}\n\n_${footer(update)}_\n`;
}

/** An update as plain text, for status pages, SMS and anything that shows Markdown as typed. */
export function asPlainText(update: UpdateCopy): string {
  return `${markdownToPlainText(update.title.trim())}\n\n${markdownToPlainText(update.body.trim())}\n\n${footer(update)}\n`;
}

const escapeSentinel = /\uE000(\d+)\uE001/g;

function plainInline(text: string): string {
  const escaped: string[] = [];
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_m, char: string) => `\uE000${escaped.push(char) - 1}\uE001`)
    .replace(/!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) =>
      label.trim() === '' || label.trim() === url ? url : `${label} (${url})`,
    )
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\*(?=\S)([^*]+?)(?<=\S)\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(escapeSentinel, (_m, index: string) => escaped[Number(index)]);
}

/**
 * Markdown to plain text, for the constructs updates use, without a Markdown parser: **bold**,
 * __bold__, *italic*, _italic_ (not inside words, so snake_case survives), ~~struck~~, `code`,
 * [label](url) → "label (url)", <https://…> → the address, "# " headings → their text, "* "/"+ "
 * bullets → "- " (dashes stay), and backslash escapes. Anything else is left as written.
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      const bare = line.replace(/^(\s*)#{1,6}\s+/, '$1').replace(/^(\s*)[*+]\s+/, '$1- ');
      return bare
        .split(/(`[^`\n]+`)/)
        .map((part, index) => (index % 2 === 1 ? part.slice(1, -1) : plainInline(part)))
        .join('');
    })
    .join('\n');
}
