// The app shell: sidebar, the current view, and the declare dialog over everything. The incident
// list and the war room are in the start-up bundle; every other page (with what only it uses: the
// charting library, the runbook parser, the QR code) loads on demand, fetched once the app is idle.
import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react';
import { DeclareIncidentDialog } from './features/incidents/declare-incident-dialog';
import { IncidentsPage } from './features/incidents/incidents-page';
import { IncidentNotifications } from './features/shell/incident-notifications';
import { NoTokenScreen } from './features/shell/no-token-screen';
import { Sidebar } from './features/shell/sidebar';
import { useGlobalShortcuts } from './features/shell/use-global-shortcuts';
import { WarRoomPage } from './features/war-room/war-room-page';
import { useStore } from './store';

const loaders = {
  directory: () => import('./features/directory/directory-page').then((m) => ({ default: m.DirectoryPage })),
  runbooks: () => import('./features/runbooks/runbooks-page').then((m) => ({ default: m.RunbooksPage })),
  library: () => import('./features/library/library-page').then((m) => ({ default: m.LibraryPage })),
  reviews: () => import('./features/reviews/reviews-page').then((m) => ({ default: m.ReviewsPage })),
  metrics: () => import('./features/metrics/metrics-page').then((m) => ({ default: m.MetricsPage })),
  settings: () => import('./features/settings/settings-page').then((m) => ({ default: m.SettingsPage })),
};
const DirectoryPage = lazy(loaders.directory);
const RunbooksPage = lazy(loaders.runbooks);
const LibraryPage = lazy(loaders.library);
const ReviewsPage = lazy(loaders.reviews);
const MetricsPage = lazy(loaders.metrics);
const SettingsPage = lazy(loaders.settings);

/** A page whose code cannot be loaded (the app was rebuilt or the link dropped) says so, instead of a blank window. */
class PageLoadBoundary extends Component<{ view: string; children: ReactNode }, { failed: string | null }> {
  override state = { failed: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
  override componentDidUpdate(previous: { view: string }) {
    if (previous.view !== this.props.view && this.state.failed !== null) this.setState({ failed: null });
  }
  override render() {
    if (this.state.failed === null) return this.props.children;
    return (
      <div className="banner banner-bad" role="alert" data-testid="page-load-error">
        This page could not be loaded ({this.state.failed}).{' '}
        <button type="button" className="link-button" onClick={() => window.location.reload()}>
          Reload the app
        </button>
      </div>
    );
  }
}

/** Once the first screen is up, fetch the other pages' code in the background. */
function usePrefetchPages() {
  useEffect(() => {
    const prefetch = () => {
      for (const load of Object.values(loaders)) void load().catch(() => undefined);
    };
    const idle = window.requestIdleCallback?.(prefetch, { timeout: 3000 });
    const timer = idle === undefined ? window.setTimeout(prefetch, 1500) : undefined;
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, []);
}

export function App() {
  const view = useStore((s) => s.view);
  const link = useStore((s) => s.link);
  const openIncidentId = useStore((s) => s.openIncidentId);
  useGlobalShortcuts();
  usePrefetchPages();

  if (link.kind === 'web-no-token') return <NoTokenScreen />;
  return (
    <div className="shell">
      <Sidebar />
      <main className="main" data-testid={`view-${view}`}>
        {view === 'incidents' && (openIncidentId ? <WarRoomPage key={openIncidentId} incidentId={openIncidentId} /> : <IncidentsPage />)}
        <PageLoadBoundary view={view}>
          <Suspense fallback={<p className="muted page-loading">Loading…</p>}>
            {view === 'directory' && <DirectoryPage />}
            {view === 'runbooks' && <RunbooksPage />}
            {view === 'library' && <LibraryPage />}
            {view === 'reviews' && <ReviewsPage />}
            {view === 'metrics' && <MetricsPage />}
            {view === 'settings' && <SettingsPage />}
          </Suspense>
        </PageLoadBoundary>
      </main>
      <DeclareIncidentDialog />
      <IncidentNotifications />
    </div>
  );
}
