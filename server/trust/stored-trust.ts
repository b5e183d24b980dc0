// What the service knows of trust, from its own `trust` stream and org_keys: the TrustView judgeOp
// decides by. The stream holds only what the service wrote or accepted after judging; refused
// trust ops count for nothing. `createLiveTrust` keeps one view in memory and reads only the trust
// ops stored since its last look (several service nodes may share one PostgreSQL database).
import { trustStream } from '@shared/entities/streams';
import { ed25519 } from '@shared/node/ed25519';
import type { Op } from '@shared/ops';
import { certIdOf, checkCertificate } from '@shared/trust/certificate';
import type { Certificate, OrgKey, RevocationBody, SignedCertificate, SignedRevocation, TrustView } from '@shared/trust/types';
import { sha256Hex, type StoredOp, type SyncStore } from '../storage/sync-store';

export interface StoredTrust extends TrustView {
  /** Every accepted certificate, oldest first. */
  certificates: Certificate[];
  /** The organisation's first key's creation time: unsigned ops from then on must be sealed. Null without an org key. */
  readonly orgCreatedAt: number | null;
  /** Counts a trust op accepted since the read (a later op of the same push may rely on it). */
  apply(op: Op): void;
  /** Whether a legacy seal names this hash in this stream. */
  isSealed(streamId: string, hash: string): boolean;
  /** Replaces the org keys (a key was added by rotation). */
  setOrgKeys(keys: readonly OrgKey[]): void;
}

export async function readStoredTrust(store: SyncStore, orgKeys?: readonly OrgKey[]): Promise<StoredTrust> {
  const [keys, ops] = await Promise.all([orgKeys ?? store.orgKeys(), store.readOpsByEntity(['device_cert', 'cert_revocation', 'legacy_seal'], trustStream)]);
  return trustViewOf(keys, ops);
}

/** The TrustView of these org keys and trust-stream ops (certificates, revocations and seals; others are skipped). */
export function trustViewOf(keys: readonly OrgKey[], ops: readonly StoredOp[]): StoredTrust {
  const certificates = new Map<string, Certificate>();
  const revocations = new Map<string, RevocationBody[]>();
  const adopting = new Map<string, Certificate>();
  /** Sealed hash → its stream. */
  const sealed = new Map<string, string>();
  let byKeyId = new Map(keys.map((key) => [key.keyId, key]));
  const isIssuersSignature = ({ body, sig }: Certificate): boolean => {
    const issuer = body.issuer;
    const key = issuer.kind === 'org' ? byKeyId.get(issuer.keyId)?.publicKey : certificates.get(issuer.certId)?.body.publicKey;
    return key !== undefined && checkCertificate({ body, sig }, key, ed25519.verify, sha256Hex).ok;
  };
  const view: StoredTrust = {
    get certificates() {
      return [...certificates.values()];
    },
    get orgCreatedAt() {
      return keys.length > 0 ? Math.min(...keys.map((key) => key.createdAt)) : null;
    },
    apply(op) {
      if (op.streamId !== trustStream) return;
      // A certificate counts as known even when the op carrying it was refused, as on every
      // replica: the judge decides from the certificate itself whether it is any good.
      if ((op as StoredOp).refusal !== undefined && op.entity !== 'device_cert') return;
      if (op.entity === 'device_cert') {
        const { body, sig } = op.fields as unknown as SignedCertificate;
        const certificate = { body, sig, certId: certIdOf(body, sha256Hex) };
        // A refused op was not judged to carry a good certificate: it counts only if its issuer's signature checks.
        if ((op as StoredOp).refusal !== undefined && !isIssuersSignature(certificate)) return;
        certificates.set(certificate.certId, certificate);
        if (body.adopts && !adopting.has(body.deviceId)) adopting.set(body.deviceId, certificate);
      } else if (op.entity === 'cert_revocation') {
        const { body } = op.fields as unknown as SignedRevocation;
        const known = revocations.get(body.certId) ?? [];
        if (!known.some((r) => r.effectiveAt === body.effectiveAt && r.issuedAt === body.issuedAt)) revocations.set(body.certId, [...known, body]);
      } else if (op.entity === 'legacy_seal') {
        const { streamId, hashes } = op.fields as { streamId: string; hashes: string[] };
        for (const hash of hashes) sealed.set(hash, streamId);
      }
    },
    isSealed: (streamId, hash) => sealed.get(hash) === streamId,
    setOrgKeys(next) {
      keys = next;
      byKeyId = new Map(next.map((key) => [key.keyId, key]));
    },
    orgKey: (keyId) => byKeyId.get(keyId),
    certificate: (certId) => certificates.get(certId),
    revocations: (certId) => revocations.get(certId) ?? [],
    adoptingCertificate: (deviceId) => adopting.get(deviceId),
    isLegacySealed: (op) => sealed.get(op.hash) === op.streamId,
    standalone: null,
    verify: ed25519.verify,
    sha256Hex,
  };
  for (const op of ops) view.apply(op);
  return view;
}

export interface LiveTrust {
  /** The view, after reading the trust ops stored since the last call (by this node or another). */
  current(): Promise<StoredTrust>;
  /** Like current, but the read starts after this call (never joins a read already under way). */
  fresh(): Promise<StoredTrust>;
  /** The trust stream's seq the view has read up to. */
  seq(): number;
}

const pageSize = 1000;

/** One trust view per service process, caught up incrementally from the trust stream's seq. */
export function createLiveTrust(store: SyncStore, orgKeys?: readonly OrgKey[]): LiveTrust {
  let view: StoredTrust | null = null;
  let seq = 0;
  let catchingUp: Promise<StoredTrust> | null = null;
  const catchUp = async (): Promise<StoredTrust> => {
    if (view === null) view = trustViewOf(orgKeys ?? (await store.orgKeys()), []);
    let isOrgKeyNew = false;
    for (;;) {
      const page = await store.readOps(trustStream, seq, pageSize);
      for (const op of page) {
        view.apply(op);
        if (op.entity === 'org_key') isOrgKeyNew = true;
        seq = Math.max(seq, op.seq);
      }
      if (page.length < pageSize) break;
    }
    if (isOrgKeyNew && orgKeys === undefined) view.setOrgKeys(await store.orgKeys());
    return view;
  };
  const current = () => {
    // Callers at the same moment share one read; the next caller reads again.
    catchingUp ??= catchUp().finally(() => {
      catchingUp = null;
    });
    return catchingUp;
  };
  return {
    seq: () => seq,
    current,
    async fresh() {
      while (catchingUp) await catchingUp.catch(() => undefined);
      return current();
    },
  };
}
