// The update clocks: one card per audience with when its next update is due (amber when soon, red
// when overdue, "as needed" without a clock) and where its draft stands. The cards are the
// audience tabs of the updates pane. The war-room header shows the most urgent clock as a badge.
import type { KeyboardEvent } from 'react';
import { audienceLabels, audiences, type Audience, type CadenceStatus } from '@shared/domain/comms';
import type { CommsRoom } from '@shared/domain/comms-api';
import { localTime, utcTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { useStore } from '../../store';
import { useOpenCommsRoom } from '../war-room/war-room-queries';
import { cadenceText, dueBadgeText, liveCadence, mostUrgent } from './cadence';
import { useCommsView } from './comms-view-store';
import { updateStateLabels } from './labels';
import './comms.css';

/** Clocks are recomputed on this replica every 30 s from their due times. */
const tickMs = 30_000;

export function CadenceStrip({ room }: { room: CommsRoom }) {
  // The tick re-renders; the time is read at each render, so a room read shows the right minutes at once.
  useNow(tickMs);
  const now = Date.now();
  const audience = useCommsView((s) => s.audience);
  const show = useCommsView((s) => s.show);
  const byAudience = new Map(room.cadence.map((c) => [c.audience, liveCadence(c, now)]));

  // Arrow keys move between the audiences, as in any tab strip.
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = audiences[(audiences.indexOf(audience) + step + audiences.length) % audiences.length];
    show(next);
    document.querySelector<HTMLElement>(`[data-testid="cadence-${next}"]`)?.focus();
  };

  return (
    <div className="cadence-strip" role="tablist" aria-label="Audiences and their update clocks" data-testid="cadence-strip" onKeyDown={onKeyDown}>
      {audiences.map((a) => (
        <CadenceCard
          key={a}
          audience={a}
          status={byAudience.get(a)}
          now={now}
          isSelected={a === audience}
          drafts={room.drafts.filter((d) => d.audience === a)}
          published={room.published.filter((p) => p.audience === a).length}
          onSelect={() => show(a)}
        />
      ))}
    </div>
  );
}

function CadenceCard(props: {
  audience: Audience;
  status: CadenceStatus | undefined;
  now: number;
  isSelected: boolean;
  drafts: CommsRoom['drafts'];
  published: number;
  onSelect: () => void;
}) {
  const { audience, status, now, isSelected, drafts } = props;
  const level = status?.level ?? 'none';
  const draft = drafts[0];
  return (
    <button
      type="button"
      role="tab"
      aria-selected={isSelected}
      tabIndex={isSelected ? 0 : -1}
      className={`cadence-card cadence-${level}`}
      data-testid={`cadence-${audience}`}
      data-level={level}
      onClick={props.onSelect}
    >
      <span className="cadence-audience">{audienceLabels[audience]}</span>
      <span className="cadence-due" data-testid="cadence-due" title={status?.dueAt != null ? `${localTime(status.dueAt)} · ${utcTime(status.dueAt)}` : undefined}>
        {status ? cadenceText(status, now) : 'No clock: the incident is resolved'}
      </span>
      <span className="cadence-meta small muted">
        {status?.intervalMin != null ? `every ${status.intervalMin} min` : 'as needed'}
        {' · '}
        {props.published === 0 ? 'none published' : `${props.published} published`}
        {draft && (
          <>
            {' · '}
            <span className={`cadence-draft update-state-${draft.state}`} data-testid="cadence-draft">
              {updateStateLabels[draft.state].toLowerCase()}
            </span>
          </>
        )}
      </span>
    </button>
  );
}

/** The war-room header's badge: the most urgent update clock; opens the updates pane at that audience. */
export function DueBadge() {
  const cadence = useOpenCommsRoom().value?.cadence;
  const setWarPane = useStore((s) => s.setWarPane);
  const show = useCommsView((s) => s.show);
  useNow(tickMs);
  const now = Date.now();
  if (!cadence) return null;
  const urgent = mostUrgent(cadence.map((c) => liveCadence(c, now)));
  if (!urgent) return null;
  return (
    <button
      type="button"
      className={`due-badge cadence-${urgent.level}`}
      data-testid="due-badge"
      data-level={urgent.level}
      data-audience={urgent.audience}
      title={urgent.dueAt === null ? undefined : `Due ${localTime(urgent.dueAt)} · ${utcTime(urgent.dueAt)}: open the updates`}
      onClick={() => {
        show(urgent.audience, 'draft');
        setWarPane('updates');
      }}
    >
      {dueBadgeText(urgent, now)}
    </button>
  );
}
