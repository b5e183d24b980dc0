// The stakeholder-update composer in a war room over a real engine: a draft started from the
// audience's template, what is typed saved to the engine a moment after the last keystroke (or at
// once with Ctrl+S), the preview and findings then the engine's own, "Fix" taking the author to the
// words a finding is about, and a draft changed elsewhere shown as the engine says it changed.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Audience } from '@shared/domain/comms';
import type { Engine } from '../../electron/engine/engine';
import { call, openTestEngine } from '../support/engines';
import { openWarRoom } from '../support/render-app';

const title = 'Card payments failing in Europe';

afterEach(() => {
  vi.useRealTimers();
});

/** A war room on its stakeholder-updates pane at `audience`, with a new draft from the template. */
async function newDraft(audience: Audience, options: Parameters<typeof openWarRoom>[2] = {}) {
  const engine = openTestEngine();
  const incident = await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '' });
  const app = await openWarRoom(engine, title, options);
  await app.user.click(screen.getByRole('tab', { name: /Stakeholder updates/ }));
  const tab = await screen.findByRole('tab', {
    name: new RegExp(`^${audience === 'internal' ? 'Internal responders' : audience === 'customers' ? 'Customers' : 'Executives'}`),
  });
  await app.user.click(tab);
  expect(tab.getAttribute('aria-selected')).toBe('true');
  await app.user.click(await screen.findByRole('button', { name: /^New .* update$/ }));
  const composer = await screen.findByTestId('composer');
  return { engine, incidentId: incident.id, ...app, composer };
}

async function draftOf(engine: Engine, incidentId: string) {
  const room = await call(engine, 'comms.room', { incidentId });
  expect(room.drafts).toHaveLength(1);
  return room.drafts[0];
}

const field = (composer: HTMLElement, name: string) => within(composer).getByTestId<HTMLTextAreaElement>(`value-${name}`);
/** Types a value into a field as a paste: one change, as quick typing gives the autosave. */
async function fill(user: UserEvent, element: HTMLElement, text: string): Promise<void> {
  await user.click(element);
  await user.paste(text);
}
const saveStatus = (composer: HTMLElement) => within(composer).getByRole('status').textContent;
const findingsOf = (composer: HTMLElement) =>
  within(composer)
    .queryAllByTestId('finding')
    .map((finding) => `${finding.dataset.rule}: ${within(finding).getByTestId('finding-excerpt').textContent}`);

describe('stakeholder-update composer', { timeout: 60_000 }, () => {
  it('saves what is typed a moment after the last keystroke; the preview and findings are then the engine’s', async () => {
    const { engine, incidentId, user, composer } = await newDraft('internal');
    expect(within(composer).getByTestId('draft-state').textContent).toBe('Draft');
    // The template's placeholders not filled in yet are findings; the incident's facts are filled in.
    expect(findingsOf(composer)).toEqual(expect.arrayContaining(['placeholder: {{impact}}', 'placeholder: {{status}}', 'placeholder: {{actions}}']));
    expect(within(composer).getByTestId('preview-title').textContent).toBe(`SEV2 investigating: ${title}`);

    await fill(user, field(composer, 'impact'), 'About a third of card payments in Europe fail at checkout.');
    await fill(user, field(composer, 'status'), 'A config change to the payment gateway is being rolled back.');
    await fill(user, field(composer, 'actions'), 'Rolling back; next check at 14:30.');
    expect(saveStatus(composer)).toBe('Unsaved changes');

    await waitFor(() => expect(saveStatus(composer)).toMatch(/^Saved/), { timeout: 5000 });
    expect((await draftOf(engine, incidentId)).values).toMatchObject({
      impact: 'About a third of card payments in Europe fail at checkout.',
      status: 'A config change to the payment gateway is being rolled back.',
      actions: 'Rolling back; next check at 14:30.',
    });
    await waitFor(() => expect(findingsOf(composer)).toEqual([]));
    expect(within(composer).getByTestId('findings').textContent).toMatch(/Nothing to fix/);
    expect(within(composer).getByTestId('update-preview').textContent).toContain('About a third of card payments in Europe fail at checkout.');
  });

  it('saves at once on Ctrl+S, without waiting for the autosave', async () => {
    const { engine, incidentId, composer } = await newDraft('internal');
    // From here on the autosave's timer cannot fire: only Ctrl+S can save. (Events are fired
    // directly: user-event and Testing Library's waits need the timers this stops.)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const impact = field(composer, 'impact');
    fireEvent.change(impact, { target: { value: 'Checkout fails for a third of card payments.' } });
    expect(saveStatus(composer)).toBe('Unsaved changes');
    await settle();
    expect(saveStatus(composer)).toBe('Unsaved changes');
    expect((await draftOf(engine, incidentId)).values.impact ?? '').toBe('');

    fireEvent.keyDown(impact, { key: 's', ctrlKey: true });
    await settle(() => saveStatus(composer)?.startsWith('Saved') === true);
    expect(saveStatus(composer)).toMatch(/^Saved \d\d:\d\d:\d\d$/);
    expect((await draftOf(engine, incidentId)).values.impact).toBe('Checkout fails for a third of card payments.');
  });

  it('marks what customers should not read, and Fix selects the words in the field they were typed in', async () => {
    const { user, composer } = await newDraft('customers');
    await fill(user, field(composer, 'headline'), 'Some card payments are failing');
    await fill(user, field(composer, 'impact'), 'About a third of card payments in Europe fail at checkout.');
    await fill(user, field(composer, 'status'), 'This is probably a bad deploy by pay-gw-3.');
    await fill(user, field(composer, 'actions'), 'We are rolling the change back.');
    await waitFor(() => expect(saveStatus(composer)).toMatch(/^Saved/), { timeout: 5000 });
    await waitFor(() => expect(findingsOf(composer)).toEqual(['speculation: probably', 'internal-host: pay-gw-3']));
    // Marked in the preview where they stand.
    const marks = [...within(composer).getByTestId('update-preview').querySelectorAll('mark')].map((mark) => mark.textContent);
    expect(marks).toEqual(expect.arrayContaining(['probably', 'pay-gw-3']));

    const hostFinding = within(composer)
      .getAllByTestId('finding')
      .find((f) => f.dataset.rule === 'internal-host')!;
    await user.click(within(hostFinding).getByRole('button', { name: 'Fix' }));
    const status = field(composer, 'status');
    expect(document.activeElement).toBe(status);
    expect(status.value.slice(status.selectionStart, status.selectionEnd)).toBe('pay-gw-3');
  });

  it('shows a draft changed elsewhere once the engine says so', async () => {
    const { engine, incidentId, composer } = await newDraft('internal');
    const draft = await draftOf(engine, incidentId);
    // Another comms lead, on another laptop, fills in the impact; the change reaches this engine.
    await call(engine, 'comms.save', { incidentId, updateId: draft.id, values: { ...draft.values, impact: 'Search is down for every user.' } });
    await waitFor(() => expect(field(composer, 'impact').value).toBe('Search is down for every user.'));
    await waitFor(() => expect(within(composer).getByTestId('update-preview').textContent).toContain('Search is down for every user.'));
    expect(findingsOf(composer)).not.toContain('placeholder: {{impact}}');
  });
});

/**
 * Lets the engine's answers and React's renders through (real macrotasks; the faked setTimeout is
 * left alone) until `isDone`, or a bounded number of turns when there is nothing to wait for.
 */
async function settle(isDone: () => boolean = () => false): Promise<void> {
  for (let turn = 0; turn < 100 && !isDone(); turn += 1) {
    await act(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }
}
