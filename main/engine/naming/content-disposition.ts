/**
 * The file name a server suggests in Content-Disposition (RFC 6266): `filename*`
 * (RFC 8187 ext-value: charset'language'percent-encoded bytes) wins over
 * `filename`. Parsing is lenient where real servers are sloppy (unquoted names
 * with spaces, raw UTF-8 bytes, RFC 2047 encoded words) and returns the name
 * unsanitised: `sanitizeFileName` makes it safe.
 *
 * Node hands header values over as Latin-1 (one char per byte), so raw UTF-8
 * bytes arrive as mojibake; `fromHeaderBytes` reads them back as UTF-8 when
 * they are valid UTF-8.
 */

interface Parameter {
  name: string;
  value: string;
}

/** The suggested file name, or null when the header has none. */
export function fileNameFromContentDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const parameters = parseParameters(header);
  const extended = parameters.find((parameter) => parameter.name === 'filename*');
  if (extended) {
    const decoded = decodeExtValue(extended.value);
    if (decoded !== null && decoded.trim() !== '') return decoded;
  }
  const plain = parameters.find((parameter) => parameter.name === 'filename');
  if (plain && plain.value.trim() !== '') return decodeEncodedWords(fromHeaderBytes(plain.value));
  return null;
}

/** Splits `type; a=b; c="d;e"` into parameters, honouring quoted strings and backslash escapes. */
export function parseParameters(header: string): Parameter[] {
  const parameters: Parameter[] = [];
  let index = header.indexOf(';');
  if (index < 0) return parameters;
  index++;
  while (index < header.length) {
    while (index < header.length && (header[index] === ' ' || header[index] === '\t' || header[index] === ';')) index++;
    const equals = header.indexOf('=', index);
    if (equals < 0) break;
    const name = header.slice(index, equals).trim().toLowerCase();
    index = equals + 1;
    while (header[index] === ' ' || header[index] === '\t') index++;
    let value = '';
    if (header[index] === '"') {
      index++;
      while (index < header.length && header[index] !== '"') {
        if (header[index] === '\\' && index + 1 < header.length) index++;
        value += header[index];
        index++;
      }
      index++; // the closing quote
      const next = header.indexOf(';', index);
      index = next < 0 ? header.length : next;
    } else {
      // Unquoted: up to the next ';' (servers often send spaces unquoted).
      const next = header.indexOf(';', index);
      const end = next < 0 ? header.length : next;
      value = header.slice(index, end).trim();
      index = end;
    }
    if (name !== '') parameters.push({ name, value });
  }
  return parameters;
}

/** Decodes `charset'lang'%xx...`; null when malformed. */
export function decodeExtValue(value: string): string | null {
  const match = /^([^']*)'([^']*)'(.*)$/s.exec(value.trim());
  if (!match) return null;
  const charset = (match[1] ?? '').trim().toLowerCase();
  const bytes = percentDecodeToBytes(match[3] ?? '');
  if (bytes === null) return null;
  return decodeBytes(bytes, charset === '' ? 'utf-8' : charset);
}

/** Percent-decodes to bytes; other characters contribute their Latin-1/UTF-8 bytes. Null for a broken escape. */
export function percentDecodeToBytes(text: string): Uint8Array | null {
  const out: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x25 /* % */) {
      const hex = text.slice(index + 1, index + 3);
      if (!/^[0-9a-f]{2}$/i.test(hex)) return null;
      out.push(parseInt(hex, 16));
      index += 2;
    } else if (char < 0x80) {
      out.push(char);
    } else {
      out.push(...new TextEncoder().encode(text[index]));
    }
  }
  return Uint8Array.from(out);
}

/** Decodes bytes in `charset`; ISO-8859-1 is mapped byte for byte (WHATWG would read it as windows-1252). */
export function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'l1') return String.fromCharCode(...bytes);
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch {
    // Unknown charset or bytes invalid in it: fall back to Latin-1, which never fails.
    return charset === 'utf-8' || charset === 'utf8' ? String.fromCharCode(...bytes) : decodeBytes(bytes, 'utf-8');
  }
}

/** Reads a header value (one char per byte) as UTF-8 when its bytes are valid UTF-8; else keeps Latin-1. */
export function fromHeaderBytes(value: string): string {
  let high = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff) return value; // already real Unicode
    if (code >= 0x80) high = true;
  }
  if (!high) return value;
  const bytes = Uint8Array.from(value, (char) => char.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}

/** RFC 2047 `=?charset?B|Q?text?=` words, which some servers put in `filename`. */
export function decodeEncodedWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (whole, charset: string, encoding: string, text: string) => {
    let bytes: Uint8Array;
    if (encoding.toLowerCase() === 'b') {
      try {
        bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
      } catch {
        return whole;
      }
    } else {
      const decoded = percentDecodeToBytes(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, '%$1'));
      if (decoded === null) return whole;
      bytes = decoded;
    }
    return decodeBytes(bytes, charset.toLowerCase()) ?? whole;
  });
}
