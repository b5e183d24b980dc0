// Browser notifications for every incident not closed, whatever screen is open (the incident list,
// another incident's war room, Settings): mounted once for the app. Each incident's room and
// stakeholder updates are read through the war room's own queries (war-room-queries.ts), so the cache
// is the one the war room shows and the engine's events keep it fresh (data/invalidation.ts); what
// needs this person in it is lib/notify's alertsFor. A click on a notification opens that war room.
import { useEffect, useMemo } from 'react';
import { alertsFor, notify, onNotificationSetting, useAskNotificationPermission, watchedIncidents } from '../../lib/notify';
import { useStore } from '../../store';
import { useIncidents } from '../incidents/incident-queries';
import { useCommsRoom, useRoom } from '../war-room/war-room-queries';

/** Deadlines pass without any change to a room: checked again this often. */
const recheckMs = 15_000;

function IncidentAlerts({ incidentId, me }: { incidentId: string; me: string }) {
  const room = useRoom(incidentId).value;
  const comms = useCommsRoom(incidentId).value;
  const openIncident = useStore((s) => s.openIncident);

  useEffect(() => {
    if (!room || !me) return;
    const check = () => notify(alertsFor(room, comms, me, Date.now()), () => openIncident(incidentId));
    check();
    const timer = setInterval(check, recheckMs);
    const unsubscribe = onNotificationSetting(check);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [room, comms, me, incidentId, openIncident]);
  return null;
}

/** Notifies what needs this person on any incident not closed; asks permission at the first click or key. */
export function IncidentNotifications() {
  const me = useStore((s) => s.appInfo?.actorId ?? '');
  const incidents = useIncidents().value;
  const watched = useMemo(() => watchedIncidents(incidents ?? []), [incidents]);
  useAskNotificationPermission();
  return (
    <>
      {watched.map((id) => (
        <IncidentAlerts key={id} incidentId={id} me={me} />
      ))}
    </>
  );
}
