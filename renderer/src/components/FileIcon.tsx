import { Disc3, File, FileArchive, FileAudio, FileCode, FileImage, FileText, FileVideo, Package, type LucideIcon } from 'lucide-react';
import { fileKindOf, type FileKind } from '../format/file-kind.ts';
import styles from './FileIcon.module.css';

const ICONS: Record<FileKind, LucideIcon> = {
  archive: FileArchive,
  disk: Disc3,
  video: FileVideo,
  audio: FileAudio,
  image: FileImage,
  document: FileText,
  code: FileCode,
  executable: Package,
  other: File,
};

/** The file-type icon at the start of a row; decorative (the name says it all). */
export function FileIcon({ fileName }: { fileName: string }) {
  const kind = fileKindOf(fileName);
  const Icon = ICONS[kind];
  return (
    <span className={styles.icon} data-kind={kind} aria-hidden="true">
      <Icon size={18} strokeWidth={1.75} />
    </span>
  );
}
