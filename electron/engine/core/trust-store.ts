// What this replica knows of trust: the organisation keys it pinned and its trust mode (in
// replica_meta), its own current certificate, the projected trust tables (trust_org_keys,
// trust_certs, trust_revocations, trust_legacy) read as a TrustView for the judge, and ops held
// until they can be judged. A replica that pinned no org key is `standalone`: it judges nothing (today's rules).
import type { Database } from 'better-sqlite3';
import { ApiError } from '@shared/errors';
import type { Op } from '@shared/ops';
import { ed25519 } from '@shared/node/ed25519';
import { checkCertificate, keyIdOf } from '@shared/trust/certificate';
import { orgKeySigningString } from '@shared/trust/signing';
import type { Certificate, CertificateBody, OrgKey, RevocationBody, SignedCertificate, TrustView } from '@shared/trust/types';
import { nativeSha256Hex } from './native-hash';

export type TrustMode = 'standalone' | 'certified' | 'guest';

/** How many ops one source may have held at once; the oldest go first (they come again on a later pull). */
export const maxHeldPerSource = 10_000;

export interface HeldOp {
  op: Op;
  reason: string;
  source: string | null;
}

export interface ReplicaTrust {
  mode(): TrustMode;
  /** Whether ops are judged here (an org key is pinned); a standalone replica judges nothing. */
  isJudging(): boolean;
  pinnedOrgKeys(): OrgKey[];
  /** Pins the organisation's key (trust on first use, or out of band); this replica judges from now on. */
  pinOrgKey(key: Pick<OrgKey, 'publicKey'> & Partial<OrgKey>): OrgKey;
  /**
   * Makes `certificate` this device's own (checked against the pinned org key, or a known hub's).
   * `orgKeys` (what the issuer published) may carry later org keys endorsed by a trusted one (a
   * rotation): those whose endorsement verifies are kept beside the pinned key.
   */
  adoptCertificate(certificate: SignedCertificate, orgKeys?: readonly OrgKey[]): Certificate;
  /** Pins the org key and adopts this device's certificate together: if the certificate does not check, nothing is pinned. */
  pinAndAdopt(key: Pick<OrgKey, 'publicKey'> & Partial<OrgKey>, certificate: SignedCertificate, orgKeys?: readonly OrgKey[]): Certificate;
  /** This device's current certificate, or null (standalone, or not certified yet). */
  certificate(): Certificate | null;
  view(): TrustView;
  hold(op: Op, reason: string, source: string | null, receivedAt: number): void;
  held(): HeldOp[];
  release(opId: string): void;
  heldCount(): number;
  /** Drops what this store keeps in memory (after a transaction that wrote through it rolled back). */
  forget(): void;
}

const certificateOf = (row: { cert_id: string; body: string; sig: string }): Certificate => ({
  certId: row.cert_id,
  body: JSON.parse(row.body) as CertificateBody,
  sig: row.sig,
});

export function createTrustStore(db: Database, device: { deviceId: string; publicKey: string | null }): ReplicaTrust {
  const meta = db.prepare('SELECT value FROM replica_meta WHERE key = ?').pluck();
  const setMeta = db.prepare('INSERT INTO replica_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const read = <T>(key: string, fallback: T): T => {
    const value = meta.get(key) as string | undefined;
    return value === undefined ? fallback : (JSON.parse(value) as T);
  };
  const certRow = db.prepare('SELECT cert_id, body, sig FROM trust_certs WHERE cert_id = ?');
  const adoptingRow = db.prepare('SELECT cert_id, body, sig FROM trust_certs WHERE device_id = ? AND adopts = 1 ORDER BY not_before, cert_id LIMIT 1');
  const revocationRows = db.prepare('SELECT body FROM trust_revocations WHERE cert_id = ? ORDER BY id').pluck();
  const insertHeld = db.prepare('INSERT OR REPLACE INTO ops_held (op_id, op, reason, source, received_at) VALUES (?, ?, ?, ?, ?)');
  const heldOfSource = db.prepare('SELECT count(*) FROM ops_held WHERE source IS ?').pluck();
  const evictOldest = db.prepare('DELETE FROM ops_held WHERE op_id IN (SELECT op_id FROM ops_held WHERE source IS ? ORDER BY received_at, op_id LIMIT ?)');
  const allHeld = db.prepare('SELECT op, reason, source FROM ops_held ORDER BY received_at, op_id');
  const removeHeld = db.prepare('DELETE FROM ops_held WHERE op_id = ?');
  const heldCount = db.prepare('SELECT count(*) FROM ops_held').pluck();
  const sealedHash = db.prepare('SELECT 1 FROM trust_legacy WHERE hash = ? AND stream_id = ?').pluck();

  // Read on every judged op, written only through this store: kept in memory, forgotten after each
  // write (and by forget(), after a transaction that may have written rolled back).
  let modeCache: TrustMode | null = null;
  let pinnedCache: OrgKey[] | null = null;
  let heldCache: number | null = null;
  let endorsedCache = new Map<string, OrgKey>();
  const mode = () => (modeCache ??= (meta.get('trust_mode') as TrustMode | undefined) ?? 'standalone');
  const pinned = () => (pinnedCache ??= read<OrgKey[]>('org_keys', []));
  const forget = () => {
    endorsedCache = new Map();
    modeCache = null;
    pinnedCache = null;
    heldCache = null;
  };
  const countHeld = () => (heldCache ??= heldCount.get() as number);
  const own = () => read<Certificate | null>('device_cert', null);
  const write = (key: string, value: unknown) => setMeta.run(key, JSON.stringify(value));

  /**
   * A certificate row, returned only once its signature checks against a pinned org key (or, for a
   * guest's, against its host's org-issued certificate). Rows projected while this replica was
   * standalone were never judged, so a forged one must not count once a key is pinned.
   */
  const checked = new Map<string, Certificate | null>();
  const checkedRow = (row: { cert_id: string; body: string; sig: string }, depth = 0): Certificate | undefined => {
    if (checked.has(row.cert_id)) return checked.get(row.cert_id) ?? undefined;
    const { body, sig } = certificateOf(row);
    const issuer = body.issuer;
    const host = issuer.kind === 'hub' && depth === 0 ? (certRow.get(issuer.certId) as typeof row | undefined) : undefined;
    const issuerKey = issuer.kind === 'org' ? trustedOrgKey(issuer.keyId)?.publicKey : host ? checkedRow(host, 1)?.body.publicKey : undefined;
    // An issuer not trusted yet may be later (a pin, the host's certificate): only decisions are kept.
    if (issuerKey === undefined) return undefined;
    const check = checkCertificate({ body, sig }, issuerKey, ed25519.verify, nativeSha256Hex);
    const certificate = check.ok && check.certificate.certId === row.cert_id ? check.certificate : null;
    checked.set(row.cert_id, certificate);
    return certificate ?? undefined;
  };

  /**
   * A pinned key, or a projected org key (rotation) whose endorsement verifies against a key
   * trusted already, walking the chain of endorsements back to a pinned one. Only trust is kept:
   * a key not trusted now may be once its endorser arrives.
   */
  const endorsedRow = db.prepare('SELECT key_id, public_key, created_at, endorsed_by, endorsement FROM trust_org_keys WHERE key_id = ?');
  const trustedOrgKey = (keyId: string, seen: ReadonlySet<string> = new Set()): OrgKey | undefined => {
    const known = pinned().find((k) => k.keyId === keyId) ?? endorsedCache.get(keyId);
    if (known || seen.has(keyId)) return known;
    const row = endorsedRow.get(keyId) as { key_id: string; public_key: string; created_at: number; endorsed_by: string | null; endorsement: string | null } | undefined;
    if (!row?.endorsed_by || !row.endorsement || keyIdOf(row.public_key, nativeSha256Hex) !== row.key_id) return undefined;
    const key: OrgKey = { keyId: row.key_id, publicKey: row.public_key, createdAt: row.created_at, endorsedBy: row.endorsed_by, endorsement: row.endorsement };
    const endorser = trustedOrgKey(row.endorsed_by, new Set([...seen, keyId]));
    if (!endorser || !ed25519.verify(endorser.publicKey, orgKeySigningString(key), row.endorsement)) return undefined;
    endorsedCache.set(keyId, key);
    return key;
  };

  /** The offered org keys not trusted yet whose endorsement chain verifies from a trusted key, oldest first. */
  const acceptEndorsed = (offered: readonly OrgKey[]): OrgKey[] => {
    const accepted: OrgKey[] = [];
    const trusted = (keyId: string) => trustedOrgKey(keyId) ?? accepted.find((k) => k.keyId === keyId);
    for (const key of [...offered].sort((a, b) => a.createdAt - b.createdAt)) {
      if (trusted(key.keyId) || !key.endorsedBy || !key.endorsement || keyIdOf(key.publicKey, nativeSha256Hex) !== key.keyId) continue;
      const endorser = trusted(key.endorsedBy);
      const { keyId, publicKey, createdAt, endorsedBy, endorsement } = key;
      if (endorser && ed25519.verify(endorser.publicKey, orgKeySigningString(key), endorsement)) accepted.push({ keyId, publicKey, createdAt, endorsedBy, endorsement });
    }
    return accepted;
  };

  const view: TrustView = {
    // The org keys a trust op carried are not trusted by being projected: only pinned keys and those a trusted key endorsed.
    orgKey: (keyId) => trustedOrgKey(keyId),
    certificate(certId) {
      const row = certRow.get(certId) as { cert_id: string; body: string; sig: string } | undefined;
      if (row) return checkedRow(row);
      const mine = own();
      return mine?.certId === certId ? mine : undefined;
    },
    revocations: (certId) => (revocationRows.all(certId) as string[]).map((body) => JSON.parse(body) as RevocationBody),
    adoptingCertificate(deviceId) {
      const row = adoptingRow.get(deviceId) as { cert_id: string; body: string; sig: string } | undefined;
      const fromRow = row ? checkedRow(row) : undefined;
      if (fromRow) return fromRow;
      const mine = own();
      return mine?.body.adopts && mine.body.deviceId === deviceId ? mine : undefined;
    },
    // An unsigned op is grandfathered when an accepted legacy seal lists its hash in its stream.
    isLegacySealed: (op) => (op as { sig?: string }).sig === undefined && sealedHash.get(op.hash, op.streamId) !== undefined,
    get standalone() {
      return mode() === 'standalone' && device.publicKey !== null ? { deviceId: device.deviceId, publicKey: device.publicKey } : null;
    },
    verify: ed25519.verify,
    sha256Hex: nativeSha256Hex,
  };

  const store: ReplicaTrust = {
    mode,
    isJudging: () => mode() !== 'standalone',
    pinnedOrgKeys: pinned,
    pinOrgKey(key) {
      const keyId = keyIdOf(key.publicKey, nativeSha256Hex);
      if (key.keyId !== undefined && key.keyId !== keyId) throw new ApiError('bad_request', `org key ${key.keyId}: its id does not match its public key`);
      const keys = pinned();
      const same = keys.find((k) => k.keyId === keyId);
      if (same) return same;
      if (keys.length > 0) throw new ApiError('conflict', `this replica already pinned org key ${keys[0].keyId}; replace the pin out of band`);
      const orgKey: OrgKey = { keyId, publicKey: key.publicKey, createdAt: key.createdAt ?? 0 };
      try {
        db.transaction(() => {
          write('org_keys', [orgKey]);
          if (mode() === 'standalone') setMeta.run('trust_mode', 'certified');
        })();
      } finally {
        forget();
      }
      return orgKey;
    },
    adoptCertificate(input, orgKeys = []) {
      const { body } = input;
      const endorsed = acceptEndorsed(orgKeys);
      if (body.deviceId !== device.deviceId) throw new ApiError('bad_request', `certificate is for device ${body.deviceId}, not this one (${device.deviceId})`);
      if (device.publicKey !== null && body.publicKey !== device.publicKey) throw new ApiError('bad_request', "certificate names another key than this device's");
      const issuerKey =
        body.issuer.kind === 'org'
          ? (view.orgKey(body.issuer.keyId) ?? endorsed.find((k) => k.keyId === (body.issuer as { keyId: string }).keyId))?.publicKey
          : view.certificate(body.issuer.certId)?.body.publicKey;
      if (issuerKey === undefined || !view.orgKey(body.org))
        throw new ApiError('forbidden', "certificate: its issuer is not trusted here (pin the organisation's key first)");
      const check = checkCertificate(input, issuerKey, ed25519.verify, nativeSha256Hex);
      if (!check.ok) throw new ApiError('bad_request', check.reason);
      try {
        db.transaction(() => {
          if (endorsed.length > 0) write('org_keys', [...pinned(), ...endorsed]);
          write('device_cert', check.certificate);
          setMeta.run('trust_mode', body.role === 'guest' ? 'guest' : 'certified');
        })();
      } finally {
        forget();
      }
      return check.certificate;
    },
    pinAndAdopt(key, certificate, orgKeys) {
      try {
        return db.transaction(() => {
          store.pinOrgKey(key);
          return store.adoptCertificate(certificate, orgKeys);
        })();
      } finally {
        forget();
      }
    },
    certificate: own,
    view: () => view,
    hold(op, reason, source, receivedAt) {
      const over = (heldOfSource.get(source) as number) + 1 - maxHeldPerSource;
      if (over > 0) evictOldest.run(source, over);
      insertHeld.run(op.opId, JSON.stringify(op), reason, source, receivedAt);
      heldCache = null;
    },
    held: () =>
      (allHeld.all() as { op: string; reason: string; source: string | null }[]).map((row) => ({ op: JSON.parse(row.op) as Op, reason: row.reason, source: row.source })),
    release(opId) {
      // Called for every op stored; nearly always nothing is held.
      if (countHeld() === 0) return;
      if (removeHeld.run(opId).changes > 0) heldCache = null;
    },
    heldCount: countHeld,
    forget,
  };
  return store;
}
