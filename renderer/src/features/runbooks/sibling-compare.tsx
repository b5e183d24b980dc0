// Sibling versions side by side: each column is one version saved from the same parent while the
// editors could not see each other (offline), with the lines the others lack highlighted, so the
// person merging sees what each one changed.
import { useMemo } from 'react';
import type { RunbookContent } from '@shared/domain/runbook';
import { localTime } from '../../lib/time';
import { linesDifferingFromOthers } from './line-diff';

/** The source of one version with the lines it does not share with `others` marked. */
export function SourceWithChanges({ source, others, testId }: { source: string; others: string[]; testId: string }) {
  // Keyed on the texts themselves: the caller builds a new `others` array on every render.
  const othersKey = JSON.stringify(others);
  const marks = useMemo(() => {
    const texts = [source, ...(JSON.parse(othersKey) as string[])].map((text) => text.split('\n'));
    return texts.length === 1 ? texts[0].map(() => false) : linesDifferingFromOthers(texts, 0);
  }, [source, othersKey]);
  const lines = source.split('\n');
  return (
    <pre className="sibling-source" data-testid={testId}>
      {lines.map((line, index) => (
        <span key={index} className={marks[index] ? 'source-line is-changed' : 'source-line'} data-changed={marks[index] ? 'true' : undefined}>
          <span className="source-line-number" aria-hidden="true">
            {index + 1}
          </span>
          <span className="source-line-text">{line || ' '}</span>
        </span>
      ))}
    </pre>
  );
}

export function SiblingCompare({ siblings, onMerge }: { siblings: RunbookContent[]; onMerge: () => void }) {
  const sources = siblings.map((s) => s.version.source);
  return (
    <div className="sibling-compare" data-testid="sibling-compare">
      <div className="sibling-compare-head">
        <p className="muted">
          Highlighted lines are not the same in every version. Merge starts from the newest (left) and saves a version built on all {siblings.length}.
        </p>
        <button type="button" className="button button-primary" data-testid="merge-siblings" onClick={onMerge}>
          Merge…
        </button>
      </div>
      <div className="sibling-columns" style={{ gridTemplateColumns: `repeat(${siblings.length}, minmax(320px, 1fr))` }}>
        {siblings.map((sibling, index) => (
          <section key={sibling.version.id} className="sibling-column" data-testid="sibling-column" aria-label={`Version ${sibling.version.number}`}>
            <header className="sibling-column-head">
              <strong>
                v{sibling.version.number}
                {index === 0 && <span className="muted"> · newest</span>}
              </strong>
              <span>
                {sibling.version.authorId} · {localTime(sibling.version.createdAt)}
              </span>
              <span className={sibling.version.note ? 'version-note' : 'version-note muted'}>{sibling.version.note || 'No note'}</span>
            </header>
            <SourceWithChanges source={sibling.version.source} others={sources.filter((_, k) => k !== index)} testId="sibling-source" />
          </section>
        ))}
      </div>
    </div>
  );
}
