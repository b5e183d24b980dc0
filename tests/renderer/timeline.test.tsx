// The war room's timeline over a real engine: the record in event-time order with what the engine
// adds shown as it comes (a backdated entry lands in its place), the filters by kind and pinned
// with the pin written through the engine, search whose chosen hit scrolls the timeline to it, and
// a long record read in blocks: it opens at the newest entries and reads the oldest when scrolled to.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { call, openTestEngine } from '../support/engines';
import { openWarRoom } from '../support/render-app';

const title = 'Payments webhook deliveries delayed';
const minute = 60_000;

async function incidentWith(entries: { kind?: 'note' | 'decision' | 'action' | 'observation' | 'comms'; text: string; eventAt?: number }[]) {
  const engine = openTestEngine();
  const incident = await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '' });
  for (const entry of entries) await call(engine, 'timeline.add', { incidentId: incident.id, kind: entry.kind ?? 'note', text: entry.text, eventAt: entry.eventAt });
  return { engine, incidentId: incident.id };
}

const timeline = () => screen.getByRole('log', { name: 'Incident timeline' });
/** The texts of the rows on screen that people wrote, top to bottom. */
const shown = () =>
  within(timeline())
    .queryAllByTestId('timeline-row')
    .filter((row) => row.dataset.kind !== 'system')
    .map((row) => within(row).getByTestId('entry-text').textContent);
const rowOf = (text: string) =>
  within(timeline())
    .getAllByTestId('timeline-row')
    .find((row) => within(row).queryByText(text, { exact: true }))!;

async function pinned(engine: Engine, incidentId: string) {
  const window = await call(engine, 'timeline.window', { incidentId, offset: 0, limit: 100, filter: { isPinnedOnly: true } });
  return window.entries.map((e) => e.text);
}

describe('timeline', { timeout: 60_000 }, () => {
  it('shows the record in event-time order and places what the engine adds where it happened', async () => {
    const start = Date.now() - 30 * minute;
    const { engine, incidentId } = await incidentWith([
      { text: 'Webhook queue depth 12k', eventAt: start },
      { kind: 'decision', text: 'Scale the webhook workers to 12', eventAt: start + 10 * minute },
    ]);
    await openWarRoom(engine, title);
    await waitFor(() => expect(shown()).toEqual(['Webhook queue depth 12k', 'Scale the webhook workers to 12']));
    expect(rowOf('Scale the webhook workers to 12').dataset.kind).toBe('decision');

    // Written on another laptop and synced, or by a script: the engine's event brings it in.
    await call(engine, 'timeline.add', { incidentId, kind: 'observation', text: 'Queue draining', eventAt: start + 20 * minute });
    await waitFor(() => expect(shown()).toEqual(['Webhook queue depth 12k', 'Scale the webhook workers to 12', 'Queue draining']));
    // Backdated: it goes where it happened, not at the bottom.
    await call(engine, 'timeline.add', { incidentId, kind: 'note', text: 'Deploy of webhook-router 3.2 finished', eventAt: start + 5 * minute });
    await waitFor(() =>
      expect(shown()).toEqual(['Webhook queue depth 12k', 'Deploy of webhook-router 3.2 finished', 'Scale the webhook workers to 12', 'Queue draining']),
    );
  });

  it('pins an entry through the engine and narrows to pinned entries or to kinds', async () => {
    const start = Date.now() - 30 * minute;
    const { engine, incidentId } = await incidentWith([
      { text: 'Webhook queue depth 12k', eventAt: start },
      { kind: 'decision', text: 'Scale the webhook workers to 12', eventAt: start + minute },
      { kind: 'action', text: 'Ask the vendor about their rate limit', eventAt: start + 2 * minute },
      { kind: 'decision', text: 'Replay the failed deliveries after 14:00', eventAt: start + 3 * minute },
    ]);
    const { user } = await openWarRoom(engine, title);
    await waitFor(() => expect(shown()).toHaveLength(4));

    const pin = within(rowOf('Scale the webhook workers to 12')).getByRole('button', { name: 'Pin as a key entry' });
    expect(pin.getAttribute('aria-pressed')).toBe('false');
    await user.click(pin);
    await waitFor(async () => expect(await pinned(engine, incidentId)).toEqual(['Scale the webhook workers to 12']));
    await waitFor(() =>
      expect(within(rowOf('Scale the webhook workers to 12')).getByRole('button', { name: 'Pin as a key entry' }).getAttribute('aria-pressed')).toBe('true'),
    );

    await user.click(screen.getByRole('button', { name: '★ pinned' }));
    await waitFor(() => expect(shown()).toEqual(['Scale the webhook workers to 12']));
    await user.click(screen.getByRole('button', { name: '★ pinned' }));
    await waitFor(() => expect(shown()).toHaveLength(4));

    const kinds = screen.getByRole('group', { name: 'Filter by kind' });
    await user.click(within(kinds).getByRole('button', { name: 'decision' }));
    await waitFor(() => expect(shown()).toEqual(['Scale the webhook workers to 12', 'Replay the failed deliveries after 14:00']));
    await user.click(within(kinds).getByRole('button', { name: 'action' }));
    await waitFor(() =>
      expect(shown()).toEqual(['Scale the webhook workers to 12', 'Ask the vendor about their rate limit', 'Replay the failed deliveries after 14:00']),
    );
    // A new decision while filtered shows; a note does not.
    await call(engine, 'timeline.add', { incidentId, kind: 'note', text: 'Vendor status page is green' });
    await call(engine, 'timeline.add', { incidentId, kind: 'decision', text: 'Keep the workers at 12 overnight' });
    await waitFor(() => expect(shown()).toContain('Keep the workers at 12 overnight'));
    expect(shown()).not.toContain('Vendor status page is green');
    await user.click(within(kinds).getByRole('button', { name: 'decision' }));
    await user.click(within(kinds).getByRole('button', { name: 'action' }));
    await waitFor(() => expect(shown()).toHaveLength(6));
  });

  it('opens a long record at the newest entries and reads the oldest when scrolled to the top', async () => {
    const start = Date.now() - 400 * minute;
    const { engine } = await incidentWith(Array.from({ length: 320 }, (_, i) => ({ text: `Probe ${i + 1}: checkout p99 ${900 + i} ms`, eventAt: start + i * minute })));
    await openWarRoom(engine, title);
    await waitFor(() => expect(shown()).toContain('Probe 320: checkout p99 1219 ms'));
    // Only a screenful (and a few more) of 320 rows is on the page.
    expect(shown().length).toBeLessThan(40);
    expect(shown()).not.toContain('Probe 1: checkout p99 900 ms');

    const scroller = timeline();
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(shown().slice(0, 2)).toEqual(['Probe 1: checkout p99 900 ms', 'Probe 2: checkout p99 901 ms']));
    expect(shown()).not.toContain('Probe 320: checkout p99 1219 ms');
  });

  it('finds entries by words and scrolls the timeline to the hit chosen', async () => {
    const start = Date.now() - 400 * minute;
    const { engine } = await incidentWith([
      { text: 'Certificate on hooks.example.net expires in 2 days', eventAt: start },
      ...Array.from({ length: 200 }, (_, i) => ({ text: `Probe ${i + 1}: webhook latency ${300 + i} ms`, eventAt: start + (i + 1) * minute })),
    ]);
    const { user } = await openWarRoom(engine, title);
    await waitFor(() => expect(shown()).toContain('Probe 200: webhook latency 499 ms'));
    expect(shown()).not.toContain('Certificate on hooks.example.net expires in 2 days');

    await user.click(screen.getByRole('searchbox', { name: 'Search this timeline' }));
    await user.keyboard('certificate expires');
    const hits = await screen.findByTestId('search-hits');
    const hit = await within(hits).findByRole('button');
    expect(within(hits).getAllByRole('button')).toHaveLength(1);
    expect(hit.textContent).toBe('Certificate on hooks.example.net expires in 2 days');
    // The words searched for are marked in the hit.
    expect([...hit.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Certificate', 'expires']);
    await user.click(hit);
    await waitFor(() => expect(shown()).toContain('Certificate on hooks.example.net expires in 2 days'));
    expect(rowOf('Certificate on hooks.example.net expires in 2 days').className).toMatch(/is-focused/);
    expect(screen.getByRole('searchbox', { name: 'Search this timeline' })).toHaveProperty('value', '');

    await user.click(screen.getByRole('searchbox', { name: 'Search this timeline' }));
    await user.keyboard('defenestration');
    expect(await within(await screen.findByTestId('search-hits')).findByText('No entries match.')).toBeTruthy();
  });
});
