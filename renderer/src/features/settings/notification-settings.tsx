// Browser notifications on this laptop (../../lib/notify): role offers, approval requests and
// overdue updates while Holdfast is in another tab or window. Kept in this browser, not shared.
import { useState } from 'react';
import { notificationState, setNotificationsWanted } from '../../lib/notify';

const permissionText: Record<NotificationPermission | 'unsupported', string> = {
  granted: 'The browser shows them.',
  default: 'The browser will ask once whether to show them.',
  denied: 'The browser blocks them for this site: allow notifications in its site settings.',
  unsupported: 'This browser cannot show notifications.',
};

export function NotificationSettings() {
  const [state, setState] = useState(notificationState);
  const toggle = async (isWanted: boolean) => {
    setState((current) => ({ ...current, isWanted }));
    const permission = await setNotificationsWanted(isWanted);
    setState({ isWanted, permission });
  };
  return (
    <section className="panel settings-panel" data-testid="notification-settings">
      <h2>Notifications</h2>
      <label className="field field-check">
        <input type="checkbox" data-testid="notifications-on" checked={state.isWanted} onChange={(e) => void toggle(e.target.checked)} />
        <span>Notify me when a role is offered to me, an update waits for my approval, or a stakeholder update I am responsible for is overdue</span>
      </label>
      <p className="muted small" data-testid="notifications-permission">
        {state.isWanted ? permissionText[state.permission] : 'Off on this browser.'}
      </p>
    </section>
  );
}
