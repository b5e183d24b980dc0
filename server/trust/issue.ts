// Certificates and revocations the service issues: a device's certificate for POST /v1/certs, the
// service device's own, and revocations for the admin CLI. Each is written as an op of the `trust`
// stream, signed by the service device, so it reaches every replica through ordinary pulls.
import { defaultMaxDriftMs } from '@shared/hlc';
import { trustStream } from '@shared/entities/streams';
import { uuidv7 } from '@shared/ids';
import { ed25519 } from '@shared/node/ed25519';
import type { Principal } from '@shared/sync-handler';
import { issueCertificate, issueRevocation, revocationAt } from '@shared/trust/certificate';
import { certProofWindowMinutes, type CertRequest, type CertResponse, type TrustRootResponse } from '@shared/trust/protocol';
import { certRequestSigningString, type OpSigner } from '@shared/trust/signing';
import type { Certificate, CertificateBody, SignedRevocation } from '@shared/trust/types';
import { sha256Hex, type ServiceDraft, type SyncStore } from '../storage/sync-store';
import { legacySealDrafts } from '@shared/trust/legacy';
import { refuseRevoked } from './revocation-refusals';
import { publishOrgKey, type ServiceKeys } from './org-key';
import { createLiveTrust, type LiveTrust } from './stored-trust';

const day = 24 * 3600_000;
/** The name the service's own certificate carries (it writes trust records for no user in particular). */
export const serviceUser = 'holdfast-service';
/** The service device's certificate runs a year and is renewed once a third of it has gone. */
const serviceCertMs = 365 * day;

export type IssueOutcome = { ok: true; reply: CertResponse } | { ok: false; status: 400 | 403 | 409; code: string; message: string };

export interface TrustIssuer {
  keys: ServiceKeys;
  /** The service's trust view, kept up to date from the trust stream (the push judge uses it too). */
  live: LiveTrust;
  /** The service device's signer, under its `service` certificate (issued and written first when it has none). */
  signer(): Promise<OpSigner>;
  /**
   * Seals the unsigned ops stored before signing existed that no legacy_seal names yet (every start
   * calls it): legacy_seal records in the trust stream, signed by the service device. How many ops it sealed.
   */
  sealLegacy(): Promise<number>;
  root(): TrustRootResponse;
  /** Certifies the requesting device's key for the token's user and role (the proof checked first). */
  issue(principal: Principal, request: CertRequest): Promise<IssueOutcome>;
  /**
   * Revokes each certificate from `effectiveAt` (skipping those already revoked by then); what was
   * written. Stored ops those revocations now refuse are marked refused (judgeOp's reason).
   */
  revoke(certificates: readonly Certificate[], effectiveAt: number, reason: string): Promise<SignedRevocation[]>;
  /** Every certificate this service accepted, oldest first. */
  certificates(): Promise<Certificate[]>;
}

export function createTrustIssuer(store: SyncStore, keys: ServiceKeys, options: { certDays?: number; now?: () => number } = {}): TrustIssuer {
  const now = options.now ?? Date.now;
  const certMs = (options.certDays ?? 30) * day;
  const organisation = keys.orgKeys[0].keyId;
  let current: Certificate | null = null;
  const live = createLiveTrust(store, keys.orgKeys);

  const certBody = (
    fields: Pick<CertificateBody, 'user' | 'role' | 'deviceId' | 'publicKey' | 'adopts'> & { aliases?: string[] },
    at: number,
    lifeMs: number,
  ): CertificateBody => ({
    v: 1,
    org: organisation,
    aliases: [],
    ...fields,
    issuedAt: at,
    // A device whose clock runs a little behind is still covered.
    notBefore: at - defaultMaxDriftMs,
    notAfter: at + lifeMs,
    issuer: { kind: 'org', keyId: keys.org.keyId },
  });
  const draft = (entity: ServiceDraft['entity'], actorId: string, fields: ServiceDraft['fields']): ServiceDraft => {
    const opId = uuidv7(now());
    return { opId, streamId: trustStream, actorId, entity, rowId: opId, kind: 'append', fields };
  };
  const write = async (drafts: ServiceDraft[], signer: OpSigner, at: number) => {
    const written = await store.writeAsService({ drafts, idempotency: null, reply: () => ({ status: 200, body: null }), signer }, at);
    if (written.outcome !== 'written' || written.statuses.some((s) => s !== 'accepted')) throw new Error("the trust stream did not take the service's write");
  };

  /** The service device's signer, under a certificate valid for a while yet (issued and written when not). */
  async function serviceSigner(at: number): Promise<OpSigner> {
    const isFresh = (c: Certificate) => c.body.publicKey === keys.device.publicKey && c.body.notAfter - at > serviceCertMs / 3 && c.body.notBefore <= at;
    if (current === null || !isFresh(current)) {
      const [trust, deviceId, orgKeyOps] = await Promise.all([live.current(), store.serviceDeviceId(), store.readOpsByEntity(['org_key'], trustStream)]);
      const own = trust.certificates.filter((c) => c.body.deviceId === deviceId);
      current = own.filter((c) => c.body.role === 'service' && isFresh(c) && trust.revocations(c.certId).length === 0).pop() ?? null;
      if (current === null) {
        const body = certBody({ user: serviceUser, role: 'service', deviceId, publicKey: keys.device.publicKey, adopts: own.length === 0 }, at, serviceCertMs);
        const certificate = issueCertificate(body, keys.org.sign, sha256Hex);
        const drafts = [draft('device_cert', serviceUser, { body: { ...body }, sig: certificate.sig })];
        // The org key goes into the stream too, after the certificate it is written under.
        if (!orgKeyOps.some((op) => op.fields.keyId === keys.org.keyId)) {
          drafts.push(draft('org_key', serviceUser, { keyId: keys.org.keyId, publicKey: keys.org.publicKey, createdAt: keys.org.createdAt }));
        }
        await write(drafts, { certId: certificate.certId, sign: keys.device.sign }, at);
        current = certificate;
      }
    }
    return { certId: current.certId, sign: keys.device.sign };
  }

  return {
    keys,
    live,
    signer: () => serviceSigner(now()),
    async sealLegacy() {
      const view = await live.current();
      const byStream = new Map<string, string[]>();
      for (const { streamId, hash } of await store.unsignedOps()) {
        if (streamId === trustStream || view.isSealed(streamId, hash)) continue;
        byStream.set(streamId, [...(byStream.get(streamId) ?? []), hash]);
      }
      if (byStream.size === 0) return 0;
      const at = now();
      const drafts = [...byStream].flatMap(([streamId, hashes]) => legacySealDrafts(streamId, hashes).map((sealed) => draft('legacy_seal', serviceUser, sealed.fields)));
      await write(drafts, await serviceSigner(at), at);
      return [...byStream.values()].reduce((sum, hashes) => sum + hashes.length, 0);
    },
    root: () => ({ orgKeyId: organisation, keys: keys.orgKeys.map(publishOrgKey) }),
    async issue(principal, request) {
      const at = now();
      const minute = Math.floor(at / 60_000);
      let isProven = false;
      for (let offset = -certProofWindowMinutes; offset <= certProofWindowMinutes && !isProven; offset += 1) {
        isProven = ed25519.verify(request.publicKey, certRequestSigningString(organisation, principal.name, request.deviceId, minute + offset), request.proof);
      }
      if (!isProven) {
        return {
          ok: false,
          status: 400,
          code: 'bad_request',
          message: `proof: does not verify; sign certRequestSigningString("${organisation}", "${principal.name}", deviceId, minute) with the device key, where minute is within ${certProofWindowMinutes} of the service's (${minute})`,
        };
      }
      const trust = await live.current();
      const earlier = trust.certificates.filter((c) => c.body.deviceId === request.deviceId);
      const other = earlier.find((c) => c.body.user !== principal.name);
      if (other)
        return {
          ok: false,
          status: 409,
          code: 'conflict',
          message: `device ${request.deviceId} is certified for ${other.body.user}; one device holds one user's certificates`,
        };
      const revoked = earlier.find((c) => trust.revocations(c.certId).length > 0);
      if (revoked) {
        return {
          ok: false,
          status: 403,
          code: 'forbidden',
          message: `device ${request.deviceId} was revoked (certificate ${revoked.certId}); a revoked device is not certified again: restore or reinstall to get a new device id`,
        };
      }
      // The first certificate adopts the device's earlier certless work, under the names it used then.
      const adopts = earlier.length === 0;
      const aliases = adopts ? [...new Set(request.aliases ?? [])].filter((alias) => alias !== principal.name) : [];
      for (const alias of aliases) {
        if (await store.userByName(alias)) {
          return {
            ok: false,
            status: 409,
            code: 'conflict',
            message: `aliases: "${alias}" is the name of another user of this service; this device's earlier work cannot be claimed under it`,
          };
        }
      }
      const body = certBody({ user: principal.name, role: principal.role, deviceId: request.deviceId, publicKey: request.publicKey, adopts, aliases }, at, certMs);
      const certificate = issueCertificate(body, keys.org.sign, sha256Hex);
      await write([draft('device_cert', principal.name, { body: { ...body }, sig: certificate.sig })], await serviceSigner(at), at);
      return { ok: true, reply: { certificate, orgKeys: keys.orgKeys.map(publishOrgKey) } };
    },
    async revoke(certificates, effectiveAt, reason) {
      const at = now();
      const trust = await live.current();
      const revocations = certificates
        .filter((c) => revocationAt(trust.revocations(c.certId), effectiveAt) === undefined)
        .map((c) => issueRevocation({ v: 1, org: keys.org.keyId, certId: c.certId, effectiveAt, issuedAt: at, reason }, keys.org.sign));
      if (revocations.length > 0) {
        await write(
          revocations.map((r) => draft('cert_revocation', serviceUser, { body: { ...r.body }, sig: r.sig })),
          await serviceSigner(at),
          at,
        );
        await refuseRevoked(store, await live.current(), revocations);
      }
      return revocations;
    },
    async certificates() {
      return (await live.current()).certificates;
    },
  };
}
