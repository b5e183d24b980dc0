// Whether this replica's user may make a change, so the UI does not offer what their role cannot do:
// the same pure rule every node judges ops by (judgeEntityWrite), with the role from the replica's
// certificate (`trust.status`). A replica that never connected to a service is standalone: it
// judges nothing, so everything is offered, as before signing existed.
import type { Json } from '@shared/canonical';
import { isEntityName, judgeEntityWrite, type EntityName } from '@shared/entities';
import { entitySpecs } from '@shared/entities';
import type { Role } from '@shared/roles';
import type { TrustStatus } from '@shared/trust/api';
import { useEngineRead } from '../data/use-engine-query';
import { client } from '../store/client-ref';

export type { TrustStatus };

/** What a replica that never connected (or an engine without the call) answers: it judges nothing. */
export const standaloneStatus: TrustStatus = {
  mode: 'standalone',
  user: '',
  role: null,
  certId: null,
  certExpiresAt: null,
  orgKeyId: null,
  orgFingerprint: null,
  heldCount: 0,
};

/** The trust status, or the standalone answer when the engine cannot give one. */
export async function readTrustStatus(): Promise<TrustStatus> {
  try {
    return await client().call('trust.status', {});
  } catch {
    return standaloneStatus;
  }
}

/** The replica's trust status, read again when the trust stream changes (a certificate, a revocation). Null until read. */
export function useTrustStatus(): TrustStatus | null {
  return useEngineRead(['trust.status', {}], readTrustStatus).value;
}

/** The roles people hold, most powerful first: who "may" is said in terms of these. */
const peopleRoles: readonly Role[] = ['admin', 'commander', 'comms', 'responder'];

/** A stream of the entity's scope: the rules are written per scope, not per incident. */
function streamOf(entity: EntityName): string {
  const { scope } = entitySpecs[entity];
  return scope === 'incident' ? 'incident:any' : scope;
}

export interface MayWrite {
  /** Whether the change is offered. */
  may: boolean;
  /** Why not and who may (for a title or tooltip), or undefined when it may. */
  why: string | undefined;
}

const allowed: MayWrite = { may: true, why: undefined };

/** Whether `status` lets its user write `fields` of `entity` (pure; the hook below wraps it). */
export function mayWrite(status: TrustStatus | null, entity: EntityName, fields: Record<string, Json>): MayWrite {
  if (!status || status.mode === 'standalone' || status.role === null || status.role === 'service') return allowed;
  if (!isEntityName(entity)) return allowed;
  const draft = { entity, streamId: streamOf(entity), fields };
  const who = peopleRoles.filter((role) => judgeEntityWrite(role, draft) === null);
  const whoMay = who.length > 0 ? `${who.join(', ')} may` : 'no role may';
  if (status.role === 'guest') {
    return entity === 'timeline_entry' ? allowed : { may: false, why: `Guests may write timeline notes only: ${whoMay}.` };
  }
  const refusal = judgeEntityWrite(status.role, draft);
  return refusal === null ? allowed : { may: false, why: `Your role (${status.role}) cannot do this: ${whoMay}.` };
}

/**
 * Whether this replica's user may write `fields` of `entity` (field names matter, values only
 * where a rule looks at them). While the status is being read, the change is offered.
 */
export function useMayWrite(entity: EntityName, fields: Record<string, Json>): MayWrite {
  return mayWrite(useTrustStatus(), entity, fields);
}
