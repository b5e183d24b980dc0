// Where sync tokens, the device key and channel secrets are kept: `secrets.json` in the data folder,
// mode 0600, every value encrypted. The desktop app encrypts with Electron's safeStorage (the OS
// keychain); plain Node (holdfast web, the command line) has no OS keystore and encrypts with
// AES-256-GCM under a key file outside the data folder (secrets-key-file.ts), and says so.
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyFileCipher, keyFilePrefix, secretsKeyPath, shownPath, UnreadableSecretError } from './secrets-key-file';

export { UnreadableSecretError } from './secrets-key-file';

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

export interface KeyFileOptions {
  /** The key file (default: secretsKeyPath(), from HOLDFAST_SECRETS_KEY or the user's config folder). */
  keyFile?: string;
  /** Where a secret that cannot be decrypted is reported (default: stderr). */
  log?: (line: string) => void;
}

/**
 * A JSON file of secrets in the data folder, mode 0600, encrypted value by value: with `cipher` (the
 * OS keychain) when given, else under the key file. Without a cipher, plaintext values an older
 * Holdfast wrote are encrypted on open; a value the key file cannot decrypt reads as absent (and is
 * reported, once), and the file is copied aside before such a value is overwritten.
 */
export function fileSecretStore(dataDir: string, cipher?: Cipher, options: KeyFileOptions = {}): SecretStore {
  const path = join(dataDir, 'secrets.json');
  const read = () => storedSecrets(path);
  const write = (all: Record<string, string>) => {
    const partial = `${path}.partial`;
    writeFileSync(partial, JSON.stringify(all), { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  };
  if (cipher) {
    return {
      protection: 'encrypted with the operating system keychain',
      get(key) {
        const stored = read()[key];
        return stored === undefined ? null : cipher.decrypt(Buffer.from(stored, 'base64'));
      },
      set(key, value) {
        const all = read();
        if (value === null) delete all[key];
        else all[key] = cipher.encrypt(value).toString('base64');
        write(all);
      },
    };
  }

  const sealer = keyFileCipher(options.keyFile ?? secretsKeyPath());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const reported = new Set<string>();
  const unreadable = (stored: string): boolean => {
    if (!stored.startsWith(keyFilePrefix)) return false;
    sealer.ready();
    try {
      sealer.open(stored);
      return false;
    } catch {
      return true;
    }
  };
  const migrate = () => {
    if (!existsSync(path)) return;
    const all = read();
    const plain = Object.keys(all).filter((key) => !all[key].startsWith(keyFilePrefix));
    if (plain.length === 0) return;
    for (const key of plain) all[key] = sealer.seal(all[key]);
    write(all);
  };
  migrate();
  return {
    protection:
      `encrypted with a key file only your user account can read (${shownPath(sealer.path)}); no operating-system keychain here: ` +
      'anyone who can read files as you (or root) can read them',
    get(key) {
      const stored = read()[key];
      if (stored === undefined) return null;
      if (!stored.startsWith(keyFilePrefix)) return stored;
      // A key file that cannot be read, or is no key, is an error to fix, not a secret to skip.
      sealer.ready();
      try {
        return sealer.open(stored);
      } catch {
        if (!reported.has(key)) {
          reported.add(key);
          log(new UnreadableSecretError(key, sealer.path, path).message);
        }
        return null;
      }
    },
    set(key, value) {
      const all = read();
      const previous = all[key];
      if (previous !== undefined && unreadable(previous)) {
        // Kept for whoever finds the old key file again: it still opens this copy.
        const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        copyFileSync(path, aside);
        chmodSync(aside, 0o600);
        log(`Replacing the secret "${key}", which the key file ${sealer.path} cannot decrypt; the previous ${path} is kept as ${aside}.`);
      }
      if (value === null) delete all[key];
      else all[key] = sealer.seal(value);
      // Any plaintext left by an older Holdfast is encrypted on the way.
      for (const other of Object.keys(all)) if (!all[other].startsWith(keyFilePrefix)) all[other] = sealer.seal(all[other]);
      write(all);
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
