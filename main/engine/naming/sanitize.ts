/**
 * Makes a suggested name safe to create on Linux, macOS and Windows: a name can
 * never leave the destination folder, hide itself, disguise its extension or
 * collide with a device name. Pure string work.
 */

/** The limit of most file systems (ext4, APFS, NTFS in UTF-16 units is looser). */
export const MAX_NAME_BYTES = 255;
/** Final names leave room for the ".part" the partial file carries beside them. */
export const MAX_FINAL_NAME_BYTES = MAX_NAME_BYTES - '.part'.length;
/** An extension longer than this is not kept whole when a name must be shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// C0 and C1 controls, DEL, and the bidi/invisible format characters used to disguise extensions ("evil\u202Efdp.exe").
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Separators and characters Windows refuses in names.
const FORBIDDEN_CHARACTERS = /[/\\:*?"<>|]/g;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Returns a safe file name, or `fallback` (itself sanitised) when nothing usable
 * remains. Never returns "", "." or "..", nor a name containing a separator.
 */
export function sanitizeFileName(name: string, fallback = 'download'): string {
  const cleaned = clean(name);
  if (cleaned !== '') return cleaned;
  const cleanedFallback = clean(fallback);
  return cleanedFallback !== '' ? cleanedFallback : 'download';
}

/** The safe form of `name`, or null when nothing usable remains (e.g. "..", "   ", "\u0000"). */
export function trySanitizeFileName(name: string): string | null {
  const cleaned = clean(name);
  return cleaned === '' ? null : cleaned;
}

function clean(name: string): string {
  let result = name.normalize('NFC').replace(UNSAFE_CHARACTERS, '').replace(FORBIDDEN_CHARACTERS, '_');
  // Leading dots would hide the file (and ".." climbs out); leading spaces are invisible.
  result = result.replace(/^[\s.]+/, '');
  // Windows drops trailing dots and spaces itself, so "a.exe." would become "a.exe".
  result = result.replace(/[\s.]+$/, '');
  if (result === '') return '';
  const base = result.split('.')[0] ?? '';
  if (WINDOWS_RESERVED.test(base.trim())) result = `_${result}`;
  return truncateToBytes(result, MAX_FINAL_NAME_BYTES);
}

/** Splits "a.tar.gz" into ["a", ".tar.gz"], "report.pdf" into ["report", ".pdf"], "README" into ["README", ""]. */
export function splitExtension(name: string): [base: string, extension: string] {
  const compound = /(\.tar\.(?:gz|bz2|xz|zst|lz|lzma|z))$/i.exec(name);
  if (compound && compound.index > 0) return [name.slice(0, compound.index), name.slice(compound.index)];
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** Cuts `name` to at most `maxBytes` UTF-8 bytes on a character boundary, keeping its extension when it is short. */
export function truncateToBytes(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const [base, extension] = splitExtension(name);
  const keep = utf8Length(extension) <= MAX_KEPT_EXTENSION_BYTES ? extension : '';
  const budget = maxBytes - utf8Length(keep);
  const shortened = cutCodePoints(keep === '' ? name : base, budget).replace(/[\s.]+$/, '');
  return shortened + keep;
}

function cutCodePoints(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/**
 * The n-th alternative of a name that is taken: "name (1).ext", "name (2).ext",
 * ... (n = 0 is the name itself). Stays within MAX_FINAL_NAME_BYTES.
 */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const [base, extension] = splitExtension(name);
  const suffix = ` (${n})`;
  const budget = MAX_FINAL_NAME_BYTES - utf8Length(suffix) - utf8Length(extension);
  return `${cutCodePoints(base, Math.max(1, budget))}${suffix}${extension}`;
}
