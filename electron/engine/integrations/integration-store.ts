// Read queries over the integration projections: targets (their secrets joined in from this laptop's
// store, as channel secrets are), each send per target and how it stands, the incident's chat
// mirrors and the paging targets each directory team carries. Writes go through ops.
import type { Database } from 'better-sqlite3';
import { joinTarget, purposeOf, type MirrorView, type SendView, type TargetConfig, type TargetKind } from '@shared/domain/integrations';
import { decodeFields, rowDecoder } from '@shared/entities/rows';
import { heldFit, type ChannelSecrets } from '../comms/channel-secrets';

export interface StoredTarget {
  id: string;
  name: string;
  kind: TargetKind | null;
  /** The configuration with its secrets, when this laptop holds them; null otherwise. */
  config: TargetConfig | null;
  /** The configuration as synced, secrets shown as '••••'. */
  shownConfig: TargetConfig | null;
  secretId: string | null;
  /** This laptop holds the target's secret, but the target changed elsewhere since: it must be typed again here. */
  secretStale: boolean;
  isEnabled: boolean;
  deleted: boolean;
}

export interface StoredSend extends SendView {
  incidentId: string;
  text: string;
  link: string;
  dedupKey: string | null;
  sentDigest: string | null;
  by: string;
  updatedAt: number;
}

const sendRow = rowDecoder('integration_send');

const toSend = (row: unknown): StoredSend => {
  const { id: rowId, ...send } = sendRow(row);
  return {
    rowId,
    ...send,
    kind: send.kind,
    teamId: send.teamId ?? null,
    sourceId: send.sourceId ?? null,
  };
};

export function createIntegrationStore(db: Database, secrets?: ChannelSecrets) {
  const targets = db.prepare('SELECT * FROM integration_targets ORDER BY name COLLATE NOCASE, id');
  const target = db.prepare('SELECT * FROM integration_targets WHERE id = ?');
  const sends = db.prepare('SELECT * FROM integration_sends WHERE incident_id = ? ORDER BY requested_at DESC, id');
  const send = db.prepare('SELECT * FROM integration_sends WHERE id = ?');
  const bySource = db.prepare('SELECT * FROM integration_sends WHERE source_id = ? AND target_id = ? ORDER BY requested_at, id');
  const due = db.prepare(`SELECT * FROM integration_sends
    WHERE (state IN ('queued', 'retrying') AND coalesce(next_attempt_at, 0) <= ?) OR (state = 'sending' AND updated_at <= ?)
    ORDER BY updated_at, id LIMIT ?`);
  const nextWake = db.prepare(`SELECT min(next_attempt_at) FROM integration_sends WHERE state = 'retrying' AND next_attempt_at > ?`).pluck();
  const mirrors = db.prepare('SELECT * FROM incident_mirrors WHERE incident_id = ? ORDER BY target_id');
  const enabledMirrors = db.prepare('SELECT * FROM incident_mirrors WHERE is_enabled = 1');
  const teamTargets = db.prepare('SELECT paging_target_ids FROM teams WHERE id = ?').pluck();

  const toTarget = (row: unknown): StoredTarget => {
    const {
      id,
      name,
      config: shown,
      secretId,
      isEnabled,
      deleted,
    } = { id: String((row as { id: string }).id), ...decodeFields('integration_target', row as Record<string, unknown>) };
    const held = shown && secretId ? secrets?.held(id) : null;
    const fit = shown ? heldFit(held, secretId ?? null, shown) : 'none';
    const config = shown && held && fit === 'fits' ? joinTarget(shown, held.values) : null;
    const secretStale = fit === 'config-changed';
    return { id, name, kind: shown?.kind ?? null, config, shownConfig: shown ?? null, secretId: secretId ?? null, secretStale, isEnabled, deleted };
  };

  return {
    secrets,
    targets: (): StoredTarget[] => targets.all().map(toTarget),
    target: (id: string): StoredTarget | null => {
      const row = target.get(id);
      return row ? toTarget(row) : null;
    },
    sends: (incidentId: string): StoredSend[] => sends.all(incidentId).map(toSend),
    send: (rowId: string): StoredSend | null => {
      const row = send.get(rowId);
      return row ? toSend(row) : null;
    },
    /** Every send of one source (an action item, a timeline entry) to one target, oldest first. */
    sendsOf: (sourceId: string, targetId: string): StoredSend[] => bySource.all(sourceId, targetId).map(toSend),
    dueSends: (now: number, staleSendingBefore: number, limit: number): StoredSend[] => due.all(now, staleSendingBefore, limit).map(toSend),
    nextRetryAt: (now: number): number | null => (nextWake.get(now) as number | null) ?? null,
    mirrors: (incidentId: string): (Omit<MirrorView, 'targetName'> & { since: number })[] => mirrors.all(incidentId).map(toMirror),
    enabledMirrors: () => enabledMirrors.all().map((row) => ({ incidentId: String((row as { incident_id: string }).incident_id), ...toMirror(row) })),
    /** The paging targets a directory team carries (empty for a team without any, or no such team). */
    teamTargetIds: (teamId: string): string[] => {
      const text = teamTargets.get(teamId) as string | undefined;
      try {
        const ids = JSON.parse(text ?? '[]') as unknown;
        return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
      } catch {
        return [];
      }
    },
  };
}

function toMirror(row: unknown): Omit<MirrorView, 'targetName'> & { since: number } {
  const fields = decodeFields('incident_mirror', row as Record<string, unknown>);
  return { targetId: fields.targetId, kinds: fields.kinds, internalUpdates: fields.internalUpdates, isEnabled: fields.isEnabled, since: fields.since };
}

export type IntegrationStore = ReturnType<typeof createIntegrationStore>;
export const purposeOfTarget = (t: StoredTarget) => (t.kind ? purposeOf(t.kind) : null);
