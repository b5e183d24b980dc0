// What a runbook's front matter says, as chips (services, incident types, tags), and the flags
// that ask someone to act: a review date that has passed, sibling versions to merge, archived.
// Both are phrasing content (spans), so they can sit inside a list item's button.
import type { RunbookSummary } from '@shared/domain/runbook';

interface Labels {
  services: string[];
  incidentTypes: string[];
  tags: string[];
}

export function MetaChips({ meta }: { meta: Labels }) {
  if (meta.services.length + meta.incidentTypes.length + meta.tags.length === 0) return null;
  return (
    <span className="rb-chips" data-testid="runbook-chips">
      {meta.services.map((service) => (
        <span key={`s-${service}`} className="rb-chip rb-chip-service" title="Service">
          {service}
        </span>
      ))}
      {meta.incidentTypes.map((type) => (
        <span key={`t-${type}`} className="rb-chip rb-chip-type" title="Incident type">
          {type}
        </span>
      ))}
      {meta.tags.map((tag) => (
        <span key={`g-${tag}`} className="rb-chip rb-chip-tag" title="Tag">
          #{tag}
        </span>
      ))}
    </span>
  );
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function RunbookFlags({ summary }: { summary: RunbookSummary }) {
  const unmerged = summary.headIds.length;
  if (!summary.isReviewOverdue && unmerged < 2 && !summary.isArchived) return null;
  return (
    <span className="rb-flags">
      {unmerged > 1 && (
        <span className="rb-flag rb-flag-siblings" data-testid="flag-siblings">
          {unmerged} unmerged versions
        </span>
      )}
      {summary.isReviewOverdue && (
        <span className="rb-flag rb-flag-review" data-testid="flag-review" title={`Its owner meant to review it by ${summary.reviewBy}`}>
          Review overdue · due {summary.reviewBy}
        </span>
      )}
      {summary.isArchived && (
        <span className="rb-flag rb-flag-archived" data-testid="flag-archived">
          Archived
        </span>
      )}
    </span>
  );
}
