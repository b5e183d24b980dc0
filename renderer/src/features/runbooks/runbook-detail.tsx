// One runbook as the library holds it: its header (title, front matter, flags, which version this
// is), then its steps, its version history, or, when versions were saved at the same time offline,
// those versions side by side to merge. An older version opens read-only with a banner.
import { useMemo, useState } from 'react';
import type { RunbookDetail as Detail } from '@shared/domain/runbook';
import { parseRunbook } from '@shared/domain/runbook-format';
import { localTime, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { editDraft, mergeDraft, type EditorDraft } from './editor-draft';
import { Markdown } from './markdown';
import { MetaChips, plural, RunbookFlags } from './runbook-meta';
import { StepCards } from './runbook-steps';
import { SiblingCompare } from './sibling-compare';
import { VersionHistory } from './version-history';

type Tab = 'steps' | 'history' | 'compare';

interface RunbookDetailProps {
  detail: Detail;
  /** Opens a version to read; null opens the current one. */
  onOpenVersion: (versionId: string | null) => void;
  onEdit: (draft: EditorDraft) => void;
}

export function RunbookDetail({ detail, onOpenVersion, onEdit }: RunbookDetailProps) {
  const { summary, content, siblings, history } = detail;
  const version = content.version;
  const [tab, setTab] = useState<Tab>('steps');
  const archive = useAction();
  const isCurrent = version.id === summary.currentVersionId;
  const hasSiblings = siblings.length > 1;
  const shownTab: Tab = tab === 'compare' && !hasSiblings ? 'steps' : tab;
  // The front matter of the version being read (an older one may have had another title or owner).
  const meta = useMemo(() => {
    const parsed = parseRunbook(version.source);
    return parsed.ok ? parsed.runbook.meta : null;
  }, [version.source]);
  const current = history.find((v) => v.id === summary.currentVersionId);

  const setArchived = (isArchived: boolean) =>
    void archive.run(async () => {
      await client().call('runbooks.archive', { id: summary.id, isArchived });
    });

  const tabButton = (name: Tab, label: string) => (
    <button type="button" role="tab" className="tab" aria-selected={shownTab === name} data-testid={`tab-${name}`} onClick={() => setTab(name)}>
      {label}
    </button>
  );

  return (
    <article className="rb-detail" data-testid="runbook-detail" aria-label={meta?.title ?? summary.title}>
      <header className="lib-detail-head">
        <div className="lib-title-row">
          <h2 className="rb-detail-title" data-testid="runbook-title">
            {meta?.title ?? summary.title}
          </h2>
          <div className="lib-actions">
            <button type="button" className="button" data-testid="edit-runbook" onClick={() => onEdit(editDraft(detail))}>
              {isCurrent ? 'Edit' : `Edit v${version.number}`}
            </button>
            <button
              type="button"
              className="button"
              data-testid="archive-runbook"
              disabled={archive.isBusy}
              onClick={() => setArchived(!summary.isArchived)}
              title={summary.isArchived ? 'Show it in the library again' : 'Hide it from the library and from suggestions; its versions are kept'}
            >
              {summary.isArchived ? 'Restore' : 'Archive'}
            </button>
          </div>
        </div>
        <p className="rb-version" data-testid="runbook-version">
          <strong>
            v{version.number} of {summary.versionCount}
          </strong>{' '}
          · saved by {version.authorId}{' '}
          <time dateTime={new Date(version.createdAt).toISOString()} title={utcTime(version.createdAt)}>
            {localTime(version.createdAt)}
          </time>
          {version.note && <span className="rb-version-note"> · “{version.note}”</span>}
        </p>
        <MetaChips meta={meta ?? summary} />
        <p className="lib-facts">
          {(meta?.owner ?? summary.owner) && <span>Owner: {meta?.owner ?? summary.owner}</span>}
          {(meta?.reviewBy ?? summary.reviewBy) && <span>Review by {meta?.reviewBy ?? summary.reviewBy}</span>}
          <span className="mono">{summary.id}</span>
        </p>
        <RunbookFlags summary={summary} />
      </header>

      {archive.error && (
        <p className="form-error" role="alert" data-testid="archive-error">
          {archive.error}
        </p>
      )}
      {!isCurrent && (
        <div className="banner rb-banner rb-banner-old" role="status" data-testid="old-version-banner">
          <span>
            <strong>You are reading version {version.number} (not current).</strong> The current version is v{current?.number ?? '?'}; this one is read-only.
          </span>
          <button type="button" className="button button-small" data-testid="back-to-current" onClick={() => onOpenVersion(null)}>
            Back to the current version
          </button>
        </div>
      )}
      {hasSiblings && (
        <div className="banner rb-banner rb-banner-siblings" role="status" data-testid="siblings-banner">
          <span>
            <strong>{siblings.length} versions were saved at the same time offline.</strong> Each was edited from the same earlier version; compare them and merge them
            into one.
          </span>
          <span className="rb-banner-actions">
            <button type="button" className="button button-small" data-testid="compare-siblings" onClick={() => setTab('compare')}>
              Compare
            </button>
            <button type="button" className="button button-small button-primary" data-testid="merge-siblings-banner" onClick={() => onEdit(mergeDraft(detail))}>
              Merge…
            </button>
          </span>
        </div>
      )}
      {content.errors.length > 0 && (
        <div className="banner banner-bad" role="alert" data-testid="content-errors">
          This version cannot be read by this Holdfast ({content.errors.join('; ')}). Its text is below.
          <pre className="sibling-source">{version.source}</pre>
        </div>
      )}

      <div className="tabs" role="tablist" aria-label="Runbook views">
        {tabButton('steps', plural(content.steps.length, 'step'))}
        {tabButton('history', `History (${history.length})`)}
        {hasSiblings && tabButton('compare', `Compare ${siblings.length} versions`)}
      </div>

      <div role="tabpanel" className="rb-tab-panel">
        {shownTab === 'steps' && (
          <>
            {content.intro && (
              <div className="rb-intro" data-testid="runbook-intro">
                <Markdown text={content.intro} />
              </div>
            )}
            <StepCards steps={content.steps} />
          </>
        )}
        {shownTab === 'history' && (
          <VersionHistory
            detail={detail}
            onOpen={(versionId) => {
              setTab('steps');
              onOpenVersion(versionId === summary.currentVersionId ? null : versionId);
            }}
          />
        )}
        {shownTab === 'compare' && <SiblingCompare siblings={siblings} onMerge={() => onEdit(mergeDraft(detail))} />}
      </div>
    </article>
  );
}
