// What the service knows of trust, read from its own `trust` stream and org_keys: the TrustView
// judgeOp decides by. The stream holds only what the service wrote or accepted after judging.
import { trustStream } from '@shared/entities/streams';
import { ed25519 } from '@shared/node/ed25519';
import type { Op } from '@shared/ops';
import { certIdOf } from '@shared/trust/certificate';
import { judgeOp, signingKeyOf } from '@shared/trust/judge';
import { opSigningString } from '@shared/trust/signing';
import type { Certificate, OrgKey, RevocationBody, SignedCertificate, SignedRevocation, TrustView } from '@shared/trust/types';
import { sha256Hex, type SyncStore } from '../storage/sync-store';

export interface StoredTrust extends TrustView {
  /** Every accepted certificate, oldest first. */
  certificates: Certificate[];
  /** Adds a certificate accepted since the read (a later op of the same push may be written under it). */
  accept(certificate: Certificate): void;
}

export async function readStoredTrust(store: SyncStore, orgKeys?: readonly OrgKey[]): Promise<StoredTrust> {
  const [keys, ops] = await Promise.all([orgKeys ?? store.orgKeys(), store.readOpsByEntity(['device_cert', 'cert_revocation'], trustStream)]);
  return trustViewOf(keys, ops);
}

/** The TrustView of these org keys and trust-stream ops (certificates and revocations; others are skipped). */
export function trustViewOf(keys: readonly OrgKey[], ops: readonly Op[]): StoredTrust {
  const certificates = new Map<string, Certificate>();
  const revocations = new Map<string, RevocationBody[]>();
  for (const op of ops) {
    if (op.entity === 'device_cert') {
      const { body, sig } = op.fields as unknown as SignedCertificate;
      certificates.set(certIdOf(body, sha256Hex), { body, sig, certId: certIdOf(body, sha256Hex) });
    } else if (op.entity === 'cert_revocation') {
      const { body } = op.fields as unknown as SignedRevocation;
      revocations.set(body.certId, [...(revocations.get(body.certId) ?? []), body]);
    }
  }
  const byKeyId = new Map(keys.map((key) => [key.keyId, key]));
  return {
    get certificates() {
      return [...certificates.values()];
    },
    accept(certificate) {
      certificates.set(certificate.certId, certificate);
    },
    orgKey: (keyId) => byKeyId.get(keyId),
    certificate: (certId) => certificates.get(certId),
    revocations: (certId) => revocations.get(certId) ?? [],
    adoptingCertificate: (deviceId) => [...certificates.values()].find((c) => c.body.deviceId === deviceId && c.body.adopts),
    // The service writes no legacy_seal yet, so no unsigned op is sealed.
    isLegacySealed: () => false,
    standalone: null,
    verify: ed25519.verify,
    sha256Hex,
  };
}

/**
 * Why a trust record pushed by a client (a relay: a hub's guest certificate, or the service's own
 * records coming back from another node) may not be stored, or null. It must carry its writer's
 * valid signature and pass judgeOp against this service's org keys; anything else is refused, so
 * no token, however privileged, can put its own certificates or revocations into `trust`.
 */
export function relayedTrustRefusal(op: Op, trust: StoredTrust): string | null {
  if (op.sig === undefined) return 'trust records must be signed by the device that wrote them';
  const key = signingKeyOf(op, trust);
  if (key !== undefined && !trust.verify(key, opSigningString(op.hash), op.sig)) return "signature: does not verify against the writer's certificate";
  const verdict = judgeOp(op, trust);
  if (verdict.is === 'valid') {
    if (op.entity === 'device_cert') {
      const { body, sig } = op.fields as unknown as SignedCertificate;
      trust.accept({ body, sig, certId: certIdOf(body, sha256Hex) });
    }
    return null;
  }
  // Held means this service cannot check it (an issuer it does not know): for the service that is a no.
  return verdict.is === 'held' ? `${verdict.reason}: this service accepts only trust records of its own organisation` : verdict.reason;
}
