// The authority table declared with the entities must answer every op exactly as the hand-written
// rules it replaced: those rules are kept here, frozen, as the oracle, and both are asked about
// every entity × role × stream × a spread of field sets and signers.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Json } from '@shared/canonical';
import { entityNames, entitySpecs, type EntityName } from '@shared/entities';
import { peopleIn } from '@shared/entities/authority';
import { declareEntity } from '@shared/entities/declare';
import { placements } from '@shared/entities/streams';
import { roles, writeRefusal, type Role } from '@shared/roles';

type JudgedOp = { entity: string; streamId: string; fields: Record<string, Json>; actorId?: string };

/** The rules as they were written before the declarations (shared/roles.ts, issue 15). */
function legacyWriteRefusal(role: Role, op: JudgedOp): string | null {
  const commsEntities = ['comms_update', 'comms_published', 'comms_delivery'];
  const approvalFields = ['incidentId', 'state', 'approvedDigest', 'decidedBy', 'decidedAt', 'decisionComment'];
  const declarationFields = [
    'title',
    'severity',
    'status',
    'summary',
    'type',
    'services',
    'isDrill',
    'declaredAt',
    'detectedAt',
    'acknowledgedAt',
    'mitigatedAt',
    'resolvedAt',
    'closedAt',
  ];
  const incidentWideEntities = [
    'timeline_entry',
    'timeline_pin',
    'task',
    'incident_role',
    'runbook_run',
    'runbook_step',
    'artifact',
    'custody_event',
    'review',
    'action_item',
    'op_receipt',
  ];
  const isDecision = op.entity === 'comms_update' && (op.fields.state === 'approved' || op.fields.state === 'rejected');
  if (isDecision && op.actorId !== undefined && op.fields.decidedBy !== op.actorId)
    return `a decision on an update must be written by the person who decides (decidedBy ${op.fields.decidedBy as string}, written by ${op.actorId})`;
  if (role === 'admin') return null;
  if (role === 'viewer') return 'viewers cannot write';
  if (role === 'pipeline') return 'pipeline tokens cannot write through sync: post events to /v1/incidents/{id}/events';
  if (op.streamId === 'org' || op.streamId === 'directory') return role === 'commander' ? null : `only commanders and admins may change ${op.streamId}`;
  if (op.streamId === 'comms') return role === 'commander' || role === 'comms' ? null : `only commanders, comms leads and admins may change delivery channels`;
  if (op.streamId === 'library') {
    if (role === 'commander' || role === 'responder')
      return op.entity === 'update_template' && role === 'responder' ? 'responders may read update templates but not change them; ask a comms lead' : null;
    return role === 'comms' && op.entity === 'update_template' ? null : `the ${role} role may read the library but not change it`;
  }
  if (!op.streamId.startsWith('incident:')) return `${peopleIn(role)} cannot write to ${op.streamId}`;
  if (role === 'commander') return null;
  // Paging, chat mirrors and tracker sends (shared/trust/integration-rules): commanders and comms leads.
  if (op.entity === 'integration_send' || op.entity === 'incident_mirror')
    return role === 'comms' ? null : `${role}s may not page teams; ask the incident commander or the comms lead`;
  if (incidentWideEntities.includes(op.entity)) return null;
  if (commsEntities.includes(op.entity)) {
    if (role === 'comms') return null;
    if (isDecision && Object.keys(op.fields).every((f) => approvalFields.includes(f))) return null;
    return `${peopleIn(role)} may not write stakeholder updates; ask the comms lead`;
  }
  if (op.entity === 'incident') {
    const fields = Object.keys(op.fields);
    if (role === 'comms' && fields.every((f) => f === 'summary')) return null;
    if (fields.every((f) => f === 'acknowledgedAt')) return null;
    const isDeclaration =
      ['title', 'severity', 'declaredAt'].every((f) => fields.includes(f)) &&
      fields.every((f) => declarationFields.includes(f)) &&
      (op.fields.status === undefined || op.fields.status === 'investigating') &&
      [op.fields.mitigatedAt, op.fields.resolvedAt, op.fields.closedAt].every((v) => v === undefined || v === null);
    if (role === 'responder' && isDeclaration) return null;
    return `${peopleIn(role)} may not change ${fields.join(', ')} of an incident; ask the incident commander`;
  }
  return `${peopleIn(role)} cannot write ${op.entity}`;
}

/** Values the rules look at, and a plain value for every other field. */
const samples: Record<string, Json[]> = {
  state: ['approved', 'rejected', 'draft', 'published'],
  status: ['investigating', 'resolved'],
  mitigatedAt: [null, 5],
  resolvedAt: [null, 5],
  closedAt: [null, 5],
  decidedBy: ['lee', 'maya'],
};
const sampleOf = (field: string): Json[] => samples[field] ?? ['v'];

/** A deterministic spread of field sets: none, each field alone, all, and pseudo-random subsets. */
function fieldSets(entity: EntityName): Record<string, Json>[] {
  const fields = Object.keys(entitySpecs[entity].fields.shape);
  const sets: Record<string, Json>[] = [{}];
  for (const field of fields) for (const value of sampleOf(field)) sets.push({ [field]: value });
  sets.push(Object.fromEntries(fields.map((f) => [f, sampleOf(f)[0]])));
  let seed = entity.length * 7919;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let i = 0; i < 60; i++) {
    const size = 1 + Math.floor(next() * Math.min(fields.length, 8));
    const subset = fields.filter(() => next() < size / fields.length);
    sets.push(Object.fromEntries(subset.map((f) => [f, sampleOf(f)[Math.floor(next() * sampleOf(f).length)]])));
  }
  return sets;
}

/** The shapes the special cases are about, written out. */
const namedSets: Record<string, Record<string, Json>[]> = {
  incident: [
    { title: 'DNS down', severity: 'SEV2', declaredAt: 1, status: 'investigating' },
    {
      title: 'DNS down',
      severity: 'SEV2',
      declaredAt: 1,
      summary: '',
      type: '',
      services: [],
      isDrill: false,
      detectedAt: 1,
      acknowledgedAt: 1,
      mitigatedAt: null,
      resolvedAt: null,
      closedAt: null,
    },
    { title: 'DNS down', severity: 'SEV2', declaredAt: 1, closedAt: 5 },
    { title: 'DNS down', severity: 'SEV2', declaredAt: 1, startedAt: 0 },
    { title: 'DNS down', severity: 'SEV2', declaredAt: 1, deleted: true },
    { title: 'DNS down', severity: 'SEV2' },
    { summary: 'x' },
    { summary: 'x', severity: 'SEV1' },
    { acknowledgedAt: 5 },
    { acknowledgedAt: 5, summary: 'x' },
  ],
  comms_update: [
    { incidentId: 'x', state: 'approved', approvedDigest: 'ab12', decidedBy: 'lee', decidedAt: 1, decisionComment: '' },
    { incidentId: 'x', state: 'rejected', approvedDigest: null, decidedBy: 'lee', decidedAt: 1, decisionComment: 'no' },
    { state: 'approved', decidedBy: 'lee', title: 'changed' },
    { state: 'approved' },
    { state: 'published' },
    { decidedBy: 'lee' },
  ],
};

const streamsToTry = ['incident:x', 'org', 'directory', 'library', 'comms', 'elsewhere', ''];

describe('the declared authority', () => {
  it('answers every entity, role, stream, field set and signer as the hand-written rules did', () => {
    let compared = 0;
    for (const entity of entityNames) {
      const sets = [...fieldSets(entity), ...(namedSets[entity] ?? [])];
      for (const role of roles) {
        for (const streamId of streamsToTry) {
          for (const fields of sets) {
            for (const actorId of [undefined, 'lee', 'maya']) {
              const op = { entity, streamId, fields, ...(actorId === undefined ? {} : { actorId }) };
              const expected = legacyWriteRefusal(role, op);
              const actual = writeRefusal(role, op);
              if (actual !== expected) expect({ role, op, actual }).toEqual({ role, op, actual: expected });
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(50_000);
  });

  it('judges an entity it does not know by the stream alone, as before', () => {
    for (const role of roles) {
      for (const streamId of streamsToTry) {
        const op = { entity: 'not_an_entity', streamId, fields: {} };
        expect(writeRefusal(role, op as never)).toBe(legacyWriteRefusal(role, op));
      }
    }
  });

  it('has every entity name its grant for every role whose rights depend on the entity', () => {
    for (const entity of entityNames) {
      expect(Object.keys(entitySpecs[entity].authority.grants).sort(), entity).toEqual(['commander', 'comms', 'responder']);
    }
  });

  it('makes a new entity declare who may write it', () => {
    const fields = z.object({ sealNumber: z.string() }).partial().strict();
    // @ts-expect-error an entity without an authority table is not a declaration
    declareEntity({ kind: 'set', fields, stream: placements.library, table: 'seals' });
    // @ts-expect-error every role whose rights depend on the entity must be given a grant
    declareEntity({ kind: 'set', fields, stream: placements.library, table: 'seals', authority: { grants: { commander: 'any' } } });
    declareEntity({
      kind: 'set',
      fields,
      stream: placements.library,
      table: 'seals',
      // @ts-expect-error a grant names fields of its entity only
      authority: { grants: { commander: 'any', comms: 'none', responder: [{ fields: ['title'] }] } },
    });
    expect(
      declareEntity({
        kind: 'set',
        fields,
        stream: placements.library,
        table: 'seals',
        authority: { grants: { commander: 'any', comms: 'none', responder: [{ fields: ['sealNumber'] }] } },
      }).table,
    ).toBe('seals');
  });
});
