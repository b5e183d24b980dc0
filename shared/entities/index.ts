// The entities ops may write, each declared once (./incident, ./directory, ./library, ./evidence,
// ./comms, ./review, ./trust, ./integrations, ./knowledge): how it merges (`set`: last writer wins per field; `append`: immutable
// record), the schema of its fields, its stream, its projection table and who may write it. Every
// replica and the central service validate ops against these declarations, so an op naming an
// unknown entity or field is refused everywhere; projections, row decoding and the authority check
// are derived from them.
import type { z } from 'zod';
import { judgeWrite, type EntityAuthority, type OpToJudge } from './authority';
import * as comms from './comms';
import { columnsOf, type Column } from './declare';
import * as directory from './directory';
import * as evidence from './evidence';
import * as incident from './incident';
import * as integrations from './integrations';
import * as knowledge from './knowledge';
import * as library from './library';
import * as review from './review';
import * as trust from './trust';
import type { Scope } from './streams';
import type { Role } from '../roles';

export * from './streams';
export type { Column, Codec } from './declare';

/** Every entity's declaration, in the order entities were introduced. */
export const entityDeclarations = {
  incident: incident.incident,
  timeline_entry: incident.timeline_entry,
  timeline_pin: incident.timeline_pin,
  incident_role: incident.incident_role,
  freeze: incident.freeze,
  task: incident.task,
  org_setting: directory.org_setting,
  person: directory.person,
  team: directory.team,
  bridge: directory.bridge,
  runbook_version: library.runbook_version,
  runbook: library.runbook,
  runbook_run: library.runbook_run,
  runbook_step: library.runbook_step,
  checklist_template: library.checklist_template,
  artifact: evidence.artifact,
  custody_event: evidence.custody_event,
  update_template: comms.update_template,
  comms_channel: comms.comms_channel,
  comms_channel_holder: comms.comms_channel_holder,
  comms_update: comms.comms_update,
  comms_published: comms.comms_published,
  comms_delivery: comms.comms_delivery,
  review: review.review,
  action_item: review.action_item,
  purge_record: review.purge_record,
  service: library.service,
  org_key: trust.org_key,
  device_cert: trust.device_cert,
  cert_revocation: trust.cert_revocation,
  legacy_seal: trust.legacy_seal,
  integration_target: integrations.integration_target,
  integration_send: integrations.integration_send,
  incident_mirror: integrations.incident_mirror,
  op_receipt: knowledge.op_receipt,
} as const;

type Declarations = typeof entityDeclarations;
export type EntityName = keyof Declarations;
export const entityNames = Object.keys(entityDeclarations) as EntityName[];

export function isEntityName(name: unknown): name is EntityName {
  return typeof name === 'string' && Object.hasOwn(entityDeclarations, name);
}

export type EntityKind<E extends EntityName> = Declarations[E]['kind'];
export type EntityFields<E extends EntityName> = z.output<Declarations[E]['fields']>;
/** The entities merged field by field (`set`), and the immutable records (`append`). */
export type SetEntity = { [E in EntityName]: EntityKind<E> extends 'set' ? E : never }[EntityName];
export type AppendEntity = Exclude<EntityName, SetEntity>;

/** What each entity is, as validation, projection and authority read it. */
export interface EntitySpec<E extends EntityName> {
  kind: EntityKind<E>;
  fields: Declarations[E]['fields'];
  streamOf: (rowId: string, fields: Record<string, unknown>) => string;
  scope: Scope;
  table: string;
  /** The projected column of every field, and how its value is stored. */
  columns: readonly Column[];
  authority: EntityAuthority;
}

const specOf = <E extends EntityName>(declaration: Declarations[E]): EntitySpec<E> => ({
  kind: declaration.kind,
  fields: declaration.fields,
  streamOf: declaration.stream.of,
  scope: declaration.stream.scope,
  table: declaration.table,
  columns: columnsOf(declaration),
  authority: declaration.authority,
});

export const entitySpecs = Object.fromEntries(entityNames.map((name) => [name, specOf(entityDeclarations[name])])) as { readonly [E in EntityName]: EntitySpec<E> };

// Every entity declares who may write it: a declaration without `authority` is a type error
// (declareEntity), and `grants` must name every role whose rights depend on the entity.
const authorities: Record<string, EntityAuthority> = Object.fromEntries(entityNames.map((name) => [name, entitySpecs[name].authority]));
const scopeOf = (entity: string) => (isEntityName(entity) ? entitySpecs[entity].scope : undefined);

/** Why `role` may not write `op`, or null when it may: the evaluation of every entity's declared authority. */
export const judgeEntityWrite = (role: Role, op: OpToJudge): string | null => judgeWrite(authorities, scopeOf, role, op);
