import { describe, expect, it } from 'vitest';
import { readRefusal, writeRefusal } from '@shared/roles';

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
    expect(writeRefusal('responder', incident({ ...declaration, isLegalHold: false, legalHoldReason: '' }))).toContain('may not change');
    expect(writeRefusal('responder', incident({ ...declaration, closedAt: 5 }))).toContain('may not change');
    expect(writeRefusal('responder', incident({ ...declaration, startedAt: 0 }))).toContain('may not change');
    expect(
      writeRefusal(
        'responder',
        incident({
          ...declaration,
          summary: '',
          type: '',
          services: [],
          isDrill: false,
          detectedAt: 1,
          acknowledgedAt: 1,
          mitigatedAt: null,
          resolvedAt: null,
          closedAt: null,
        }),
      ),
    ).toBeNull();
  });

  it('lets comms leads edit only the summary of an incident', () => {
    expect(writeRefusal('comms', incident({ summary: 'Customers informed' }))).toBeNull();
    expect(writeRefusal('comms', incident({ summary: 'x', severity: 'SEV1' }))).toContain('may not change');
  });

  it('lets commanders and admins keep org settings and the directory, and nobody else', () => {
    const org = { entity: 'org_setting' as const, streamId: 'org', fields: { value: '{}' } as never };
    expect(writeRefusal('commander', org)).toBeNull();
    expect(writeRefusal('admin', org)).toBeNull();
    expect(writeRefusal('responder', org)).toBe('only commanders and admins may change org');
    expect(writeRefusal('comms', { ...org, streamId: 'directory' })).toBe('only commanders and admins may change directory');
    expect(writeRefusal('commander', { ...org, streamId: 'elsewhere' })).toBe('commanders cannot write to elsewhere');
  });

  it('lets responders and commanders write the runbook library; comms leads and viewers read it', () => {
    const version = { entity: 'runbook_version' as const, streamId: 'library', fields: {} as never };
    expect(writeRefusal('responder', version)).toBeNull();
    expect(writeRefusal('commander', version)).toBeNull();
    expect(writeRefusal('comms', version)).toBe('the comms role may read the library but not change it');
    expect(writeRefusal('viewer', version)).toBe('viewers cannot write');
    for (const entity of ['runbook_run', 'runbook_step'] as const) {
      expect(writeRefusal('responder', { entity, streamId: 'incident:x', fields: {} })).toBeNull();
      expect(writeRefusal('comms', { entity, streamId: 'incident:x', fields: {} })).toBeNull();
    }
  });

  it('lets responders work the incident (tasks, pins, handoffs) but not freeze deployments', () => {
    for (const entity of ['task', 'timeline_pin', 'incident_role'] as const) {
      expect(writeRefusal('responder', { entity, streamId: 'incident:x', fields: {} })).toBeNull();
    }
    expect(writeRefusal('responder', { entity: 'freeze', streamId: 'incident:x', fields: {} })).toBe('responders cannot write freeze');
    expect(writeRefusal('commander', { entity: 'freeze', streamId: 'incident:x', fields: {} })).toBeNull();
    expect(writeRefusal('responder', incident({ acknowledgedAt: 5 }))).toBeNull();
  });
});

describe('stakeholder comms rules', () => {
  const op = (entity: string, streamId: string, fields: Record<string, unknown>) => ({ entity: entity as never, streamId, fields: fields as never });
  const draft = op('comms_update', 'incident:x', { title: 'Payments failing', state: 'draft' });

  it('lets comms leads and commanders write updates; responders only decide on them', () => {
    expect(writeRefusal('comms', draft)).toBeNull();
    expect(writeRefusal('commander', draft)).toBeNull();
    expect(writeRefusal('comms', op('comms_published', 'incident:x', {}))).toBeNull();
    expect(writeRefusal('comms', op('comms_delivery', 'incident:x', { state: 'delivered' }))).toBeNull();
    expect(writeRefusal('responder', draft)).toBe('responders may not write stakeholder updates; ask the comms lead');
    expect(writeRefusal('responder', op('comms_published', 'incident:x', {}))).toContain('may not write stakeholder updates');
    // What comms.decide writes, as the service receives it from the approver.
    const decision = { incidentId: 'x', state: 'approved', approvedDigest: 'ab12', decidedBy: 'lee', decidedAt: 1, decisionComment: '' };
    expect(writeRefusal('responder', { ...op('comms_update', 'incident:x', decision), actorId: 'lee' })).toBeNull();
    expect(writeRefusal('responder', { ...op('comms_update', 'incident:x', { ...decision, state: 'rejected', approvedDigest: null }), actorId: 'lee' })).toBeNull();
    // Nobody signs a decision for someone else, whatever their role.
    expect(writeRefusal('comms', { ...op('comms_update', 'incident:x', decision), actorId: 'maya' })).toBe(
      'a decision on an update must be written by the person who decides (decidedBy lee, written by maya)',
    );
    expect(writeRefusal('admin', { ...op('comms_update', 'incident:x', decision), actorId: 'root' })).toMatch(/written by the person who decides/);
    expect(writeRefusal('responder', op('comms_update', 'incident:x', { state: 'published' }))).toContain('may not write stakeholder updates');
    expect(writeRefusal('responder', op('comms_update', 'incident:x', { state: 'approved', title: 'changed' }))).toContain('may not write stakeholder updates');
  });

  it('keeps delivery channels to commanders and comms leads, for writing and for reading', () => {
    const channel = op('comms_channel', 'comms', { name: 'Status page' });
    expect(writeRefusal('comms', channel)).toBeNull();
    expect(writeRefusal('commander', channel)).toBeNull();
    expect(writeRefusal('responder', channel)).toBe('only commanders, comms leads and admins may change delivery channels');
    expect(readRefusal('viewer', 'comms')).toContain('may not read delivery channels');
    expect(readRefusal('responder', 'comms')).toContain('may not read delivery channels');
    expect([readRefusal('comms', 'comms'), readRefusal('commander', 'comms'), readRefusal('admin', 'comms')]).toEqual([null, null, null]);
    expect(readRefusal('viewer', 'library')).toBeNull();
  });

  it('lets comms leads write update templates in the library, but not runbooks; responders the reverse', () => {
    const template = op('update_template', 'library', { name: 'Customer notice' });
    const runbook = op('runbook_version', 'library', { source: '# x' });
    expect(writeRefusal('comms', template)).toBeNull();
    expect(writeRefusal('comms', runbook)).toBe('the comms role may read the library but not change it');
    expect(writeRefusal('responder', template)).toBe('responders may read update templates but not change them; ask a comms lead');
    expect(writeRefusal('responder', runbook)).toBeNull();
    expect(writeRefusal('commander', template)).toBeNull();
  });
});
