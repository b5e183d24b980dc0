// "As seen by <person> at <time>": the timeline as one responder could have known it at a moment
// (from the receipts every laptop signs; docs/knowledge.md), each of their decisions as a moment to
// look from, and the decisions taken without entries written minutes before, with the split war
// rooms those make, in words.
import { useEffect, useState } from 'react';
import { describeDecision, describeSplit, type EntryAsSeen, type KnowledgeView } from '@shared/domain/knowledge';
import { fromLocalInput, localWhen, toLocalInput, utcClock } from '../../lib/time';
import { useEngineQuery } from '../../data/use-engine-query';
import './knowledge-panel.css';

const stateLabels: Record<EntryAsSeen['state'], string> = { seen: 'Held', unseen: 'Had not reached them', unknown: 'Not covered by receipts yet' };

export function KnowledgePanel({ incidentId }: { incidentId: string }) {
  const [person, setPerson] = useState('');
  const [at, setAt] = useState<number | null>(null);
  // Read again when the incident or its timeline changes (data/invalidation.ts); the last answer
  // stays shown while another person or moment is read.
  const knowledge = useEngineQuery('reviews.knowledge', { incidentId, ...(person ? { person } : {}), ...(at !== null ? { at } : {}) }, { keepPrevious: true });
  const view: KnowledgeView | null = knowledge.value;
  const error = knowledge.error;

  // Someone to look from once the people are known: the first who decided, else the first named.
  useEffect(() => {
    if (person || !view || view.people.length === 0) return;
    setPerson(view.decisions[0]?.decision.authorId ?? view.people[0].name);
  }, [view, person]);

  const flagged = view?.decisions.filter((d) => d.missed.length > 0) ?? [];
  const chosen = view?.people.find((p) => p.name === person);
  const theirDecisions = view?.decisions.filter((d) => d.decision.authorId === person) ?? [];
  const shown = view?.view;

  return (
    <section className="knowledge-panel" aria-label="What each responder could know" data-testid="knowledge-panel">
      <h3>What each responder could know</h3>
      {error && (
        <p className="form-error" role="alert" data-testid="knowledge-error">
          {error}
        </p>
      )}
      {view && view.splits.length > 0 && (
        <div className="knowledge-splits" role="status" data-testid="knowledge-splits">
          {view.splits.map((flag) => (
            <p key={`${flag.decisions[0].id}/${flag.decisions[1].id}`} className="knowledge-split" data-testid="knowledge-split">
              {describeSplit(flag, localWhen)}
            </p>
          ))}
        </div>
      )}
      {flagged.length > 0 && (
        <ul className="knowledge-decisions" data-testid="knowledge-decisions">
          {flagged.map((check) => (
            <li key={check.decision.id} data-testid="knowledge-decision">
              {describeDecision(check, localWhen)}
            </li>
          ))}
        </ul>
      )}
      {view && flagged.length === 0 && view.decisions.length > 0 && (
        <p className="muted small" data-testid="knowledge-no-flags">
          Every decision was taken with the entries others wrote more than {view.thresholdMs / 60_000} minutes before it.
        </p>
      )}

      {view && view.people.length === 0 && (
        <p className="muted small" data-testid="knowledge-empty">
          Nothing on the timeline yet. Each laptop signs when it first held what others wrote, so this shows who could know what, and when.
        </p>
      )}
      {view && view.people.length > 0 && (
        <div className="knowledge-view" data-testid="knowledge-view">
          <div className="knowledge-bar">
            <h4 data-testid="knowledge-title">
              As seen by {person || '…'} at {shown ? <span title={utcClock(shown.at)}>{localWhen(shown.at)}</span> : '…'}
            </h4>
            <label>
              <span className="muted small">Person</span>{' '}
              <select
                className="compact-control"
                data-testid="knowledge-person"
                value={person}
                onChange={(e) => {
                  setPerson(e.target.value);
                  setAt(null);
                }}
              >
                {view.people.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="muted small">Time</span>{' '}
              <input
                type="datetime-local"
                step={1}
                className="compact-control"
                data-testid="knowledge-at"
                value={shown ? toLocalInput(shown.at) : ''}
                onChange={(e) => {
                  const ms = fromLocalInput(e.target.value);
                  if (ms !== null) setAt(ms);
                }}
              />
            </label>
            <button type="button" className="link-button small" data-testid="knowledge-latest" onClick={() => setAt(null)}>
              latest
            </button>
          </div>
          {theirDecisions.length > 0 && (
            <div className="knowledge-moments" role="group" aria-label="At each decision" data-testid="knowledge-moments">
              <span className="muted small">At each decision:</span>
              {theirDecisions.map((d) => (
                <button
                  key={d.decision.id}
                  type="button"
                  className="chip"
                  aria-pressed={shown?.at === d.decision.recordedAt}
                  data-testid="knowledge-moment"
                  onClick={() => setAt(d.decision.recordedAt)}
                >
                  {localWhen(d.decision.recordedAt)} {d.decision.text.length > 40 ? `${d.decision.text.slice(0, 39)}…` : d.decision.text}
                </button>
              ))}
            </div>
          )}
          {chosen && chosen.devices === 0 && (
            <p className="muted small" data-testid="knowledge-no-receipts">
              No laptop of {chosen.name}&apos;s has sent receipts for this incident: only their own entries are known to have reached them.
            </p>
          )}
          {shown && (
            <>
              <p className="small muted" data-testid="knowledge-counts">
                {shown.counts.seen} held · {shown.counts.unseen} had not reached {shown.person}
                {shown.counts.unknown > 0 && ` · ${shown.counts.unknown} not covered by receipts yet`}
              </p>
              <ol className="knowledge-entries" data-testid="knowledge-entries">
                {shown.entries.map((entry) => (
                  <li key={entry.id} className={`knowledge-entry is-${entry.state}`} data-testid="knowledge-entry" data-state={entry.state}>
                    <span className="knowledge-when mono small" title={utcClock(entry.recordedAt)}>
                      {localWhen(entry.recordedAt)}
                    </span>
                    <span className="knowledge-who small">{entry.authorId}</span>
                    <span className="knowledge-kind small muted">{entry.kind}</span>
                    <span className="knowledge-text">{entry.text}</span>
                    <span className="knowledge-state small" data-testid="knowledge-entry-state">
                      {entry.state === 'seen' && entry.authorId === shown.person
                        ? 'Theirs'
                        : entry.state === 'seen' && entry.heldAt !== null
                          ? `Held from ${localWhen(entry.heldAt)}`
                          : stateLabels[entry.state]}
                    </span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </section>
  );
}
