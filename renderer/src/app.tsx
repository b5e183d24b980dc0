// The app shell: sidebar, the current view, and the declare dialog over everything.
import { DeclareIncidentDialog } from './features/incidents/declare-incident-dialog';
import { DirectoryPage } from './features/directory/directory-page';
import { IncidentsPage } from './features/incidents/incidents-page';
import { LibraryPage } from './features/library/library-page';
import { MetricsPage } from './features/metrics/metrics-page';
import { ReviewsPage } from './features/reviews/reviews-page';
import { RunbooksPage } from './features/runbooks/runbooks-page';
import { SettingsPage } from './features/settings/settings-page';
import { NoTokenScreen } from './features/shell/no-token-screen';
import { Sidebar } from './features/shell/sidebar';
import { useGlobalShortcuts } from './features/shell/use-global-shortcuts';
import { WarRoomPage } from './features/war-room/war-room-page';
import { useStore } from './store';

export function App() {
  const view = useStore((s) => s.view);
  const link = useStore((s) => s.link);
  const openIncidentId = useStore((s) => s.openIncidentId);
  useGlobalShortcuts();

  if (link.kind === 'web-no-token') return <NoTokenScreen />;
  return (
    <div className="shell">
      <Sidebar />
      <main className="main" data-testid={`view-${view}`}>
        {view === 'incidents' && (openIncidentId ? <WarRoomPage key={openIncidentId} incidentId={openIncidentId} /> : <IncidentsPage />)}
        {view === 'directory' && <DirectoryPage />}
        {view === 'runbooks' && <RunbooksPage />}
        {view === 'library' && <LibraryPage />}
        {view === 'reviews' && <ReviewsPage />}
        {view === 'metrics' && <MetricsPage />}
        {view === 'settings' && <SettingsPage />}
      </main>
      <DeclareIncidentDialog />
    </div>
  );
}
