// The review's knowledge panel against a real engine: what it shows when the incident is not on
// this laptop, and the entries of one that is.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KnowledgePanel } from '../../renderer/src/features/reviews/knowledge-panel';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine } from '../support/engines';

describe('KnowledgePanel', () => {
  it('says plainly that an incident is not on this laptop', async () => {
    setClient(clientOfEngine(openTestEngine()));
    render(<KnowledgePanel incidentId="no-such-incident" />);
    expect((await screen.findByTestId('knowledge-error')).textContent).toBe('There is no incident no-such-incident on this laptop.');
  });

  it('lists the timeline entries of an incident this laptop holds', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Rolled back the payment service' });
    setClient(clientOfEngine(engine));
    render(<KnowledgePanel incidentId={incident.id} />);
    expect(await screen.findByText(/Rolled back the payment service/)).toBeTruthy();
  });
});
