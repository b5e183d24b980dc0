// Every saved version of a runbook, newest first: who saved it and when, the note they left, and
// what it was edited from (a merge names every version it settles). Choosing one opens it to read.
import type { RunbookDetail } from '@shared/domain/runbook';
import { localTime, utcTime } from '../../lib/time';

export function VersionHistory({ detail, onOpen }: { detail: RunbookDetail; onOpen: (versionId: string) => void }) {
  const numberOf = new Map(detail.history.map((v) => [v.id, v.number]));
  const { currentVersionId, headIds } = detail.summary;
  const reading = detail.content.version.id;
  return (
    <ol className="version-list" data-testid="version-history" aria-label="Version history">
      {detail.history.map((version) => {
        const parents = version.parents.map((id) => `v${numberOf.get(id) ?? '?'}`);
        const isMerge = version.parents.length > 1;
        return (
          <li key={version.id}>
            <button
              type="button"
              className="version-row"
              data-testid="version-row"
              aria-current={version.id === reading ? 'true' : undefined}
              onClick={() => onOpen(version.id)}
            >
              <span className="version-number">v{version.number}</span>
              <span className="version-main">
                <span className="version-by">
                  <strong>{version.authorId}</strong>{' '}
                  <time dateTime={new Date(version.createdAt).toISOString()} title={utcTime(version.createdAt)}>
                    {localTime(version.createdAt)}
                  </time>
                </span>
                <span className={version.note ? 'version-note' : 'version-note muted'}>{version.note || 'No note'}</span>
              </span>
              <span className="version-tags">
                {version.id === currentVersionId && <span className="rb-flag rb-flag-current">current</span>}
                {headIds.length > 1 && headIds.includes(version.id) && <span className="rb-flag rb-flag-siblings">unmerged</span>}
                {isMerge && (
                  <span className="rb-flag rb-flag-merge" data-testid="version-merge">
                    merge
                  </span>
                )}
                <span className="version-parents" data-testid="version-parents">
                  {parents.length === 0 ? 'first version' : `${isMerge ? 'of' : 'from'} ${parents.join(' + ')}`}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
