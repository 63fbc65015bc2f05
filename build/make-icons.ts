/**
 * Writes the installers' icons from the mark drawn in main/app/icon-art.ts:
 *   build/icon.png (1024), build/icon.icns (macOS), build/icon.ico (Windows),
 *   build/icons/<size>x<size>.png (Linux).
 * Run: node scripts/with-node24.mjs build/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawMark, encodeIcns, encodeIco, encodePng } from '../main/app/icon-art.ts';

const here = import.meta.dirname;
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((size) => [size, encodePng(drawMark(size), size, size)]));
const png = (size: number): Buffer => pngs.get(size)!;

writeFileSync(join(here, 'icon.png'), png(1024));
writeFileSync(join(here, 'icon.icns'), encodeIcns(pngs));
writeFileSync(join(here, 'icon.ico'), encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png(size) }))));
mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) writeFileSync(join(here, 'icons', `${size}x${size}.png`), png(size));
console.log(`skein: wrote icons for ${sizes.join(', ')} px into ${here}`);
