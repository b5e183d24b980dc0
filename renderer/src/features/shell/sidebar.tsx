// Primary navigation with keyboard hints, and the connection indicator at the foot.
import { useStore } from '../../store';
import { ConnectionIndicator } from './connection-indicator';
import { views, type View } from './shell-slice';

const labels: Record<View, string> = {
  incidents: 'Incidents',
  directory: 'Directory',
  runbooks: 'Runbooks',
  library: 'Library',
  reviews: 'Reviews',
  metrics: 'Metrics',
  settings: 'Settings',
};

export function Sidebar() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const openIncidents = useStore((s) => s.incidents.filter((i) => i.status !== 'resolved' && i.status !== 'closed').length);

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Holdfast</span>
      </div>
      <ul className="nav">
        {views.map((name, index) => (
          <li key={name}>
            <button type="button" className="nav-item" aria-current={view === name ? 'page' : undefined} data-testid={`nav-${name}`} onClick={() => setView(name)}>
              <span>{labels[name]}</span>
              {name === 'incidents' && openIncidents > 0 && (
                <span className="nav-count" aria-label={`${openIncidents} open`}>
                  {openIncidents}
                </span>
              )}
              <kbd className="nav-key">Alt {index + 1}</kbd>
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <p className="shortcut-hint">
          <kbd>N</kbd> declare incident
        </p>
        <ConnectionIndicator />
      </div>
    </nav>
  );
}
