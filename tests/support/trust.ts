// Trust fixtures for tests: an organisation key that issues certificates and revocations, certified
// devices that write signed op chains, a TrustView over what a test has accepted, and `forgeOp`
// for the ops a hostile laptop would make (signed, but lying about who or where).
import { encodeHlc } from '@shared/hlc';
import { entitySpecs } from '@shared/entities';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op, type OpDraft } from '@shared/ops';
import type { CertRole } from '@shared/roles';
import { issueCertificate, issueRevocation, keyIdOf } from '@shared/trust/certificate';
import { opSigningString, signOp, type OpSigner } from '@shared/trust/signing';
import type { Certificate, CertificateBody, Issuer, OrgKey, RevocationBody, SignedRevocation, TrustView } from '@shared/trust/types';
import { ed25519, generateKeyPair, signText, type Ed25519KeyPair } from '@shared/node/ed25519';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';

export const day = 24 * 3600_000;
/** The time test certificates start from (ms). */
export const epoch = 1_795_000_000_000;

export interface CertifyOptions {
  role: CertRole;
  user?: string;
  deviceId?: string;
  notBefore?: number;
  notAfter?: number;
  adopts?: boolean;
  aliases?: string[];
  /** A hub host's device: the certificate is a guest certificate issued by that hub. */
  hub?: TestDevice;
}

/** A device with a key and a certificate, writing signed ops in per-stream chains. */
export interface TestDevice {
  deviceId: string;
  user: string;
  keys: Ed25519KeyPair;
  certificate: Certificate;
  signer: OpSigner;
  /** The next op of this device in the draft's stream, signed, at clock time `ms`. */
  write(draft: OpDraft, ms: number, overrides?: { actorId?: string }): Op;
}

export interface TestOrg {
  keyId: string;
  keys: Ed25519KeyPair;
  orgKey: OrgKey;
  certify(options: CertifyOptions): TestDevice;
  /** A certificate for an existing key (a renewal, or a key another test made). */
  issue(body: Omit<CertificateBody, 'v' | 'org' | 'issuer' | 'issuedAt'> & { issuedAt?: number; issuer?: Issuer }): Certificate;
  revoke(certificate: Certificate, effectiveAt: number, reason?: string): SignedRevocation;
}

let deviceCounter = 0;
const nextDeviceId = () => (0xd000_0000_0000 + (deviceCounter += 1)).toString(16).padStart(16, '0');

/** A device writing chains with `signer` under `deviceId`/`user`. */
export function chainWriter(deviceId: string, user: string, signer: OpSigner): TestDevice['write'] {
  const heads = new Map<string, string>();
  let counter = 0;
  return (draft, ms, overrides = {}) => {
    const opId = uuidv7(ms);
    const spec = entitySpecs[draft.entity];
    const rowId = spec.kind === 'append' ? opId : draft.rowId;
    const streamId = spec.streamOf(rowId, draft.fields);
    const op = signOp(
      {
        opId,
        hlc: encodeHlc({ ms, counter: (counter += 1) % 1000, deviceId }),
        streamId,
        actorId: overrides.actorId ?? user,
        deviceId,
        entity: draft.entity,
        rowId,
        kind: spec.kind,
        fields: draft.fields,
        prevHash: heads.get(streamId) ?? genesisHash,
      },
      signer,
      nativeSha256Hex,
    );
    heads.set(streamId, op.hash);
    return op;
  };
}

export function testOrg(): TestOrg {
  const keys = generateKeyPair();
  const keyId = keyIdOf(keys.publicKey, nativeSha256Hex);
  const sign = (message: string) => signText(keys.privateKey, message);
  const org: TestOrg = {
    keyId,
    keys,
    orgKey: { keyId, publicKey: keys.publicKey, createdAt: epoch - day },
    issue({ issuedAt, issuer, ...rest }) {
      const body: CertificateBody = { v: 1, org: keyId, issuedAt: issuedAt ?? rest.notBefore, issuer: issuer ?? { kind: 'org', keyId }, ...rest };
      return issueCertificate(body, sign, nativeSha256Hex);
    },
    certify(options) {
      const deviceKeys = generateKeyPair();
      const deviceId = options.deviceId ?? nextDeviceId();
      const user = options.user ?? (options.role === 'guest' ? `guest:${deviceId.slice(-4)}` : `${options.role}-${deviceId.slice(-4)}`);
      const notBefore = options.notBefore ?? epoch;
      const body: CertificateBody = {
        v: 1,
        org: keyId,
        user,
        role: options.role,
        deviceId,
        publicKey: deviceKeys.publicKey,
        issuedAt: notBefore,
        notBefore,
        notAfter: options.notAfter ?? notBefore + (options.hub ? day : 30 * day),
        adopts: options.adopts ?? false,
        aliases: options.aliases ?? [],
        issuer: options.hub ? { kind: 'hub', certId: options.hub.certificate.certId } : { kind: 'org', keyId },
      };
      const hubKey = options.hub?.keys.privateKey;
      const certificate = issueCertificate(body, hubKey ? (m) => signText(hubKey, m) : sign, nativeSha256Hex);
      const signer: OpSigner = { certId: certificate.certId, sign: (m) => signText(deviceKeys.privateKey, m) };
      return { deviceId, user, keys: deviceKeys, certificate, signer, write: chainWriter(deviceId, user, signer) };
    },
    revoke(certificate, effectiveAt, reason = 'laptop lost') {
      const body: RevocationBody = { v: 1, org: keyId, certId: certificate.certId, effectiveAt, issuedAt: effectiveAt, reason };
      return issueRevocation(body, sign);
    },
  };
  return org;
}

/** A TrustView over what a test has accepted; add to it as trust records "arrive". */
export interface TestView extends TrustView {
  accept(...certificates: Certificate[]): TestView;
  acceptRevocation(...revocations: SignedRevocation[]): TestView;
  sealed: Set<string>;
}

export function trustView(orgs: TestOrg[], options: { standalone?: { deviceId: string; publicKey: string } } = {}): TestView {
  const certificates = new Map<string, Certificate>();
  const revocations = new Map<string, RevocationBody[]>();
  const orgKeys = new Map(orgs.map((o) => [o.keyId, o.orgKey]));
  const view: TestView = {
    orgKey: (keyId) => orgKeys.get(keyId),
    certificate: (certId) => certificates.get(certId),
    revocations: (certId) => revocations.get(certId) ?? [],
    adoptingCertificate: (deviceId) => [...certificates.values()].find((c) => c.body.deviceId === deviceId && c.body.adopts),
    isLegacySealed: (op) => view.sealed.has(op.opId),
    standalone: options.standalone ?? null,
    verify: ed25519.verify,
    sha256Hex: nativeSha256Hex,
    sealed: new Set(),
    accept(...accepted) {
      for (const c of accepted) certificates.set(c.certId, c);
      return view;
    },
    acceptRevocation(...accepted) {
      for (const r of accepted) revocations.set(r.body.certId, [...(revocations.get(r.body.certId) ?? []), r.body]);
      return view;
    },
  };
  return view;
}

/**
 * An op a hostile laptop makes: signed with `device`'s key (so it authenticates), but with another
 * device id, actor, previous hash or certificate id, and without any local judge.
 */
export function forgeOp(
  device: TestDevice,
  draft: OpDraft,
  ms: number,
  lie: { deviceId?: string; actorId?: string; prevHash?: string; certId?: string | null } = {},
): Op {
  const deviceId = lie.deviceId ?? device.deviceId;
  const opId = uuidv7(ms);
  const spec = entitySpecs[draft.entity];
  const rowId = spec.kind === 'append' ? opId : draft.rowId;
  const certId = lie.certId === undefined ? device.certificate.certId : lie.certId;
  const unsigned: Omit<Op, 'hash'> = {
    opId,
    hlc: encodeHlc({ ms, counter: 0, deviceId }),
    streamId: spec.streamOf(rowId, draft.fields),
    actorId: lie.actorId ?? device.user,
    deviceId,
    entity: draft.entity,
    rowId,
    kind: spec.kind,
    fields: draft.fields,
    prevHash: lie.prevHash ?? genesisHash,
    ...(certId === null ? {} : { certId }),
  };
  const hash = hashOp(unsigned, nativeSha256Hex);
  return { ...unsigned, hash, sig: signText(device.keys.privateKey, opSigningString(hash)) };
}

/** The device_cert op in which `service` records `device`'s certificate, at clock time `ms`. */
export function certOpBy(service: TestDevice, device: TestDevice, ms: number): Op {
  return service.write({ entity: 'device_cert', rowId: '', fields: { body: device.certificate.body, sig: device.certificate.sig } as never }, ms);
}

/** An organisation with its service device, commander cora and responder rui, and the service's ops introducing the three (at epoch + 1, 2 and 3). */
export function certifiedCrew() {
  const org = testOrg();
  const service = org.certify({ role: 'service', user: 'holdfast-service' });
  const commander = org.certify({ role: 'commander', user: 'cora' });
  const responder = org.certify({ role: 'responder', user: 'rui' });
  const certOp = (device: TestDevice, ms: number) => certOpBy(service, device, ms);
  const trustOps = [certOp(service, epoch + 1), certOp(commander, epoch + 2), certOp(responder, epoch + 3)];
  return { org, service, commander, responder, certOp, trustOps };
}
