// Where file signatures get their signer and their reader's trust: from an open replica (the app,
// `holdfast evidence bundle`), or from a data folder read without opening it for writing
// (`holdfast backup` while the app runs, `holdfast verify --data`, `holdfast restore`).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodePrivateKey, signText } from '@shared/node/ed25519';
import type { Certificate, CertificateBody, OrgKey, RevocationBody } from '@shared/trust/types';
import { databaseFileName } from './database';
import { deviceKeySecret, type DeviceKey } from './device-key';
import type { FileSignerDeps, FileTrust } from './file-signature';
import type { Replica } from './replica';
import { fileSecretStore, type SecretStore } from './secrets';

/** The org keys a certificate chains to: the pinned ones, and a rotated issuer key with the keys that endorsed it. */
function orgKeysFor(pinned: readonly OrgKey[], certificate: Certificate | null, orgKey: (keyId: string) => OrgKey | undefined): OrgKey[] {
  const keys = new Map(pinned.map((k) => [k.keyId, k]));
  let wanted = certificate?.body.issuer.kind === 'org' ? certificate.body.issuer.keyId : undefined;
  for (let depth = 0; wanted !== undefined && !keys.has(wanted) && depth < 20; depth += 1) {
    const key = orgKey(wanted);
    if (!key) break;
    keys.set(key.keyId, key);
    wanted = key.endorsedBy;
  }
  return [...keys.values()];
}

/** The signer of an open replica: its device key, certificate and what that chains to. */
export function fileSignerOfReplica(replica: Replica, key: DeviceKey, now: () => number = Date.now): FileSignerDeps {
  const view = replica.trust.view();
  const certificate = replica.trust.certificate();
  const host = certificate?.body.issuer.kind === 'hub' ? view.certificate(certificate.body.issuer.certId) : undefined;
  return {
    deviceId: replica.deviceId,
    user: replica.actorId,
    key,
    certificate,
    issuerCertificates: host ? [host] : [],
    orgKeys: orgKeysFor(replica.trust.pinnedOrgKeys(), host ?? certificate, (keyId) => view.orgKey(keyId)),
    now,
  };
}

const metaOf = (db: Database.Database, key: string) => db.prepare('SELECT value FROM replica_meta WHERE key = ?').pluck().get(key) as string | undefined;
const hasTable = (db: Database.Database, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * The signer of the replica in `db` (its data folder `dataDir`), read without writing: null when it
 * has no device key yet (never opened by this Holdfast), or its key cannot be read here.
 */
export function fileSignerOfDatabase(db: Database.Database, dataDir: string, secrets: SecretStore = fileSecretStore(dataDir)): FileSignerDeps | null {
  if (!hasTable(db, 'replica_meta')) return null;
  const deviceId = metaOf(db, 'device_id');
  if (!deviceId) return null;
  let key: DeviceKey;
  try {
    const stored = secrets.get(deviceKeySecret(deviceId));
    if (stored === null) return null;
    const pair = decodePrivateKey(stored);
    key = { publicKey: pair.publicKey, sign: (message) => signText(pair.privateKey, message) };
  } catch {
    return null;
  }
  const parse = <T>(text: string | undefined, fallback: T): T => (text === undefined ? fallback : (JSON.parse(text) as T));
  const stored = parse<Certificate | null>(metaOf(db, 'device_cert'), null);
  // A certificate for another key (a restored backup's old one) does not vouch for this key.
  const certificate = stored && stored.body.publicKey === key.publicKey && stored.body.deviceId === deviceId ? stored : null;
  const certRow = (certId: string) => {
    if (!hasTable(db, 'trust_certs')) return undefined;
    const row = db.prepare('SELECT cert_id, body, sig FROM trust_certs WHERE cert_id = ?').get(certId) as { cert_id: string; body: string; sig: string } | undefined;
    return row ? { certId: row.cert_id, body: JSON.parse(row.body) as CertificateBody, sig: row.sig } : undefined;
  };
  const orgKeyRow = (keyId: string): OrgKey | undefined => {
    if (!hasTable(db, 'trust_org_keys')) return undefined;
    const row = db.prepare('SELECT key_id, public_key, created_at, endorsed_by, endorsement FROM trust_org_keys WHERE key_id = ?').get(keyId) as
      { key_id: string; public_key: string; created_at: number; endorsed_by: string | null; endorsement: string | null } | undefined;
    if (!row) return undefined;
    return {
      keyId: row.key_id,
      publicKey: row.public_key,
      createdAt: row.created_at,
      ...(row.endorsed_by && row.endorsement ? { endorsedBy: row.endorsed_by, endorsement: row.endorsement } : {}),
    };
  };
  const host = certificate?.body.issuer.kind === 'hub' ? certRow(certificate.body.issuer.certId) : undefined;
  return {
    deviceId,
    user: certificate?.body.user ?? metaOf(db, 'actor_id') ?? 'local',
    key,
    certificate,
    issuerCertificates: host ? [host] : [],
    orgKeys: orgKeysFor(parse<OrgKey[]>(metaOf(db, 'org_keys'), []), host ?? certificate, orgKeyRow),
    now: Date.now,
  };
}

/** What a replica trusts when it reads a signed file: its pinned org keys and the revocations it accepted. */
export function fileTrustOfDatabase(db: Database.Database): FileTrust {
  if (!hasTable(db, 'replica_meta')) return { pinnedOrgKeys: [] };
  const text = metaOf(db, 'org_keys');
  const pinnedOrgKeys = text === undefined ? [] : (JSON.parse(text) as OrgKey[]);
  // Revocations are judged only where an org key is pinned; elsewhere they were never checked.
  if (pinnedOrgKeys.length === 0 || !hasTable(db, 'trust_revocations')) return { pinnedOrgKeys };
  const rows = db.prepare('SELECT body FROM trust_revocations WHERE cert_id = ? ORDER BY id').pluck();
  return { pinnedOrgKeys, revocations: (certId) => (rows.all(certId) as string[]).map((body) => JSON.parse(body) as RevocationBody) };
}

/** The trust of the replica in `dataDir` (read-only, read at once); nothing pinned when it has no database. */
export function fileTrustOfDataDir(dataDir: string): FileTrust {
  const file = join(dataDir, databaseFileName);
  if (!existsSync(file)) return { pinnedOrgKeys: [] };
  // Reading a WAL database makes its -wal and -shm files: those this read made are removed after it.
  const made = [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const trust = fileTrustOfDatabase(db);
    const revocations = new Map<string, readonly RevocationBody[]>();
    // Read every revocation now: the database is closed before the trust is used.
    if (trust.revocations) {
      const all = db.prepare('SELECT cert_id, body FROM trust_revocations').all() as { cert_id: string; body: string }[];
      for (const row of all) revocations.set(row.cert_id, [...(revocations.get(row.cert_id) ?? []), JSON.parse(row.body) as RevocationBody]);
      return { pinnedOrgKeys: trust.pinnedOrgKeys, revocations: (certId) => revocations.get(certId) ?? [] };
    }
    return trust;
  } finally {
    db.close();
    for (const path of made) rmSync(path, { force: true });
  }
}
