// Engine calls about trust: the replica's trust status (mode, certificate, pinned org key and its
// fingerprint, held ops) and pinning the organisation's key out of band.
import type { Handlers } from '@shared/contract';
import { ApiError } from '@shared/errors';
import { groupedFingerprint, type TrustStatus } from '@shared/trust/api';
import { fingerprintOf } from '@shared/trust/certificate';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';

type TrustHandlers = Pick<Handlers, 'trust.status' | 'trust.pin'>;

export function trustHandlers({ replica }: { replica: Replica }): TrustHandlers {
  return {
    'trust.status': () => trustStatus(replica),
    'trust.pin': ({ publicKey, fingerprint }) => {
      const actual = fingerprintOf(publicKey, nativeSha256Hex);
      if (fingerprint !== undefined && fingerprint !== actual) {
        throw new ApiError(
          'bad_request',
          `the key's fingerprint is ${groupedFingerprint(actual)}, not ${groupedFingerprint(fingerprint)}: check the key and fingerprint you were given (nothing was pinned)`,
        );
      }
      replica.trust.pinOrgKey({ publicKey });
      return trustStatus(replica);
    },
  };
}

export function trustStatus(replica: Replica): TrustStatus {
  const { trust } = replica;
  const certificate = trust.certificate();
  const orgKey = trust.pinnedOrgKeys()[0] ?? null;
  return {
    mode: trust.mode(),
    user: certificate?.body.user ?? replica.actorId,
    role: certificate?.body.role ?? null,
    certId: certificate?.certId ?? null,
    certExpiresAt: certificate?.body.notAfter ?? null,
    orgKeyId: orgKey?.keyId ?? null,
    orgFingerprint: orgKey ? groupedFingerprint(fingerprintOf(orgKey.publicKey, nativeSha256Hex)) : null,
    heldCount: trust.heldCount(),
  };
}
