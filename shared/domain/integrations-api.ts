// The engine calls of integrations (registered in shared/contract.ts): targets, paging a team,
// each send's state, an incident's chat mirror, action items filed in a tracker.
import { z } from 'zod';
import type { MirrorView, SendView, TargetView } from './integrations';
import { timelineKinds } from './timeline';

const id = z.string().min(1).max(200);
const noArgs = z.object({}).strict();

export const saveTargetRequest = z
  .object({
    id: id.optional(),
    name: z.string().trim().min(1, 'give the target a name').max(200),
    /** The full configuration, secrets typed in (checked against targetConfig). */
    config: z.unknown(),
    isEnabled: z.boolean().default(true),
  })
  .strict();
export const targetIdRequest = z.object({ id }).strict();
export const setTargetSecretRequest = z.object({ id, config: z.unknown() }).strict();
export const setTeamTargetsRequest = z.object({ teamId: id, targetIds: z.array(id).max(10) }).strict();
export const teamRequest = z.object({ teamId: id }).strict();
export const pageRequest = z
  .object({
    incidentId: id,
    /** The team to page; or `serviceId` to page the team that owns a service. */
    teamId: id.optional(),
    serviceId: id.optional(),
    /** What the team should know, added to the page. */
    note: z.string().max(2000).optional(),
  })
  .strict()
  .refine((r) => (r.teamId === undefined) !== (r.serviceId === undefined), 'name either teamId or serviceId');
export const incidentRequest = z.object({ incidentId: id }).strict();
export const sendRequest = z.object({ rowId: z.string().min(1).max(500) }).strict();
export const setMirrorRequest = z
  .object({
    incidentId: id,
    targetId: id,
    kinds: z.array(z.enum(timelineKinds)).max(timelineKinds.length),
    internalUpdates: z.boolean(),
    isEnabled: z.boolean(),
  })
  .strict();
export const fileActionItemRequest = z.object({ incidentId: id, actionItemId: id, targetId: id }).strict();

const spec = <S extends z.ZodType, R>(request: S) => ({ request }) as { request: S; readonly response?: R };

export const integrationCalls = {
  'integrations.targets': spec<typeof noArgs, TargetView[]>(noArgs),
  'integrations.saveTarget': spec<typeof saveTargetRequest, TargetView>(saveTargetRequest),
  'integrations.setTargetSecret': spec<typeof setTargetSecretRequest, TargetView>(setTargetSecretRequest),
  'integrations.removeTarget': spec<typeof targetIdRequest, TargetView[]>(targetIdRequest),
  'integrations.teamTargets': spec<typeof teamRequest, string[]>(teamRequest),
  'integrations.setTeamTargets': spec<typeof setTeamTargetsRequest, string[]>(setTeamTargetsRequest),
  'integrations.page': spec<typeof pageRequest, SendView[]>(pageRequest),
  'integrations.sends': spec<typeof incidentRequest, SendView[]>(incidentRequest),
  'integrations.retry': spec<typeof sendRequest, SendView>(sendRequest),
  'integrations.mirrors': spec<typeof incidentRequest, MirrorView[]>(incidentRequest),
  'integrations.setMirror': spec<typeof setMirrorRequest, MirrorView[]>(setMirrorRequest),
  'integrations.fileActionItem': spec<typeof fileActionItemRequest, SendView>(fileActionItemRequest),
};
