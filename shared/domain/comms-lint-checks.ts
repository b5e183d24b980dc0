// The checks behind update lint: the fixed phrase and shape patterns (guesses, blame, internal hosts,
// jargon, unfilled placeholders), and those made per text from the directory and internal domains.
import type { LintContext, LintRule } from './comms-lint';

export interface Check {
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
const teamNamed = (excerpt: string) =>
  `${quoted(excerpt)} names an internal team, and readers take it as who is to blame: say what happened to the service and what "we" are doing.`;
/** Words before "team" that name no one in particular ("our engineering team is on it"). */
const genericTeamWords = new Set(['engineering', 'support', 'customer', 'response', 'incident', 'technical', 'tech', 'whole', 'entire', 'own', 'same', 'other']);
/** "it's fault-tolerant", "that's faulty": a possessive that names nobody. */
const notAnOwner = new Set(['it', 'that', 'there', 'what', 'here', 'who', 'he', 'she', 'let', 'this', 'everyone', 'nobody', 'no one']);
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
export const staticChecks: Check[] = [
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
    // "the DBA team's fault", "Ben's mistake": the fault is someone's.
    rule: 'blame',
    pattern: words(["[\\p{L}\\p{N}-]+(?:'s|’s|s'|s’) (?:fault|mistake|error|doing)"]),
    message: blamed,
    isFalseAlarm: (excerpt) => notAnOwner.has(excerpt.split(/['’]/)[0].toLowerCase()),
  },
  {
    // "the database team", "our DBA team": an internal team named in an update reads as the culprit.
    rule: 'blame',
    pattern: words(['(?:the|our|their|a|an) (?:[\\p{L}\\p{N}-]+ ){1,2}(?:team|teams|squad|department)']),
    message: teamNamed,
    isFalseAlarm: (excerpt) =>
      excerpt
        .split(/\s+/)
        .slice(1, -1)
        .every((word) => genericTeamWords.has(word.toLowerCase())),
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
export function peopleChecks(text: string, people: NonNullable<LintContext['people']>): Check[] {
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

export function domainChecks(domains: string[]): Check[] {
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
