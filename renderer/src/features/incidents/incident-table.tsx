// Incidents as a dense table: severity, title, status, when declared (local and UTC), elapsed.
import type { Incident } from '@shared/domain/incident';
import { elapsed, localTime, utcTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useStore } from '../../store';
import { DataTable, LinkRow } from '../shell/data-table';
import { SeverityBadge } from './severity-badge';
import { StatusLabel } from './status-label';

export function IncidentTable({ incidents }: { incidents: Incident[] }) {
  const now = useNow(1000);
  const lastDeclaredId = useStore((s) => s.lastDeclaredId);
  const openIncident = useStore((s) => s.openIncident);
  return (
    <DataTable testId="incident-table" columns={['Severity', 'Incident', 'Status', 'Declared', { head: 'Open for', className: 'num' }]}>
      {incidents.map((incident) => (
        <LinkRow key={incident.id} data-testid="incident-row" className={incident.id === lastDeclaredId ? 'row-new' : undefined} onOpen={() => openIncident(incident.id)}>
          <td>
            <SeverityBadge severity={incident.severity} />
          </td>
          <td>
            <div className="incident-title">
              {incident.isDrill && <span className="drill-badge">DRILL</span>} {incident.title}
            </div>
            {incident.summary && <div className="incident-summary">{incident.summary}</div>}
            <div className="incident-id">{incident.id}</div>
          </td>
          <td>
            <StatusLabel status={incident.status} />
          </td>
          <td>
            <div>{localTime(incident.declaredAt)}</div>
            <div className="muted small">{utcTime(incident.declaredAt)}</div>
          </td>
          <td className="num mono" data-testid="incident-open-for">
            {incident.status === 'closed' && incident.milestones.closed !== null ? (
              <>
                <span className="muted small">was open for </span>
                {elapsed(incident.declaredAt, incident.milestones.closed)}
              </>
            ) : (
              elapsed(incident.declaredAt, now)
            )}
          </td>
        </LinkRow>
      ))}
    </DataTable>
  );
}
