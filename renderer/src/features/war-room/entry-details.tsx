// One timeline entry shown whole: its full text (rows clamp long text to keep the list fast), when
// it happened and when it was recorded, in local time and UTC, and its correction links.
import { useEffect, useRef } from 'react';
import { fullWhen } from '../../lib/time';
import { useStore } from '../../store';

export function EntryDetails() {
  const entry = useStore((s) => s.shownEntry);
  const setShownEntry = useStore((s) => s.setShownEntry);
  const setFocusEntry = useStore((s) => s.setFocusEntry);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (entry && !element.open) element.showModal();
    else if (!entry && element.open) element.close();
  }, [entry]);

  const jumpTo = (id: string | null) => {
    setShownEntry(null);
    setFocusEntry(id);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-label="Timeline entry" data-testid="entry-details" onClose={() => setShownEntry(null)}>
      {entry && (
        <>
          <h2>
            <span className={`kind-badge kind-badge-${entry.kind}`}>{entry.kind}</span> by {entry.source ? `${entry.source} (via ${entry.authorId})` : entry.authorId}
          </h2>
          <p className="entry-full-text" data-testid="entry-full-text">
            {entry.text}
          </p>
          <dl className="facts">
            <dt>Happened</dt>
            <dd>{fullWhen(entry.eventAt)}</dd>
            <dt>Recorded</dt>
            <dd>{fullWhen(entry.recordedAt)}</dd>
            <dt>Sync</dt>
            <dd>
              {entry.refusal ? `refused by the server: ${entry.refusal}` : entry.isPending ? 'pending: not yet on any other replica' : 'on this replica and its peers'}
            </dd>
          </dl>
          <div className="dialog-actions">
            {entry.corrects && (
              <button type="button" className="button" onClick={() => jumpTo(entry.corrects)}>
                Show the entry it corrects
              </button>
            )}
            {entry.correctedBy.length > 0 && (
              <button type="button" className="button" onClick={() => jumpTo(entry.correctedBy.at(-1) ?? null)}>
                Show the correction
              </button>
            )}
            <button type="button" className="button button-primary" onClick={() => setShownEntry(null)}>
              Close
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
