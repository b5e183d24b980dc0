// The war room's Services panel: for each service the incident names that the catalog has, its
// tier, recovery objectives, owners with their phones and e-mail (from the directory on this
// replica, so they can be called with chat down) and its blast radius as a small graph. Read again
// when the library or the directory changes (an edit here, or one that arrived by sync).
import { useEngineQuery } from '../../data/use-engine-query';
import { ServiceImpactCard } from './service-impact';
import './catalog.css';

/** Keyed by the incident and its services by the caller, so a change of either reads it again. */
export function ServicesPanel({ incidentId }: { incidentId: string }) {
  const answer = useEngineQuery('catalog.forIncident', { incidentId });
  const catalog = answer.value;
  return (
    <section className="panel side-panel war-services" aria-labelledby="services-heading" data-testid="services-panel">
      <h2 id="services-heading">Services</h2>
      {answer.error && <p className="form-error">{answer.error}</p>}
      {catalog && catalog.services.length === 0 && (
        <p className="muted small" data-testid="services-none">
          None of {catalog.unmatched.join(', ')} is in the service catalog (Library → Services).
        </p>
      )}
      {catalog?.services.map((impact) => (
        <ServiceImpactCard key={impact.service.id} impact={impact} isCompact />
      ))}
      {catalog && catalog.services.length > 0 && catalog.unmatched.length > 0 && (
        <p className="muted small service-unmatched" data-testid="services-unmatched">
          Not in the catalog: {catalog.unmatched.join(', ')}
        </p>
      )}
    </section>
  );
}
