// What the last CSV import did: its counts, or every row it refused with the line to fix.
import { useEffect, useRef } from 'react';
import { useStore } from '../../store';

export function ImportOutcome() {
  const outcome = useStore((s) => s.lastImport);
  const dismiss = useStore((s) => s.dismissImport);
  const banner = useRef<HTMLDivElement>(null);
  // The import button may be far above where the person is reading: bring the outcome into view.
  useEffect(() => {
    banner.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);
  if (!outcome) return null;

  if ('report' in outcome) {
    const { created, updated, unchanged, teamsCreated } = outcome.report;
    return (
      <div ref={banner} className="banner banner-ok import-outcome" role="status" data-testid="import-report">
        <span>
          Imported <strong>{outcome.fileName}</strong>: {created} added, {updated} updated, {unchanged} unchanged
          {teamsCreated > 0 ? `; ${teamsCreated === 1 ? '1 new team' : `${teamsCreated} new teams`}` : ''}.
        </span>
        <button type="button" className="button button-small" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  // The engine's message: a first line saying nothing was imported, then one line per bad row.
  const [headline, ...rows] = outcome.error.split('\n');
  return (
    <div ref={banner} className="banner banner-bad import-outcome" role="alert" data-testid="import-error">
      <div>
        <strong>{outcome.fileName}</strong>: {headline}
        {rows.length > 0 && (
          <ul className="import-problems" data-testid="import-problems">
            {rows.map((row) => (
              <li key={row}>{row}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="button button-small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
