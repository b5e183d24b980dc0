// Small pieces of a checklist shown in the list, the detail and the editor: the incident types it
// is for, the built-in badge, an artifact type with its order of volatility.
import type { ArtifactType } from '@shared/domain/evidence';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function IncidentTypeChips({ types }: { types: string[] }) {
  return (
    <span className="lib-chips" data-testid="checklist-types">
      {types.length === 0 ? (
        <span className="lib-chip lib-chip-any" title="Offered first for every incident">
          any incident type
        </span>
      ) : (
        types.map((type) => (
          <span key={type} className="lib-chip" title="Incident type">
            {type}
          </span>
        ))
      )}
    </span>
  );
}

export function BuiltInBadge() {
  return (
    <span className="lib-badge" data-testid="built-in-badge" title="A sample that comes with Holdfast. Edit it to keep your own version in its place.">
      built-in
    </span>
  );
}

export function ArtifactTypeBadge({ type }: { type: ArtifactType }) {
  return (
    <span className="lib-type" data-testid="item-type">
      {type}
    </span>
  );
}

/** A volatility as a numbered badge, 1 (most volatile) warmest. */
export function VolatilityBadge({ volatility }: { volatility: number }) {
  const band = volatility <= 2 ? 'hot' : volatility <= 4 ? 'warm' : volatility <= 6 ? 'mild' : 'cold';
  return (
    <span className={`lib-volatility lib-volatility-${band}`} data-testid="item-volatility" title={`Order of volatility ${volatility} (1 = most volatile)`}>
      {volatility}
    </span>
  );
}
