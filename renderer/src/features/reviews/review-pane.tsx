// The post-incident review in the war room (its third pane): generated from the record as a
// Markdown draft, then edited with a live preview; the contributing factors that apply (conditions,
// never people), its state from draft through review to published, when it is due (late when past
// due and not published) and the incident's action items. Saved as typed (autosave a moment after
// the last keystroke, or Ctrl/Cmd+S). The incident's reports are exported from its top bar.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { format } from 'date-fns';
import type { WarRoom } from '@shared/domain/incident';
import {
  contributingFactorKeys,
  contributingFactorLabels,
  contributingFactors,
  defaultReviewDueHours,
  reviewStates,
  type ContributingFactor,
  type Review,
  type ReportKind,
  type ReviewState,
} from '@shared/domain/review';
import { fromLocalInput, toLocalInput, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { Markdown } from '../runbooks/markdown';
import { usePeople } from '../war-room/use-people';
import { ActionItemsTable, AddActionForm } from './action-items';
import { KnowledgePanel } from './knowledge-panel';
import { dueText, reviewStateLabels } from './labels';
import { desktopPrinter, downloadReport, printReport, reportLabels } from './reports';
import { generateReview, loadReview, pendingEdits, saveReview, useIncidentReview, useReviewView, withEdits } from './review-store';
import './reviews.css';

const autosaveMs = 1000;

export function ReviewPane({ room }: { room: WarRoom }) {
  const incidentId = room.incident.id;
  const forIncident = useReviewView((s) => s.forIncident);
  // Read again when the incident changes (data/invalidation.ts).
  const { review, actions, loadError } = useIncidentReview(incidentId);
  const people = usePeople();

  useEffect(() => {
    forIncident(incidentId);
    return () => {
      // Leaving the pane (the timeline, another view) saves what was typed.
      void saveReview(incidentId).catch(() => undefined);
    };
  }, [incidentId, forIncident]);

  return (
    <section className="review-pane" aria-label="Post-incident review" data-testid="review-pane">
      <div className="review-top">
        <h2>Post-incident review</h2>
        <ReportExports incidentId={incidentId} />
      </div>
      {loadError && (
        <p className="form-error" role="alert" data-testid="review-load-error">
          The review could not be read: {loadError}
        </p>
      )}
      {review === undefined ? (
        !loadError && <p className="muted">Reading the review…</p>
      ) : review === null ? (
        <GenerateReview room={room} />
      ) : (
        <ReviewEditor review={review} />
      )}
      <section className="review-actions" aria-label="Action items" data-testid="review-action-items">
        <h3>
          Action items
          {actions && actions.length > 0 && (
            <span className="muted small">
              {' '}
              · {actions.filter((a) => a.status === 'open').length} open of {actions.length}
            </span>
          )}
        </h3>
        {actions && actions.length > 0 ? (
          <ActionItemsTable items={actions} showIncident={false} onChanged={() => loadReview(incidentId)} />
        ) : (
          actions && (
            <p className="muted small">
              No action items yet. Each says what will be done, by whom and by when, so this incident is less likely to happen again or hurts less.
            </p>
          )
        )}
        <AddActionForm incidentId={incidentId} people={people} onAdded={() => loadReview(incidentId)} />
      </section>
      <KnowledgePanel incidentId={incidentId} />
    </section>
  );
}

function GenerateReview({ room }: { room: WarRoom }) {
  const { error, isBusy, run } = useAction();
  const isResolved = room.incident.milestones.resolved !== null;
  return (
    <div className="review-empty" data-testid="review-empty">
      <p>
        No review yet. The draft is written from the record: the summary, milestone times and durations, pinned timeline entries, who held each role, runbook deviations,
        evidence and the updates sent, with headings for the story, the contributing factors, what went well and where we got lucky. Edit it from there.
      </p>
      <p className="muted small">
        {isResolved
          ? `It is due ${defaultReviewDueHours} hours after the incident was resolved.`
          : `The incident is not resolved yet: the review is due ${defaultReviewDueHours} hours after it is.`}
      </p>
      <button
        type="button"
        className="button button-primary"
        data-testid="review-generate"
        disabled={isBusy}
        onClick={() => void run(() => generateReview(room.incident.id))}
      >
        {isBusy ? 'Writing the draft…' : 'Generate review draft'}
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="review-generate-error">
          {error}
        </p>
      )}
    </div>
  );
}

function ReviewEditor({ review: saved }: { review: Review }) {
  const incidentId = saved.incidentId;
  const edits = useReviewView((s) => s.edits);
  const save = useReviewView((s) => s.save);
  const edit = useReviewView((s) => s.edit);
  const review = withEdits(saved, edits);
  const pending = pendingEdits(saved, edits);
  const isDirty = Object.keys(pending).length > 0;
  // A published review is the record: moved back to review to change it.
  const isPublished = saved.state === 'published';

  // Autosave a moment after the last change.
  useEffect(() => {
    if (!isDirty) return;
    const timer = setTimeout(() => void saveReview(incidentId).catch(() => undefined), autosaveMs);
    return () => clearTimeout(timer);
  }, [edits, isDirty, incidentId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void saveReview(incidentId).catch(() => undefined);
    }
  };
  const toggleFactor = (factor: ContributingFactor, isOn: boolean) => {
    const factors = isOn ? [...review.factors, factor] : review.factors.filter((f) => f !== factor);
    edit({ factors: contributingFactorKeys.filter((k) => factors.includes(k)) });
  };
  const statusText = save.isSaving ? 'Saving…' : isDirty ? 'Unsaved changes' : save.savedAt ? `Saved ${format(save.savedAt, 'HH:mm:ss')}` : 'Saved';

  return (
    <div className="review-editor" onKeyDown={onKeyDown} data-testid="review-editor" data-state={saved.state}>
      <div className="review-bar">
        <StatePicker review={saved} />
        <DueDate review={saved} />
        <span className="review-save">
          <span className={`muted small${isDirty ? ' is-unsaved' : ''}`} data-testid="review-save-status" data-dirty={isDirty}>
            {statusText}
          </span>
          <button
            type="button"
            className="button button-small"
            data-testid="review-save"
            disabled={!isDirty || save.isSaving}
            title="Save now (Ctrl+S); the review also saves as you type"
            onClick={() => void saveReview(incidentId).catch(() => undefined)}
          >
            Save
          </button>
        </span>
      </div>
      {save.error && (
        <p className="form-error" role="alert" data-testid="review-save-error">
          Not saved: {save.error}
        </p>
      )}
      {isPublished && (
        <p className="review-published small" data-testid="review-published">
          Published{saved.publishedAt !== null && ` ${format(saved.publishedAt, 'd MMM yyyy HH:mm')}`} by {saved.updatedBy}. Move it back to in review to change it.
        </p>
      )}
      <div className="review-columns">
        <label className="review-body">
          <span className="review-column-head">Markdown</span>
          <textarea data-testid="review-body" spellCheck readOnly={isPublished} value={review.body} onChange={(e) => edit({ body: e.target.value })} />
        </label>
        <div className="review-preview" role="region" tabIndex={0} aria-label="Preview" data-testid="review-preview">
          <span className="review-column-head">Preview</span>
          <div className="review-preview-body">
            <Markdown text={review.body} />
          </div>
        </div>
      </div>
      <fieldset className="review-factors" data-testid="review-factors">
        <legend>
          Contributing factors <span className="muted small">· conditions that made this possible or worse, never people</span>
        </legend>
        <div className="factor-grid">
          {contributingFactorKeys.map((factor) => (
            <label key={factor} className="factor" data-testid={`factor-${factor}`}>
              <input type="checkbox" disabled={isPublished} checked={review.factors.includes(factor)} onChange={(e) => toggleFactor(factor, e.target.checked)} />
              <span>
                <span className="factor-name">{contributingFactorLabels[factor]}</span>
                <span className="factor-description muted small">{contributingFactors[factor]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** Draft → In review → Published; any state may be chosen (a published review can go back to review). */
function StatePicker({ review }: { review: Review }) {
  const { error, isBusy, run } = useAction();
  const choose = (state: ReviewState) => {
    if (state !== review.state) void run(() => saveReview(review.incidentId, { state }));
  };
  return (
    <div className="review-state" role="group" aria-label="Review state" data-testid="review-state" data-state={review.state}>
      {reviewStates.map((state, index) => (
        <span key={state} className="review-state-step">
          {index > 0 && (
            <span className="muted" aria-hidden="true">
              →
            </span>
          )}
          <button
            type="button"
            className="chip"
            aria-pressed={review.state === state}
            data-testid={`review-state-${state}`}
            disabled={isBusy}
            onClick={() => choose(state)}
          >
            {reviewStateLabels[state]}
          </button>
        </span>
      ))}
      {error && (
        <span className="form-error small" role="alert" data-testid="review-state-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** When the review is due, late or not, and moving the date (a long weekend) or back to the default. */
function DueDate({ review }: { review: Review }) {
  const [value, setValue] = useState<string | null>(null);
  const { error, isBusy, run } = useAction();
  const move = (dueAt: number | null) =>
    void run(async () => {
      await saveReview(review.incidentId, { dueAt });
      setValue(null);
    });

  if (value !== null) {
    const ms = fromLocalInput(value);
    return (
      <form
        className="review-due review-due-form"
        data-testid="review-due-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ms !== null) move(ms);
        }}
      >
        <label>
          <span className="muted small">Due</span>{' '}
          <input
            type="datetime-local"
            step={60}
            className="compact-control"
            data-testid="review-due-input"
            value={value}
            autoFocus
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <button type="submit" className="button button-small button-primary" data-testid="review-due-set" disabled={ms === null || isBusy}>
          Set
        </button>
        <button
          type="button"
          className="button button-small"
          data-testid="review-due-default"
          disabled={isBusy}
          onClick={() => move(null)}
          title={`${defaultReviewDueHours} hours after resolution`}
        >
          Default
        </button>
        <button type="button" className="link-button small" onClick={() => setValue(null)}>
          cancel
        </button>
        {error && (
          <span className="form-error small" role="alert" data-testid="review-due-error">
            {error}
          </span>
        )}
      </form>
    );
  }
  return (
    <span className="review-due" data-testid="review-due">
      {review.dueAt === null ? (
        <span className="muted small" data-testid="review-due-text">
          Due {defaultReviewDueHours} h after resolution
        </span>
      ) : (
        <span className="small" title={utcTime(review.dueAt)} data-testid="review-due-text">
          Due {dueText(review.dueAt)}
        </span>
      )}
      {review.isLate && (
        <span className="state-badge late-badge" data-testid="review-late">
          Late
        </span>
      )}
      <button type="button" className="link-button small" data-testid="review-due-move" onClick={() => setValue(toLocalInput(review.dueAt ?? Date.now()).slice(0, 16))}>
        move
      </button>
    </span>
  );
}

/** The incident's reports: Markdown downloads, and the HTML printed (Save as PDF in the print dialog). */
export function ReportExports({ incidentId }: { incidentId: string }) {
  const { error, isBusy, run } = useAction();
  const kinds: ReportKind[] = ['incident', 'audit'];
  const isDesktop = useStore((s) => s.appInfo?.host === 'desktop') && desktopPrinter() !== null;
  const [savedPdf, setSavedPdf] = useState<string | null>(null);
  const pdf = (kind: ReportKind) =>
    void run(async () => {
      setSavedPdf(null);
      setSavedPdf(await printReport(incidentId, kind));
    });
  return (
    <div className="report-exports" data-testid="report-exports">
      {kinds.map((kind) => (
        <span key={kind} className="report-export">
          <span className="small">{reportLabels[kind]}</span>
          <button
            type="button"
            className="button button-small"
            data-testid={`report-${kind}-md`}
            disabled={isBusy}
            onClick={() => void run(() => downloadReport(incidentId, kind))}
            title="Download as Markdown"
          >
            Markdown
          </button>
          <button type="button" className="button button-small" data-testid={`report-${kind}-print`} disabled={isBusy} onClick={() => pdf(kind)}>
            {isDesktop ? 'Save as PDF' : 'Print / Save as PDF'}
          </button>
        </span>
      ))}
      {error && (
        <p className="form-error small" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
      {savedPdf && (
        <p className="muted small report-saved" role="status" data-testid="report-saved">
          Saved the PDF to <span className="mono">{savedPdf}</span>
        </p>
      )}
    </div>
  );
}
