// Severity as a colour-coded badge that also reads without colour.
import { severityMeaning, type Severity } from '@shared/domain/incident';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`sev sev-${severity.toLowerCase()}`} title={severityMeaning[severity]}>
      {severity}
    </span>
  );
}
