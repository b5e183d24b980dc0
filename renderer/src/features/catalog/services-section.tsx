// The library's service catalog: every service with its tier, owners and objectives on the left,
// the chosen one on the right with its blast radius; the editor takes the section while a service
// is written or changed. Import a YAML or CSV file (all of it or none), or export the catalog.
import { useState } from 'react';
import type { ServiceView } from '@shared/domain/catalog';
import { useEngineQuery } from '../../data/use-engine-query';
import { LibrarySection, useLibraryEntries } from '../library-shared/library-section';
import { EmptyState } from '../shell/empty-state';
import { CatalogImportOutcomeBanner, ExportCatalogButton, ImportCatalogButton, type CatalogImportOutcome } from './catalog-import';
import { useServicesView } from './catalog-view-store';
import { newServiceDraft } from './service-draft';
import { ServiceDetail } from './service-detail';
import { ServiceEditor } from './service-editor';
import { ServiceList } from './service-list';
import './catalog.css';

const byTierThenName = (a: ServiceView, b: ServiceView) => a.tier - b.tier || a.name.localeCompare(b.name);

export function ServicesSection() {
  // Owners come from the directory: a change there reads it again too (data/invalidation.ts).
  const services = useEngineQuery('catalog.list', {});
  const { list, selected, draft, takenIds, select, openEditor, closeEditor, onSaved, onRemoved } = useLibraryEntries(useServicesView, services, byTierThenName);
  const [outcome, setOutcome] = useState<CatalogImportOutcome | null>(null);
  const tier1 = list.filter((s) => s.tier === 1).length;

  return (
    <LibrarySection
      name="services"
      title="Service catalog"
      summary={
        <>
          What each service is worth, who owns it and what breaks with it: shown when an incident names it.{' '}
          {services.value && (
            <>
              {list.length} service{list.length === 1 ? '' : 's'}
              {tier1 > 0 && `, ${tier1} critical (tier 1)`}.
            </>
          )}
        </>
      }
      actions={
        <div className="catalog-actions">
          <ImportCatalogButton
            onOutcome={(answer) => {
              setOutcome(answer);
              if ('report' in answer && answer.report.isImported) services.reload();
            }}
          />
          {list.length > 0 && <ExportCatalogButton />}
          <button type="button" className="button button-primary" data-testid="new-service" onClick={() => openEditor(newServiceDraft())}>
            New service
          </button>
        </div>
      }
      banner={outcome && !draft && <CatalogImportOutcomeBanner outcome={outcome} onDismiss={() => setOutcome(null)} />}
      read={services}
      errorPrefix="Could not read the service catalog"
      editor={draft && <ServiceEditor services={list} takenIds={takenIds} onCancel={closeEditor} onSaved={onSaved} />}
      empty={
        <EmptyState title="No services in the catalog">
          <p>
            Add one with <strong>New service</strong>, or import a YAML or CSV file with <strong>Import file</strong> (see docs/catalog.md; the command line has{' '}
            <code>holdfast catalog import</code>). Incidents that name a service then show its tier, owners and blast radius.
          </p>
        </EmptyState>
      }
      listLabel="Services"
      list={<ServiceList entries={list} selectedId={selected?.id ?? null} onSelect={select} />}
      detail={selected && <ServiceDetail key={selected.id} service={selected} onEdit={openEditor} onRemoved={onRemoved} />}
    />
  );
}
