// Channels configured before secrets stayed on laptops hold them in plaintext in comms_channels (and
// in the ops that set them). On open, each is moved: its secret into this laptop's SecretStore, and
// a new op that carries the redacted configuration and a secretId blanks the row. The old ops cannot
// be rewritten (they are signed and chained); docs/security.md says how to rotate such a secret.
import type { Replica } from '../core/replica';
import { holderOp } from './channel-settings';
import { legacySecretId, shownDigest, splitSecrets } from './channel-secrets';
import type { CommsStore } from './comms-store';

/** Moves every plaintext channel secret into the SecretStore; returns the ids of the channels moved. */
export function moveChannelSecrets({ replica, comms, log }: { replica: Replica; comms: CommsStore; log: (line: string) => void }): string[] {
  const secrets = comms.secrets;
  if (!secrets) return [];
  const moved: string[] = [];
  for (const channel of comms.channels()) {
    if (!channel.isPlaintext || !channel.config) continue;
    const { shown, values } = splitSecrets(channel.config);
    const secretId = legacySecretId(channel.id, channel.configOpId ?? channel.id);
    try {
      // Kept first: should the write be refused, the secret is still here and the row unchanged.
      if (!channel.deleted) secrets.keep(channel.id, { secretId, values, configHash: shownDigest(shown) });
      replica.commitLocal([
        { entity: 'comms_channel', rowId: channel.id, fields: { config: shown as unknown as Record<string, string>, secretId } },
        ...(channel.deleted ? [] : [holderOp(replica, channel.id, true, secretId)]),
      ]);
      moved.push(channel.id);
    } catch (error) {
      log(`holdfast: could not move the secret of delivery channel ${channel.name} out of the database: ${(error as Error).message}`);
    }
  }
  return moved;
}
