// An engine certified by a test organisation, as a connect to the service would leave it: the org
// key pinned, a certificate for the engine's own device key adopted, and the trust records of its
// service and of other devices applied, so ops from those devices are judged as on any replica.
import type { Engine } from '../../electron/engine/engine';
import type { Certificate } from '@shared/trust/types';
import type { Op } from '@shared/ops';
import type { CertRole } from '@shared/roles';
import { day, testOrg, type TestDevice, type TestOrg } from './trust';

export interface CertifiedEngine {
  org: TestOrg;
  service: TestDevice;
  certificate: Certificate;
  /** The service's trust op introducing `certificate`, at clock time `ms`. */
  certOp(certificate: Certificate, ms: number): Op;
}

/** Pins `org` (a new one by default) on `engine` and certifies its device as `user` with `role` from `since` for 30 days. */
export function certifyEngine(engine: Engine, options: { user: string; role: CertRole; since: number; org?: TestOrg }): CertifiedEngine {
  const org = options.org ?? testOrg();
  const service = org.certify({ role: 'service', user: 'holdfast-service', notBefore: options.since, notAfter: options.since + 60 * day });
  const { replica } = engine;
  replica.trust.pinOrgKey(org.orgKey);
  const certificate = org.issue({
    user: options.user,
    role: options.role,
    deviceId: replica.deviceId,
    publicKey: replica.publicKey!,
    notBefore: options.since,
    notAfter: options.since + 30 * day,
    adopts: true,
    aliases: [],
  });
  replica.trust.adoptCertificate(certificate);
  replica.setActor(options.user);
  const certOp = (c: Certificate, ms: number) => service.write({ entity: 'device_cert', rowId: '', fields: { body: c.body, sig: c.sig } as never }, ms);
  const results = replica.applyRemote([certOp(service.certificate, options.since + 1), certOp(certificate, options.since + 2)]);
  if (results.some((r) => r.status !== 'accepted')) throw new Error(`certifying the engine: ${JSON.stringify(results)}`);
  return { org, service, certificate, certOp };
}
