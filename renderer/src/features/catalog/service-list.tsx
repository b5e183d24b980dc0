// The library's column of services, by tier then name: each with its tier, owner team and
// objectives, and how many services depend on it directly.
import { formatMinutes, type ServiceView } from '@shared/domain/catalog';
import { EntryList, LibraryItem, type EntryColumnProps } from '../library-shared/library-list';
import { TierBadge } from './tier-badge';

export function ServiceList({ entries, selectedId, onSelect }: EntryColumnProps<ServiceView>) {
  return (
    <EntryList testId="service-list" label="Services">
      {entries.map((service) => {
        const dependents = entries.filter((s) => s.dependsOn.includes(service.id)).length;
        return (
          <LibraryItem
            key={service.id}
            kind="service"
            id={service.id}
            name={service.name}
            badge={<TierBadge tier={service.tier} />}
            isCurrent={service.id === selectedId}
            onSelect={onSelect}
          >
            <span className="lib-item-meta" data-testid="service-item-meta">
              {service.owners.team?.name ?? (service.ownerTeamId ? 'unknown team' : 'no owner')} · RTO {formatMinutes(service.rtoMin)}
              {dependents > 0 && ` · ${dependents} depend${dependents === 1 ? 's' : ''} on it`}
            </span>
          </LibraryItem>
        );
      })}
    </EntryList>
  );
}
