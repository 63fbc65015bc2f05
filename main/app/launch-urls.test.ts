import { describe, expect, it } from 'vitest';
import { urlsFromArgv } from './launch-urls.ts';

describe('URLs from a launch', () => {
  it('keeps http(s) arguments once and ignores switches, paths and other schemes', () => {
    expect(
      urlsFromArgv([
        '/opt/Skein/skein', '--no-sandbox', '.', 'https://a.test/x.iso', 'http://b.test/y', 'https://a.test/x.iso',
        'file:///etc/passwd', 'javascript:alert(1)', 'C:\\Users\\me\\file.txt', '--url=https://c.test/',
      ]),
    ).toEqual(['https://a.test/x.iso', 'http://b.test/y']);
  });
});
