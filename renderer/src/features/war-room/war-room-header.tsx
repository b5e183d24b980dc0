// The war room header, readable across a room: severity, status with the next moves, elapsed time,
// drill flag, milestone times (local and UTC), active deployment freezes and who holds each role;
// the most urgent stakeholder-update clock beside the status, and the tabs that switch the main
// pane between the timeline, the stakeholder updates and the post-incident review on its lower edge.
// A legal hold shows as a badge beside the title. Compact, so the timeline keeps the height beside a
// video call: the milestones, role holders and pane tabs share one row.
import { isFreezeActive } from '@shared/domain/freeze';
import type { WarRoom } from '@shared/domain/incident';
import { roleTitles } from '@shared/domain/incident-roles';
import { milestoneLabels, milestones, nextStatuses } from '@shared/domain/lifecycle';
import { elapsed, localClock, localTime, utcClock, utcTime } from '../../lib/time';
import { When } from '../../lib/when';
import { useStore } from '../../store';
import { useOpenCommsRoom } from './war-room-queries';
import { DueBadge } from '../comms/cadence-strip';
import { SeverityBadge } from '../incidents/severity-badge';
import { StatusLabel } from '../incidents/status-label';
import { gatedButton } from './action-gates';
import { SyncTruthBar } from './sync-truth-bar';
import { OutageBanner } from '../outage/outage-banner';
import type { Action } from './actions';

export function WarRoomHeader({ room, now, actions }: { room: WarRoom; now: number; actions: Action[] }) {
  const { incident } = room;
  const closeIncident = useStore((s) => s.closeIncident);
  const setPaletteOpen = useStore((s) => s.setPaletteOpen);
  const run = (id: string) => actions.find((a) => a.id === id)?.run();
  const gate = (id: string) => gatedButton(actions.find((a) => a.id === id));
  const freezes = room.freezes.filter((f) => isFreezeActive(f, now));
  const end = incident.milestones.resolved ?? now;

  return (
    <header className="war-header" data-testid="war-header">
      <div className="war-title-row">
        <button type="button" className="link-button" onClick={closeIncident} data-testid="back-to-incidents">
          ← Incidents
        </button>
        <SeverityBadge severity={incident.severity} />
        <h1 className="war-title" data-testid="war-title">
          {incident.title}
        </h1>
        {incident.isDrill && <span className="drill-badge">DRILL</span>}
        {incident.isLegalHold && (
          <button
            type="button"
            className="legal-hold-badge"
            title={gate('legal-hold').title ?? `Legal hold: ${incident.legalHoldReason}. Kept whatever the retention setting says. Click to lift it.`}
            disabled={gate('legal-hold').disabled}
            data-testid="legal-hold-badge"
            onClick={() => run('legal-hold')}
          >
            Legal hold
          </button>
        )}
        <span className="war-elapsed mono" title={`Declared ${localTime(incident.declaredAt)} · ${utcTime(incident.declaredAt)}`} data-testid="war-elapsed">
          {incident.milestones.closed !== null && incident.status === 'closed'
            ? `Was open for ${elapsed(incident.declaredAt, incident.milestones.closed)}`
            : elapsed(incident.milestones.detected ?? incident.declaredAt, end)}
        </span>
        <button type="button" className="button" onClick={() => setPaletteOpen(true)} data-testid="open-palette">
          Actions <kbd>Ctrl</kbd>+<kbd>K</kbd>
        </button>
      </div>
      <div className="war-status-row">
        <span data-testid="war-status">
          <StatusLabel status={incident.status} />
        </span>
        <DueBadge />
        {nextStatuses(incident.status).map((to) => (
          <button key={to} type="button" className="button button-small" data-testid={`status-to-${to}`} onClick={() => run(`status:${to}`)} {...gate(`status:${to}`)}>
            → {to}
          </button>
        ))}
        <span className="muted small severity-meaning">{room.severityMeanings[incident.severity]}</span>
        {incident.type && <span className="tag">{incident.type}</span>}
        {incident.services.map((s) => (
          <span key={s} className="tag tag-service">
            {s}
          </span>
        ))}
      </div>
      <div className="war-facts-row">
        <dl className="milestones" data-testid="milestones">
          {milestones.map((m) => {
            const at = incident.milestones[m];
            return (
              <div key={m} className={at === null ? 'milestone is-pending' : 'milestone'}>
                <dt>{milestoneLabels[m]}</dt>
                <dd title={at === null ? undefined : utcTime(at)} data-testid={`milestone-${m}`}>
                  {at === null ? '—' : localClock(at)}
                  {at !== null && <span className="muted small mono milestone-utc"> {utcClock(at)}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
        <button type="button" className="link-button small" onClick={() => run('correct-milestone')} data-testid="correct-milestone" {...gate('correct-milestone')}>
          correct a time
        </button>
        <ul className="role-strip" aria-label="Who holds each role">
          {room.seats
            .filter((s) => s.role !== 'sme' && s.holderId)
            .map((seat) => (
              <li key={seat.id}>
                <span className="muted small">{roleTitles[seat.role]}</span> {seat.holderId}
              </li>
            ))}
        </ul>
        <WarPaneTabs />
      </div>
      {freezes.map((freeze) => (
        <div key={freeze.id} className="freeze-banner" role="status" data-testid="freeze-banner">
          <strong>DEPLOYMENT FREEZE</strong> {freeze.scope} — {freeze.reason}
          <span className="muted small">
            {' '}
            by {freeze.declaredBy} since <When ms={freeze.since} />
            {freeze.until !== null && (
              <>
                , until <When ms={freeze.until} />
              </>
            )}
          </span>
          <button type="button" className="button button-small" data-testid="lift-freeze" onClick={() => run(`lift:${freeze.id}`)} {...gate(`lift:${freeze.id}`)}>
            Lift
          </button>
        </div>
      ))}
      <SyncTruthBar />
      <OutageBanner />
    </header>
  );
}

/** Timeline, stakeholder updates or review: what the war room's main pane shows (tabs on the header's lower edge). */
function WarPaneTabs() {
  const pane = useStore((s) => s.warPane);
  const setWarPane = useStore((s) => s.setWarPane);
  const comms = useOpenCommsRoom().value;
  const drafts = comms?.drafts.length ?? 0;
  const awaiting = comms?.drafts.filter((d) => d.state === 'awaiting-approval').length ?? 0;
  return (
    <div className="tabs war-pane-tabs" role="tablist" aria-label="War room panes">
      <button type="button" role="tab" className="tab" aria-selected={pane === 'timeline'} data-testid="pane-timeline" onClick={() => setWarPane('timeline')}>
        Timeline
      </button>
      <button type="button" role="tab" className="tab" aria-selected={pane === 'updates'} data-testid="pane-updates" onClick={() => setWarPane('updates')}>
        Stakeholder updates
        {drafts > 0 && (
          <span className="muted small" data-testid="pane-updates-count">
            {' '}
            · {drafts} draft{drafts === 1 ? '' : 's'}
            {awaiting > 0 && `, ${awaiting} awaiting approval`}
          </span>
        )}
      </button>
      <button type="button" role="tab" className="tab" aria-selected={pane === 'review'} data-testid="pane-review" onClick={() => setWarPane('review')}>
        Review
      </button>
    </div>
  );
}
