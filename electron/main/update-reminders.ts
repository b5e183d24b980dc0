// System notifications for the comms lead: when an audience's next stakeholder update turns due
// soon or overdue (the engine's `comms.due` event), the desktop raises one notification, and a
// click brings the war room to the front. Written against small interfaces so it is unit-tested
// without Electron.
import { audienceLabels, formatUpdateTime } from '@shared/domain/comms';
import type { UpdateDue } from '@shared/domain/comms-api';

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface ReminderHost {
  /** Electron's Notification.isSupported(). */
  isSupported(): boolean;
  createNotification(options: { title: string; body: string; urgency: 'normal' | 'critical'; silent: boolean }): NotificationLike;
  /** Restores and focuses the main window. */
  focusWindow(): void;
}

/** The words of a reminder: what is due, for whom, in which incident, by when. */
export function reminderText(due: UpdateDue): { title: string; body: string } {
  const who = audienceLabels[due.audience];
  const when = formatUpdateTime(due.dueAt);
  return due.level === 'overdue'
    ? { title: `${who} update overdue`, body: `"${due.incidentTitle}": the ${who.toLowerCase()} update was due at ${when}. Publish one now.` }
    : { title: `${who} update due soon`, body: `"${due.incidentTitle}": the next ${who.toLowerCase()} update is due at ${when}.` };
}

/** Returns the listener for engine events; it acts on `comms.due` only. */
export function updateReminders(host: ReminderHost): (event: string, payload: unknown) => void {
  // Notifications kept referenced until clicked or replaced, so their click handlers stay alive.
  const shown = new Set<NotificationLike>();
  return (event, payload) => {
    if (event !== 'comms.due' || !host.isSupported()) return;
    const due = payload as UpdateDue;
    const notification = host.createNotification({ ...reminderText(due), urgency: due.level === 'overdue' ? 'critical' : 'normal', silent: due.level !== 'overdue' });
    shown.add(notification);
    if (shown.size > 20) shown.delete(shown.values().next().value as NotificationLike);
    notification.on('click', () => {
      shown.delete(notification);
      host.focusWindow();
    });
    notification.show();
  };
}
