import { MIN_STEAL_BYTES } from './segments.ts';

/**
 * How small a piece work stealing may cut, pure. A stolen piece costs a request:
 * a round trip before its first byte, and on a new connection the handshakes and
 * slow start too. That cost is worth paying when the piece keeps the connection
 * busy for much longer than it. MIN_STEAL_BYTES is right for fast connections
 * (at 10 MB/s, 256 KiB is 25 ms: smaller would be mostly round trips), but on a
 * server throttling each connection to 64 KiB/s, 256 KiB is 4 s of work: a file
 * of a few MB then runs out of pieces that large after four connections, and its
 * last piece holds the finish back for seconds. So the minimum follows how long a
 * piece takes a connection, not its bytes alone.
 */

/**
 * A piece is worth its own request when it takes a connection at least this long:
 * a round trip of 100-300 ms (and a TLS handshake of one or two more) is then a
 * small part of it, while the last piece of a download still ends within a few seconds.
 */
export const STEAL_MIN_SECONDS = 1.5;
/**
 * Never smaller, however slow the connections: every split adds a request and a
 * segment to the stored plan, and below this the request and response headers
 * are a noticeable share of a piece.
 */
export const MIN_STEAL_FLOOR_BYTES = 64 * 1024;
/**
 * A speed measured for less than this is not trusted: the first second holds the
 * handshakes and slow start, which would make a fast download look slow and cut it
 * into small pieces. Until then stealing keeps MIN_STEAL_BYTES, as it always did.
 */
export const STEAL_SPEED_TRUSTED_AFTER_MS = 1000;

/** How fast the connections of a download go, as the pool measures it. */
export interface ConnectionSpeed {
  /** The download's speed, all connections together; 0 when not measured yet. */
  bytesPerSecond: number;
  /** Connections sharing that speed. */
  connections: number;
  /** How long the speed has been measured, in milliseconds. */
  msMeasured: number;
}

/**
 * The fewest bytes stealHalf may leave in each half: STEAL_MIN_SECONDS of one
 * connection's transfer, between MIN_STEAL_FLOOR_BYTES and MIN_STEAL_BYTES.
 * Connections fast enough for MIN_STEAL_BYTES (or not measured yet) keep exactly it.
 */
export function minStealBytes(speed: ConnectionSpeed): number {
  if (speed.msMeasured < STEAL_SPEED_TRUSTED_AFTER_MS) return MIN_STEAL_BYTES;
  // Not moving (or nonsense): no evidence that connections are slow, so nothing changes.
  if (!(speed.bytesPerSecond > 0) || !Number.isFinite(speed.bytesPerSecond) || !(speed.connections >= 1)) return MIN_STEAL_BYTES;
  const perConnection = speed.bytesPerSecond / Math.floor(speed.connections);
  return Math.floor(Math.min(MIN_STEAL_BYTES, Math.max(MIN_STEAL_FLOOR_BYTES, perConnection * STEAL_MIN_SECONDS)));
}
