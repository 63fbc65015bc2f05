import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, fileNameFromContentDisposition, fromHeaderBytes } from './content-disposition.ts';
import { chooseFileName, extensionForContentType, fileNameFromUrl } from './choose-name.ts';
import { MAX_FINAL_NAME_BYTES, numberedName, sanitizeFileName, splitExtension, utf8Length } from './sanitize.ts';

/** A header value as Node hands it over: one char per byte. */
const latin1 = (bytes: number[]) => String.fromCharCode(...bytes);

describe('Content-Disposition (RFC 6266)', () => {
  it('prefers filename* over filename, decoding its charset', () => {
    expect(fileNameFromContentDisposition(`attachment; filename="plain.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`)).toBe('€ rates.txt');
    expect(fileNameFromContentDisposition(`attachment; filename*=iso-8859-1'en'%A3%20rates.txt`)).toBe('£ rates.txt');
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''na%C3%AFve.txt; filename="x.txt"`)).toBe('naïve.txt');
  });

  it('falls back to filename when filename* is malformed, and reads quoted escapes', () => {
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''bad%ZZ; filename="good.txt"`)).toBe('good.txt');
    expect(fileNameFromContentDisposition(`attachment; filename="a \\"quoted\\" name.txt"`)).toBe('a "quoted" name.txt');
    expect(fileNameFromContentDisposition('attachment; filename=unquoted name.pdf')).toBe('unquoted name.pdf');
    expect(fileNameFromContentDisposition('attachment; FILENAME="Upper.txt"')).toBe('Upper.txt');
    expect(fileNameFromContentDisposition('inline')).toBeNull();
    expect(fileNameFromContentDisposition('attachment; filename=""')).toBeNull();
    expect(fileNameFromContentDisposition(null)).toBeNull();
  });

  it('reads raw UTF-8 bytes in filename as UTF-8, and other bytes as Latin-1', () => {
    expect(fileNameFromContentDisposition(latin1([...Buffer.from('attachment; filename="r'), 0xc3, 0xa9, ...Buffer.from('sum.txt"')]))).toBe('résum.txt');
    expect(fileNameFromContentDisposition(latin1([...Buffer.from('attachment; filename="caf'), 0xe9, ...Buffer.from('.txt"')]))).toBe('café.txt');
    expect(fromHeaderBytes('plain')).toBe('plain');
  });

  it('decodes RFC 2047 encoded words some servers send', () => {
    expect(decodeEncodedWords('=?UTF-8?B?0L/RgNC40LLQtdGC?=.txt')).toBe('привет.txt');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?caf=E9_au_lait?=.txt')).toBe('café au lait.txt');
  });
});

describe('sanitizeFileName', () => {
  it('removes separators, traversal, controls and disguising characters', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(sanitizeFileName('bad\u0000na\u001fme\u007f.txt')).toBe('badname.txt');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('..')).toBe('download');
    expect(sanitizeFileName('...', 'fallback.bin')).toBe('fallback.bin');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
  });

  it('guards Windows: reserved device names, trailing dots and spaces', () => {
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('nul.txt')).toBe('_nul.txt');
    expect(sanitizeFileName('com1.tar.gz')).toBe('_com1.tar.gz');
    expect(sanitizeFileName('console.txt')).toBe('console.txt');
    expect(sanitizeFileName('report.pdf. . ')).toBe('report.pdf');
  });

  it('keeps names within 250 UTF-8 bytes (room for .part), on a character boundary, keeping the extension', () => {
    const long = `${'é'.repeat(300)}.pdf`;
    const safe = sanitizeFileName(long);
    expect(utf8Length(safe)).toBeLessThanOrEqual(MAX_FINAL_NAME_BYTES);
    expect(safe.endsWith('.pdf')).toBe(true);
    expect(safe).not.toContain('\ufffd');
    const emoji = sanitizeFileName(`${'😀'.repeat(100)}.txt`);
    expect(utf8Length(emoji)).toBeLessThanOrEqual(MAX_FINAL_NAME_BYTES);
    expect([...emoji.replace('.txt', '')].every((char) => char === '😀')).toBe(true);
  });

  it('numbers taken names as "name (n).ext", keeping compound extensions', () => {
    expect(numberedName('report.pdf', 1)).toBe('report (1).pdf');
    expect(numberedName('archive.tar.gz', 2)).toBe('archive (2).tar.gz');
    expect(numberedName('README', 3)).toBe('README (3)');
    expect(numberedName('report.pdf', 0)).toBe('report.pdf');
    expect(utf8Length(numberedName(`${'x'.repeat(251)}.pdf`, 12))).toBeLessThanOrEqual(MAX_FINAL_NAME_BYTES);
    expect(splitExtension('.hidden')).toEqual(['.hidden', '']);
  });
});

describe('chooseFileName', () => {
  it('takes the user override, then Content-Disposition, then the URL, then Content-Type', () => {
    expect(chooseFileName({ override: 'mine.bin', contentDisposition: 'attachment; filename="theirs.bin"', finalUrl: 'http://h/x.bin' })).toBe('mine.bin');
    expect(chooseFileName({ contentDisposition: 'attachment; filename="theirs.bin"', finalUrl: 'http://h/x.bin' })).toBe('theirs.bin');
    expect(chooseFileName({ finalUrl: 'http://h/dir/r%C3%A9sum%C3%A9%20final.pdf?x=1' })).toBe('résumé final.pdf');
    expect(chooseFileName({ finalUrl: 'http://h/download?id=3', contentType: 'application/pdf' })).toBe('download.pdf');
    expect(chooseFileName({ finalUrl: 'http://h/', contentType: 'text/html; charset=utf-8' })).toBe('download.html');
    expect(chooseFileName({ finalUrl: 'http://h/' })).toBe('download');
  });

  it('keeps only the last part of a path in Content-Disposition', () => {
    expect(chooseFileName({ contentDisposition: 'attachment; filename="../../etc/passwd"', finalUrl: 'http://h/x' })).toBe('passwd');
    expect(chooseFileName({ contentDisposition: 'attachment; filename="C:\\\\Windows\\\\evil.dll"', finalUrl: 'http://h/x' })).toBe('evil.dll');
    expect(chooseFileName({ contentDisposition: 'attachment; filename="../.."', finalUrl: 'http://h/real.zip' })).toBe('real.zip');
  });

  it('reads URL paths with broken percent escapes and maps content types to extensions', () => {
    expect(fileNameFromUrl('http://h/a%ZZb.txt')).toBe('a%ZZb.txt');
    expect(fileNameFromUrl('http://h/caf%E9.txt')).toBe('café.txt');
    expect(fileNameFromUrl('not a url')).toBe('');
    expect(extensionForContentType('application/octet-stream')).toBe('');
    expect(extensionForContentType('IMAGE/PNG')).toBe('.png');
  });
});
