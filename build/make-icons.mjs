// Renders the Holdfast app icon (build/icon.png, 1024px) and the Linux set (build/icons/NxN.png); run: node build/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const dir = new URL('.', import.meta.url);
const BG = [0x0e, 0x11, 0x16];
const FROM = [0xff, 0x4d, 0x4f];
const TO = [0xff, 0x8c, 0x1a];

/** Signed distance from (px, py) to a rounded square centred at c with half-size h and corner radius r. */
function roundedBox(px, py, c, h, r) {
  const qx = Math.abs(px - c) - h + r;
  const qy = Math.abs(py - c) - h + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

const coverage = (d) => Math.min(1, Math.max(0, 0.5 - d));

function render(size) {
  const k = size / 1024; // the design is laid out on a 1024 grid
  const c = size / 2;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const bg = coverage(roundedBox(px, py, c, 448 * k, 200 * k));
      const outer = roundedBox(px, py, c, 290 * k, 64 * k);
      const hole = roundedBox(px, py, c, 208 * k, 24 * k);
      const core = roundedBox(px, py, c, 104 * k, 20 * k);
      const mark = Math.max(coverage(Math.max(outer, -hole)), coverage(core));
      const t = Math.min(1, Math.max(0, (px + py - 2 * (c - 290 * k)) / (4 * 290 * k)));
      const i = (y * size + x) * 4;
      for (let ch = 0; ch < 3; ch++) {
        const accent = FROM[ch] + (TO[ch] - FROM[ch]) * t;
        rgba[i + ch] = Math.round(BG[ch] + (accent - BG[ch]) * mark);
      }
      rgba[i + 3] = Math.round(255 * bg);
    }
  }
  return png(size, rgba);
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(new URL('icon.png', dir), render(1024));
mkdirSync(new URL('icons/', dir), { recursive: true });
for (const s of [16, 24, 32, 48, 64, 128, 256, 512]) writeFileSync(new URL(`icons/${s}x${s}.png`, dir), render(s));
