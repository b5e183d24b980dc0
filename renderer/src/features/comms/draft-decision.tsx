// Under a draft's preview: its approval (request it, or approve or reject it as someone other than
// the author, with the decision and comment shown to everyone), then publishing: refused with the
// engine's reason while something is missing, and, when the lint found something, one more click
// ("Publish anyway") that says the author read the findings. A click saves what was typed first and
// always leads somewhere: published, the question, or the reason it cannot go. Discarding asks first.
import { useEffect, useState } from 'react';
import type { UpdateDraft } from '@shared/domain/comms-api';
import type { LintFinding } from '@shared/domain/comms';
import { localClock, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useMayWrite } from '../../lib/use-may-write';
import { useStore } from '../../store';
import { decide, discard, publishClicked, requestApproval } from './comms-actions';
import { useCommsView } from './comms-view-store';

export function DraftDecision({ draft, approver, findings, isDirty }: { draft: UpdateDraft; approver: string | null; findings: LintFinding[]; isDirty: boolean }) {
  const me = useStore((s) => s.appInfo?.actorId ?? '');
  const { error, isBusy, run, clearError } = useAction();
  const [comment, setComment] = useState('');
  const [isConfirmingLint, setConfirmingLint] = useState(false);
  const [isConfirmingDiscard, setConfirmingDiscard] = useState(false);
  const isAuthor = draft.author === me;
  const mayPublish = useMayWrite('comms_published', { incidentId: '', updateId: '', audience: draft.audience, publishedAt: 0 });
  const isAwaiting = draft.state === 'awaiting-approval';
  const mayAskApproval = draft.needsApproval && (draft.state === 'draft' || draft.state === 'rejected' || (draft.state === 'approved' && !draft.isApproved));
  // A finding fixed meanwhile: the question goes with it.
  useEffect(() => {
    if (findings.length === 0) setConfirmingLint(false);
  }, [findings.length]);

  const act = (what: () => Promise<unknown>) =>
    void run(async () => {
      await what();
    });
  // What was typed is saved first and the findings are those of the saved text: a click made while
  // an autosave is pending asks about the findings that will go out, and the question stays open.
  const onPublish = (acknowledgeLint: boolean) =>
    act(async () => {
      const outcome = await publishClicked(draft.id, acknowledgeLint);
      if (outcome === 'confirm') {
        setConfirmingLint(true);
        return;
      }
      setConfirmingLint(false);
      useCommsView.getState().show(draft.audience, 'history');
    });

  return (
    <div className="draft-decision">
      {draft.needsApproval && (
        <section className={`approval approval-${draft.state}`} aria-label="Approval" data-testid="approval" data-state={draft.state}>
          <h3 className="composer-subhead">Approval</h3>
          <p className="approval-status small" data-testid="approval-status">
            {draft.state === 'draft' && 'Needs a second person’s approval before it goes out.'}
            {isAwaiting && (
              <>
                Awaiting approval{draft.approver ? ` from ${draft.approver}` : ''}
                {draft.requestedAt !== null && <span title={utcTime(draft.requestedAt)}> since {localClock(draft.requestedAt)}</span>}.
              </>
            )}
            {draft.state === 'approved' &&
              (draft.isApproved ? (
                <>
                  ✓ Approved by <strong>{draft.decidedBy}</strong>
                  {draft.decidedAt !== null && <span title={utcTime(draft.decidedAt)}> at {localClock(draft.decidedAt)}</span>}.
                </>
              ) : (
                <>Approved by {draft.decidedBy}, but changed since: ask again.</>
              ))}
            {draft.state === 'rejected' && (
              <>
                ✗ Rejected by <strong>{draft.decidedBy}</strong>
                {draft.decidedAt !== null && <span title={utcTime(draft.decidedAt)}> at {localClock(draft.decidedAt)}</span>}:
              </>
            )}
          </p>
          {draft.decisionComment && (draft.state === 'rejected' || draft.state === 'approved') && (
            <blockquote className="decision-comment" data-testid="decision-comment">
              {draft.decisionComment}
            </blockquote>
          )}
          {draft.decisionComment && draft.state === 'draft' && draft.decidedBy && (
            // Changed since the decision: what the approver said stays in view while it is fixed.
            <blockquote className="decision-comment is-earlier" data-testid="decision-comment">
              <span className="muted small">{draft.decidedBy} said before: </span>
              {draft.decisionComment}
            </blockquote>
          )}
          {mayAskApproval && (
            <button
              type="button"
              className="button button-small"
              data-testid="request-approval"
              disabled={isBusy}
              onClick={() => act(() => requestApproval(draft, approver))}
            >
              {draft.state === 'rejected' || draft.state === 'approved' ? 'Ask for approval again' : 'Request approval'}
              {approver ? ` from ${approver}` : ''}
            </button>
          )}
          {isAwaiting && !isAuthor && (
            <div className="approve-form" data-testid="approve-form">
              <label className="field composer-field">
                <span>Comment (required to reject: say what to change)</span>
                <textarea rows={2} data-testid="decision-input" value={comment} onChange={(e) => setComment(e.target.value)} />
              </label>
              <div className="approve-buttons">
                <button
                  type="button"
                  className="button button-small button-primary"
                  data-testid="approve"
                  disabled={isBusy || isDirty}
                  onClick={() => act(() => decide(draft, 'approve', comment.trim()))}
                >
                  Approve
                </button>
                <button
                  type="button"
                  className="button button-small button-danger"
                  data-testid="reject"
                  disabled={isBusy || isDirty || comment.trim() === ''}
                  title={comment.trim() === '' ? 'Say why, so the author can fix it' : undefined}
                  onClick={() => act(() => decide(draft, 'reject', comment.trim()))}
                >
                  Reject
                </button>
              </div>
            </div>
          )}
          {isAwaiting && isAuthor && (
            <p className="muted small">You wrote it, so someone else approves it: the incident commander, the deputy or a named approver, from their Holdfast.</p>
          )}
        </section>
      )}
      <section className="publish" aria-label="Publish" data-testid="publish-box">
        {draft.publishRefusal && (
          <p className="publish-refusal small" data-testid="publish-refusal">
            {draft.publishRefusal}
          </p>
        )}
        {isConfirmingLint && findings.length > 0 && (
          <div className="publish-confirm" role="alertdialog" aria-label="Publish with findings?" data-testid="publish-confirm">
            <p className="small">
              <strong>
                {findings.length} finding{findings.length === 1 ? '' : 's'}
              </strong>{' '}
              above would go out as written. Fix them, or publish anyway: the update records that you read them.
            </p>
            <div className="approve-buttons">
              <button
                type="button"
                className="button button-small button-danger"
                data-testid="publish-anyway"
                disabled={isBusy || !mayPublish.may}
                autoFocus
                onClick={() => onPublish(true)}
              >
                Publish anyway
              </button>
              <button type="button" className="button button-small" data-testid="publish-keep-editing" onClick={() => setConfirmingLint(false)}>
                Keep editing
              </button>
            </div>
          </div>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="comms-error">
            {error}
            <button type="button" className="link-button small" onClick={clearError}>
              {' '}
              dismiss
            </button>
          </p>
        )}
        {isConfirmingDiscard ? (
          <div className="publish-confirm confirm-discard" role="alertdialog" aria-label="Discard this draft?" data-testid="discard-confirm">
            <span className="confirm-question small">Discard this draft? It was never sent; nobody will see it.</span>
            <button type="button" className="button button-small" data-testid="discard-keep" autoFocus onClick={() => setConfirmingDiscard(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="discard-confirmed"
              disabled={isBusy}
              onClick={() => act(() => discard(draft))}
            >
              Discard draft
            </button>
          </div>
        ) : (
          <div className="publish-buttons">
            <button
              type="button"
              className="button button-primary"
              data-testid="publish"
              disabled={isBusy || (draft.publishRefusal !== null && !isDirty) || isConfirmingLint || !mayPublish.may}
              title={mayPublish.why ?? draft.publishRefusal ?? undefined}
              onClick={() => onPublish(false)}
            >
              Publish
            </button>
            <button type="button" className="button button-small" data-testid="discard" disabled={isBusy} onClick={() => setConfirmingDiscard(true)}>
              Discard…
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
