// Where sync tokens, the device key and channel secrets are kept. The desktop app encrypts them with
// Electron's safeStorage (the OS keychain); plain Node (holdfast web) keeps them in a file only its
// user may read, and says so: nothing there is encrypted by an OS keystore.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretStore {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
  /** Said in the UI: how tokens are protected on this computer. */
  readonly protection: string;
}

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** A JSON file of secrets in the data folder, mode 0600, optionally encrypted value by value. */
export function fileSecretStore(dataDir: string, cipher?: Cipher): SecretStore {
  const path = join(dataDir, 'secrets.json');
  const read = () => storedSecrets(path);
  return {
    protection: cipher
      ? 'encrypted with the operating system keychain'
      : 'in a file only your user account can read (not encrypted: no operating system keychain protects it here)',
    get(key) {
      const stored = read()[key];
      if (stored === undefined) return null;
      return cipher ? cipher.decrypt(Buffer.from(stored, 'base64')) : stored;
    },
    set(key, value) {
      const all = read();
      if (value === null) delete all[key];
      else all[key] = cipher ? cipher.encrypt(value).toString('base64') : value;
      const partial = `${path}.partial`;
      writeFileSync(partial, JSON.stringify(all), { mode: 0o600 });
      chmodSync(partial, 0o600);
      renameSync(partial, path);
    },
  };
}

function storedSecrets(path: string): Record<string, string> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/** The names of the secrets kept in `dataDir`: a host holding the cipher decrypts them for an engine in another process. */
export function storedSecretKeys(dataDir: string): string[] {
  return Object.keys(storedSecrets(join(dataDir, 'secrets.json')));
}
