// The artifact's append-only chain of custody, oldest first, with corrections linked both ways.
import { useState } from 'react';
import type { Artifact, CustodyEvent } from '@shared/domain/evidence';
import { utcStamp } from '@shared/time';
import { useStore } from '../../../store';
import { addCustodyDialog, shortHash } from '../evidence-actions';

export function CustodyLog({ artifact: a, events }: { artifact: Artifact; events: CustodyEvent[] }) {
  const openDialog = useStore((s) => s.openDialog);
  const [flashed, setFlashed] = useState<string | null>(null);
  // An event id can appear twice (a record synced in twice): rows are keyed by place, a link goes
  // to the first row with the id, and only that row carries it as its element id.
  const numberOf = new Map<string, number>();
  events.forEach((e, index) => {
    if (!numberOf.has(e.id)) numberOf.set(e.id, index + 1);
  });
  const correctedBy = new Map<string, CustodyEvent[]>();
  for (const e of events) if (e.corrects) correctedBy.set(e.corrects, [...(correctedBy.get(e.corrects) ?? []), e]);
  const show = (id: string) => {
    document.getElementById(`custody-${id}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    setFlashed(id);
    setTimeout(() => setFlashed((current) => (current === id ? null : current)), 1600);
  };
  const link = (id: string) => (
    <button type="button" className="link-button" data-testid="custody-link" onClick={() => show(id)}>
      #{numberOf.get(id) ?? '?'}
    </button>
  );

  return (
    <section className="artifact-section" aria-labelledby="custody-heading" data-testid="custody-log">
      <h3 id="custody-heading">
        Chain of custody{' '}
        <span className="muted small">{events.length === 0 ? 'no events yet' : `${events.length} event${events.length === 1 ? '' : 's'}, oldest first`}</span>
      </h3>
      {events.length > 0 && (
        <div className="custody-scroll">
          <table className="custody-table small">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            {/* One body per event: its line, then where it went and why on the line below. */}
            {events.map((e, index) => {
              const corrections = correctedBy.get(e.id) ?? [];
              const hasDetail = Boolean(e.from || e.to || e.purpose || e.note);
              const isFirstWithId = numberOf.get(e.id) === index + 1;
              return (
                <tbody
                  key={`${index}:${e.hash}`}
                  id={isFirstWithId ? `custody-${e.id}` : undefined}
                  className={`custody-row custody-${e.action}${corrections.length > 0 ? ' is-corrected' : ''}${flashed === e.id ? ' is-flashed' : ''}`}
                  data-testid="custody-row"
                  data-action={e.action}
                  data-event={e.id}
                >
                  <tr className="custody-line">
                    <td className="mono muted custody-number" rowSpan={hasDetail ? 2 : 1}>
                      {index + 1}
                    </td>
                    <td className="mono custody-time" data-testid="custody-time">
                      {utcStamp(e.at).replace(' UTC', '')}
                    </td>
                    <td data-testid="custody-action">
                      <span className="custody-action-group">
                        <span className="custody-action">{e.action}</span>
                        {e.result && (
                          <span className={`verify-badge verify-${e.result}`} data-testid="custody-result">
                            {e.result}
                          </span>
                        )}
                      </span>
                      {e.corrects && <span className="muted"> of {link(e.corrects)}</span>}
                      {corrections.length > 0 && (
                        <span className="custody-corrected">
                          {' '}
                          corrected by {corrections.map((c, i) => [i > 0 ? ', ' : '', <span key={`${i}:${c.hash}`}>{link(c.id)}</span>])}
                        </span>
                      )}
                    </td>
                    <td className="custody-by" data-testid="custody-by">
                      {e.actorId}
                    </td>
                    <td
                      className="mono custody-hash"
                      title={`${e.sha256 ? `SHA-256 seen: ${e.sha256}\n` : ''}Record hash: ${e.hash}\nPrevious: ${e.prevHash}`}
                      data-testid="custody-hash"
                    >
                      {e.sha256 ? shortHash(e.sha256) : <span className="muted">—</span>}
                    </td>
                  </tr>
                  {hasDetail && (
                    <tr className="custody-detail">
                      <td colSpan={4}>
                        {(e.from || e.to) && (
                          <span className="custody-from-to" data-testid="custody-from-to">
                            {e.from || '—'} → {e.to || '—'}
                          </span>
                        )}
                        {e.purpose && (
                          <span className="custody-purpose" data-testid="custody-purpose">
                            {e.purpose}
                          </span>
                        )}
                        {e.note && (
                          <span className="custody-note muted" data-testid="custody-note">
                            {e.note}
                          </span>
                        )}
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      {events.length > 0 && (
        <p className="muted small custody-footnote">
          Hover a hash for the full value and the record's place in the chain.{' '}
          <button
            type="button"
            className="link-button small"
            data-testid="custody-correct"
            onClick={() => openDialog(addCustodyDialog(a, events, events[events.length - 1]))}
          >
            Correct an event…
          </button>
        </p>
      )}
    </section>
  );
}
