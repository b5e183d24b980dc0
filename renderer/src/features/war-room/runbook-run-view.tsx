// One runbook execution in a drawer over the war room's side column, the timeline still in view:
// every step in order with its type, text and what was done with it (who, when, the note or the
// branch taken), the next step marked, buttons for the people assigned, and the deviations from
// the runbook (skipped, failed, out of order) at the end for the review. Everyone else reads it.
// A recovery action lists the required evidence still missing, and is only done before it with a
// reason (the evidence gate).
import { useEffect, useRef, useState } from 'react';
import type { EvidenceGate } from '@shared/domain/evidence';
import type { WarRoom } from '@shared/domain/incident';
import type { Deviation, RunbookRun, RunStepView, StepState } from '@shared/domain/runbook';
import { localClock, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { useEvidence, useRunbooks } from './war-room-queries';
import { InlineMarkdown } from '../runbooks/inline-markdown';
import { Markdown } from '../runbooks/markdown';
import { StepTypeBadge } from '../runbooks/step-type-badge';
import { assignDialog, assignRun, canSteer, failDialog, nextStep, overrideDialog, setStep, skipDialog, stopDialog } from './runbook-actions';
import { usePeople } from './use-people';
import './runbook-run.css';
import './evidence.css';

const stateLabels: Record<StepState, string> = { pending: 'to do', done: 'done', skipped: 'skipped', failed: 'failed' };
const deviationLabels: Record<Deviation['kind'], string> = {
  skipped: 'Skipped',
  failed: 'Failed',
  'out-of-order': 'Out of order',
  'evidence-gate': 'Evidence gate overridden',
};
const noneMissing: EvidenceGate['missing'] = [];

export function RunbookRunView({ room, me }: { room: WarRoom; me: string }) {
  const openRunId = useStore((s) => s.openRunId);
  const run = useRunbooks(room.incident.id).runs.find((r) => r.id === openRunId);
  const setOpenRun = useStore((s) => s.setOpenRun);

  // Escape closes the drawer, unless it is closing a dialog opened over it.
  useEffect(() => {
    if (!openRunId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) setOpenRun(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openRunId, setOpenRun]);

  if (!openRunId || !run) return null;
  return <RunDrawer key={run.id} run={run} room={room} me={me} onClose={() => setOpenRun(null)} />;
}

function RunDrawer({ run, room, me, onClose }: { run: RunbookRun; room: WarRoom; me: string; onClose: () => void }) {
  const openDialog = useStore((s) => s.openDialog);
  const evidence = useEvidence(room.incident.id).value;
  const missing = evidence?.gate.missing ?? noneMissing;
  const hasEvidence = (evidence?.artifacts.length ?? 0) > 0;
  const setOpenArtifact = useStore((s) => s.setOpenArtifact);
  const people = usePeople();
  const { error, isBusy, run: act } = useAction();
  /** The step whose button failed: the engine's message is shown there. */
  const [errorStep, setErrorStep] = useState<number | null>(null);
  const body = useRef<HTMLDivElement>(null);
  // A completed run stays open to notes and reopened steps (reopening makes it active again).
  const isActive = run.status !== 'stopped';
  const isAssignee = run.assignees.includes(me);
  const canEdit = isActive && isAssignee;
  const mayAssign = isActive && canSteer(run, room, me);
  const next = nextStep(run);
  const { settled, total } = run.progress;

  // Opening a run, and settling a step, bring the next step into view with a little of what led to it.
  useEffect(() => {
    const box = body.current;
    const element = box?.querySelector<HTMLElement>('.run-step.is-next');
    if (!box || !element) return;
    const top = element.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (top < 0 || top > box.clientHeight * 0.6) box.scrollBy({ top: top - box.clientHeight * 0.3 });
  }, [next?.number]);

  const change = (step: RunStepView, state: StepState, branch?: string) => {
    setErrorStep(step.number);
    void act(async () => {
      await setStep(run, step.number, state, '', branch);
    });
  };
  const addMe = () => {
    setErrorStep(null);
    void act(async () => {
      await assignRun(run, [...run.assignees, me]);
    });
  };

  return (
    <aside className="run-drawer" role="complementary" aria-labelledby="run-title" data-testid="run-drawer" data-run={run.id}>
      <header className="run-drawer-head">
        <div className="run-drawer-title-row">
          <h2 id="run-title" data-testid="run-title">
            {run.title}
          </h2>
          <span className="run-version mono small" data-testid="run-version">
            v{run.versionNumber}
          </span>
          {!run.isVersionCurrent && (
            <span className="run-newer small" data-testid="run-newer" title="This execution follows the version it started with; the library has a newer one.">
              newer version exists
            </span>
          )}
          <button type="button" className="icon-button run-close" aria-label="Close the runbook" title="Close (Esc)" data-testid="run-close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div
          className="run-progress run-progress-wide"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={settled}
          aria-label={`${settled} of ${total} steps settled`}
        >
          <span style={{ width: `${total === 0 ? 0 : Math.round((settled / total) * 100)}%` }} />
        </div>
        <div className="run-drawer-meta small">
          <span>
            <strong data-testid="run-progress">
              {settled} of {total} steps settled
            </strong>
            <span className="muted">
              {' '}
              · started by {run.startedBy} at <span title={utcTime(run.startedAt)}>{localClock(run.startedAt)}</span> · assigned:{' '}
            </span>
            <strong data-testid="run-assignees">{run.assignees.join(', ')}</strong>
          </span>
          <span className="run-drawer-buttons">
            {mayAssign && (
              <button type="button" className="button button-small" data-testid="run-assign" onClick={() => openDialog(assignDialog(run, people))}>
                Assign people…
              </button>
            )}
            {mayAssign && (
              <button type="button" className="button button-small button-danger" data-testid="run-stop" onClick={() => openDialog(stopDialog(run))}>
                Stop…
              </button>
            )}
          </span>
        </div>
        {run.status === 'completed' && (
          <p className="run-completed small" role="status" data-testid="run-completed">
            Completed: every step is settled.
          </p>
        )}
        {!isActive && (
          <p className="run-stopped small" role="status" data-testid="run-stopped">
            Stopped: {run.stopReason}. Its steps can no longer be changed; start the runbook again to go on.
          </p>
        )}
        {isActive && !isAssignee && (
          <p className="run-readonly small" data-testid="run-readonly">
            You ({me || 'this replica'}) are not assigned to this runbook, so its steps are read-only here. Ask {run.assignees.join(' or ')} or the incident commander to
            add you.
            {mayAssign && (
              <button type="button" className="link-button small" data-testid="run-add-me" disabled={isBusy} onClick={addMe}>
                {' '}
                Add me
              </button>
            )}
          </p>
        )}
        {error && errorStep === null && (
          <p className="form-error" role="alert" data-testid="run-error">
            {error}
          </p>
        )}
      </header>
      <div className="run-drawer-body" ref={body}>
        <ol className="run-steps" data-testid="run-steps">
          {run.steps.map((step) => (
            <StepItem
              key={step.number}
              step={step}
              isNext={step.number === next?.number}
              canEdit={canEdit}
              isBusy={isBusy}
              error={errorStep === step.number ? error : null}
              onChange={(state, branch) => change(step, state, branch)}
              onDialog={(kind) => openDialog(kind === 'skip' ? skipDialog(run, step) : kind === 'fail' ? failDialog(run, step) : overrideDialog(run, step, missing))}
              missing={step.type === 'recovery' ? missing : noneMissing}
              hasEvidence={hasEvidence}
              onOpenArtifact={setOpenArtifact}
            />
          ))}
        </ol>
        <section className="run-deviations" aria-labelledby="deviations-heading" data-testid="run-deviations">
          <h3 id="deviations-heading">
            Deviations <span className="muted small">{run.deviations.length === 0 ? 'none so far' : run.deviations.length}</span>
          </h3>
          {run.deviations.length > 0 && (
            <ul>
              {run.deviations.map((d) => (
                <li key={`${d.step}-${d.kind}`} className={`run-deviation deviation-${d.kind}`} data-testid="run-deviation" data-kind={d.kind} data-step={d.step}>
                  <span className="deviation-kind">{deviationLabels[d.kind]}</span> step {d.step} “{d.stepTitle}”
                  {d.kind !== 'out-of-order' && d.note && <span data-testid="deviation-note">: {d.note}</span>}
                  <span className="muted small">
                    {d.by && ` — ${d.by}`}
                    {d.at !== null && <span title={utcTime(d.at)}> {localClock(d.at)}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </aside>
  );
}

function StepItem(props: {
  step: RunStepView;
  isNext: boolean;
  canEdit: boolean;
  isBusy: boolean;
  error: string | null;
  onChange: (state: StepState, branch?: string) => void;
  onDialog: (kind: 'skip' | 'fail' | 'override') => void;
  /** For a recovery action: required evidence neither collected nor waived. */
  missing: EvidenceGate['missing'];
  hasEvidence: boolean;
  onOpenArtifact: (artifactId: string) => void;
}) {
  const { step, isNext, canEdit, isBusy, error, onChange, onDialog, missing, hasEvidence, onOpenArtifact } = props;
  const isGated = step.type === 'recovery' && missing.length > 0;
  const isSettled = step.state !== 'pending';
  const isPassedOver = step.isBypassed && !isSettled;
  // The next step is open to read; the others fold to their title (open any to read ahead).
  const [isExpanded, setExpanded] = useState(isNext);
  useEffect(() => setExpanded(isNext), [isNext]);
  const decider = step.bypassedBy;
  const taken = step.branch ? step.branches.find((b) => b.name === step.branch) : undefined;
  const classes = [
    'run-step',
    `step-${step.state}`,
    `type-${step.type}`,
    isNext ? 'is-next' : '',
    step.isBypassed ? 'is-bypassed' : '',
    step.isOutOfOrder ? 'is-out-of-order' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <li className={classes} data-testid="run-step" data-step={step.number} data-state={step.state} aria-current={isNext ? 'step' : undefined}>
      <div className="run-step-head">
        <span className="run-step-number" aria-label={`Step ${step.number}`}>
          {step.number}
        </span>
        <StepTypeBadge type={step.type} />
        <div className="run-step-title" data-testid="step-title">
          <InlineMarkdown text={step.title} />
        </div>
        {step.isOutOfOrder && (
          <span className="state-badge step-flag" data-testid="step-out-of-order" title="Done while an earlier step on the path was still open">
            out of order
          </span>
        )}
        {isNext ? (
          <span className="state-badge step-next-badge" data-testid="step-state">
            next
          </span>
        ) : (
          <span className={`state-badge step-state step-state-${isPassedOver ? 'bypassed' : step.state}`} data-testid="step-state">
            {isPassedOver ? 'not on this path' : step.state === 'done' && step.branch ? `decided: ${step.branch}` : stateLabels[step.state]}
          </span>
        )}
        <button
          type="button"
          className="icon-button run-step-toggle"
          aria-expanded={isExpanded}
          aria-label={isExpanded ? `Fold step ${step.number}` : `Show step ${step.number}`}
          title={isExpanded ? 'Fold this step' : 'Show this step'}
          data-testid="step-toggle"
          disabled={!step.body && step.type !== 'recovery'}
          onClick={() => setExpanded(!isExpanded)}
        >
          {isExpanded ? '▾' : '▸'}
        </button>
      </div>
      {isPassedOver && (
        <p className="run-step-record muted small" data-testid="step-bypassed">
          Passed over{decider ? `: ${decider.isDecision ? 'the decision at step' : 'step'} ${decider.step} went to step ${decider.goTo}` : ''}.
        </p>
      )}
      {isSettled && (
        <div className="run-step-record-row">
          <p className="run-step-record small" data-testid="step-record">
            {stateLabels[step.state]}
            {step.by && ` by ${step.by}`}
            {step.at !== null && (
              <>
                {' at '}
                <span title={utcTime(step.at)}>{localClock(step.at)}</span>
              </>
            )}
            {taken && (
              <span data-testid="step-branch-taken">
                {' '}
                — branch <strong>{taken.name}</strong>
                {taken.goTo !== null && ` → step ${taken.goTo}`}
              </span>
            )}
            {step.note && <span data-testid="step-note">: {step.note}</span>}
          </p>
          {canEdit && (
            <button type="button" className="link-button run-step-reopen" data-testid="step-reopen" disabled={isBusy} onClick={() => onChange('pending')}>
              Reopen
            </button>
          )}
        </div>
      )}
      {isExpanded && (
        <div className="run-step-body" data-testid="step-body">
          {step.type === 'recovery' && (
            <p className="run-recovery-note small" data-testid="step-recovery">
              Recovery action: this changes production. Say on the timeline what you saw before doing it.
            </p>
          )}
          <Markdown text={step.body} compact />
        </div>
      )}
      {step.type === 'recovery' && !isSettled && !isPassedOver && isGated && (
        <div className="run-evidence-gate" role="note" data-testid="step-evidence-gate">
          <strong>
            Evidence first: {missing.length} required artifact{missing.length === 1 ? '' : 's'} not collected or waived
          </strong>
          {/* Listed where it is read (the next step, or one opened); the other steps just say so. */}
          {isExpanded && (
            <ul>
              {missing.map((m) => (
                <li key={m.id} data-testid="step-missing-artifact" data-artifact={m.id}>
                  <button type="button" className="link-button" title="Open the artifact" onClick={() => onOpenArtifact(m.id)}>
                    {m.artifactType}
                    {m.asset && ` · ${m.asset}`}: {m.what}
                  </button>{' '}
                  <span className="muted small">({m.state})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {step.type === 'recovery' && !isSettled && !isPassedOver && !isGated && hasEvidence && (
        <p className="run-evidence-clear small" data-testid="step-evidence-clear">
          ✓ Required evidence collected or waived
        </p>
      )}
      {canEdit && !isSettled && !isPassedOver && (
        <div className="run-step-actions">
          {step.type === 'decision' && (
            <>
              <span className="muted small">Answer:</span>
              {step.branches.map((branch) => (
                <button
                  key={branch.name}
                  type="button"
                  className={`button button-small${isNext ? ' button-primary' : ''}`}
                  data-testid="step-branch"
                  data-branch={branch.name}
                  title={[branch.text, branch.goTo === null ? '' : `→ step ${branch.goTo}`].filter(Boolean).join(' ')}
                  disabled={isBusy}
                  onClick={() => onChange('done', branch.name)}
                >
                  {branch.name}
                  {branch.goTo !== null && <span className="branch-goto"> → {branch.goTo}</span>}
                </button>
              ))}
            </>
          )}
          {step.type !== 'decision' && !isGated && (
            <button
              type="button"
              className={`button button-small${isNext ? ' button-primary' : ''}`}
              data-testid="step-done"
              disabled={isBusy}
              onClick={() => onChange('done')}
            >
              Done
            </button>
          )}
          {isGated && (
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="step-done-anyway"
              title="Required evidence is missing: say why this cannot wait"
              disabled={isBusy}
              onClick={() => onDialog('override')}
            >
              Done anyway…
            </button>
          )}
          <button type="button" className="button button-small" data-testid="step-skip" disabled={isBusy} onClick={() => onDialog('skip')}>
            Skip…
          </button>
          <button type="button" className="button button-small" data-testid="step-fail" disabled={isBusy} onClick={() => onDialog('fail')}>
            Failed…
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="step-error">
          {error}
        </p>
      )}
    </li>
  );
}
