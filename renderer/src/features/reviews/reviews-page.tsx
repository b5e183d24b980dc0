// The reviewer's page: every resolved incident's post-incident review (state, due date, late or
// not, open action items), and the action items of all incidents with filters (status, owner,
// overdue only), overdue ones flagged, their status changed in place and a link to the incident.
import { useEffect, useState } from 'react';
import type { ActionStatus, ReviewSummary } from '@shared/domain/review';
import { actionStatuses, defaultReviewDueHours } from '@shared/domain/review';
import type { Severity } from '@shared/domain/incident';
import { useEngineQuery } from '../../data/use-engine-query';
import { localTime, utcTime } from '../../lib/time';
import { useStore } from '../../store';
import { SeverityBadge } from '../incidents/severity-badge';
import { DataTable, LinkRow } from '../shell/data-table';
import { PageHeader } from '../shell/page-header';
import { ActionItemsTable } from './action-items';
import { actionStatusLabels, dueText, reviewStateLabels } from './labels';
import './reviews.css';

export function ReviewsPage() {
  // Read again a moment after any incident changes (data/invalidation.ts).
  const reviews = useEngineQuery('reviews.list', {});
  const late = reviews.value?.filter((r) => r.isLate).length ?? 0;
  return (
    <>
      <PageHeader
        title="Reviews"
        subtitle={
          reviews.value
            ? `${reviews.value.length} incident${reviews.value.length === 1 ? '' : 's'} to review · ${late} late`
            : 'Post-incident reviews and the action items that came out of them.'
        }
      />
      <section className="panel reviews-section" aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Post-incident reviews</h2>
        {reviews.error && (
          <p className="form-error" role="alert" data-testid="reviews-error">
            Could not read the reviews: {reviews.error}
          </p>
        )}
        {reviews.value === null ? (
          !reviews.error && <p className="muted">Reading the reviews…</p>
        ) : reviews.value.length === 0 ? (
          <p className="muted" data-testid="reviews-empty">
            No incident to review yet. Once an incident is resolved its review is due {defaultReviewDueHours} hours later, and shows here.
          </p>
        ) : (
          <ReviewTable reviews={reviews.value} />
        )}
      </section>
      <ActionItemsSection />
    </>
  );
}

function ReviewTable({ reviews }: { reviews: ReviewSummary[] }) {
  const openIncident = useStore((s) => s.openIncident);
  const open = (id: string) => openIncident(id, 'review');
  return (
    <DataTable className="review-table" testId="review-table" columns={['Severity', 'Incident', 'Resolved', 'Review', 'Due', { head: 'Open actions', className: 'num' }]}>
      {reviews.map((r) => (
        <LinkRow
          key={r.incidentId}
          className={r.isLate ? 'is-late' : undefined}
          data-testid="review-row"
          data-incident={r.incidentId}
          data-late={r.isLate}
          onOpen={() => open(r.incidentId)}
        >
          <td>
            <SeverityBadge severity={r.severity as Severity} />
          </td>
          <td>
            <div className="incident-title">
              {r.isDrill && <span className="drill-badge">DRILL</span>} {r.incidentTitle}
            </div>
          </td>
          <td>{r.resolvedAt === null ? <span className="muted">not yet</span> : <span title={utcTime(r.resolvedAt)}>{localTime(r.resolvedAt)}</span>}</td>
          <td>
            <span className={`state-badge review-state-badge review-state-${r.state}`} data-testid="review-row-state">
              {reviewStateLabels[r.state]}
            </span>
          </td>
          <td>
            {r.dueAt === null ? <span className="muted">—</span> : <span title={utcTime(r.dueAt)}>{dueText(r.dueAt)}</span>}
            {r.isLate && (
              <span className="state-badge late-badge" data-testid="review-row-late">
                Late
              </span>
            )}
          </td>
          <td className="num mono" data-testid="review-row-actions">
            {r.openActions}
          </td>
        </LinkRow>
      ))}
    </DataTable>
  );
}

function ActionItemsSection() {
  const [status, setStatus] = useState<ActionStatus | ''>('open');
  const [owner, setOwner] = useState('');
  const [isOverdueOnly, setOverdueOnly] = useState(false);
  const ownerId = owner.trim();
  // The last filters' items stay shown while the new filters' are read.
  const actions = useEngineQuery('actions.list', { ...(status ? { status } : {}), ...(ownerId ? { ownerId } : {}), isOverdueOnly }, { keepPrevious: true });
  // Owners offered in the filter: everyone named on an item so far.
  const [owners, setOwners] = useState<string[]>([]);
  useEffect(() => {
    if (!actions.value) return;
    setOwners((known) => [...new Set([...known, ...actions.value!.flatMap((a) => (a.ownerId ? [a.ownerId] : []))])].sort());
  }, [actions.value]);
  const overdue = actions.value?.filter((a) => a.isOverdue).length ?? 0;

  return (
    <section className="panel reviews-section" aria-labelledby="actions-heading" data-testid="action-items">
      <h2 id="actions-heading">
        Action items across incidents
        {actions.value && (
          <span className="muted small" data-testid="action-count">
            {' '}
            · {actions.value.length} shown{overdue > 0 && `, ${overdue} overdue`}
          </span>
        )}
      </h2>
      <div className="action-filters" role="group" aria-label="Filter action items">
        <label>
          <span className="muted small">Status</span>
          <select className="compact-control" data-testid="filter-status" value={status} onChange={(e) => setStatus(e.target.value as ActionStatus | '')}>
            <option value="">Any</option>
            {actionStatuses.map((s) => (
              <option key={s} value={s}>
                {actionStatusLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="muted small">Owner</span>
          <input
            className="compact-control"
            data-testid="filter-owner"
            list="filter-owners"
            autoComplete="off"
            placeholder="anyone"
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
          />
          <datalist id="filter-owners">
            {owners.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </label>
        <label className="field-check">
          <input type="checkbox" data-testid="filter-overdue" checked={isOverdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          <span>Overdue only</span>
        </label>
      </div>
      {actions.error && (
        <p className="form-error" role="alert" data-testid="actions-error">
          Could not read the action items: {actions.error}
        </p>
      )}
      {actions.value === null ? (
        !actions.error && <p className="muted">Reading the action items…</p>
      ) : actions.value.length === 0 ? (
        <p className="muted" data-testid="actions-empty">
          No action item matches. Action items are added in an incident's review.
        </p>
      ) : (
        <ActionItemsTable items={actions.value} showIncident onChanged={actions.reload} />
      )}
    </section>
  );
}
