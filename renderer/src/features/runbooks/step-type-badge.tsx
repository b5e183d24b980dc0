// A runbook step's type as a badge, in the library and in the war room's run view. Its own module,
// so the war room does not load the Markdown parser that the step cards use.
import { stepTypeLabels } from '@shared/domain/runbook';
import type { StepType } from '@shared/domain/runbook-file';
import './runbooks.css';

export function StepTypeBadge({ type }: { type: StepType }) {
  return (
    <span className={`step-type step-type-${type}`} data-testid="step-type">
      {stepTypeLabels[type]}
    </span>
  );
}
