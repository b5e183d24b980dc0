// Org key rotation: a new Ed25519 org key, endorsed by the current one (its signature over
// orgKeySigningString), written as an `org_key` op of the trust stream by the service device and
// recorded in org_keys. The old key file is kept as `org-key.<oldKeyId>.pem` beside the new
// `org-key.pem`. Certificates the old key issued stay valid until they expire or are revoked;
// from the next start the service issues with the new key. Run with the service stopped.
import { chmodSync, copyFileSync, constants, existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { trustStream } from '@shared/entities/streams';
import { uuidv7 } from '@shared/ids';
import { encodePrivateKey, generateKeyPair } from '@shared/node/ed25519';
import { keyIdOf } from '@shared/trust/certificate';
import { orgKeySigningString } from '@shared/trust/signing';
import type { OrgKey } from '@shared/trust/types';
import { sha256Hex, type SyncStore } from '../storage/sync-store';
import { createTrustIssuer, serviceUser } from './issue';
import { openServiceKeys } from './org-key';

export interface RotationResult {
  previous: OrgKey;
  key: OrgKey;
  /** Where the previous key's private half is kept now. */
  previousFile: string;
  orgKeyFile: string;
}

/** The file an earlier org key is kept in after a rotation. */
export const retiredKeyFileOf = (orgKeyFile: string, keyId: string) => join(dirname(orgKeyFile), `org-key.${keyId}.pem`);

/** Rotates the org key held in `orgKeyFile` (which must be the database's newest). */
export async function rotateOrgKey(store: SyncStore, orgKeyFile: string, now = Date.now()): Promise<RotationResult> {
  if ((await store.orgKeys()).length === 0) throw new Error('this service has no org key yet: start it once (holdfast server) before rotating');
  const keys = await openServiceKeys(store, orgKeyFile, now);
  const previous = keys.org;
  const previousFile = retiredKeyFileOf(orgKeyFile, previous.keyId);
  if (existsSync(previousFile)) throw new Error(`${previousFile} already exists: move it away (it should hold org key ${previous.keyId}) and rotate again`);
  const pendingFile = `${orgKeyFile}.new`;
  if (existsSync(pendingFile)) throw new Error(`${pendingFile} exists (a rotation that stopped half-way?): move it away and rotate again`);
  const pair = generateKeyPair();
  const createdAt = Math.max(now, previous.createdAt + 1);
  const unsigned = { keyId: keyIdOf(pair.publicKey, sha256Hex), publicKey: pair.publicKey, createdAt };
  const key: OrgKey = { ...unsigned, endorsedBy: previous.keyId, endorsement: previous.sign(orgKeySigningString(unsigned)) };
  // The new private key reaches the disk before anything names it.
  writeFileSync(pendingFile, encodePrivateKey(pair.privateKey), { mode: 0o600, flag: 'wx' });
  chmodSync(pendingFile, 0o600);
  try {
    const issuer = createTrustIssuer(store, keys, { now: () => now });
    const signer = await issuer.signer();
    const opId = uuidv7(now);
    const written = await store.writeAsService(
      {
        drafts: [{ opId, streamId: trustStream, actorId: serviceUser, entity: 'org_key', rowId: opId, kind: 'append', fields: { ...key } }],
        idempotency: null,
        reply: () => ({ status: 200, body: null }),
        signer,
      },
      now,
    );
    if (written.outcome !== 'written' || written.statuses.some((s) => s !== 'accepted')) throw new Error('the trust stream did not take the new org key');
  } catch (error) {
    unlinkSync(pendingFile);
    throw error;
  }
  await store.addOrgKey({ keyId: key.keyId, publicKey: key.publicKey, createdAt: key.createdAt });
  copyFileSync(orgKeyFile, previousFile, constants.COPYFILE_EXCL);
  chmodSync(previousFile, 0o600);
  renameSync(pendingFile, orgKeyFile);
  return { previous: { keyId: previous.keyId, publicKey: previous.publicKey, createdAt: previous.createdAt }, key, previousFile, orgKeyFile };
}
