// A runbook's steps as numbered cards, the same in the library and in the editor's preview: the
// step's type as a badge, its title, its body as Markdown (commands with their copy button), a
// decision's branches with the step each leads to, and a recovery action marked as the step that
// changes production.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { RunbookStep } from '@shared/domain/runbook-format';
import { InlineMarkdown } from './inline-markdown';
import { Markdown } from './markdown';
import { StepTypeBadge } from './step-type-badge';
import './runbooks.css';

export { StepTypeBadge };

/**
 * A decision's body without its list of branches (the first list in it), which the card shows as
 * structured rows instead; the prose around the list stays.
 */
function withoutBranchList(body: string): string {
  const root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const list = root.children.find((node) => node.type === 'list');
  const start = list?.position?.start.offset;
  const end = list?.position?.end.offset;
  if (start === undefined || end === undefined) return body;
  return `${body.slice(0, start).trimEnd()}\n\n${body.slice(end).trimStart()}`.trim();
}

/** Brings a step's card into view (a decision's "→ step N"). */
function showStep(scope: string, number: number) {
  const card = document.getElementById(`${scope}-step-${number}`);
  card?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  card?.focus({ preventScroll: true });
}

function StepCard({ step, scope }: { step: RunbookStep; scope: string }) {
  const body = step.type === 'decision' && step.branches.length > 0 ? withoutBranchList(step.body) : step.body;
  return (
    <li className={`step-card step-card-${step.type}`} data-testid="runbook-step" id={`${scope}-step-${step.number}`} tabIndex={-1}>
      <div className="step-head">
        <span className="step-number" aria-label={`Step ${step.number}`}>
          {step.number}
        </span>
        <StepTypeBadge type={step.type} />
        <h3 className="step-title" data-testid="step-title">
          <InlineMarkdown text={step.title} />
        </h3>
      </div>
      {step.type === 'recovery' && (
        <p className="step-warning" data-testid="step-recovery-warning">
          Changes production. Capture evidence first and say it in the war room before you do it.
        </p>
      )}
      {body && (
        <div className="step-body">
          <Markdown text={body} compact />
        </div>
      )}
      {step.branches.length > 0 && (
        <ul className="step-branches" data-testid="step-branches" aria-label={`Branches of step ${step.number}`}>
          {step.branches.map((branch) => (
            <li key={branch.name} className="step-branch" data-testid="step-branch">
              <span className="branch-name">{branch.name}</span>
              <span className="branch-text">{branch.text && <InlineMarkdown text={branch.text} />}</span>
              {branch.goTo !== null && (
                <button type="button" className="branch-goto" data-testid="branch-goto" onClick={() => showStep(scope, branch.goTo as number)}>
                  → step {branch.goTo}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** `scope` keeps card ids apart when two lists of steps are on screen (the page and a preview). */
export function StepCards({ steps, scope = 'runbook' }: { steps: RunbookStep[]; scope?: string }) {
  return (
    <ol className="step-list" data-testid="runbook-steps">
      {steps.map((step) => (
        <StepCard key={step.number} step={step} scope={scope} />
      ))}
    </ol>
  );
}
