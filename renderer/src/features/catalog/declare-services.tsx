// The catalog in the declare dialog: its services as chips to pick (they go into the services
// field, which stays free text), then for each service named that the catalog has, its tier,
// objectives, owners with their contacts and its blast radius, before the incident is declared.
import { impactOf, matchService, type ServiceView } from '@shared/domain/catalog';
import { useEngineQuery } from '../../data/use-engine-query';
import { ServiceImpactCard } from './service-impact';
import { TierBadge } from './tier-badge';
import './catalog.css';

interface DeclareServicesProps {
  isOpen: boolean;
  /** The names typed so far. */
  names: string[];
  onChange: (names: string[]) => void;
}

const byTierThenName = (a: ServiceView, b: ServiceView) => a.tier - b.tier || a.name.localeCompare(b.name);

export function DeclareServices({ isOpen, names, onChange }: DeclareServicesProps) {
  // Read while the dialog is open; without a catalog (or when it cannot be read) the dialog is as it was.
  const services = useEngineQuery('catalog.list', {}, { enabled: isOpen });
  const catalog = services.error ? [] : [...(services.value ?? [])].sort(byTierThenName);
  if (catalog.length === 0) return null;

  const impact = impactOf(catalog, names);
  const isNamed = (service: ServiceView) => names.some((name) => matchService([service], name) !== undefined);
  const toggle = (service: ServiceView) => onChange(isNamed(service) ? names.filter((name) => matchService([service], name) === undefined) : [...names, service.id]);

  return (
    <aside className="declare-catalog" data-testid="declare-catalog" aria-labelledby="declare-catalog-heading">
      <div className="declare-catalog-scroll">
        <h3 id="declare-catalog-heading">Service catalog</h3>
        <p className="muted small declare-catalog-hint">Pick the affected services: each shows its tier, owners to call and what fails with it.</p>
        <div className="declare-service-chips" role="group" aria-label="Services in the catalog">
          {catalog.map((service) => (
            <button
              key={service.id}
              type="button"
              className="declare-service-chip"
              data-testid="declare-service-chip"
              data-service-id={service.id}
              aria-pressed={isNamed(service)}
              title={service.description || service.name}
              onClick={() => toggle(service)}
            >
              <TierBadge tier={service.tier} />
              {service.name}
            </button>
          ))}
        </div>
        {impact.unmatched.length > 0 && (
          <p className="muted small service-unmatched" data-testid="declare-unmatched">
            Not in the catalog: {impact.unmatched.join(', ')}
          </p>
        )}
        {impact.services.length > 0 && (
          <div className="service-impacts declare-impacts" data-testid="declare-impacts">
            {impact.services.map((item) => (
              <ServiceImpactCard key={item.service.id} impact={item} />
            ))}
          </div>
        )}
      </div>
    </aside>
  );
}
