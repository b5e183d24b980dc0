// One service an incident names, as the declare dialog and the war room show it: its tier and what
// the tier means, its recovery objectives, its blast radius (what depends on it) drawn as a graph,
// and its owners with their contacts.
import { formatMinutes, tierInfo, type ServiceImpact } from '@shared/domain/catalog';
import { BlastRadiusGraph } from './blast-radius-graph';
import { ServiceOwners } from './service-owners';
import { TierBadge } from './tier-badge';

export function ObjectiveFacts({ rtoMin, rpoMin }: { rtoMin: number | null; rpoMin: number | null }) {
  return (
    <span className="service-objectives" data-testid="service-objectives">
      <span title="Recovery time objective: how long it may be down">
        RTO <strong>{formatMinutes(rtoMin)}</strong>
      </span>
      <span title="Recovery point objective: how much recent data may be lost">
        RPO <strong>{formatMinutes(rpoMin)}</strong>
      </span>
    </span>
  );
}

export function ServiceImpactCard({ impact, isCompact = false }: { impact: ServiceImpact; isCompact?: boolean }) {
  const { service, blastRadius } = impact;
  const direct = blastRadius.filter((e) => e.depth === 1).length;
  return (
    <article className={isCompact ? 'service-impact is-compact' : 'service-impact'} data-testid="service-impact" data-service-id={service.id} aria-label={service.name}>
      <header className="service-impact-head">
        <TierBadge tier={service.tier} />
        <strong className="service-impact-name">{service.name}</strong>
        <span className="mono muted small">{service.id}</span>
      </header>
      <p className="service-impact-facts small">
        <span className="muted" data-testid="service-tier-meaning">
          {tierInfo[service.tier].label}
        </span>
        <ObjectiveFacts rtoMin={service.rtoMin} rpoMin={service.rpoMin} />
      </p>
      <div className="service-impact-radius">
        <p className="small service-radius-summary" data-testid="blast-summary">
          {blastRadius.length === 0 ? (
            <span className="muted">Nothing in the catalog depends on it.</span>
          ) : (
            <>
              <strong>Blast radius:</strong> {blastRadius.length} service{blastRadius.length === 1 ? '' : 's'} depend on it
              {direct < blastRadius.length && ` (${direct} directly)`}
            </>
          )}
        </p>
        {blastRadius.length > 0 && <BlastRadiusGraph root={service} entries={blastRadius} maxPerColumn={isCompact ? 5 : 6} />}
      </div>
      <ServiceOwners owners={service.owners} maxPeople={3} isCompact />
    </article>
  );
}
