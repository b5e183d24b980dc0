import { describe, expect, it } from 'vitest';
import { writeRefusal } from '../../shared/roles';

const incident = (fields: Record<string, unknown>) => ({ entity: 'incident' as const, streamId: 'incident:x', fields: fields as never });
const entry = { entity: 'timeline_entry' as const, streamId: 'incident:x', fields: { text: 'x' } as never };
const declaration = { title: 'DNS down', severity: 'SEV2', declaredAt: 1, status: 'investigating' };

describe('write rules', () => {
  it('lets viewers write nothing', () => {
    expect(writeRefusal('viewer', entry)).toBe('viewers cannot write');
  });

  it('lets responders declare and write the timeline, but not change severity or status later', () => {
    expect(writeRefusal('responder', incident(declaration))).toBeNull();
    expect(writeRefusal('responder', entry)).toBeNull();
    expect(writeRefusal('responder', incident({ severity: 'SEV1' }))).toContain('ask the incident commander');
    expect(writeRefusal('responder', incident({ ...declaration, status: 'resolved' }))).toContain('may not change');
    expect(writeRefusal('responder', incident({ ...declaration, deleted: true }))).toContain('may not change');
  });

  it('lets comms leads edit only the summary of an incident', () => {
    expect(writeRefusal('comms', incident({ summary: 'Customers informed' }))).toBeNull();
    expect(writeRefusal('comms', incident({ summary: 'x', severity: 'SEV1' }))).toContain('may not change');
  });

  it('keeps non-admins out of organisation-wide streams', () => {
    const org = { entity: 'incident' as const, streamId: 'org', fields: {} as never };
    expect(writeRefusal('commander', org)).toBe('commanders cannot write to org');
    expect(writeRefusal('admin', org)).toBeNull();
  });
});
