// This device's Ed25519 key: what every op it writes is signed with. Kept in the SecretStore (the OS
// keychain on the desktop, a 0600 file for `holdfast web`) under its device id, so a restored
// backup, which gets a new device id, gets a new key too.
import { decodePrivateKey, encodePrivateKey, generateKeyPair, signText } from '@shared/node/ed25519';
import type { SecretStore } from './secrets';

export interface DeviceKey {
  /** Raw public key, base64url. */
  readonly publicKey: string;
  /** Ed25519 signature (base64url) over UTF-8 `message`. */
  sign(this: void, message: string): string;
}

export const deviceKeySecret = (deviceId: string) => `device-key:${deviceId}`;

/** The key of `deviceId`, created and stored on first use. */
export function loadOrCreateDeviceKey(secrets: SecretStore, deviceId: string): DeviceKey {
  const name = deviceKeySecret(deviceId);
  const stored = secrets.get(name);
  const pair = stored === null ? generateKeyPair() : decodePrivateKey(stored);
  if (stored === null) secrets.set(name, encodePrivateKey(pair.privateKey));
  return { publicKey: pair.publicKey, sign: (message) => signText(pair.privateKey, message) };
}
