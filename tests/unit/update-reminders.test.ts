import { describe, expect, it } from 'vitest';
import { reminderText, updateReminders, type NotificationLike, type ReminderHost } from '../../electron/main/update-reminders';
import type { UpdateDue } from '@shared/domain/comms-api';

const due: UpdateDue = { incidentId: 'i1', incidentTitle: 'Checkout failing', audience: 'customers', level: 'soon', dueAt: Date.UTC(2026, 10, 30, 14, 35) };

function fakeHost(isSupported = true) {
  const created: { options: Parameters<ReminderHost['createNotification']>[0]; click?: () => void; isShown: boolean }[] = [];
  let focused = 0;
  const host: ReminderHost = {
    isSupported: () => isSupported,
    createNotification(options) {
      const record: (typeof created)[number] = { options, isShown: false };
      created.push(record);
      const notification: NotificationLike = {
        on: (_event, listener) => (record.click = listener),
        show: () => (record.isShown = true),
      };
      return notification;
    },
    focusWindow: () => (focused += 1),
  };
  return { host, created, focused: () => focused };
}

describe('update reminders', () => {
  it('words soon and overdue reminders with the audience, incident and UTC due time', () => {
    expect(reminderText(due)).toEqual({ title: 'Customers update due soon', body: '"Checkout failing": the next customers update is due at 2026-11-30 14:35 UTC.' });
    expect(reminderText({ ...due, level: 'overdue', audience: 'executives' })).toEqual({
      title: 'Executives update overdue',
      body: '"Checkout failing": the executives update was due at 2026-11-30 14:35 UTC. Publish one now.',
    });
  });

  it('shows one notification per comms.due event, critical when overdue, and focuses the window on click', () => {
    const { host, created, focused } = fakeHost();
    const listener = updateReminders(host);
    listener('incidents.changed', { incidentId: 'i1' });
    expect(created).toHaveLength(0);
    listener('comms.due', due);
    listener('comms.due', { ...due, level: 'overdue' });
    expect(created.map((c) => [c.options.title, c.options.urgency, c.options.silent, c.isShown])).toEqual([
      ['Customers update due soon', 'normal', true, true],
      ['Customers update overdue', 'critical', false, true],
    ]);
    created[1].click?.();
    expect(focused()).toBe(1);
  });

  it('stays quiet where the system has no notifications', () => {
    const { host, created } = fakeHost(false);
    updateReminders(host)('comms.due', due);
    expect(created).toHaveLength(0);
  });
});
