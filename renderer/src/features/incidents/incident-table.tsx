// Incidents as a dense table: severity, title, status, when declared (local and UTC), elapsed.
import type { Incident } from '../../../../shared/domain/incident';
import { elapsed, localTime, utcTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useStore } from '../../store';
import { SeverityBadge } from './severity-badge';
import { StatusLabel } from './status-label';

export function IncidentTable({ incidents }: { incidents: Incident[] }) {
  const now = useNow(1000);
  const lastDeclaredId = useStore((s) => s.lastDeclaredId);
  const openIncident = useStore((s) => s.openIncident);
  return (
    <table className="incident-table" data-testid="incident-table">
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Incident</th>
          <th scope="col">Status</th>
          <th scope="col">Declared</th>
          <th scope="col" className="num">
            Open for
          </th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr
            key={incident.id}
            data-testid="incident-row"
            className={incident.id === lastDeclaredId ? 'row-new row-link' : 'row-link'}
            tabIndex={0}
            onClick={() => openIncident(incident.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') openIncident(incident.id);
            }}
          >
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
            <td className="num mono">{elapsed(incident.declaredAt, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
