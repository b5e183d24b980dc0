// A bench organisation: an org key, a service device that carries certificates into the `trust`
// stream (as the central service does), and certified devices that sign the ops they write. What a
// pinned, judging replica needs to authenticate and judge a generated workload.
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, type Op } from '@shared/ops';
import type { CertRole } from '@shared/roles';
import { trustStream } from '@shared/entities';
import { issueCertificate, keyIdOf } from '@shared/trust/certificate';
import { signOp, type OpSigner } from '@shared/trust/signing';
import type { Certificate, CertificateBody, OrgKey } from '@shared/trust/types';
import { generateKeyPair, signText } from '@shared/node/ed25519';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';

/** Certificates run from here (ms) for a year: the generated ops' clocks fall inside. */
export const benchCertStart = 1_794_000_000_000;
const year = 365 * 24 * 3600_000;

export interface BenchDevice {
  deviceId: string;
  user: string;
  certificate: Certificate;
  signer: OpSigner;
}

export interface BenchOrg {
  orgKey: OrgKey;
  /** A certified device with its own key (the key stays in the bench). */
  device(deviceId: string, role: CertRole, user: string): BenchDevice;
  /** A certificate for a key held elsewhere (an engine's own device key). */
  certificateFor(deviceId: string, publicKey: string, role: CertRole, user: string): Certificate;
  /** The service device's signed device_cert ops for `certificates` (its own first): the trust stream a replica pulls. */
  trustOps(certificates: Certificate[]): Op[];
  /** Microseconds spent signing ops so far (signOp, the hash included). */
  signMicros(): number;
  sign(unsigned: Omit<Op, 'hash' | 'sig' | 'certId'>, device: BenchDevice): Op;
}

export function benchOrg(): BenchOrg {
  const orgKeys = generateKeyPair();
  const keyId = keyIdOf(orgKeys.publicKey, nativeSha256Hex);
  const orgKey: OrgKey = { keyId, publicKey: orgKeys.publicKey, createdAt: benchCertStart - 1000 };
  const issue = (deviceId: string, publicKey: string, role: CertRole, user: string): Certificate => {
    const body: CertificateBody = {
      v: 1,
      org: keyId,
      user,
      role,
      deviceId,
      publicKey,
      issuedAt: benchCertStart,
      notBefore: benchCertStart,
      notAfter: benchCertStart + year,
      adopts: false,
      aliases: [],
      issuer: { kind: 'org', keyId },
    };
    return issueCertificate(body, (m) => signText(orgKeys.privateKey, m), nativeSha256Hex);
  };
  const device = (deviceId: string, role: CertRole, user: string): BenchDevice => {
    const keys = generateKeyPair();
    const certificate = issue(deviceId, keys.publicKey, role, user);
    return { deviceId, user, certificate, signer: { certId: certificate.certId, sign: (m) => signText(keys.privateKey, m) } };
  };
  const service = device('5e7f1ce000000001', 'service', 'service');
  let signNanos = 0n;
  const sign = (unsigned: Omit<Op, 'hash' | 'sig' | 'certId'>, by: BenchDevice): Op => {
    const start = process.hrtime.bigint();
    const op = signOp(unsigned, by.signer, nativeSha256Hex);
    signNanos += process.hrtime.bigint() - start;
    return op;
  };
  return {
    orgKey,
    device,
    certificateFor: issue,
    trustOps(certificates) {
      let prevHash = genesisHash;
      return [service.certificate, ...certificates].map((certificate, i) => {
        const ms = benchCertStart + 1 + i;
        const opId = uuidv7(ms);
        const op = signOp(
          {
            opId,
            hlc: encodeHlc({ ms, counter: 0, deviceId: service.deviceId }),
            streamId: trustStream,
            actorId: service.user,
            deviceId: service.deviceId,
            entity: 'device_cert',
            rowId: opId,
            kind: 'append',
            fields: { body: certificate.body, sig: certificate.sig } as unknown as Op['fields'],
            prevHash,
          },
          service.signer,
          nativeSha256Hex,
        );
        prevHash = op.hash;
        return op;
      });
    },
    signMicros: () => Number(signNanos) / 1000,
    sign,
  };
}
