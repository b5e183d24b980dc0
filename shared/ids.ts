// Identifiers made on the device: UUIDv7 (RFC 9562) so that ids sort by creation time and never
// need a server to allocate them.

export interface RandomSource {
  (bytes: Uint8Array): Uint8Array;
}

// Random bytes drawn from the system in blocks: one system call per 256 ids instead of one per id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
const defaultRandom: RandomSource = (bytes) => {
  if (poolOffset + bytes.length > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  bytes.set(pool.subarray(poolOffset, poolOffset + bytes.length));
  poolOffset += bytes.length;
  return bytes;
};

export function uuidv7(nowMs: number = Date.now(), random: RandomSource = defaultRandom): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs > 0xffff_ffff_ffff) {
    throw new RangeError(`uuidv7 needs a 48-bit millisecond timestamp, got ${nowMs}`);
  }
  const bytes = random(new Uint8Array(16));
  let ms = nowMs;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const uuidV7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidV7(value: string): boolean {
  return uuidV7Pattern.test(value);
}

/** The creation time a UUIDv7 carries in its first 48 bits. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}
