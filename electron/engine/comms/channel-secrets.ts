// A channel's secrets stay on the laptops that set them. The comms_channel op carries the redacted
// configuration (redactConfig: passwords, API keys, secret header values and token-bearing paths as
// '••••') and a secretId; the secret values themselves go into this laptop's SecretStore (the OS
// keychain through Electron's safeStorage on the desktop; a file only the user can read under
// `holdfast web`), filed under the channel and the secretId they belong to. A laptop delivers only
// when it holds the secret the channel's config names now.
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { channelConfig, redactConfig, redacted, type ChannelConfig } from '@shared/domain/channels';
import type { SecretStore } from '../core/secrets';

/** What this laptop keeps for one channel: the values hidden in its shown config, by field path. */
export interface HeldSecret {
  secretId: string;
  /** Field path ("password", "secretHeader.value", "url") → the value the shown config hides. */
  values: Record<string, string>;
}

export interface ChannelSecrets {
  /** The secret this laptop holds for `channelId`, if any (whichever secretId it belongs to). */
  held(channelId: string): HeldSecret | null;
  keep(channelId: string, secret: HeldSecret): void;
  forget(channelId: string): void;
  /** How the secrets are protected on this computer, as the settings say it. */
  readonly protection: string;
}

export const channelSecretKey = (channelId: string) => `channel-secret:${channelId}`;

export function channelSecrets(store: SecretStore): ChannelSecrets {
  return {
    protection: store.protection,
    held(channelId) {
      const text = store.get(channelSecretKey(channelId));
      if (text === null) return null;
      try {
        const parsed = JSON.parse(text) as Partial<HeldSecret>;
        if (typeof parsed.secretId !== 'string' || typeof parsed.values !== 'object' || parsed.values === null) return null;
        return { secretId: parsed.secretId, values: parsed.values };
      } catch {
        return null;
      }
    },
    keep: (channelId, secret) => store.set(channelSecretKey(channelId), JSON.stringify(secret)),
    forget: (channelId) => store.set(channelSecretKey(channelId), null),
  };
}

/** A new secret's id: random, so it says nothing about the secret. */
export const newSecretId = () => randomUUID();

/**
 * The id a plaintext secret found in the database is moved under: derived from the channel and the
 * clock of the op that set its config, so every laptop moving the same old secret agrees on it.
 */
export const legacySecretId = (channelId: string, configClock: string) =>
  `legacy-${createHash('sha256').update(`${channelId}\n${configClock}`).digest('hex').slice(0, 32)}`;

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A full configuration split into what may travel (redacted) and the values that may not. */
export function splitSecrets(config: ChannelConfig): { shown: ChannelConfig; values: Record<string, string> } {
  const shown = redactConfig(config);
  const values: Record<string, string> = {};
  const walk = (full: unknown, hidden: unknown, path: string) => {
    if (typeof full === 'string' && full !== hidden) values[path] = full;
    else if (isTree(full) && isTree(hidden)) for (const key of Object.keys(full)) walk(full[key], hidden[key], path ? `${path}.${key}` : key);
  };
  walk(config, shown, '');
  return { shown, values };
}

/** Whether a configuration hides nothing it should: it is its own redacted form. */
export const isRedactedForm = (config: ChannelConfig): boolean => Object.keys(splitSecrets(config).values).length === 0;

/**
 * The full configuration from the shown one and the held values, or null when they do not fit
 * together (the shown config was changed where a secret sits, or the values belong to another
 * config): redacting the result must give back exactly the shown config.
 */
export function joinSecrets(shown: ChannelConfig, values: Record<string, string>): ChannelConfig | null {
  const full = structuredClone(shown) as unknown as Tree;
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let node: unknown = full;
    for (const key of keys.slice(0, -1)) node = isTree(node) ? node[key] : undefined;
    const last = keys[keys.length - 1];
    if (!isTree(node) || typeof node[last] !== 'string' || !node[last].includes(redacted)) return null;
    node[last] = value;
  }
  const parsed = channelConfig.safeParse(full);
  if (!parsed.success) return null;
  return isDeepStrictEqual(redactConfig(parsed.data), shown) ? parsed.data : null;
}

/** Whether two sets of secret values are the same secret. */
export const sameValues = (a: Record<string, string>, b: Record<string, string>) => isDeepStrictEqual(a, b);
