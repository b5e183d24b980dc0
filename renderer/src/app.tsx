// The app shell: sidebar, the current view, and the declare dialog over everything.
import { DeclareIncidentDialog } from './features/incidents/declare-incident-dialog';
import { IncidentsPage } from './features/incidents/incidents-page';
import { LibraryPage } from './features/library/library-page';
import { RunbooksPage } from './features/runbooks/runbooks-page';
import { SettingsPage } from './features/settings/settings-page';
import { NoTokenScreen } from './features/shell/no-token-screen';
import { Sidebar } from './features/shell/sidebar';
import { useGlobalShortcuts } from './features/shell/use-global-shortcuts';
import { useStore } from './store';

export function App() {
  const view = useStore((s) => s.view);
  const link = useStore((s) => s.link);
  useGlobalShortcuts();

  if (link.kind === 'web-no-token') return <NoTokenScreen />;
  return (
    <div className="shell">
      <Sidebar />
      <main className="main" data-testid={`view-${view}`}>
        {view === 'incidents' && <IncidentsPage />}
        {view === 'runbooks' && <RunbooksPage />}
        {view === 'library' && <LibraryPage />}
        {view === 'settings' && <SettingsPage />}
      </main>
      <DeclareIncidentDialog />
    </div>
  );
}
