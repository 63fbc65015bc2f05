/** Groups a file name into the kind its row icon shows. */
export type FileKind = 'archive' | 'disk' | 'video' | 'audio' | 'image' | 'document' | 'code' | 'executable' | 'other';

const KINDS: Array<[FileKind, string[]]> = [
  ['archive', ['zip', 'gz', 'tgz', 'xz', 'bz2', 'zst', '7z', 'rar', 'tar']],
  ['disk', ['iso', 'img', 'dmg', 'qcow2', 'vhd', 'vmdk']],
  ['video', ['mp4', 'mkv', 'webm', 'mov', 'avi', 'm4v']],
  ['audio', ['mp3', 'flac', 'ogg', 'wav', 'm4a', 'opus']],
  ['image', ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'avif']],
  ['document', ['pdf', 'doc', 'docx', 'odt', 'txt', 'md', 'epub', 'xls', 'xlsx', 'csv', 'ppt', 'pptx']],
  ['code', ['json', 'js', 'ts', 'py', 'c', 'h', 'rs', 'go', 'java', 'html', 'css', 'xml', 'yaml', 'yml']],
  ['executable', ['exe', 'msi', 'deb', 'rpm', 'appimage', 'apk', 'pkg', 'bin', 'sh', 'run']],
];

export function fileKindOf(fileName: string): FileKind {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return 'other';
  const extension = fileName.slice(dot + 1).toLowerCase();
  for (const [kind, extensions] of KINDS) if (extensions.includes(extension)) return kind;
  return 'other';
}
