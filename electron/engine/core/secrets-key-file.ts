// The key that encrypts the SecretStore where no OS keychain exists (`holdfast web`, the command
// line): 32 random bytes in a key file kept OUTSIDE the data folder, so a copied data folder or a
// backup of it does not reveal the secrets. Only the user's account can read the key file, and that
// is all that protects it: anyone who can read files as that account (or root) can decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Marks a value encrypted under the key file (AES-256-GCM); a value without it is plaintext from an older Holdfast. */
export const keyFilePrefix = 'k1:';
const ivBytes = 12;
const tagBytes = 16;
const keyBytes = 32;

/** Where the key file is: HOLDFAST_SECRETS_KEY (a path), else $XDG_CONFIG_HOME/holdfast/secrets.key, else ~/.config/holdfast/secrets.key. */
export function secretsKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.HOLDFAST_SECRETS_KEY?.trim();
  if (chosen) return resolve(chosen);
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(config, 'holdfast', 'secrets.key');
}

/** The path as people read it: `~/…` under the home folder. */
export function shownPath(path: string): string {
  const home = homedir();
  return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** A value that was encrypted under another key (the key file was replaced or lost). */
export class UnreadableSecretError extends Error {
  constructor(
    readonly secretName: string,
    readonly keyFile: string,
    readonly secretsFile: string,
  ) {
    super(
      `Cannot decrypt the secret "${secretName}" in ${secretsFile} with the key file ${keyFile}: it was encrypted under another key ` +
        `(the key file was replaced or lost). Restore that key file from your copy of it and restart Holdfast; otherwise ${redoAdvice(secretName)}.`,
    );
    this.name = 'UnreadableSecretError';
  }
}

function redoAdvice(name: string): string {
  if (name.startsWith('sync-token:')) return 'connect to that sync peer again (its token is gone)';
  if (name.startsWith('channel-secret:')) return "type the channel's secret again in Settings (Set secret here…)";
  if (name.startsWith('device-key:')) return 'this laptop makes a new device key and must be enrolled again';
  return 'enter that secret again';
}

export interface KeyFileCipher {
  readonly path: string;
  /** Loads (or creates) the key now: throws when the key file cannot be read or is not a key. */
  ready(): void;
  /** `k1:` + base64(iv | tag | ciphertext). */
  seal(plain: string): string;
  /** The plaintext of a sealed value; throws when the key does not open it. */
  open(sealed: string): string;
}

/** Encrypts under the key file at `path`, created on first use (never before a secret is read or written). */
export function keyFileCipher(path: string): KeyFileCipher {
  let key: Buffer | null = null;
  const loaded = () => (key ??= loadOrCreateKey(path));
  return {
    path,
    ready: () => void loaded(),
    seal(plain) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', loaded(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return keyFilePrefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const raw = Buffer.from(sealed.slice(keyFilePrefix.length), 'base64');
      if (raw.length < ivBytes + tagBytes) throw new Error('sealed value too short');
      const decipher = createDecipheriv('aes-256-gcm', loaded(), raw.subarray(0, ivBytes));
      decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
      return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The key in the file at `path`, created when there is none. Creation is atomic: the key is written
 * whole to a temporary file that is then hard-linked to `path`, which fails when `path` exists; so of
 * several processes starting at once one key wins and the others read it.
 */
export function loadOrCreateKey(path: string): Buffer {
  const existing = readKey(path);
  if (existing) return existing;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.secrets-key-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(keyBytes).toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temp, 0o600);
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`Cannot create the secrets key file ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    unlinkSync(temp);
  }
  const key = readKey(path);
  if (!key) throw new Error(`The secrets key file ${path} vanished while it was being created; start Holdfast again.`);
  return key;
}

function readKey(path: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read the secrets key file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== keyBytes || key.toString('base64') !== text.trim()) {
    throw new Error(
      `${path} is not a Holdfast secrets key (expected ${keyBytes} bytes in base64). Restore the right key file, or move this one away ` +
        'to start with a new key (secrets saved under the old key then have to be entered again).',
    );
  }
  // Only its owner may read it, whatever the umask was when it was copied back (best effort: the
  // file may belong to another account that lets this one read it).
  try {
    chmodSync(path, 0o600);
  } catch {
    /* not ours to change */
  }
  return key;
}
