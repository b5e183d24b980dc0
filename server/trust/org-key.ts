// The organisation's Ed25519 key at the service, and the service device's own key beside it: both
// PKCS#8 PEM files, mode 0600 in a 0700 folder. Only the org key's public half enters the database
// (org_keys), so every service node on one PostgreSQL needs a copy of the same files.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodePrivateKey, encodePrivateKey, generateKeyPair, signText, type Ed25519KeyPair } from '@shared/node/ed25519';
import { trustStream } from '@shared/entities/streams';
import { fingerprintOf, keyIdOf } from '@shared/trust/certificate';
import type { PublishedOrgKey } from '@shared/trust/protocol';
import type { OrgKey } from '@shared/trust/types';
import { sha256Hex, type SyncStore } from '../storage/sync-store';

/** Where the org key file is: --org-key, else HOLDFAST_ORG_KEY_FILE, else `<data>/keys/org-key.pem`. */
export function orgKeyFileOf(options: { flag?: string; env?: string; dataDir: string }): string {
  return resolve(options.flag || options.env || join(options.dataDir, 'keys', 'org-key.pem'));
}

/** The service device's key file: beside the org key file, so one folder holds both secrets. */
export const serviceKeyFileOf = (orgKeyFile: string) => join(dirname(orgKeyFile), 'service-device-key.pem');

/** Reads an Ed25519 key file, or makes one (0600, its folder 0700) when `mayCreate`. */
export function loadOrCreateKeyFile(file: string, mayCreate: boolean, missing: string): Ed25519KeyPair {
  if (existsSync(file)) {
    try {
      return decodePrivateKey(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not an Ed25519 private key (PKCS#8 PEM): ${(error as Error).message}`, { cause: error });
    }
  }
  if (!mayCreate) throw new Error(missing);
  const dir = dirname(file);
  const isNewDir = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask; the folder we made must be ours alone.
  if (isNewDir || (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const keys = generateKeyPair();
  // 'wx': never overwrite a key another process wrote meanwhile.
  writeFileSync(file, encodePrivateKey(keys.privateKey), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return keys;
}

/** The service's keys: the organisation's (signs certificates and revocations) and its own device's. */
export interface ServiceKeys {
  orgKeyFile: string;
  org: OrgKey & { sign: (message: string) => string };
  /** Every org key of the organisation (the first is `org` until keys rotate). */
  orgKeys: OrgKey[];
  device: Ed25519KeyPair & { sign: (message: string) => string };
}

export const publishOrgKey = (key: OrgKey): PublishedOrgKey => ({ ...key, fingerprint: fingerprintOf(key.publicKey, sha256Hex) });

/**
 * Loads (or, for a new organisation, creates) the org key file and records its public half in
 * org_keys. The file must hold the newest of the database's org keys (after a rotation, the new
 * one). Fails, naming the file, when the database belongs to another org key or the file holds an
 * earlier one.
 */
export async function openServiceKeys(store: SyncStore, orgKeyFile: string, now = Date.now()): Promise<ServiceKeys> {
  const known = await store.orgKeys();
  const first = known[0];
  const orgPair = loadOrCreateKeyFile(
    orgKeyFile,
    first === undefined,
    `no org key file at ${orgKeyFile}, but this database already has org key ${known.at(-1)?.keyId}: copy that key file from the first service node and pass it with --org-key FILE (or HOLDFAST_ORG_KEY_FILE)`,
  );
  const keyId = keyIdOf(orgPair.publicKey, sha256Hex);
  const orgKeys = await withEndorsements(store, first === undefined ? await store.addFirstOrgKey({ keyId, publicKey: orgPair.publicKey, createdAt: now }) : known);
  const org = orgKeys.find((key) => key.keyId === keyId);
  if (!org) {
    throw new Error(`the org key in ${orgKeyFile} (${keyId}) is not this database's org key (${orgKeys[0].keyId}): every service node needs a copy of the same key file`);
  }
  const newest = orgKeys[orgKeys.length - 1];
  if (newest.keyId !== keyId) {
    throw new Error(
      `the org key in ${orgKeyFile} (${keyId}) was replaced by org key ${newest.keyId} (holdfast server org-key rotate): use the newest key file (org-key.pem beside the old one, or ${orgKeyFile}.new if the rotation stopped half-way) on every service node`,
    );
  }
  const devicePair = loadOrCreateKeyFile(serviceKeyFileOf(orgKeyFile), true, '');
  return {
    orgKeyFile,
    org: { ...org, sign: (message) => signText(orgPair.privateKey, message) },
    orgKeys,
    device: { ...devicePair, sign: (message) => signText(devicePair.privateKey, message) },
  };
}

/** The org keys with the endorsement their org_key op in the trust stream carries (a rotated-in key's), so clients can check it. */
async function withEndorsements(store: SyncStore, keys: OrgKey[]): Promise<OrgKey[]> {
  if (keys.length < 2) return keys;
  const ops = (await store.readOpsByEntity(['org_key'], trustStream)).filter((op) => op.refusal === undefined);
  return keys.map((key) => {
    const fields = ops.find((op) => op.fields.keyId === key.keyId && op.fields.endorsement !== undefined)?.fields as OrgKey | undefined;
    return fields?.endorsedBy && fields.endorsement ? { ...key, endorsedBy: fields.endorsedBy, endorsement: fields.endorsement } : key;
  });
}
