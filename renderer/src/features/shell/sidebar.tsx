// Primary navigation with keyboard hints, and the connection indicator at the foot. The sidebar
// collapses to a narrow rail (each page by its initial, named for screen readers and on hover) to
// leave room beside a video call; the choice is remembered on this device. Without a choice it
// starts collapsed on a narrow window.
import { useState } from 'react';
import { useStore } from '../../store';
import { BreakGlassButton } from '../outage/break-glass-button';
import { openCountOf, useIncidents } from '../incidents/incident-queries';
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

const collapsedKey = 'holdfast.sidebar.collapsed';
/** Below this window width the sidebar starts collapsed unless the user chose otherwise. */
const narrowWindowPx = 1200;

function initiallyCollapsed(): boolean {
  try {
    const stored = window.localStorage.getItem(collapsedKey);
    if (stored !== null) return stored === 'true';
  } catch {
    // Storage may be unavailable (a locked-down profile): fall back to the window's width.
  }
  return window.innerWidth < narrowWindowPx;
}

export function Sidebar() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const openIncidents = openCountOf(useIncidents().value ?? []);
  const [isCollapsed, setCollapsed] = useState(initiallyCollapsed);
  const toggle = () => {
    const next = !isCollapsed;
    setCollapsed(next);
    try {
      window.localStorage.setItem(collapsedKey, String(next));
    } catch {
      // Not remembered, still applied.
    }
  };

  return (
    <nav className={`sidebar${isCollapsed ? ' is-collapsed' : ''}`} aria-label="Main" data-testid="sidebar" data-collapsed={isCollapsed}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Holdfast</span>
        <button
          type="button"
          className="icon-button sidebar-toggle"
          aria-expanded={!isCollapsed}
          aria-label={isCollapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
          title={isCollapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
          data-testid="sidebar-toggle"
          onClick={toggle}
        >
          <span aria-hidden="true">{isCollapsed ? '»' : '«'}</span>
        </button>
      </div>
      <ul className="nav">
        {views.map((name, index) => (
          <li key={name}>
            <button
              type="button"
              className="nav-item"
              aria-current={view === name ? 'page' : undefined}
              data-testid={`nav-${name}`}
              title={isCollapsed ? `${labels[name]} (Alt+${index + 1})` : undefined}
              onClick={() => setView(name)}
            >
              {isCollapsed ? (
                <span className="nav-initial">
                  <span aria-hidden="true">{labels[name][0]}</span>
                  <span className="visually-hidden">{labels[name]}</span>
                </span>
              ) : (
                <span>{labels[name]}</span>
              )}
              {name === 'incidents' && openIncidents > 0 && (
                <span className="nav-count" aria-label={`${openIncidents} open`}>
                  {openIncidents}
                </span>
              )}
              {!isCollapsed && <kbd className="nav-key">Alt {index + 1}</kbd>}
            </button>
          </li>
        ))}
        <li>
          <BreakGlassButton isCollapsed={isCollapsed} />
        </li>
      </ul>
      <div className="sidebar-foot">
        {!isCollapsed && (
          <p className="shortcut-hint">
            <kbd>N</kbd> declare incident
          </p>
        )}
        <ConnectionIndicator />
      </div>
    </nav>
  );
}
