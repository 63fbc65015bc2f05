import { decodeBytes, fileNameFromContentDisposition, percentDecodeToBytes } from './content-disposition.ts';
import { sanitizeFileName, splitExtension, trySanitizeFileName } from './sanitize.ts';

/**
 * Picks the name a download is saved under, in the order users expect:
 * the user's override, the server's Content-Disposition, the last segment of
 * the final URL's path (percent-decoded), then "download" with an extension from
 * Content-Type. A name without an extension borrows one from Content-Type, so
 * `/download?id=3` serving a PDF is saved as "download.pdf".
 */

export interface NameSources {
  override?: string | undefined;
  contentDisposition?: string | null | undefined;
  /** The URL after redirects. */
  finalUrl: string;
  contentType?: string | null | undefined;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/gzip': '.gz',
  'application/x-gzip': '.gz',
  'application/x-tar': '.tar',
  'application/x-bzip2': '.bz2',
  'application/x-xz': '.xz',
  'application/zstd': '.zst',
  'application/x-7z-compressed': '.7z',
  'application/vnd.rar': '.rar',
  'application/x-rar-compressed': '.rar',
  'application/json': '.json',
  'application/xml': '.xml',
  'application/javascript': '.js',
  'application/wasm': '.wasm',
  'application/x-iso9660-image': '.iso',
  'application/x-msdownload': '.exe',
  'application/vnd.microsoft.portable-executable': '.exe',
  'application/x-msi': '.msi',
  'application/vnd.debian.binary-package': '.deb',
  'application/x-rpm': '.rpm',
  'application/x-apple-diskimage': '.dmg',
  'application/vnd.android.package-archive': '.apk',
  'application/epub+zip': '.epub',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/css': '.css',
  'text/csv': '.csv',
  'text/markdown': '.md',
  'text/javascript': '.js',
  'text/xml': '.xml',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/avif': '.avif',
  'image/svg+xml': '.svg',
  'image/bmp': '.bmp',
  'image/x-icon': '.ico',
  'image/tiff': '.tiff',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/wav': '.wav',
  'audio/flac': '.flac',
  'audio/aac': '.aac',
  'audio/mp4': '.m4a',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'video/x-matroska': '.mkv',
  'video/quicktime': '.mov',
  'video/x-msvideo': '.avi',
  'video/mpeg': '.mpeg',
  'font/woff2': '.woff2',
  'font/ttf': '.ttf',
};

/** The extension (with its dot) for a Content-Type, or '' when unknown or generic. */
export function extensionForContentType(contentType: string | null | undefined): string {
  if (!contentType) return '';
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return EXTENSIONS[essence] ?? '';
}

/** The percent-decoded last segment of a URL's path; '' for "/" or an unparsable URL. */
export function fileNameFromUrl(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return '';
  }
  const segments = pathname.split('/');
  const last = segments[segments.length - 1] ?? '';
  // Nothing escaped and nothing beyond ASCII (most URLs): decoding would give the same text back.
  if (!/[%\u0080-\uffff]/.test(last)) return last;
  const bytes = percentDecodeToBytes(last);
  if (bytes === null) return last;
  return decodeBytes(bytes, 'utf-8') ?? last;
}

/** The sanitised name to save under (not yet made unique in its folder). */
export function chooseFileName(sources: NameSources): string {
  const contentTypeExtension = extensionForContentType(sources.contentType);
  const fallback = `download${contentTypeExtension}`;
  if (sources.override !== undefined) {
    const safe = trySanitizeFileName(sources.override);
    if (safe !== null) return safe;
  }
  const fromHeader = fileNameFromContentDisposition(sources.contentDisposition ?? null);
  if (fromHeader !== null) {
    // The header's name may carry a path ("../../etc/passwd", "C:\\x\\y.txt"): keep only its last part.
    const lastPart = fromHeader.split(/[/\\]/).filter((part) => part !== '' && part !== '.' && part !== '..').pop();
    const safe = lastPart === undefined ? null : trySanitizeFileName(lastPart);
    if (safe !== null) return safe;
  }
  const fromUrl = trySanitizeFileName(fileNameFromUrl(sources.finalUrl));
  if (fromUrl !== null) {
    const [, extension] = splitExtension(fromUrl);
    return extension === '' && contentTypeExtension !== '' ? sanitizeFileName(fromUrl + contentTypeExtension) : fromUrl;
  }
  return sanitizeFileName(fallback);
}
