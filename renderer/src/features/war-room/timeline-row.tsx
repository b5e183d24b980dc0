// One timeline entry: when it happened (local and UTC), its kind and author, the text, and its
// state: pinned, pending sync, corrected (struck through, linked to the correction) or a correction,
// and how it is vouched for: unverified (a guest's own name) or unsigned (written before signing).
import { memo } from 'react';
import type { TimelineEntry } from '@shared/domain/timeline';
import { fullWhen, localClock, utcClock, utcTime } from '../../lib/time';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { correctEntryDialog } from './entry-dialogs';

/** Every row's height in pixels: fixed, so that the virtual list never measures rows. Compact (two
 * short lines), so a 1024×700 window beside a video call still shows a screenful of entries. */
export const rowHeight = 40;

export const TimelineRow = memo(function TimelineRow({ entry, isFocused, isClosed }: { entry: TimelineEntry; isFocused: boolean; isClosed: boolean }) {
  // Actions are read when clicked, not subscribed to: a scroll mounts a screenful of rows a frame.
  const { setFocusEntry, openDialog, setShownEntry: showEntry, showRoomError } = useStore.getState();
  const isCorrected = entry.correctedBy.length > 0;
  const isLate = Math.abs(entry.recordedAt - entry.eventAt) > 60_000;
  const classes = ['timeline-row', `kind-${entry.kind}`, isCorrected && 'is-corrected', entry.isPinned && 'is-pinned', isFocused && 'is-focused']
    .filter(Boolean)
    .join(' ');
  // Automatic entries are one compact line: they carry who did what in their text.
  const isSystem = entry.kind === 'system';

  return (
    <article className={classes} data-testid="timeline-row" data-entry-id={entry.id} data-kind={entry.kind}>
      <div className="timeline-time" title={`${fullWhen(entry.eventAt)} · recorded ${utcTime(entry.recordedAt)}`}>
        <time dateTime={new Date(entry.eventAt).toISOString()} className="mono">
          {localClock(entry.eventAt)}
        </time>
        <span className="mono muted small">{utcClock(entry.eventAt)}</span>
      </div>
      <div className="timeline-body">
        <div className="timeline-meta" hidden={isSystem && !entry.isPending && !entry.source && !entry.refusal && entry.trust !== 'guest'}>
          <span className={`kind-badge kind-badge-${entry.kind}`}>{entry.kind}</span>
          <span className="timeline-author">{entry.source ? `${entry.source} (via ${entry.authorId})` : entry.authorId}</span>
          {entry.trust === 'guest' && (
            <span
              className="trust-badge trust-guest"
              data-testid="entry-unverified"
              title="A guest admitted at a war-room hub wrote this: the name is their own claim, not checked by your organisation"
            >
              unverified: named by themselves
            </span>
          )}
          {entry.trust === 'unsigned' && (
            <span className="trust-badge trust-unsigned" data-testid="entry-unsigned" title="Written before Holdfast signed entries: no device signature vouches for it">
              unsigned
            </span>
          )}
          {isLate && <span className="muted small">recorded {localClock(entry.recordedAt)}</span>}
          {entry.isPending && (
            <span className="pending-badge" data-testid="entry-pending" title="Written here, not yet on any other replica">
              pending sync
            </span>
          )}
          {entry.refusal && (
            <span className="refused-badge" data-testid="entry-refused" title={entry.refusal}>
              refused by server
            </span>
          )}
          {entry.corrects && (
            <button type="button" className="link-button small" onClick={() => setFocusEntry(entry.corrects)}>
              corrects an earlier entry
            </button>
          )}
          {isCorrected && (
            <button type="button" className="link-button small" data-testid="entry-corrected-link" onClick={() => setFocusEntry(entry.correctedBy.at(-1) ?? null)}>
              corrected below
            </button>
          )}
        </div>
        <p className="timeline-text" data-testid="entry-text" title={entry.text.length > 120 ? entry.text : undefined} onClick={() => showEntry(entry)}>
          {entry.text}
        </p>
      </div>
      <div className="timeline-actions">
        <button
          type="button"
          className={`icon-button${entry.isPinned ? ' is-on' : ''}`}
          data-testid="entry-pin"
          aria-pressed={entry.isPinned}
          aria-label="Pin as a key entry"
          title={entry.isPinned ? 'Unpin' : 'Pin as a key entry'}
          onClick={() => void client().call('timeline.pin', { entryId: entry.id, isPinned: !entry.isPinned }).catch(showRoomError)}
        >
          {entry.isPinned ? '★' : '☆'}
        </button>
        {entry.kind !== 'system' && !isCorrected && !isClosed && (
          <button
            type="button"
            className="icon-button"
            data-testid="entry-correct"
            aria-label="Correct this entry"
            title="Correct this entry (the original stays, struck through)"
            onClick={() => openDialog(correctEntryDialog(entry))}
          >
            ✎
          </button>
        )}
      </div>
    </article>
  );
});

export function TimelineRowPlaceholder() {
  return <div className="timeline-row timeline-row-placeholder" aria-hidden="true" />;
}
