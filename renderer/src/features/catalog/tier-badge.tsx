// A service's tier as a small coloured badge (T1 red … T4 blue), its meaning on hover.
import { tierInfo, type ServiceTier } from '@shared/domain/catalog';

export function TierBadge({ tier, isLong = false }: { tier: ServiceTier; isLong?: boolean }) {
  return (
    <span className={`tier-badge tier-${tier}`} title={`${tierInfo[tier].label}: ${tierInfo[tier].meaning}`} data-testid="tier-badge">
      {isLong ? tierInfo[tier].label : tierInfo[tier].short}
    </span>
  );
}
