// Integration targets as people configure them (the comms stream): the op carries the configuration
// with its secrets shown as '••••' and a secretId; this laptop keeps the values in its SecretStore
// (as channel secrets: channel-secrets.ts) and says it holds them in a comms_channel_holder record,
// so the coordinator lets only holders claim the target's sends. Teams carry their paging targets.
import type { ParsedRequest } from '@shared/contract';
import { purposeOf, redactTarget, redacted, sameConfig, targetConfig, targetConfigProblems, targetSecrets, type TargetView } from '@shared/domain/integrations';
import { runbookSlug } from '@shared/domain/runbook-file';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import { holderOp } from '../comms/channel-settings';
import { newSecretId, secretStaleText, shownDigest } from '../comms/channel-secrets';
import type { IntegrationStore, StoredTarget } from './integration-store';

type Deps = { replica: Replica; store: IntegrationStore };

export const targetView = (t: StoredTarget): TargetView | null =>
  t.shownConfig && t.kind && !t.deleted
    ? {
        id: t.id,
        name: t.name,
        kind: t.kind,
        purpose: purposeOf(t.kind),
        config: t.shownConfig,
        isEnabled: t.isEnabled,
        isHeldHere: t.config !== null,
        ...(t.secretStale ? { secretNote: secretStaleText } : {}),
      }
    : null;

export const targetViews = (store: IntegrationStore): TargetView[] => store.targets().flatMap((t) => targetView(t) ?? []);

/** Saves a target with every secret typed in; this laptop keeps the secret and holds the target. */
export function saveTarget({ replica, store }: Deps, request: ParsedRequest<'integrations.saveTarget'>): TargetView {
  const stored = request.id ? store.target(request.id) : null;
  if (request.id && (!stored || stored.deleted)) throw new ApiError('not_found', `No integration target ${request.id}; it may have been removed.`);
  const hidden = JSON.stringify(request.config ?? null).includes(redacted);
  if (hidden) throw new ApiError('bad_request', `The target cannot be saved: a field still holds "${redacted}" where a secret was hidden; type the secret again.`);
  const parsed = targetConfig.safeParse(request.config);
  if (!parsed.success) throw new ApiError('bad_request', `The target cannot be saved: ${targetConfigProblems(parsed.error).join('; ')}.`);
  if (stored?.kind && stored.kind !== parsed.data.kind)
    throw new ApiError('bad_request', `The target ${stored.name} is a ${stored.kind} target; add a new target for ${parsed.data.kind}.`);
  const secrets = store.secrets;
  if (!secrets) throw new ApiError('conflict', 'This laptop has no place to keep integration secrets; start Holdfast from its desktop app or `holdfast web`.');
  let id = request.id;
  if (!id) {
    // Short: a send's row id (incidentId/sendId/targetId) holds at most 100 characters.
    const base = (runbookSlug(request.name) || parsed.data.kind).slice(0, 32).replace(/-+$/, '');
    id = base;
    for (let n = 2; store.target(id); n += 1) id = `${base}-${n}`;
  }
  const secretId = newSecretId();
  const drafts: OpDraft[] = [
    {
      entity: 'integration_target',
      rowId: id,
      fields: {
        name: request.name,
        config: redactTarget(parsed.data),
        secretId,
        isEnabled: request.isEnabled,
        deleted: false,
        updatedBy: replica.actorId,
      },
    },
    holderOp(replica, id, true, secretId),
  ];
  // The secret is kept before the ops say it is held, so a send never finds a holder without it.
  secrets.keep(id, { secretId, values: targetSecrets(parsed.data), configHash: shownDigest(redactTarget(parsed.data)) });
  replica.commitLocal(drafts);
  return targetView(store.target(id)!)!;
}

export function removeTarget({ replica, store }: Deps, request: ParsedRequest<'integrations.removeTarget'>): TargetView[] {
  const stored = store.target(request.id);
  if (!stored || stored.deleted) throw new ApiError('not_found', `No integration target ${request.id}; it may have been removed.`);
  replica.commitLocal([{ entity: 'integration_target', rowId: stored.id, fields: { deleted: true, isEnabled: false, updatedBy: replica.actorId } }]);
  store.secrets?.forget(stored.id);
  return targetViews(store);
}

/** Sets the paging targets a directory team carries (each must be a paging target). */
export function setTeamTargets({ replica, store }: Deps, request: ParsedRequest<'integrations.setTeamTargets'>, teamExists: (id: string) => boolean): string[] {
  if (!teamExists(request.teamId)) throw new ApiError('not_found', `No team ${request.teamId} in the directory.`);
  for (const targetId of request.targetIds) {
    const target = store.target(targetId);
    if (!target || target.deleted || !target.kind) throw new ApiError('bad_request', `No integration target ${targetId}; add it in Settings › Integrations first.`);
    if (purposeOf(target.kind) !== 'page')
      throw new ApiError('bad_request', `${target.name} is a ${target.kind} target, not a paging target (PagerDuty, Opsgenie, Grafana OnCall or a paging webhook).`);
  }
  replica.commitLocal([{ entity: 'team', rowId: request.teamId, fields: { pagingTargetIds: [...new Set(request.targetIds)] } }]);
  return store.teamTargetIds(request.teamId);
}

/** Keeps a target's secret on this laptop too (the configuration as shown, its secrets typed in), so it can send as well. */
export function setTargetSecret({ replica, store }: Deps, request: ParsedRequest<'integrations.setTargetSecret'>): TargetView {
  const stored = store.target(request.id);
  if (!stored || stored.deleted || !stored.shownConfig || !stored.secretId)
    throw new ApiError('not_found', `No integration target ${request.id}; it may have been removed.`);
  const parsed = targetConfig.safeParse(request.config);
  if (!parsed.success) throw new ApiError('bad_request', `The secret cannot be set: ${targetConfigProblems(parsed.error).join('; ')}.`);
  if (!sameConfig(redactTarget(parsed.data), stored.shownConfig))
    throw new ApiError('bad_request', `The secret cannot be set: the configuration differs from the target's as shown; to change the target, edit it instead.`);
  const secrets = store.secrets;
  if (!secrets) throw new ApiError('conflict', 'This laptop has no place to keep integration secrets.');
  secrets.keep(stored.id, { secretId: stored.secretId, values: targetSecrets(parsed.data), configHash: shownDigest(stored.shownConfig) });
  replica.commitLocal([holderOp(replica, stored.id, true, stored.secretId)]);
  return targetView(store.target(stored.id)!)!;
}
