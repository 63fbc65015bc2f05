/** Human-readable figures for the terminal. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/** `[#####.....]` of `width` cells, or a bouncing marker when the size is unknown. */
export function bar(fraction: number | null, width: number, tick = 0): string {
  if (width <= 0) return '';
  if (fraction === null) {
    const position = tick % width;
    return `[${' '.repeat(position)}<=>${' '.repeat(Math.max(0, width - position - 3))}]`.slice(0, width + 2);
  }
  const filled = Math.min(width, Math.max(0, Math.floor(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Shortens `text` to `width` columns with an ellipsis in the middle (keeps the extension visible). */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  if (width <= 3) return text.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}
