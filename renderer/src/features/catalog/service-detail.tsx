// One service of the catalog: its tier and what the tier means, its recovery objectives, its owner
// team with the people to call, what it depends on, its blast radius (what depends on it, drawn as a
// graph) and the runbooks and evidence checklists kept for it. Edit, copy into a new service, or
// remove it (refused while others depend on it).
import type { ServiceDetail as Detail, ServiceView } from '@shared/domain/catalog';
import { describeCycle, formatMinutes, tierInfo } from '@shared/domain/catalog';
import { localTime, utcTime } from '../../lib/time';
import { useEngineQuery } from '../../data/use-engine-query';
import { client } from '../../store/client-ref';
import { LibraryDetail } from '../library-shared/library-detail';
import { BlastRadiusGraph } from './blast-radius-graph';
import { useServicesView } from './catalog-view-store';
import { duplicateServiceDraft, editServiceDraft, type ServiceDraft } from './service-draft';
import { ServiceOwners } from './service-owners';
import { TierBadge } from './tier-badge';

interface ServiceDetailProps {
  service: ServiceView;
  onEdit: (draft: ServiceDraft) => void;
  onRemoved: (remaining: ServiceView[]) => void;
}

export function ServiceDetail({ service, onEdit, onRemoved }: ServiceDetailProps) {
  const detail = useEngineQuery('catalog.get', { id: service.id });
  const { select } = useServicesView.getState();
  const radius = detail.value?.blastRadius ?? [];
  const depth = radius.reduce((max, e) => Math.max(max, e.depth), 0);

  return (
    <LibraryDetail
      kind="service"
      id={service.id}
      name={service.name}
      badge={<TierBadge tier={service.tier} />}
      isBuiltIn={false}
      onEdit={() => onEdit(editServiceDraft(service))}
      onDuplicate={() => onEdit(duplicateServiceDraft(service))}
      facts={
        <>
          <span data-testid="service-tier">{tierInfo[service.tier].label}</span>
          <span data-testid="service-rto">RTO {formatMinutes(service.rtoMin)}</span>
          <span data-testid="service-rpo">RPO {formatMinutes(service.rpoMin)}</span>
          <time dateTime={new Date(service.updatedAt).toISOString()} title={utcTime(service.updatedAt)}>
            Saved {localTime(service.updatedAt)}
            {service.updatedBy && ` by ${service.updatedBy}`}
          </time>
        </>
      }
      hiddenMeans=""
      keptMeans="Incidents that name it keep the name; its runbooks and checklists stay in the library."
      remove={() => client().call('catalog.remove', { id: service.id })}
      onRemoved={onRemoved}
    >
      <p className="service-tier-meaning muted">{tierInfo[service.tier].meaning}</p>
      {service.description && (
        <p className="service-description" data-testid="service-description">
          {service.description}
        </p>
      )}
      {detail.error && (
        <p className="banner banner-bad" role="alert">
          Could not read the service: {detail.error}
        </p>
      )}
      {detail.value && detail.value.cycles.length > 0 && (
        <div className="banner banner-bad" role="alert" data-testid="service-cycles">
          Part of a dependency cycle (two replicas changed dependencies at once): {detail.value.cycles.map(describeCycle).join('; ')}. Edit one of these services to break
          it.
        </div>
      )}

      <section className="service-block service-radius" aria-labelledby="service-radius-heading">
        <h3 id="service-radius-heading">Blast radius</h3>
        <p className="small" data-testid="service-blast-summary">
          {radius.length === 0
            ? 'Nothing in the catalog depends on it: when it fails, it fails alone.'
            : `When it fails, ${radius.length} service${radius.length === 1 ? '' : 's'} may fail with it: ${radius.filter((e) => e.depth === 1).length} depend on it directly${depth > 1 ? `, the rest through others (up to ${depth} steps away)` : ''}.`}
        </p>
        {radius.length > 0 && <BlastRadiusGraph root={service} entries={radius} maxPerColumn={8} />}
      </section>
      <div className="service-columns">
        <section className="service-block" aria-labelledby="service-owners-heading">
          <h3 id="service-owners-heading">Owners</h3>
          <ServiceOwners owners={service.owners} />
        </section>

        <section className="service-block" aria-labelledby="service-deps-heading">
          <h3 id="service-deps-heading">Depends on</h3>
          {service.dependsOn.length === 0 ? (
            <p className="muted small">Nothing in the catalog.</p>
          ) : (
            <ul className="service-refs" data-testid="service-dependencies">
              {(detail.value?.dependencies ?? service.dependsOn.map((id) => ({ id, name: id, tier: null, isKnown: true }))).map((ref) => (
                <li key={ref.id}>
                  {ref.tier && <TierBadge tier={ref.tier} />}
                  {ref.isKnown ? (
                    <button type="button" className="link-button" onClick={() => select(ref.id)}>
                      {ref.name}
                    </button>
                  ) : (
                    <span className="service-unknown" title="Not in this replica's catalog">
                      {ref.id} (not in the catalog)
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          <h3>Runbooks</h3>
          <LinkedList entries={detail.value?.runbooks ?? []} empty="None linked." testId="service-runbooks" />
          <h3>Evidence checklists</h3>
          <LinkedList entries={detail.value?.checklists ?? []} empty="None linked." testId="service-checklists" />
        </section>
      </div>
    </LibraryDetail>
  );
}

function LinkedList({ entries, empty, testId }: { entries: Detail['runbooks']; empty: string; testId: string }) {
  if (entries.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul className="service-refs" data-testid={testId}>
      {entries.map((entry) => (
        <li key={entry.id}>
          <span className={entry.isKnown ? undefined : 'service-unknown'}>{entry.title}</span> <span className="mono muted small">{entry.id}</span>
          {!entry.isKnown && <span className="muted small"> · not on this replica</span>}
        </li>
      ))}
    </ul>
  );
}
