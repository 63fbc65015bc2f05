/**
 * Random hostile payloads for the boundary fuzz test: junk of every shape, and
 * valid requests with one thing broken. Seeded, so a failure can be replayed.
 */
export type Random = () => number;

/** Mulberry32: small, fast, good enough to explore inputs; same seed, same values. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const nastyStrings = [
  '', ' ', '\0', '../../etc/passwd', '..\\..\\Windows\\System32', 'C:\\', '/', '//server/share', 'file:///etc/passwd',
  'javascript:alert(1)', 'data:text/html,<script>1</script>', 'app://skein/index.html', 'ftp://x.test/a', 'http://', 'https://',
  'https://x.test/\r\nSet-Cookie: a=b', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x'.repeat(10_000),
  '\u202e\u0000\ud800', '%00', 'NaN', '-1', '1e309', 'null', 'undefined', '{}', '[]', 'sha256', 'md5',
];
const nastyNumbers = [0, -0, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 1e12 + 1, 30_001, -30_000, 65, 33, 0.1];

/** Any value: primitives, odd objects, deep nesting, prototype tricks. */
export function hostileValue(random: Random, depth = 0): unknown {
  const choice = Math.floor(random() * (depth > 3 ? 9 : 14));
  switch (choice) {
    case 0: return pick(random, nastyStrings);
    case 1: return pick(random, nastyNumbers);
    case 2: return random() < 0.5;
    case 3: return null;
    case 4: return undefined;
    case 5: return Math.floor(random() * 2 ** 31) * (random() < 0.5 ? -1 : 1);
    case 6: return String.fromCharCode(...Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 0xffff)));
    case 7: return pick(random, [10n, Symbol('s'), () => 1, new Date(Number.NaN), new Map([[1, 2]]), new Uint8Array(4), /x/]);
    case 8: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    case 9: return Array.from({ length: Math.floor(random() * 5) }, () => hostileValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = Math.floor(random() * 5) + 1;
      for (let i = 0; i < keys; i++) object[random() < 0.5 ? pick(random, nastyStrings).slice(0, 20) : pick(random, knownKeys)] = hostileValue(random, depth + 1);
      return object;
    }
  }
}

/** Keys the contract uses, so junk objects often look almost right. */
const knownKeys = ['id', 'uid', 'url', 'requests', 'timeoutMs', 'deleteFile', 'patch', 'bytesPerSecond', 'directory', 'headers', 'checksum', 'theme'];

/** A valid-looking input for each request, to break one piece of. */
export const validSamples: Record<string, Record<string, unknown>> = {
  startDownloads: { requests: [{ url: 'https://x.test/a', connections: 4, headers: { 'X-A': 'b' } }] },
  attachDownload: { id: 'd1' },
  listDownloads: {},
  pauseDownload: { id: 'd1' },
  resumeDownload: { id: 'd1' },
  retryDownload: { id: 'd1' },
  cancelDownload: { id: 'd1', deleteFile: false },
  removeDownload: { id: 'd1', deleteFile: true },
  refreshUrl: { id: 'd1', url: 'https://x.test/b' },
  setDownloadSpeedLimit: { id: 'd1', bytesPerSecond: 1000 },
  pauseAll: {},
  resumeAll: {},
  getSettings: {},
  updateSettings: { patch: { theme: 'dark', maxConcurrentDownloads: 3 } },
  openFile: { id: 'd1' },
  showInFolder: { id: 'd1' },
  openExternal: { url: 'https://x.test/' },
  chooseDirectory: {},
  getAppInfo: {},
  resultRetrieve: { uid: 1 },
  resultWait: { uid: 1, timeoutMs: 10 },
  resultCancel: { uid: 1 },
  resultStash: { uid: 1 },
};

/** A valid sample with one thing broken: a field replaced, removed, added or nested deeper. */
export function brokenSample(random: Random, name: string): unknown {
  const sample = structuredClone(validSamples[name] ?? {});
  const keys = Object.keys(sample);
  const mode = Math.floor(random() * 5);
  if (mode === 0 && keys.length > 0) sample[pick(random, keys)] = hostileValue(random);
  else if (mode === 1 && keys.length > 0) delete sample[pick(random, keys)];
  else if (mode === 2) sample[pick(random, [...knownKeys, 'extra', '__proto__'])] = hostileValue(random);
  else if (mode === 3 && Array.isArray(sample.requests)) {
    (sample.requests as Record<string, unknown>[])[0]![pick(random, ['url', 'directory', 'fileName', 'connections', 'speedLimit', 'checksum', 'headers', 'cookies', 'referer'])] = hostileValue(random);
  } else if (mode === 3 && typeof sample.patch === 'object') {
    (sample.patch as Record<string, unknown>)[pick(random, ['downloadDirectory', 'maxConcurrentDownloads', 'theme', 'proxy', 'openAtLogin', 'retryLimit'])] = hostileValue(random);
  } else return hostileValue(random);
  return sample;
}
