// An incident's lifecycle status as a label.
import type { IncidentStatus } from '@shared/domain/incident';

const names: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export function StatusLabel({ status }: { status: IncidentStatus }) {
  return <span className={`status status-${status}`}>{names[status]}</span>;
}
