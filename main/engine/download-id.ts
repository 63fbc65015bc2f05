/**
 * A new download's id: a version 4 UUID from 122 bits of Math.random (V8 seeds
 * its generator from the operating system in every process). Not node:crypto's
 * randomUUID: loading node:crypto costs about 8 ms of every engine start,
 * measured here, and an id only has to be unique within one download list; it
 * grants nothing to whoever knows it.
 */
export function newDownloadId(): string {
  const hex = (bits: number): string => Math.floor(Math.random() * 2 ** bits).toString(16).padStart(bits / 4, '0');
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${hex(32)}-${hex(16)}-4${hex(12)}-${variant}${hex(12)}-${hex(24)}${hex(24)}`;
}
