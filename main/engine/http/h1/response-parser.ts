/**
 * An incremental HTTP/1.1 response parser for the download hot path. The
 * client only sends GETs, so no request-side rules (HEAD, CONNECT) apply.
 *
 * Body bytes are handed out as views of the caller's input, never copied, and a
 * 'length' body costs O(1) per execute() whatever its size: the parser only
 * ever looks at individual bytes in the head, the chunk framing and trailers.
 */

export type BodyKind = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  status: number;
  statusText: string;
  /** 'HTTP/1.1' or 'HTTP/1.0' */
  version: string;
  /**
   * Lower-case names. Values Latin-1 decoded (one char per byte), surrounding spaces/tabs trimmed.
   * Repeated headers joined with ', ', except set-cookie joined with '\n'.
   */
  headers: Record<string, string>;
  bodyKind: BodyKind;
  /** The Content-Length when bodyKind is 'length', else null. */
  contentLength: number | null;
  /** Whether the connection may carry another request after this response. */
  keepAlive: boolean;
}

export interface ParserCallbacks {
  onHead(head: ResponseHead): void;
  /** A view into the input, valid only during the call. Never called with an empty view. */
  onBody(chunk: Uint8Array): void;
  onComplete(): void;
}

export class HttpParseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'HttpParseError';
    this.code = code;
  }
}

const HT = 9, LF = 10, CR = 13, SP = 32, COLON = 58, SEMI = 59, DEL = 127;
const MAX_CHUNK_DIGITS = 12, MAX_LENGTH_DIGITS = 15;

// Parser states. Plain numbers: the tree is built with erasable syntax only (no enums).
const HEAD = 0, LENGTH = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_DATA_END = 4, TRAILERS = 5, CLOSE = 6, DONE = 7;
// Where a chunk-size line is: in the digits, in spaces after them, or in extensions.
const DIGITS = 0, SPACES = 1, EXTENSION = 2;

const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

const VERSION_PREFIX = [72, 84, 84, 80, 47, 49, 46]; // "HTTP/1."

// TextDecoder('latin1') is really windows-1252 (0x80 becomes '€'); headers want one char per byte.
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

const trimOws = (text: string): string => text.replace(/^[ \t]+|[ \t]+$/g, '');
const lastCoding = (list: string): string | undefined => list.split(',').map(trimOws).filter(Boolean).at(-1)?.toLowerCase();
const hasToken = (list: string | undefined, token: string): boolean =>
  list !== undefined && list.split(',').some((item) => trimOws(item).toLowerCase() === token);

function hexValue(b: number): number {
  const lower = b | 0x20; // ASCII letters to lower case
  return b >= 48 && b <= 57 ? b - 48 : lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

function fail(code: string, message: string): HttpParseError {
  return new HttpParseError(code, message);
}

// No prototype: a header named "constructor" or "__proto__" must be just a header.
const emptyHeaders = (): Record<string, string> => Object.create(null) as Record<string, string>;

/** Throws unless the bytes seen so far can begin "HTTP/1.0 " or "HTTP/1.1 ", so a non-HTTP peer fails fast. */
function checkVersion(line: Uint8Array): void {
  for (let i = 0; i < line.length && i < 9; i++) {
    const b = line[i]!;
    const ok = i < 7 ? b === VERSION_PREFIX[i] : i === 7 ? b === 48 || b === 49 : b === SP;
    if (!ok) throw fail('HPE_INVALID_VERSION', 'Expected HTTP/1.0 or HTTP/1.1');
  }
}

function parseContentLength(value: string): number {
  let length = -1;
  // Repeats were joined with ', ' already, so one split covers both spellings.
  for (const part of value.split(',')) {
    const digits = trimOws(part);
    if (!/^[0-9]+$/.test(digits) || digits.length > MAX_LENGTH_DIGITS) {
      throw fail('HPE_INVALID_CONTENT_LENGTH', `Invalid Content-Length: ${value.slice(0, 64)}`);
    }
    const n = Number(digits);
    if (length !== -1 && n !== length) throw fail('HPE_UNEXPECTED_CONTENT_LENGTH', `Conflicting Content-Length: ${value.slice(0, 64)}`);
    length = n;
  }
  return length;
}

export class ResponseParser {
  readonly #callbacks: ParserCallbacks;
  readonly #maxHeaderBytes: number;
  #state = HEAD;
  #failure: { error: unknown } | null = null;
  /** A head or trailer line split across inputs; lines wholly inside one input are never copied. */
  #line = new Uint8Array(256);
  #lineLength = 0;
  /** Bytes of the current head or trailer section, for the maxHeaderBytes limit. */
  #sectionBytes = 0;
  /** The status line of the head being read, once it has been. */
  #statusLine: Pick<ResponseHead, 'status' | 'statusText' | 'version'> | null = null;
  #headers = emptyHeaders();
  #head: ResponseHead | null = null;
  /** Body bytes left in the Content-Length body or the current chunk. */
  #remaining = 0;
  #chunkSize = 0;
  #chunkDigits = 0;
  #chunkPhase = DIGITS;
  #chunkLineBytes = 0;
  /** Chunk framing just read a CR, so only LF may follow. */
  #sawCr = false;
  #bodyBytes = 0;

  constructor(callbacks: ParserCallbacks, options: { maxHeaderBytes?: number } = {}) {
    this.#callbacks = callbacks;
    this.#maxHeaderBytes = options.maxHeaderBytes ?? 16384;
  }

  get complete(): boolean { return this.#state === DONE; }
  get headReceived(): boolean { return this.#head !== null; }
  get bodyBytes(): number { return this.#bodyBytes; }

  execute(input: Uint8Array, start = 0, end = input.length): number {
    if (this.#failure) throw this.#failure.error;
    if (start < 0 || end > input.length || start > end) throw new RangeError(`Bad range [${start}, ${end}) of ${input.length} bytes`);
    let pos = start;
    try {
      while (pos < end && this.#state !== DONE) pos = this.#step(input, pos, end);
    } catch (error) {
      // A callback or the framing failed half-way: the parser's state no longer matches the stream.
      this.#failure = { error };
      throw error;
    }
    return pos - start;
  }

  finish(): void {
    if (this.#failure) throw this.#failure.error;
    if (this.#state === CLOSE) this.#done();
    if (this.#state === DONE) return;
    const where = this.#head === null ? 'before the response head ended' : `inside the body after ${this.#bodyBytes} bytes`;
    const error = new HttpParseError('ERR_STREAM_PREMATURE_CLOSE', `Connection closed ${where}`);
    this.#failure = { error };
    throw error;
  }

  #step(input: Uint8Array, pos: number, end: number): number {
    switch (this.#state) {
      case HEAD:
      case TRAILERS:
        return this.#lines(input, pos, end);
      case LENGTH:
      case CHUNK_DATA: {
        const n = Math.min(this.#remaining, end - pos);
        this.#remaining -= n;
        this.#bodyBytes += n;
        this.#callbacks.onBody(input.subarray(pos, pos + n));
        if (this.#remaining === 0 && this.#state === LENGTH) this.#done();
        else if (this.#remaining === 0) this.#state = CHUNK_DATA_END;
        return pos + n;
      }
      case CLOSE:
        this.#bodyBytes += end - pos;
        this.#callbacks.onBody(input.subarray(pos, end));
        return end;
      case CHUNK_SIZE:
        return this.#chunkSizeLine(input, pos, end);
      case CHUNK_DATA_END: {
        const b = input[pos]!;
        if (b === LF) this.#startChunk();
        else if (b === CR && !this.#sawCr) this.#sawCr = true;
        else throw fail('HPE_STRICT', 'Expected CRLF after chunk data');
        return pos + 1;
      }
      default:
        return end;
    }
  }

  /** Consumes up to one line end of the head or trailers. */
  #lines(input: Uint8Array, pos: number, end: number): number {
    const lf = input.subarray(pos, end).indexOf(LF);
    const stop = lf === -1 ? end : pos + lf + 1;
    this.#sectionBytes += stop - pos;
    if (this.#sectionBytes > this.#maxHeaderBytes) {
      throw fail('HPE_HEADER_OVERFLOW', `${this.#state === HEAD ? 'Head' : 'Trailers'} over ${this.#maxHeaderBytes} bytes`);
    }
    if (lf === -1) {
      this.#append(input, pos, end);
      if (this.#statusLine === null && this.#state === HEAD) checkVersion(this.#line.subarray(0, this.#lineLength));
      return end;
    }
    let line: Uint8Array;
    if (this.#lineLength === 0) {
      line = input.subarray(pos, stop - 1);
    } else {
      this.#append(input, pos, stop - 1);
      line = this.#line.subarray(0, this.#lineLength);
      this.#lineLength = 0;
    }
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (this.#state === TRAILERS) {
      if (line.length === 0) this.#done();
      else this.#headerLine(line, false);
    } else if (this.#statusLine === null) {
      this.#parseStatusLine(line);
    } else if (line.length > 0) {
      this.#headerLine(line, true);
    } else {
      this.#endHead();
    }
    return stop;
  }

  #append(input: Uint8Array, from: number, to: number): void {
    const length = this.#lineLength + (to - from);
    if (length > this.#line.length) {
      const grown = new Uint8Array(Math.max(length, this.#line.length * 2));
      grown.set(this.#line.subarray(0, this.#lineLength));
      this.#line = grown;
    }
    this.#line.set(input.subarray(from, to), this.#lineLength);
    this.#lineLength = length;
  }

  #parseStatusLine(line: Uint8Array): void {
    checkVersion(line);
    if (line.length < 8) throw fail('HPE_INVALID_VERSION', 'Expected HTTP/1.0 or HTTP/1.1');
    let status = 0;
    for (let i = 9; i < 12; i++) {
      const digit = (line[i] ?? -1) - 48;
      status = digit >= 0 && digit <= 9 ? status * 10 + digit : NaN;
    }
    if (!(status >= 100 && status <= 599) || (line.length > 12 && line[12] !== SP)) {
      throw fail('HPE_INVALID_STATUS', `Invalid status line: ${JSON.stringify(latin1(line.subarray(0, 64)))}`);
    }
    if (status === 101) throw fail('HPE_UNEXPECTED_UPGRADE', 'Unexpected 101 Switching Protocols');
    const reason = line.subarray(13);
    for (const b of reason) {
      if ((b < SP && b !== HT) || b === DEL) throw fail('HPE_INVALID_STATUS', 'Invalid character in reason phrase');
    }
    this.#statusLine = { status, statusText: latin1(reason), version: line[7] === 49 ? 'HTTP/1.1' : 'HTTP/1.0' };
  }

  /** Validates a header or trailer line; stores only headers (trailers are ignored). */
  #headerLine(line: Uint8Array, store: boolean): void {
    let colon = 0;
    while (colon < line.length && line[colon] !== COLON) {
      // Also rejects obsolete line folding: a leading SP or HTAB is not a tchar.
      if (!TCHAR[line[colon]!]) throw fail('HPE_INVALID_HEADER_TOKEN', 'Invalid character in header name');
      colon++;
    }
    if (colon === 0 || colon === line.length) throw fail('HPE_INVALID_HEADER_TOKEN', 'Header line without a name or colon');
    let from = colon + 1;
    let to = line.length;
    for (let i = from; i < to; i++) {
      const b = line[i]!;
      if ((b < SP && b !== HT) || b === DEL) throw fail('HPE_INVALID_HEADER_TOKEN', 'Invalid character in header value');
    }
    if (!store) return;
    while (from < to && (line[from] === SP || line[from] === HT)) from++;
    while (to > from && (line[to - 1] === SP || line[to - 1] === HT)) to--;
    const name = latin1(line.subarray(0, colon)).toLowerCase();
    const value = latin1(line.subarray(from, to));
    const previous = this.#headers[name];
    // Set-Cookie values may contain commas (Expires=Wed, 21 Oct ...), so a comma join would be ambiguous.
    this.#headers[name] = previous === undefined ? value : previous + (name === 'set-cookie' ? '\n' : ', ') + value;
  }

  #endHead(): void {
    const statusLine = this.#statusLine!;
    const { status, version } = statusLine;
    const headers = this.#headers;
    this.#statusLine = null;
    this.#sectionBytes = 0;
    this.#headers = emptyHeaders();
    if (status < 200) return; // Interim (1xx): the real response follows.

    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    let bodyKind: BodyKind = 'close';
    let contentLength: number | null = null;
    if (status === 204 || status === 304) bodyKind = 'none';
    else if (te !== undefined) bodyKind = lastCoding(te) === 'chunked' ? 'chunked' : 'close';
    else if (cl !== undefined) contentLength = parseContentLength(cl);
    if (contentLength !== null) bodyKind = 'length';
    const connection = headers['connection'];
    // Both framings at once is a request-smuggling signature: never reuse that connection.
    const keepAlive = bodyKind !== 'close' && (te === undefined || cl === undefined)
      && (version === 'HTTP/1.1' ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive'));

    const head: ResponseHead = { ...statusLine, headers, bodyKind, contentLength, keepAlive };
    this.#head = head;
    this.#callbacks.onHead(head);
    this.#remaining = contentLength ?? 0;
    if (bodyKind === 'none' || contentLength === 0) this.#done();
    else if (bodyKind === 'chunked') this.#startChunk();
    else this.#state = bodyKind === 'length' ? LENGTH : CLOSE;
  }

  #startChunk(): void {
    this.#state = CHUNK_SIZE;
    this.#chunkSize = this.#chunkDigits = this.#chunkLineBytes = 0;
    this.#chunkPhase = DIGITS;
    this.#sawCr = false;
  }

  #chunkSizeLine(input: Uint8Array, pos: number, end: number): number {
    while (pos < end) {
      const b = input[pos++]!;
      // Extensions are ignored but must not let a peer stream an endless line at us.
      if (++this.#chunkLineBytes > this.#maxHeaderBytes) throw fail('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk-size line too long');
      if (this.#sawCr && b !== LF) throw fail('HPE_INVALID_CHUNK_SIZE', 'Expected LF after CR in chunk-size line');
      if (b === LF || b === CR) {
        if (this.#chunkDigits === 0) throw fail('HPE_INVALID_CHUNK_SIZE', 'Missing chunk size');
        this.#sawCr = b === CR;
        if (this.#sawCr) continue;
        this.#state = this.#chunkSize === 0 ? TRAILERS : CHUNK_DATA;
        this.#remaining = this.#chunkSize;
        this.#sectionBytes = 0;
        return pos;
      }
      if (this.#chunkPhase === EXTENSION) continue;
      const value = hexValue(b);
      if (value >= 0 && this.#chunkPhase === DIGITS) {
        if (++this.#chunkDigits > MAX_CHUNK_DIGITS) throw fail('HPE_INVALID_CHUNK_SIZE', 'Chunk size too large');
        this.#chunkSize = this.#chunkSize * 16 + value;
        continue;
      }
      if (this.#chunkDigits === 0 || (b !== SEMI && b !== SP && b !== HT)) {
        throw fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
      }
      this.#chunkPhase = b === SEMI ? EXTENSION : SPACES;
    }
    return pos;
  }

  #done(): void {
    this.#state = DONE;
    this.#callbacks.onComplete();
  }
}
