// The incident list: what is burning now, at a glance, worst first in time order.
import { useState } from 'react';
import { useStore } from '../../store';
import { EvidenceBundleImport } from '../evidence-import/evidence-bundle-import';
import { PageHeader } from '../shell/page-header';
import { openCountOf, useIncidents } from './incident-queries';
import { IncidentTable } from './incident-table';
import { ScopeNotice } from './scope-notice';

export function IncidentsPage() {
  const { value, error, isLoading } = useIncidents();
  const incidents = value ?? [];
  const setDeclareOpen = useStore((s) => s.setDeclareOpen);
  const [isImporting, setImporting] = useState(false);
  const openCount = openCountOf(incidents);

  return (
    <>
      <PageHeader
        title="Incidents"
        subtitle={`${openCount} open · ${incidents.length} on this replica`}
        actions={
          <div className="bundle-import-header-actions">
            <button type="button" className="button" data-testid="bundle-import-button" aria-expanded={isImporting} onClick={() => setImporting(!isImporting)}>
              Import evidence bundle…
            </button>
            <button type="button" className="button button-danger" data-testid="declare-button" onClick={() => setDeclareOpen(true)}>
              Declare incident <kbd>N</kbd>
            </button>
          </div>
        }
      />
      {isImporting && <EvidenceBundleImport onClose={() => setImporting(false)} />}
      <ScopeNotice />
      {error && (
        <div className="banner banner-bad" role="alert">
          Could not load incidents: {error}
        </div>
      )}
      {isLoading ? (
        <p className="muted">Loading incidents…</p>
      ) : incidents.length === 0 ? (
        <div className="empty-state" data-testid="incidents-empty">
          <h2>No incidents</h2>
          <div className="empty-state-body">
            <p>
              All quiet. Press <kbd>N</kbd> to declare an incident the moment something breaks.
            </p>
          </div>
        </div>
      ) : (
        <IncidentTable incidents={incidents} />
      )}
    </>
  );
}
