/**
 * Human units for sizes, speeds and durations. Binary multiples (1 KB = 1024 B)
 * like every file manager the user compares against; one decimal below 100 so
 * a growing number does not jump between widths.
 */

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toString()} ${SIZE_UNITS[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '0 B/s';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "2.1 / 5.8 GB" when both share a unit, "512 KB / 5.8 GB" otherwise; "1.2 MB" when the total is unknown. */
export function formatProgressSize(done: number, total: number | null): string {
  if (total === null) return formatBytes(done);
  const doneText = formatBytes(done);
  const totalText = formatBytes(total);
  const doneUnit = doneText.split(' ')[1];
  const totalUnit = totalText.split(' ')[1];
  if (doneUnit === totalUnit && done !== total) return `${doneText.split(' ')[0]} / ${totalText}`;
  if (done === total) return totalText;
  return `${doneText} / ${totalText}`;
}

/** "12 s", "1 min 40 s", "2 h 5 min"; seconds are dropped past an hour because nobody plans by them. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  if (hours === 0) return secs === 0 ? `${minutes} min` : `${minutes} min ${secs} s`;
  if (hours >= 48) return `${Math.round(hours / 24)} days`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

export function percentOf(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.max(0, (done / total) * 100));
}

/** Parses what a person types as a speed limit ("500 KB", "2.5 MB", "0") into bytes per second; null when unreadable. */
export function parseSpeedLimit(text: string): number | null {
  const match = /^\s*(\d+(?:[.,]\d+)?)\s*(b|kb|k|mb|m|gb|g)?(?:\/s)?\s*$/i.exec(text);
  if (!match) return null;
  const value = Number(match[1]!.replace(',', '.'));
  const unit = (match[2] ?? 'kb').toLowerCase();
  const factor = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.round(value * factor);
}
