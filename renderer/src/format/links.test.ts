import { describe, expect, it } from 'vitest';
import { extractUrls, hostOf, parseHeaderLines, parseUrlLines } from './links.ts';

describe('links', () => {
  it('finds every http(s) link in pasted text, once, without trailing punctuation', () => {
    const text = 'Get https://a.example/x.iso, then http://b.example/y.zip.\nAgain https://a.example/x.iso and ftp://c.example/z';
    expect(extractUrls(text)).toEqual(['https://a.example/x.iso', 'http://b.example/y.zip']);
  });

  it('flags lines of the Add box that cannot be downloaded', () => {
    expect(parseUrlLines('https://a.example/1\n\n  not a link \nhttp://b.example/2')).toEqual([
      { line: 1, text: 'https://a.example/1', valid: true },
      { line: 3, text: 'not a link', valid: false },
      { line: 4, text: 'http://b.example/2', valid: true },
    ]);
  });

  it('shows the host with its port', () => {
    expect(hostOf('http://127.0.0.1:8080/file')).toBe('127.0.0.1:8080');
  });

  it('reads header lines and points at the first bad one', () => {
    expect(parseHeaderLines('Authorization: Bearer x\nX-Id: 4')).toEqual({ headers: { Authorization: 'Bearer x', 'X-Id': '4' } });
    expect(parseHeaderLines('no colon here')).toEqual({ badLine: 'no colon here' });
  });
});
