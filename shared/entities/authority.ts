// Who may write what, as data: every entity declares, per role, which op shapes that role may
// write, and `judgeWrite` evaluates those declarations. It is a pure function of the op and the
// writer's role, so the engine, hubs and the service all reach the same answer for the same op.
import type { Json } from '../canonical';
import type { Role } from '../roles';
import { scopeOfStream, type Scope } from './streams';

/** A role's people, for refusals: "responders", "comms leads". */
export const peopleIn = (role: string): string => (role === 'comms' ? 'comms leads' : `${role}s`);

/** The op as authority sees it (the service passes whole ops, replicas pass drafts). */
export interface OpToJudge {
  entity: string;
  streamId: string;
  fields: Record<string, Json>;
  /** Who wrote it; when given, signed fields must name this person. */
  actorId?: string;
}

/** What a refusal says: built from the role, the entity, the stream and the fields of the op. */
export type Refusal = (op: { role: Role; entity: string; streamId: string; fields: readonly string[] }) => string;

/**
 * A kind of op a role may write. Every field of the op must be one of `fields` (when given), each of
 * `required` must be present, and a field named in `values` must hold one of its values if present.
 */
export interface OpShape<F extends string = string> {
  fields?: readonly F[];
  required?: readonly F[];
  values?: { readonly [K in F]?: readonly Json[] };
}

/** `any`: every op of the entity; `none`: no op; a list: ops of one of these shapes. */
export type Grant<F extends string = string> = 'any' | 'none' | readonly OpShape<F>[];

/** The roles whose rights depend on the entity; the others are the same everywhere (`roleRules`). */
export type EntityRole = 'commander' | 'comms' | 'responder';

export interface EntityAuthority<F extends string = string> {
  /** What each role may write of this entity. */
  grants: Record<EntityRole, Grant<F>>;
  /** Said to a role whose op its grant does not cover; the scope's refusal when absent. */
  refusal?: Refusal;
  /** Ops of this shape are signed: `field` must name whoever writes them, whatever their role. */
  signature?: { when: OpShape<F>; field: F; refusal: (signer: string, actorId: string) => string };
}

/** Rights that do not depend on the entity or the stream. */
export const roleRules: Record<Role, { is: 'everything' } | { is: 'by entity' } | { is: 'nothing'; refusal: string }> = {
  admin: { is: 'everything' },
  commander: { is: 'by entity' },
  comms: { is: 'by entity' },
  responder: { is: 'by entity' },
  viewer: { is: 'nothing', refusal: 'viewers cannot write' },
  pipeline: { is: 'nothing', refusal: 'pipeline tokens cannot write through sync: post events to /v1/incidents/{id}/events' },
};

/**
 * Who keeps each scope, and what a refused writer is told. An entity grants within its own scope;
 * an op that names a stream of another scope (refused anyway by checkOp) is judged by the scope's
 * keepers alone, so the answer never depends on an entity's grants outside its own stream.
 */
export const scopeRules: Record<Scope, { keepers: Record<EntityRole, 'any' | 'none'>; refusal: Refusal }> = {
  // Shared streams (organisation settings, the people directory) are kept by commanders.
  org: { keepers: { commander: 'any', comms: 'none', responder: 'none' }, refusal: ({ streamId }) => `only commanders and admins may change ${streamId}` },
  directory: { keepers: { commander: 'any', comms: 'none', responder: 'none' }, refusal: ({ streamId }) => `only commanders and admins may change ${streamId}` },
  // Delivery channels are kept by the people who publish updates.
  comms: { keepers: { commander: 'any', comms: 'any', responder: 'none' }, refusal: () => 'only commanders, comms leads and admins may change delivery channels' },
  // The library is written by the people who respond; viewers and comms leads read it.
  library: { keepers: { commander: 'any', comms: 'none', responder: 'any' }, refusal: ({ role }) => `the ${role} role may read the library but not change it` },
  // Commanders run the incident; who else writes what is each entity's grant.
  incident: { keepers: { commander: 'any', comms: 'none', responder: 'none' }, refusal: ({ role, entity }) => `${peopleIn(role)} cannot write ${entity}` },
  // Certificates and revocations are decided by the trust branch of judgeOp (shared/trust/judge.ts).
  trust: {
    keepers: { commander: 'none', comms: 'none', responder: 'none' },
    refusal: () => 'only the service writes the trust stream (org keys, certificates, revocations)',
  },
};

/** Whether the op's fields are of `shape`. */
export function isOfShape(fields: Record<string, Json>, shape: OpShape): boolean {
  const names = Object.keys(fields);
  if (shape.fields && !names.every((f) => (shape.fields as readonly string[]).includes(f))) return false;
  if (shape.required && !shape.required.every((f) => names.includes(f))) return false;
  const values: Readonly<Record<string, readonly Json[] | undefined>> = shape.values ?? {};
  return Object.entries(values).every(([f, allowed]) => fields[f] === undefined || allowed === undefined || allowed.includes(fields[f]));
}

const isGranted = (grant: Grant, fields: Record<string, Json>) => grant === 'any' || (grant !== 'none' && grant.some((shape) => isOfShape(fields, shape)));

/**
 * Why `role` may not write `op`, or null when it may, from the authority declared for
 * `op.entity` (`authorities`: every entity's; an unknown entity is judged by its scope alone).
 */
export function judgeWrite(
  authorities: Readonly<Record<string, EntityAuthority>>,
  scopeOf: (entity: string) => Scope | undefined,
  role: Role,
  op: OpToJudge,
): string | null {
  const authority = Object.hasOwn(authorities, op.entity) ? authorities[op.entity] : undefined;
  const signature = authority?.signature;
  if (signature && op.actorId !== undefined && isOfShape(op.fields, signature.when) && op.fields[signature.field] !== op.actorId) {
    return signature.refusal(textOf(op.fields[signature.field]), op.actorId);
  }
  const rule = roleRules[role];
  if (rule.is === 'everything') return null;
  if (rule.is === 'nothing') return rule.refusal;
  const scope = scopeOfStream(op.streamId);
  if (scope === null) return `${peopleIn(role)} cannot write to ${op.streamId}`;
  const entityRole = role as EntityRole;
  const isOwnScope = authority !== undefined && scopeOf(op.entity) === scope;
  const grant: Grant = isOwnScope ? authority.grants[entityRole] : scopeRules[scope].keepers[entityRole];
  if (isGranted(grant, op.fields)) return null;
  const refusal = (isOwnScope ? authority.refusal : undefined) ?? scopeRules[scope].refusal;
  return refusal({ role, entity: op.entity, streamId: op.streamId, fields: Object.keys(op.fields) });
}

/** A field's value as it reads in a refusal: text as it is, anything else as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : String(JSON.stringify(value));
}
