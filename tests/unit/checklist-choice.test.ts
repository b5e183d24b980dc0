// The evidence checklist the picker offers first: made for the incident's type, and the one whose
// words fit the incident best among those.
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '@shared/domain/evidence-samples';
import { orderChecklists } from '../../renderer/src/features/war-room/checklist-choice';

const incident = (type: string, title: string, services: string[] = [], summary = '') => ({ type, title, services, summary });
const first = (...args: Parameters<typeof incident>) => orderChecklists(builtInTemplates, incident(...args))[0].id;

describe('orderChecklists', () => {
  it('offers the database checklist on a database outage, whatever the order of names', () => {
    expect(first('outage', 'Orders database down', ['orders-db'])).toBe('database-outage');
    expect(first('outage', 'Primary unreachable', ['orders-postgres'])).toBe('database-outage');
    const reversed = [...builtInTemplates].reverse();
    expect(orderChecklists(reversed, incident('outage', 'Orders DB is down'))[0].id).toBe('database-outage');
  });

  it('offers the release checklist on a bad deploy, and the host checklist on a security incident', () => {
    expect(first('degradation', 'Checkout errors after release 4512', ['checkout-api'])).toBe('bad-release');
    expect(first('outage', 'Deploy broke login')).toBe('bad-release');
    expect(first('security', 'Crypto miner on build host')).toBe('compromised-host');
  });

  it('puts checklists made for other types last', () => {
    const ordered = orderChecklists(builtInTemplates, incident('security', 'Database credentials leaked'));
    expect(ordered[0].id).toBe('compromised-host');
    expect(ordered.slice(1).every((t) => !t.incidentTypes.includes('security'))).toBe(true);
  });
});
