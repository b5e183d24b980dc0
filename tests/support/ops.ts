// Building valid ops for tests of the sync service without a replica: unsigned (for the store
// alone), or signed by a device the service under test certified (for anything pushed to it).
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { generateKeyPair, signText, type Ed25519KeyPair } from '@shared/node/ed25519';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import type { CertResponse, TrustRootResponse } from '@shared/trust/protocol';
import { certRequestSigningString, signOp, type OpSigner } from '@shared/trust/signing';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { chainWriter, type TestDevice } from './trust';

let clock = 1_795_000_000_000;

/** Who signs: a device with a certificate the service knows (see certifyAt). */
export type OpSigningDevice = Pick<TestDevice, 'deviceId' | 'user' | 'signer'>;

/** The next clock time for a test op: signed ops are written now (inside their certificate's time). */
const tick = (isSigned: boolean) => (clock = Math.max(clock + 1, isSigned ? Date.now() : 0));

const finish = (unsigned: Omit<Op, 'hash'>, signer: OpSigner | undefined): Op =>
  signer ? signOp(unsigned, signer, nativeSha256Hex) : { ...unsigned, hash: hashOp(unsigned, nativeSha256Hex) };

/**
 * A chain of timeline ops by one device in one incident stream. With `device` they are signed by
 * it (its device id and user); without, unsigned, for the store alone (a service refuses them).
 */
export function timelineOps(count: number, options: { incidentId?: string; deviceId?: string; actorId?: string; device?: OpSigningDevice } = {}): Op[] {
  const incidentId = options.incidentId ?? uuidv7();
  const deviceId = options.device?.deviceId ?? options.deviceId ?? '00000000000000ab';
  let prevHash = genesisHash;
  return Array.from({ length: count }, (_, i) => {
    const ms = tick(options.device !== undefined);
    const opId = uuidv7(ms);
    const op = finish(
      {
        opId,
        hlc: encodeHlc({ ms, counter: 0, deviceId }),
        streamId: `incident:${incidentId}`,
        actorId: options.actorId ?? options.device?.user ?? 'alice',
        deviceId,
        entity: 'timeline_entry' as const,
        rowId: opId,
        kind: 'append' as const,
        fields: { incidentId, kind: 'note', text: `entry ${i}`, eventAt: ms },
        prevHash,
      },
      options.device?.signer,
    );
    prevHash = op.hash;
    return op;
  });
}

/** A purge record for an incident, by one device in the org stream (first in its chain unless `prevHash` is given). */
export function purgeOp(incidentId: string, options: { purgedAt?: number; deviceId?: string; actorId?: string; prevHash?: string; device?: OpSigningDevice } = {}): Op {
  const deviceId = options.device?.deviceId ?? options.deviceId ?? '00000000000000cd';
  const ms = tick(options.device !== undefined);
  const opId = uuidv7(ms);
  return finish(
    {
      opId,
      hlc: encodeHlc({ ms, counter: 0, deviceId }),
      streamId: 'org',
      actorId: options.actorId ?? options.device?.user ?? 'alice',
      deviceId,
      entity: 'purge_record' as const,
      rowId: opId,
      kind: 'append' as const,
      fields: { incidentId, title: 'Old outage', severity: 'SEV2', closedAt: ms - 1000, reason: 'Retention policy', purgedAt: options.purgedAt ?? ms },
      prevHash: options.prevHash ?? genesisHash,
    },
    options.device?.signer,
  );
}

let deviceCounter = 0;

/**
 * A new device certified by the service at `url` for the token's user (POST /v1/certs with the
 * key's proof), writing signed chains: what a connected replica holds.
 */
export async function certifyAt(
  url: string,
  token: string,
  user: string,
  options: { deviceId?: string; keys?: Ed25519KeyPair; aliases?: string[] } = {},
): Promise<TestDevice> {
  const root = (await (await fetch(`${url}/v1/trust/root`)).json()) as TrustRootResponse;
  const keys = options.keys ?? generateKeyPair();
  const id = options.deviceId ?? (0xc000_0000_0000 + (deviceCounter += 1) + Math.floor(Math.random() * 0xffff_ffff)).toString(16).padStart(16, '0');
  const minute = Math.floor(Date.now() / 60_000);
  const response = await fetch(`${url}/v1/certs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      deviceId: id,
      publicKey: keys.publicKey,
      proof: signText(keys.privateKey, certRequestSigningString(root.orgKeyId, user, id, minute)),
      ...(options.aliases && { aliases: options.aliases }),
    }),
  });
  if (response.status !== 200) throw new Error(`POST /v1/certs answered ${response.status}: ${await response.text()}`);
  const { certificate } = (await response.json()) as CertResponse;
  const signer: OpSigner = { certId: certificate.certId, sign: (message) => signText(keys.privateKey, message) };
  return { deviceId: id, user, keys, certificate, signer, write: chainWriter(id, user, signer) };
}
