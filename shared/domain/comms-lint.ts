// Update lint: which rules apply to which audience, and lintUpdate, which runs the checks of
// comms-lint-checks over a title or body and reports each finding with where it is.
import type { Audience } from './comms-update';
import { domainChecks, peopleChecks, staticChecks } from './comms-lint-checks';

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
