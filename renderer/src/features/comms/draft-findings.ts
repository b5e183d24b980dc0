// What a draft's preview marks: the engine's lint findings, and a finding for each placeholder left
// unfilled. The composer shows them; publishing asks once more when there are any.
import type { UpdateDraft } from '@shared/domain/comms-api';
import type { LintFinding } from '@shared/domain/comms';

/**
 * The draft's findings, and a finding for each unfilled placeholder the engine's lint did not
 * report (its lint reports them; this keeps them marked whatever the rules).
 */
export function allFindings(draft: UpdateDraft): LintFinding[] {
  const text = `${draft.rendered.title}\n\n${draft.rendered.body}`;
  const findings = [...draft.findings];
  for (const match of text.matchAll(/\{\{[^{}\n]*\}\}/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (findings.some((f) => f.start <= start && f.end >= end)) continue;
    findings.push({ rule: 'placeholder', message: `"${match[0]}" was never filled in: write it, or delete it before publishing.`, excerpt: match[0], start, end });
  }
  return findings.sort((a, b) => a.start - b.start);
}
