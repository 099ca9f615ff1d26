// Draws the app icon, build/icon.png (512x512 RGBA; electron-builder derives the macOS .icns and
// the Windows .ico from it): a teal rounded square with a white coin holding ledger lines, over a base line. Drawn
// pixel by pixel with 4x4 supersampling and written as a PNG with Node's zlib, so the icon can
// be regenerated without any image tool: `node scripts/make-icon.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { ROOT } from './electron-binary.mjs';

export const ICON_SIZE = 512;
const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];

/** Which colour covers point (x, y) of a 512 canvas: null (transparent), teal or white. */
function paint(x, y) {
  const inset = 24;
  const r = 96;
  const cx = Math.min(Math.max(x, inset + r), ICON_SIZE - inset - r);
  const cy = Math.min(Math.max(y, inset + r), ICON_SIZE - inset - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null; // outside the rounded square
  const d = Math.hypot(x - 256, y - 226);
  const coinRing = d <= 140 && d >= 112;
  const coinLines = [186, 226, 266].some((ly) => Math.abs(y - ly) <= 11) && Math.abs(x - 256) <= 62;
  const ledgerLine = y >= 396 && y <= 420 && x >= 128 && x <= 384;
  return coinRing || coinLines || ledgerLine ? WHITE : TEAL;
}

export function iconPixels() {
  const rows = Buffer.alloc(ICON_SIZE * (ICON_SIZE * 4 + 1));
  const S = 4;
  for (let y = 0; y < ICON_SIZE; y++) {
    const row = y * (ICON_SIZE * 4 + 1); // each row starts with filter type 0
    for (let x = 0; x < ICON_SIZE; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = paint(x + (sx + 0.5) / S, y + (sy + 0.5) / S);
          if (!c) continue;
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
          acc[3] += 255;
        }
      }
      const covered = acc[3] / 255;
      const o = row + 1 + x * 4;
      if (covered > 0) for (let i = 0; i < 3; i++) rows[o + i] = Math.round(acc[i] / covered);
      rows[o + 3] = Math.round(acc[3] / (S * S));
    }
  }
  return rows;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function iconPng() {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(ICON_SIZE, 0);
  ihdr.writeUInt32BE(ICON_SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(iconPixels(), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  writeFileSync(join(ROOT, 'build', 'icon.png'), iconPng());
  console.log('wrote build/icon.png');
}
