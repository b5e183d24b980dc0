// The war room of one incident: header, timeline with its quick-entry box, the services it names
// (tier, owners, blast radius), roles, tasks, runbooks and evidence, the runbook or artifact drawer,
// the action dialog and the command palette (Ctrl/Cmd+K; E goes to the entry box, / to search).
// The main pane switches between the timeline, the comms lead's stakeholder updates and the
// post-incident review; the last two take the whole width (each shows its preview beside it).
import { useMemo } from 'react';
import { useNow } from '../../lib/use-now';
import { useStore } from '../../store';
import { ServicesPanel } from '../catalog/services-panel';
import { CommsPanel, useCommsUpdates } from '../comms/comms-panel';
import { commsActions } from '../comms/comms-palette';
import { ReviewPane } from '../reviews/review-pane';
import { IntegrationsPanel } from '../integrations/integrations-panel';
import { integrationActions } from '../integrations/page-actions';
import { ActionDialog } from './action-dialog';
import { useTrustStatus } from '../../lib/use-may-write';
import { gateActions } from './action-gates';
import { warRoomActions } from './actions';
import { isOfferedWhenClosed } from './close-incident';
import { CommandPalette } from './command-palette';
import { EntryDetails } from './entry-details';
import { EvidenceArtifactView } from './evidence/evidence-artifact-view';
import { EvidencePanel } from './evidence-panel';
import { QuickEntry } from './quick-entry';
import { RolesPanel } from './roles-panel';
import { RunbookRunView } from './runbook-run-view';
import { RunbooksPanel } from './runbooks-panel';
import { TasksPanel } from './tasks-panel';
import { TimelineToolbar } from './timeline-toolbar';
import { TimelineView } from './timeline-view';
import { WarRoomHeader } from './war-room-header';
import { useWarRoomKeys } from './war-room-keys';
import { useCommsRoom, useEvidence, useRoom, useRunbooks } from './war-room-queries';
import './war-room-page.css';

export function WarRoomPage({ incidentId }: { incidentId: string }) {
  const { value: room, error: roomReadError, reload: readRoomAgain } = useRoom(incidentId);
  const actionError = useStore((s) => s.roomError);
  // A refused action says so first; a room that cannot be read says so until it can.
  const roomError = actionError ?? roomReadError;
  const me = useStore((s) => s.appInfo?.actorId ?? '');
  const { runs, suggested } = useRunbooks(incidentId);
  const artifacts = useEvidence(incidentId).value?.artifacts;
  const pane = useStore((s) => s.warPane);
  const comms = useCommsRoom(incidentId).value;
  const now = useNow(1000);
  useCommsUpdates(incidentId);
  // Rebuilt when the room changes (not every second): the palette and buttons read it.
  const trust = useTrustStatus();
  const actions = useMemo(
    () =>
      room && room.incident.id === incidentId
        ? gateActions(
            [
              ...warRoomActions(room, me, Date.now(), { runs, suggested }, artifacts),
              ...commsActions(incidentId, comms),
              ...integrationActions(incidentId, room.incident.services),
            ],
            trust,
          ).filter((action) => room.incident.status !== 'closed' || isOfferedWhenClosed(action.id))
        : [],
    [room, incidentId, me, runs, suggested, artifacts, comms, trust],
  );

  // Ctrl/Cmd+K, E (the entry box) and / (search): ./war-room-keys.
  useWarRoomKeys();

  return (
    <div className="war-room" data-testid="war-room">
      {room && room.incident.id === incidentId ? <WarRoomHeader room={room} now={now} actions={actions} /> : <p className="muted">Opening the war room…</p>}
      {roomError && (
        <div className="banner banner-bad banner-with-action" role="alert" data-testid="war-error">
          <span className="banner-text">{roomError}</span>{' '}
          {actionError ? (
            <button type="button" className="link-button small" data-testid="war-error-dismiss" onClick={() => useStore.getState().dismissRoomError()}>
              Dismiss
            </button>
          ) : (
            <button type="button" className="link-button small" data-testid="war-error-retry" onClick={readRoomAgain}>
              Try again
            </button>
          )}
        </div>
      )}
      <div className={`war-body war-pane-${pane}`}>
        {pane === 'updates' ? (
          <CommsPanel incidentId={incidentId} />
        ) : pane === 'review' ? (
          room && room.incident.id === incidentId && <ReviewPane room={room} />
        ) : (
          <section className="war-timeline" aria-label="Timeline">
            <TimelineToolbar incidentId={incidentId} />
            <TimelineView incidentId={incidentId} />
            {room?.incident.status === 'closed' ? <ClosedNote /> : <QuickEntry incidentId={incidentId} />}
          </section>
        )}
        {pane === 'timeline' && room && room.incident.id === incidentId && (
          <aside className="war-side">
            {room.incident.services.length > 0 && <ServicesPanel key={`${incidentId}:${room.incident.services.join('\n')}`} incidentId={incidentId} />}
            <RolesPanel room={room} actions={actions} me={me} now={now} />
            <TasksPanel tasks={room.tasks} actions={actions} now={now} />
            <IntegrationsPanel incidentId={incidentId} services={room.incident.services} />
            <RunbooksPanel incidentId={incidentId} />
            <EvidencePanel room={room} />
          </aside>
        )}
        {pane === 'timeline' && room && room.incident.id === incidentId && <RunbookRunView room={room} me={me} />}
        {pane === 'timeline' && room && room.incident.id === incidentId && <EvidenceArtifactView me={me} />}
      </div>
      <ActionDialog />
      <EntryDetails />
      <CommandPalette actions={actions} />
    </div>
  );
}

/** In place of the entry box once the incident is closed: what is still possible. */
function ClosedNote() {
  return (
    <p className="quick-entry closed-note muted small" role="note" data-testid="closed-note">
      This incident is closed and its record is final: no new entries, tasks, roles or freezes. Pins, milestone corrections, the review and reports stay possible.
    </p>
  );
}
