import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSecretStore, type Cipher } from '../../electron/engine/core/secrets';
import { tempDir } from '../support/temp';

// Stands in for Electron's safeStorage (the OS keychain), which only exists inside Electron.
const reversing: Cipher = {
  encrypt: (plain) => Buffer.from([...plain].reverse().join(''), 'utf8'),
  decrypt: (sealed) => [...sealed.toString('utf8')].reverse().join(''),
};

describe('secret store', () => {
  it('without a cipher, encrypts tokens under a key file only the user can read, and forgets them', () => {
    const dir = tempDir();
    const keyFile = join(tempDir(), 'holdfast', 'secrets.key');
    const store = fileSecretStore(dir, undefined, { keyFile });
    store.set('sync-token:central', 'hf_secret-value');
    expect(store.get('sync-token:central')).toBe('hf_secret-value');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('hf_secret-value');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    store.set('sync-token:central', null);
    expect(store.get('sync-token:central')).toBeNull();
    expect(store.protection).toContain(`encrypted with a key file only your user account can read (${keyFile})`);
    expect(store.protection).toContain('no operating-system keychain here');
  });

  it('stores only ciphertext when a cipher is given', () => {
    const dir = tempDir();
    const store = fileSecretStore(dir, reversing);
    store.set('sync-token:central', 'hf_secret-value');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('hf_secret-value');
    expect(fileSecretStore(dir, reversing).get('sync-token:central')).toBe('hf_secret-value');
    expect(store.protection).toContain('keychain');
  });
});
