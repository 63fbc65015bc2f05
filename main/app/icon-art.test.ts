import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawMark, encodeIcns, encodeIco, encodePng } from './icon-art.ts';

describe('the icon', () => {
  it('draws a mark with a transparent margin, an accent square and a white arrow', () => {
    const size = 64;
    const pixels = drawMark(size);
    const at = (x: number, y: number) => Array.from(pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
    expect(at(0, 0)[3]).toBe(0);
    expect(at(20, 20)).toEqual(expect.arrayContaining([255]));
    const [r, g, b, a] = at(12, 32);
    expect(a).toBe(255);
    expect(b!).toBeGreaterThan(r! + 100);
    expect(g!).toBeLessThan(200);
    expect(at(32, 28).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('encodes a PNG that decodes back to the same pixels', () => {
    const pixels = drawMark(16, 'tray-template');
    const png = encodePng(pixels, 16, 16);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    expect(rows.length).toBe(16 * (16 * 4 + 1));
    expect(Array.from(rows.subarray(1, 65))).toEqual(Array.from(pixels.subarray(0, 64)));
  });

  it('packs ICO and ICNS containers with correct sizes and offsets', () => {
    const png16 = encodePng(drawMark(16), 16, 16);
    const png256 = encodePng(drawMark(256), 256, 256);
    const ico = encodeIco([{ size: 16, png: png16 }, { size: 256, png: png256 }]);
    expect(ico.readUInt16LE(4)).toBe(2);
    expect(ico[6 + 16]).toBe(0); // 256 is written as 0
    expect(ico.readUInt32LE(6 + 16 + 12)).toBe(6 + 32 + png16.length);
    const icns = encodeIcns(new Map([[256, png256]]));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.subarray(8, 12).toString('ascii')).toBe('ic13');
  });
});
