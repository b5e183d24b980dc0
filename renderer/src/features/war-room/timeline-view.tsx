// The timeline: a virtual list over the whole incident record in event-time order, newest at the
// bottom, following new entries while the reader is at the bottom. Only the rows on screen exist in
// the page, and every row has the same height (long text is clamped, the whole entry opens on
// click), so the list never re-measures 50,000 rows while scrolling.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { rowHeight, TimelineRow, TimelineRowPlaceholder } from './timeline-row';
import { useTimelineWindow } from './use-timeline-window';
import { useRoom } from './war-room-queries';

const firstRenderMark = 'holdfast:timeline-first-render';
// Stable across renders, so the virtualizer's cached row positions stay valid while scrolling.
const estimateSize = () => rowHeight;

export function TimelineView({ incidentId }: { incidentId: string }) {
  const filter = useStore((s) => s.timelineFilter);
  const focusEntryId = useStore((s) => s.focusEntryId);
  const setFocusEntry = useStore((s) => s.setFocusEntry);
  const { total, entryAt, ensure, error } = useTimelineWindow(incidentId, filter);
  // A closed incident's record is final: its entries can be pinned, not corrected.
  const isClosed = useRoom(incidentId).value?.incident.status === 'closed';
  const scroller = useRef<HTMLDivElement>(null);
  const isAtBottom = useRef(true);
  const hasMarked = useRef(false);
  const count = total ?? 0;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: 6,
    // Render the rows of a scroll position with React's normal batching, not synchronously inside
    // the scroll event: a fast scroll then costs one render a frame, not one per event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (count > 0) ensure(first, last);
  }, [first, last, count, ensure]);

  // Follow the newest entry while the reader is at the bottom (as a scribe typing is).
  useLayoutEffect(() => {
    if (count > 0 && isAtBottom.current) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  // Whoever just wrote an entry sees the newest entries again (backdated ones land further up).
  const followLatest = useStore((s) => s.followLatest);
  useEffect(() => {
    if (followLatest === 0) return;
    isAtBottom.current = true;
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    // Only on a new request: a change of count is followed by the layout effect above.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [followLatest]);

  // Jump to an entry asked for by a search hit or a correction link.
  useEffect(() => {
    if (!focusEntryId) return;
    let isCurrent = true;
    void client()
      .call('timeline.locate', { incidentId, entryId: focusEntryId, filter })
      .then(({ position }) => {
        if (!isCurrent) return;
        if (position === null) {
          // Hidden by the filter: show everything, then look again; not there at all: give up.
          if (Object.keys(filter).length > 0) useStore.getState().setTimelineFilter({});
          else setFocusEntry(null);
          return;
        }
        isAtBottom.current = false;
        virtualizer.scrollToIndex(position, { align: 'center' });
        window.setTimeout(() => isCurrent && setFocusEntry(null), 2500);
      })
      .catch((error: unknown) => {
        setFocusEntry(null);
        useStore.getState().showRoomError(error);
      });
    return () => {
      isCurrent = false;
    };
  }, [focusEntryId, incidentId, filter, virtualizer, setFocusEntry]);

  const hasData = items.some((item) => entryAt(item.index) !== undefined);
  useEffect(() => {
    if (hasData && !hasMarked.current) {
      hasMarked.current = true;
      // The frame after the commit: the rows have been painted by then.
      requestAnimationFrame(() => performance.mark(firstRenderMark));
    }
  }, [hasData]);

  return (
    <div className="timeline">
      {error && (
        <div className="banner banner-bad" role="alert">
          Could not read the timeline: {error}
        </div>
      )}
      <div
        ref={scroller}
        className="timeline-scroller"
        data-testid="timeline-scroller"
        role="log"
        aria-label="Incident timeline"
        onScroll={(event) => {
          const el = event.currentTarget;
          isAtBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        }}
      >
        {total === 0 && <p className="muted timeline-empty">Nothing on the timeline yet. Type below to record what is happening.</p>}
        <div className="timeline-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entryAt(item.index);
            return (
              <div key={item.key} className="timeline-slot" style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}>
                {entry ? <TimelineRow entry={entry} isFocused={entry.id === focusEntryId} isClosed={isClosed} /> : <TimelineRowPlaceholder />}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
