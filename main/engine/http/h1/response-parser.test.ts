import { describe, expect, it } from 'vitest';
import { HttpParseError, ResponseParser, type ResponseHead } from './response-parser.ts';

/** One byte per char, so tests can write Latin-1 bytes as \xNN. */
const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
function text(view: Uint8Array): string {
  let out = '';
  for (let i = 0; i < view.length; i += 4096) out += String.fromCharCode(...view.subarray(i, i + 4096));
  return out;
}

interface Run {
  parser: ResponseParser;
  heads: ResponseHead[];
  body: string;
  bodyCalls: number;
  completions: number;
  /** Sum of execute() results. */
  consumed: number;
  /** Each onBody view was a view of the input passed to execute (same buffer), not a copy. */
  views: boolean;
}

function start(options?: { maxHeaderBytes?: number }): { run: Run; feed: (piece: Uint8Array, from?: number, to?: number) => number } {
  let current: Uint8Array = new Uint8Array(0);
  const run: Run = {
    heads: [],
    body: '',
    bodyCalls: 0,
    completions: 0,
    consumed: 0,
    views: true,
    parser: new ResponseParser({
      onHead: (head) => run.heads.push(head),
      onBody: (chunk) => {
        expect(chunk.length).toBeGreaterThan(0);
        if (chunk.buffer !== current.buffer) run.views = false;
        run.body += text(chunk);
        run.bodyCalls++;
      },
      onComplete: () => run.completions++,
    }, options),
  };
  const feed = (piece: Uint8Array, from?: number, to?: number): number => {
    current = piece;
    const n = run.parser.execute(piece, from, to);
    run.consumed += n;
    return n;
  };
  return { run, feed };
}

/** Feeds the pieces in order. */
function parse(pieces: (string | Uint8Array)[], options?: { maxHeaderBytes?: number }): Run {
  const { run, feed } = start(options);
  for (const piece of pieces) feed(typeof piece === 'string' ? bytes(piece) : piece);
  return run;
}

/** Every two-piece split and the one-byte-at-a-time feed, each compared with the one-piece parse. */
function expectSplitsAgree(response: string, options?: { maxHeaderBytes?: number }): Run {
  const whole = parse([response], options);
  const splits: string[][] = [];
  for (let i = 0; i <= response.length; i++) splits.push([response.slice(0, i), response.slice(i)]);
  splits.push([...response]);
  for (const pieces of splits) {
    const run = parse(pieces, options);
    expect(run.heads).toEqual(whole.heads);
    expect(run.body).toBe(whole.body);
    expect(run.completions).toBe(whole.completions);
    expect(run.consumed).toBe(whole.consumed);
    expect(run.views).toBe(true);
  }
  return whole;
}

function parseError(pieces: string[], options?: { maxHeaderBytes?: number }): HttpParseError {
  try {
    parse(pieces, options);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpParseError);
    return error as HttpParseError;
  }
  throw new Error('parsed without error');
}

const codeOf = (response: string, options?: { maxHeaderBytes?: number }): string => parseError([response], options).code;

describe('ResponseParser: Content-Length bodies', () => {
  const response = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';

  it('gives the same head and body however the bytes are split', () => {
    const run = expectSplitsAgree(response);
    expect(run.heads).toHaveLength(1);
    expect(run.heads[0]).toEqual({
      status: 200,
      statusText: 'OK',
      version: 'HTTP/1.1',
      headers: { 'content-type': 'text/plain', 'content-length': '11' },
      bodyKind: 'length',
      contentLength: 11,
      keepAlive: true,
    });
    expect(run.body).toBe('hello world');
    expect(run.completions).toBe(1);
    expect(run.consumed).toBe(response.length);
    expect(run.parser.complete).toBe(true);
    expect(run.parser.bodyBytes).toBe(11);
  });

  it('hands the body out as one view of the input per execute call', () => {
    const input = bytes(response);
    const views: Uint8Array[] = [];
    const parser = new ResponseParser({ onHead: () => undefined, onBody: (chunk) => views.push(chunk), onComplete: () => undefined });
    parser.execute(input);
    expect(views).toHaveLength(1);
    expect(views[0]!.buffer).toBe(input.buffer);
    expect(views[0]!.byteOffset).toBe(response.indexOf('hello'));
    expect(views[0]!.length).toBe(11);
  });

  it('hands a large body over in one call per piece', () => {
    const size = 64 * 1024 * 1024;
    const sizes: number[] = [];
    let completions = 0;
    const parser = new ResponseParser({ onHead: () => undefined, onBody: (chunk) => sizes.push(chunk.length), onComplete: () => completions++ });
    parser.execute(bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`));
    const body = new Uint8Array(size / 2 + 10);
    expect(parser.execute(body, 0, size / 2)).toBe(size / 2);
    expect(parser.execute(body)).toBe(size / 2);
    expect(sizes).toEqual([size / 2, size / 2]);
    expect(parser.bodyBytes).toBe(size);
    expect(completions).toBe(1);
  });

  it('tracks headReceived and bodyBytes as bytes arrive', () => {
    const { run, feed } = start();
    feed(bytes('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n'));
    expect(run.parser.headReceived).toBe(false);
    feed(bytes('\r\nab'));
    expect(run.parser.headReceived).toBe(true);
    expect(run.parser.bodyBytes).toBe(2);
    expect(run.parser.complete).toBe(false);
    feed(bytes('cd'));
    expect(run.parser.complete).toBe(true);
  });

  it('stops at the end of the response when surplus bytes follow', () => {
    const input = bytes(`${response}XYZ`);
    const { run, feed } = start();
    expect(feed(input)).toBe(response.length);
    expect(run.body).toBe('hello world');
    expect(feed(input, response.length)).toBe(0);

    const split = start();
    expect(split.feed(bytes(response.slice(0, 70)))).toBe(70);
    expect(split.feed(bytes(`${response.slice(70)}XYZ`))).toBe(response.length - 70);
    expect(split.run.body).toBe('hello world');
    expect(split.run.completions).toBe(1);
  });

  it('parses only input[start, end)', () => {
    const input = bytes(`garbage${response}more`);
    const { run, feed } = start();
    expect(feed(input, 7, 7 + 40)).toBe(40);
    expect(feed(input, 47, input.length)).toBe(response.length - 40);
    expect(run.body).toBe('hello world');
    expect(run.views).toBe(true);
  });

  it('returns 0 and calls nothing after completion', () => {
    const { run, feed } = start();
    feed(bytes(response));
    expect(feed(bytes('HTTP/1.1 200 OK\r\n\r\n'))).toBe(0);
    run.parser.finish();
    expect(run.heads).toHaveLength(1);
    expect(run.completions).toBe(1);
  });

  it('completes at once with Content-Length 0', () => {
    const run = parse(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']);
    expect(run.heads[0]!.bodyKind).toBe('length');
    expect(run.heads[0]!.contentLength).toBe(0);
    expect(run.completions).toBe(1);
    expect(run.bodyCalls).toBe(0);
  });

  it('accepts repeated equal Content-Length values', () => {
    const run = parse(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc']);
    expect(run.heads[0]!.contentLength).toBe(3);
    expect(run.heads[0]!.headers['content-length']).toBe('3, 3');
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 3 , 03\r\n\r\nabc']).body).toBe('abc');
  });

  it('accepts bare LF line ends', () => {
    const run = expectSplitsAgree('HTTP/1.1 200 OK\nContent-Length: 2\n\nok');
    expect(run.body).toBe('ok');
    expect(run.heads[0]!.headers).toEqual({ 'content-length': '2' });
    expect(run.completions).toBe(1);
  });
});

describe('ResponseParser: chunked bodies', () => {
  const response = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
    + '5;name=value\r\nhello\r\n'
    + 'A \t; a=1; b="x;y"\r\n0123456789\r\n'
    + 'b\r\n world!!!!!\r\n'
    + '0;last\r\nX-Checksum: abc\r\nX-Other: \xe9\r\n\r\n';

  it('parses extensions, trailers and hex of either case however the bytes are split', () => {
    const run = expectSplitsAgree(response);
    expect(run.heads[0]!.bodyKind).toBe('chunked');
    expect(run.heads[0]!.contentLength).toBeNull();
    expect(run.heads[0]!.keepAlive).toBe(true);
    expect(run.heads[0]!.headers['x-checksum']).toBeUndefined();
    expect(run.body).toBe('hello0123456789 world!!!!!');
    expect(run.completions).toBe(1);
    expect(run.consumed).toBe(response.length);
  });

  it('hands out one view per chunk present in the input', () => {
    const { run, feed } = start();
    feed(bytes(response));
    expect(run.bodyCalls).toBe(3);
    expect(run.views).toBe(true);
  });

  it('accepts bare LF in the chunk framing', () => {
    const bare = 'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n2;x\r\nde\r\n0\nTrailer: 1\n\n';
    const run = expectSplitsAgree(bare);
    expect(run.body).toBe('abcde');
    expect(run.completions).toBe(1);
  });

  it('completes after the last chunk without trailers', () => {
    const run = expectSplitsAgree('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n');
    expect(run.body).toBe('hi');
    expect(run.completions).toBe(1);
  });

  it('stops at the end of the response when surplus bytes follow', () => {
    const input = `${response}XYZ`;
    const { run, feed } = start();
    expect(feed(bytes(input))).toBe(response.length);
    const split = start();
    expect(split.feed(bytes(input.slice(0, response.length - 2)))).toBe(response.length - 2);
    expect(split.feed(bytes(input.slice(response.length - 2)))).toBe(2);
    expect(split.run.body).toBe(run.body);
    expect(split.run.completions).toBe(1);
  });

  it('chooses Transfer-Encoding over Content-Length and refuses to keep that connection', () => {
    const run = parse(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n']);
    expect(run.heads[0]!.bodyKind).toBe('chunked');
    expect(run.heads[0]!.contentLength).toBeNull();
    expect(run.heads[0]!.keepAlive).toBe(false);
    expect(run.body).toBe('a');
    expect(run.completions).toBe(1);
  });

  it('reads the last transfer coding, case-insensitively', () => {
    const kind = (te: string): string => parse([`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${te}\r\n\r\n`]).heads[0]!.bodyKind;
    expect(kind('gzip, Chunked')).toBe('chunked');
    expect(kind('CHUNKED ,')).toBe('chunked');
    expect(kind('gzip')).toBe('close');
    expect(kind('chunked, gzip')).toBe('close');
    expect(parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n']).heads[0]!.keepAlive).toBe(false);
  });
});

describe('ResponseParser: other framings', () => {
  it('reads a body without framing until finish()', () => {
    const response = 'HTTP/1.1 200 OK\r\nServer: x\r\n\r\nall of this is body\r\n\r\n0\r\n';
    const run = expectSplitsAgree(response);
    expect(run.heads[0]!.bodyKind).toBe('close');
    expect(run.heads[0]!.keepAlive).toBe(false);
    expect(run.completions).toBe(0);
    expect(run.consumed).toBe(response.length);
    run.parser.finish();
    expect(run.completions).toBe(1);
    expect(run.body).toBe('all of this is body\r\n\r\n0\r\n');
    run.parser.finish();
    expect(run.completions).toBe(1);
  });

  it('gives 204 and 304 no body whatever Content-Length says', () => {
    for (const status of ['204 No Content', '304 Not Modified']) {
      const response = `HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\n`;
      const { run, feed } = start();
      expect(feed(bytes(`${response}hello`))).toBe(response.length);
      expect(run.heads[0]!.bodyKind).toBe('none');
      expect(run.heads[0]!.contentLength).toBeNull();
      expect(run.heads[0]!.keepAlive).toBe(true);
      expect(run.completions).toBe(1);
      expect(run.bodyCalls).toBe(0);
    }
  });

  it('skips interim 1xx responses', () => {
    const response = 'HTTP/1.1 100 Continue\r\n\r\n'
      + 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n'
      + 'HTTP/1.1 102 Processing\n\n'
      + 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    const run = expectSplitsAgree(response);
    expect(run.heads).toHaveLength(1);
    expect(run.heads[0]!.status).toBe(200);
    expect(run.heads[0]!.headers).toEqual({ 'content-length': '2' });
    expect(run.body).toBe('ok');
    expect(run.completions).toBe(1);
    expect(run.consumed).toBe(response.length);
  });

  it('is not done after an interim response alone', () => {
    const run = parse(['HTTP/1.1 100 Continue\r\n\r\n']);
    expect(run.parser.headReceived).toBe(false);
    expect(() => run.parser.finish()).toThrow(expect.objectContaining({ code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  });

  it('rejects 101 Switching Protocols', () => {
    expect(codeOf('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n')).toBe('HPE_UNEXPECTED_UPGRADE');
  });
});

describe('ResponseParser: status line and headers', () => {
  it('accepts a missing or empty reason phrase and HTTP/1.0', () => {
    expect(parse(['HTTP/1.1 200\r\n\r\n']).heads[0]!.statusText).toBe('');
    expect(parse(['HTTP/1.1 404 \r\n\r\n']).heads[0]!.statusText).toBe('');
    const head = parse(['HTTP/1.0 503 Service \tUnavailable\xff\r\n\r\n']).heads[0]!;
    expect(head.version).toBe('HTTP/1.0');
    expect(head.status).toBe(503);
    expect(head.statusText).toBe('Service \tUnavailable\xff');
  });

  it('joins repeated headers, set-cookie with newlines', () => {
    const head = parse([
      'HTTP/1.1 200 OK\r\nAccept-Ranges: bytes\r\nVary: Accept\r\nvary: Origin\r\n'
      + 'Set-Cookie: a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n',
    ]).heads[0]!;
    expect(head.headers['vary']).toBe('Accept, Origin');
    expect(head.headers['set-cookie']).toBe('a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT\nb=2');
    expect(head.headers['accept-ranges']).toBe('bytes');
  });

  it('decodes values as Latin-1, one char per byte, trimmed of spaces and tabs', () => {
    const head = parse(['HTTP/1.1 200 OK\r\nContent-Disposition: \t attachment; filename="caf\xe9.txt" \t\r\nX-Raw: \x80\xa0\xff\r\nX-Empty:\r\nX-Inner:  a  b  \r\n\r\n']).heads[0]!;
    expect(head.headers['content-disposition']).toBe('attachment; filename="café.txt"');
    expect(head.headers['x-raw']).toBe('\u0080\u00a0\u00ff');
    expect(head.headers['x-empty']).toBe('');
    expect(head.headers['x-inner']).toBe('a  b');
  });

  it('keeps headers named like Object.prototype members as plain headers', () => {
    const head = parse(['HTTP/1.1 200 OK\r\n__proto__: x\r\nConstructor: y\r\n\r\n']).heads[0]!;
    expect(head.headers['__proto__']).toBe('x');
    expect(head.headers['constructor']).toBe('y');
    expect(head.headers['toString']).toBeUndefined();
  });

  it('applies the keep-alive rules of HTTP/1.0 and HTTP/1.1', () => {
    const keepAlive = (version: string, connection: string | null): boolean =>
      parse([`${version} 200 OK\r\n${connection === null ? '' : `Connection: ${connection}\r\n`}Content-Length: 0\r\n\r\n`]).heads[0]!.keepAlive;
    expect(keepAlive('HTTP/1.1', null)).toBe(true);
    expect(keepAlive('HTTP/1.1', 'close')).toBe(false);
    expect(keepAlive('HTTP/1.1', 'Upgrade, CLOSE ')).toBe(false);
    expect(keepAlive('HTTP/1.1', 'keep-alive')).toBe(true);
    expect(keepAlive('HTTP/1.1', 'closed')).toBe(true);
    expect(keepAlive('HTTP/1.0', null)).toBe(false);
    expect(keepAlive('HTTP/1.0', 'Keep-Alive')).toBe(true);
    expect(keepAlive('HTTP/1.0', 'foo,keep-alive')).toBe(true);
    expect(keepAlive('HTTP/1.0', 'close')).toBe(false);
    expect(parse(['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n']).heads[0]!.keepAlive).toBe(false);
  });
});

describe('ResponseParser: premature close', () => {
  const premature = (pieces: string[]): void => {
    const run = parse(pieces);
    expect(() => run.parser.finish()).toThrow(expect.objectContaining({ code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  };

  it('throws before the head ends', () => {
    premature([]);
    premature(['HTTP/1.1 200 OK\r\nContent-Le']);
  });

  it('throws inside a Content-Length body', () => {
    premature(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 'abc']);
    premature(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n']);
  });

  it('throws anywhere inside a chunked body', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const rest of ['', '5', '5\r\nab', '5\r\nabcde', '5\r\nabcde\r\n0\r\n', '5\r\nabcde\r\n0\r\nX: y\r\n']) premature([head, rest]);
  });

  it('leaves the parser dead after a throw', () => {
    const run = parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n']);
    let first: unknown;
    try {
      run.parser.finish();
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(HttpParseError);
    expect(() => run.parser.execute(bytes('0123456789'))).toThrow(first as Error);
    expect(() => run.parser.finish()).toThrow(first as Error);
  });
});

describe('ResponseParser: errors', () => {
  it('rejects versions other than HTTP/1.0 and HTTP/1.1', () => {
    for (const line of ['HTTP/2 200 OK', 'HTTP/1.2 200 OK', 'http/1.1 200 OK', 'ICY 200 OK', 'HTTP/1.1200 OK', 'HTTP/1.10 200 OK', '\r\nHTTP/1.1 200 OK']) {
      expect(codeOf(`${line}\r\n\r\n`)).toBe('HPE_INVALID_VERSION');
    }
  });

  it('rejects a non-HTTP peer before a line end arrives', () => {
    expect(codeOf('<html><body>')).toBe('HPE_INVALID_VERSION');
  });

  it('rejects status codes that are not three digits in 100-599', () => {
    for (const status of ['HTTP/1.1', 'HTTP/1.1 ', 'HTTP/1.1 20', 'HTTP/1.1 2000', 'HTTP/1.1 099 X', 'HTTP/1.1 600 X', 'HTTP/1.1 abc', 'HTTP/1.1 20x OK', 'HTTP/1.1  200 OK', 'HTTP/1.1 200\tOK']) {
      expect(codeOf(`${status}\r\n\r\n`), status).toBe('HPE_INVALID_STATUS');
    }
    expect(codeOf('HTTP/1.1 200 O\0K\r\n\r\n')).toBe('HPE_INVALID_STATUS');
  });

  it('rejects malformed header lines', () => {
    const lines = ['Bad Name: x', 'Name : x', ': x', 'NoColon', ' folded: x', '\tfolded: x', 'A@b: x', 'X: a\0b', 'X: a\x7fb', 'X: a\rb', 'X: a\x1bb', '\xe9: x'];
    for (const line of lines) expect(codeOf(`HTTP/1.1 200 OK\r\n${line}\r\n\r\n`), JSON.stringify(line)).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(codeOf('HTTP/1.1 200 OK\r\nA: 1\r\n continued\r\n\r\n')).toBe('HPE_INVALID_HEADER_TOKEN');
  });

  it('rejects invalid Content-Length values', () => {
    for (const value of ['abc', '-1', '+5', '1e3', '0x10', '1 2', '', '10,', '1234567890123456']) {
      expect(codeOf(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\n`), value).toBe('HPE_INVALID_CONTENT_LENGTH');
    }
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 123456789012345\r\n\r\n']).heads[0]!.contentLength).toBe(123456789012345);
  });

  it('rejects conflicting Content-Length values', () => {
    expect(codeOf('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 11\r\n\r\n')).toBe('HPE_UNEXPECTED_CONTENT_LENGTH');
    expect(codeOf('HTTP/1.1 200 OK\r\nContent-Length: 10, 20\r\n\r\n')).toBe('HPE_UNEXPECTED_CONTENT_LENGTH');
  });

  it('rejects invalid chunk sizes and framing', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const rest of ['zz\r\n', '\r\n', ';ext\r\n', ' 5\r\n', '-5\r\n', '0x5\r\n', '5 5\r\n', '5\rX', '1234567890abc\r\n']) {
      expect(codeOf(head + rest), JSON.stringify(rest)).toBe('HPE_INVALID_CHUNK_SIZE');
    }
    expect(parse([`${head}ffffffffffff\r\n`]).heads[0]!.bodyKind).toBe('chunked');
    expect(codeOf(`${head}3\r\nabcX`)).toBe('HPE_STRICT');
    expect(codeOf(`${head}3\r\nabc\rX`)).toBe('HPE_STRICT');
    expect(codeOf(`${head}3\r\nabc\r\r\n`)).toBe('HPE_STRICT');
    expect(codeOf(`${head}0\r\nBad Trailer: x\r\n\r\n`)).toBe('HPE_INVALID_HEADER_TOKEN');
  });

  it('limits the length of a chunk-size line', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    expect(codeOf(`${head}5;${'x'.repeat(200)}`, { maxHeaderBytes: 100 })).toBe('HPE_CHUNK_EXTENSIONS_OVERFLOW');
  });

  it('limits the head to maxHeaderBytes, counted across pieces', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Pad: 0123456789\r\n\r\n';
    const run = expectSplitsAgree(`${head}ok`, { maxHeaderBytes: head.length });
    expect(run.body).toBe('ok');
    expect(run.completions).toBe(1);
    for (let i = 0; i <= head.length; i++) {
      expect(parseError([head.slice(0, i), `${head.slice(i)}ok`], { maxHeaderBytes: head.length - 1 }).code).toBe('HPE_HEADER_OVERFLOW');
    }
    // A line that never ends fails as soon as it passes the limit.
    expect(parseError(['HTTP/1.1 200 OK\r\nX: ', 'a'.repeat(64)], { maxHeaderBytes: 32 }).code).toBe('HPE_HEADER_OVERFLOW');
  });

  it('counts each interim head on its own', () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const final = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    const limit = Math.max(interim.length, final.length);
    expect(parse([interim + final], { maxHeaderBytes: limit }).completions).toBe(1);
  });

  it('limits the trailer section separately from the head', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const limit = head.length;
    const trailers = `X-A: ${'0'.repeat(limit - 9)}\r\n\r\n`;
    expect(trailers).toHaveLength(limit);
    const run = expectSplitsAgree(`${head}1\r\na\r\n0\r\n${trailers}`, { maxHeaderBytes: limit });
    expect(run.completions).toBe(1);
    const over = `${head}1\r\na\r\n0\r\nX-A: ${'0'.repeat(limit - 8)}\r\n\r\n`;
    expect(codeOf(over, { maxHeaderBytes: limit })).toBe('HPE_HEADER_OVERFLOW');
  });
});
