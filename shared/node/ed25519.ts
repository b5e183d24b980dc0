// Ed25519 keys and signatures with node:crypto: what shared/trust's injected VerifySignature and
// VerifyMany are on Node. Keys travel as base64url raw public keys and PKCS#8 PEM private keys.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyPattern, signaturePattern, type SignatureCheck, type VerifyMany, type VerifySignature } from '../trust/types';

export interface Ed25519KeyPair {
  privateKey: KeyObject;
  /** Raw public key, base64url. */
  publicKey: string;
}

export function generateKeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/** The raw public key (base64url) of a private or public Ed25519 KeyObject. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

export const encodePrivateKey = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

export function decodePrivateKey(pem: string): Ed25519KeyPair {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the key file does not hold an Ed25519 private key');
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

/** A KeyObject from a raw base64url public key; throws when it is not one. */
export function publicKeyObject(publicKey: string): KeyObject {
  if (!publicKeyPattern.test(publicKey)) throw new Error('not a base64url Ed25519 public key');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
}

/** Ed25519 signature (base64url) over UTF-8 `message`. */
export const signText = (privateKey: KeyObject, message: string): string => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url');

/**
 * KeyObjects by raw public key: importing a key costs about half a verification, and a batch names
 * few keys. Bounded; the oldest entry goes first.
 */
export function createKeyCache(max = 1024) {
  const keys = new Map<string, KeyObject>();
  return {
    get(publicKey: string): KeyObject {
      let key = keys.get(publicKey);
      if (key === undefined) {
        key = publicKeyObject(publicKey);
        if (keys.size >= max) keys.delete(keys.keys().next().value as string);
        keys.set(publicKey, key);
      }
      return key;
    },
  };
}
export type KeyCache = ReturnType<typeof createKeyCache>;

/** Synchronous and asynchronous (threadpool) verification sharing one key cache. */
export function createVerifier(cache: KeyCache = createKeyCache()): { verify: VerifySignature; verifyMany: VerifyMany } {
  const keyOf = (publicKey: string): KeyObject | null => {
    try {
      return cache.get(publicKey);
    } catch {
      return null;
    }
  };
  const verifyOne: VerifySignature = (publicKey, message, signature) => {
    const key = keyOf(publicKey);
    if (key === null || !signaturePattern.test(signature)) return false;
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'));
  };
  // The callback form of crypto.verify runs on libuv's threadpool, beside the JS thread.
  const verifyAsync = ({ publicKey, message, signature }: SignatureCheck) =>
    new Promise<boolean>((resolve) => {
      const key = keyOf(publicKey);
      if (key === null || !signaturePattern.test(signature)) return resolve(false);
      verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'), (error, isValid) => resolve(error === null && isValid));
    });
  return { verify: verifyOne, verifyMany: (checks) => Promise.all(checks.map(verifyAsync)) };
}

/** The process-wide verifier (one key cache). */
export const ed25519 = createVerifier();
