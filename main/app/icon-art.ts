import { deflateSync } from 'node:zlib';

/**
 * Skein's mark, drawn in code so the installers' icons and the tray icon come
 * from one source: a rounded square in the accent colour with a white arrow
 * coming down onto a line. Shapes are signed distance functions, sampled 4x4
 * per pixel for clean edges at every size.
 */
export type IconStyle = 'app' | 'tray-template' | 'tray-color';

const ACCENT_TOP = [0x3b, 0x82, 0xf6];
const ACCENT_BOTTOM = [0x1d, 0x4e, 0xd8];

/** Signed distance to a rounded box centred at (cx, cy); negative inside. */
function roundedBox(x: number, y: number, cx: number, cy: number, halfW: number, halfH: number, radius: number): number {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Distance to a line segment of the given half thickness. */
function segment(x: number, y: number, ax: number, ay: number, bx: number, by: number, half: number): number {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - half;
}

/** The arrow and the line, in unit coordinates (0..1). */
function glyph(x: number, y: number, weight: number): number {
  const shaft = segment(x, y, 0.5, 0.2, 0.5, 0.62, weight);
  const left = segment(x, y, 0.5, 0.64, 0.31, 0.45, weight);
  const right = segment(x, y, 0.5, 0.64, 0.69, 0.45, weight);
  const base = segment(x, y, 0.27, 0.8, 0.73, 0.8, weight);
  return Math.min(shaft, left, right, base);
}

/** RGBA pixels of the mark at `size` x `size`. */
export function drawMark(size: number, style: IconStyle = 'app'): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  const tray = style !== 'app';
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let background = 0;
      let mark = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // macOS icons leave a margin around the square; tray icons use the full box.
          const inBox = tray ? true : roundedBox(x, y, 0.5, 0.5, 0.41, 0.41, 0.1) <= 0;
          if (inBox) background++;
          if (inBox && glyph(x, y, tray ? 0.085 : 0.055) <= 0) mark++;
        }
      }
      const total = samples * samples;
      const offset = (py * size + px) * 4;
      const t = py / Math.max(1, size - 1);
      if (style === 'tray-template') {
        pixels.set([0, 0, 0, Math.round((mark / total) * 255)], offset);
      } else if (style === 'tray-color') {
        pixels.set([ACCENT_BOTTOM[0]!, ACCENT_BOTTOM[1]!, ACCENT_BOTTOM[2]!, Math.round((mark / total) * 255)], offset);
      } else {
        const blend = mark / Math.max(1, background);
        const channel = (i: number): number => {
          const accent = ACCENT_TOP[i]! + (ACCENT_BOTTOM[i]! - ACCENT_TOP[i]!) * t;
          return Math.round(accent + (255 - accent) * blend);
        };
        pixels.set([channel(0), channel(1), channel(2), Math.round((background / total) * 255)], offset);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([header.subarray(4), data])), 0);
  return Buffer.concat([header, data, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit, colour type 6, no filtering). */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A Windows .ico holding PNG images (Vista and later read PNG entries). */
export function encodeIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + images.length * 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + index * 16;
    header[entry] = size >= 256 ? 0 : size;
    header[entry + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** ICNS types holding PNG data, by pixel size (the @2x types share sizes with 1x ones). */
export const ICNS_TYPES: ReadonlyArray<[string, number]> = [
  ['icp4', 16], ['icp5', 32], ['ic11', 32], ['icp6', 64], ['ic12', 64], ['ic07', 128], ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024],
];

/** A macOS .icns from PNG images keyed by pixel size. */
export function encodeIcns(pngBySize: ReadonlyMap<number, Buffer>): Buffer {
  const entries = ICNS_TYPES.flatMap(([type, size]) => {
    const png = pngBySize.get(size);
    if (!png) return [];
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return [head, png];
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}
