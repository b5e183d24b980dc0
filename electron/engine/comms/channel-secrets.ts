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
  /**
   * The digest (shownDigest) of the redacted configuration the values were typed in with: they are
   * joined only into that same configuration, so a synced edit of an address (or any other field)
   * never carries this laptop's secret somewhere new: the secret must be typed again here.
   */
  configHash?: string;
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
        const configHash = typeof parsed.configHash === 'string' ? { configHash: parsed.configHash } : {};
        return { secretId: parsed.secretId, values: parsed.values, ...configHash };
      } catch {
        return null;
      }
    },
    keep: (channelId, secret) => store.set(channelSecretKey(channelId), JSON.stringify(secret)),
    forget: (channelId) => store.set(channelSecretKey(channelId), null),
  };
}

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      : value;

/** The digest of a redacted (shown) configuration a held secret is bound to: key order does not matter. */
export const shownDigest = (shown: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(shown)))
    .digest('hex');

/** How a held secret stands against the config as synced now. */
export type HeldFit = 'fits' | 'none' | 'other-secret' | 'config-changed';

/**
 * Whether the held secret may be joined into `shown` (named by `secretId`): it must be that secret
 * and have been kept with that very configuration. Values with nothing secret in them bind nothing.
 */
export function heldFit(held: HeldSecret | null | undefined, secretId: string | null, shown: unknown): HeldFit {
  if (!held || secretId === null) return 'none';
  if (held.secretId !== secretId) return 'other-secret';
  if (Object.keys(held.values).length === 0) return 'fits';
  return held.configHash === shownDigest(shown) ? 'fits' : 'config-changed';
}

/** What a laptop holding a secret whose target or channel changed elsewhere is told. */
export const secretStaleText = 'secret must be entered again on this laptop after the target changed';

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
