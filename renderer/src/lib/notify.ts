// Browser notifications for what needs this person while they look elsewhere: a role offered to
// them, an update waiting for their approval, a stakeholder update overdue (for the comms lead, or
// the commander and deputy when nobody holds comms), on any incident not closed, whatever screen is
// open (features/shell/incident-notifications.tsx mounts them once for the app). Permission is asked
// once, at the first click or key anywhere in the app, and a setting (Settings → Notifications) turns
// them off. Each alert is shown once per session; clicking one opens that incident's war room. Pure
// parts (alertsFor, watchedIncidents) are tested; the browser parts are thin.
import { useEffect } from 'react';
import type { CommsRoom } from '@shared/domain/comms-api';
import type { Incident, WarRoom } from '@shared/domain/incident';
import { roleTitles } from '@shared/domain/incident-roles';
import { audienceLabels } from '@shared/domain/comms';

export interface Alert {
  /** Shown once per key: a new offer, request or deadline has a new key. */
  key: string;
  title: string;
  body: string;
}

/** What needs `me` in this war room now. */
export function alertsFor(room: WarRoom, comms: CommsRoom | null, me: string, now: number): Alert[] {
  const { incident } = room;
  const alerts: Alert[] = [];
  if (incident.status === 'closed' || !me) return alerts;
  const holds = (role: string) => room.seats.some((s) => s.role === role && s.holderId === me);
  for (const seat of room.seats) {
    if (seat.offeredTo !== me) continue;
    const title = seat.role === 'sme' ? `${roleTitles.sme}: ${seat.label}` : roleTitles[seat.role];
    alerts.push({
      // An offer made again (after a decline or a withdrawal) is news again: its time is in the key.
      key: `offer:${seat.id}:${seat.offeredBy ?? ''}:${seat.offeredAt ?? 0}`,
      title: `${title} offered to you`,
      body: `${seat.offeredBy ?? 'Someone'} offers you ${title} on "${incident.title}". Accept or decline in the war room.`,
    });
  }
  if (comms && comms.incidentId === incident.id) {
    const isCommand = holds('commander') || holds('deputy');
    for (const draft of comms.drafts) {
      if (draft.state !== 'awaiting-approval' || draft.author === me) continue;
      if (draft.approver !== me && !(draft.approver === null && isCommand)) continue;
      alerts.push({
        key: `approval:${draft.id}:${draft.requestedAt ?? 0}`,
        title: 'Approval requested',
        body: `${draft.author} asks you to approve the ${audienceLabels[draft.audience].toLowerCase()} update on "${incident.title}".`,
      });
    }
    const isCommsLead = holds('comms') || (!room.seats.some((s) => s.role === 'comms' && s.holderId) && isCommand);
    if (isCommsLead) {
      for (const clock of comms.cadence) {
        if (clock.dueAt === null || clock.dueAt > now) continue;
        alerts.push({
          key: `overdue:${incident.id}:${clock.audience}:${clock.dueAt}`,
          title: 'Stakeholder update overdue',
          body: `The ${audienceLabels[clock.audience].toLowerCase()} update on "${incident.title}" was due ${Math.max(1, Math.round((now - clock.dueAt) / 60_000))} min ago.`,
        });
      }
    }
  }
  return alerts;
}

/** The incidents whose rooms are watched for alerts: every one not closed (a closed one has none). */
export function watchedIncidents(incidents: readonly Pick<Incident, 'id' | 'status'>[]): string[] {
  return incidents.filter((incident) => incident.status !== 'closed').map((incident) => incident.id);
}

// ---------------------------------------------------------------------------------------------
// The browser

const settingKey = 'holdfast.notifications';
const askedKey = 'holdfast.notifications.asked';
const shown = new Set<string>();
/** Told when the setting changes, so alerts held back by it are shown at once when it is turned on. */
const settingListeners = new Set<() => void>();

/** Calls `listener` after each change of the setting; returns the unsubscribe. */
export function onNotificationSetting(listener: () => void): () => void {
  settingListeners.add(listener);
  return () => settingListeners.delete(listener);
}

const isSupported = () => typeof window !== 'undefined' && 'Notification' in window;

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private windows may refuse storage: the setting lasts for this page then.
  }
}

/** Whether this person wants notifications (on unless turned off) and the browser allows them. */
export function notificationState(): { isWanted: boolean; permission: NotificationPermission | 'unsupported' } {
  return { isWanted: stored(settingKey) !== 'off', permission: isSupported() ? Notification.permission : 'unsupported' };
}

/** Turns notifications on (asking the browser if it has not answered) or off. */
export async function setNotificationsWanted(isWanted: boolean): Promise<NotificationPermission | 'unsupported'> {
  store(settingKey, isWanted ? 'on' : 'off');
  if (!isSupported()) return 'unsupported';
  const permission = isWanted && Notification.permission === 'default' ? (store(askedKey, 'yes'), await Notification.requestPermission()) : Notification.permission;
  for (const listener of settingListeners) listener();
  return permission;
}

/** Asks the browser once ever, unless the person turned notifications off. */
function askOnce(): void {
  if (!isSupported() || Notification.permission !== 'default' || stored(askedKey) === 'yes' || stored(settingKey) === 'off') return;
  store(askedKey, 'yes');
  void Notification.requestPermission();
}

/** Shows each alert not shown before, when wanted and allowed; a click brings the window forward and calls `open`. */
export function notify(alerts: Alert[], open?: () => void): void {
  if (!isSupported() || stored(settingKey) === 'off' || Notification.permission !== 'granted') return;
  for (const alert of alerts) {
    if (shown.has(alert.key)) continue;
    shown.add(alert.key);
    try {
      const notification = new Notification(alert.title, { body: alert.body, tag: alert.key });
      notification.onclick = () => {
        window.focus();
        open?.();
        notification.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the war room shows it anyway.
    }
  }
}

/** Asks the browser's permission at the first click or key anywhere in the app (once ever, see askOnce). */
export function useAskNotificationPermission(): void {
  useEffect(() => {
    const ask = () => askOnce();
    window.addEventListener('pointerdown', ask, { once: true });
    window.addEventListener('keydown', ask, { once: true });
    return () => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
    };
  }, []);
}
