// The incident list and the war room read their engine data through the query layer: the app is
// started as main.tsx starts it, over a real engine, and changes made in the engine behind its back
// (as a sync or another window would) show without any click: the list follows incidents.changed,
// the timeline's window and the side panels follow timeline.changed and incidents.changed.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@shared/errors';
import { call, openTestEngine } from '../support/engines';
import { openWarRoom, startApp } from '../support/render-app';

const timelineTexts = () =>
  within(screen.getByTestId('timeline-scroller'))
    .queryAllByText(/./)
    .map((e) => e.textContent ?? '');

describe('incident list', { timeout: 30_000 }, () => {
  it('shows an incident declared in the engine, and its new status, without a reload', async () => {
    const engine = openTestEngine();
    const first = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await startApp(engine);
    expect(await screen.findAllByTestId('incident-row', {}, { timeout: 10_000 })).toHaveLength(1);
    expect(screen.getByText(/1 open · 1 on this replica/)).toBeTruthy();

    await call(engine, 'incidents.create', { title: 'Search slow', severity: 'SEV3', summary: '' });
    await waitFor(() => expect(screen.getAllByTestId('incident-row')).toHaveLength(2));
    expect(screen.getByText(/2 open · 2 on this replica/)).toBeTruthy();

    await call(engine, 'incidents.setStatus', { id: first.id, status: 'resolved' });
    await waitFor(() => expect(screen.getByText(/1 open · 2 on this replica/)).toBeTruthy());
    const row = screen.getAllByTestId('incident-row').find((r) => r.textContent?.includes('Checkout down'));
    expect(row?.textContent).toContain('Resolved');
  });
});

describe('war room', { timeout: 30_000 }, () => {
  it('reads the timeline window again when the engine says the timeline changed', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Payments failing since 14:02' });
    await openWarRoom(engine, 'Checkout down');
    await screen.findByText('Payments failing since 14:02');

    // Written in the engine (as a sync would bring it), not through this window.
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'decision', text: 'Roll back the payment service' });
    expect(await screen.findByText('Roll back the payment service')).toBeTruthy();
    // A pin changes an entry in place: the window on screen is read again, not only the newest.
    const window = await call(engine, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 10, filter: { kinds: ['note'] } });
    await call(engine, 'timeline.pin', { entryId: window.entries[0].id, isPinned: true });
    await waitFor(() => {
      const row = screen.getByText('Payments failing since 14:02').closest('.timeline-row');
      expect(row?.classList.contains('is-pinned')).toBe(true);
    });
    expect(timelineTexts().some((t) => t.includes('Roll back the payment service'))).toBe(true);
  });

  it('shows a task added in the engine in the tasks panel (the room follows incidents.changed)', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await openWarRoom(engine, 'Checkout down');
    const tasks = await screen.findByTestId('tasks-panel');
    expect(within(tasks).queryByText('Page the database team')).toBeNull();

    await call(engine, 'tasks.create', { incidentId: incident.id, title: 'Page the database team' });
    expect(await within(tasks).findByText('Page the database team')).toBeTruthy();
  });

  it('says when the room cannot be read, offers to read it again (not to dismiss it), and shows the room once it reads', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    const { user } = await openWarRoom(engine, 'Checkout down');
    const handlers = engine.handlers;
    const readRoom = handlers['incidents.room'];
    // The engine fails to read the room (as a locked or damaged database would), then recovers.
    handlers['incidents.room'] = () => {
      throw new ApiError('unavailable', 'The incident database is busy; try again.');
    };
    await call(engine, 'incidents.update', { id: incident.id, title: 'Checkout and search down' });
    const banner = await screen.findByTestId('war-error');
    expect(banner.textContent).toContain('The incident database is busy; try again.');
    expect(within(banner).queryByTestId('war-error-dismiss')).toBeNull();

    handlers['incidents.room'] = readRoom;
    await user.click(within(banner).getByTestId('war-error-retry'));
    await waitFor(() => expect(screen.queryByTestId('war-error')).toBeNull());
    expect(await screen.findAllByText('Checkout and search down')).not.toHaveLength(0);
  });
});
