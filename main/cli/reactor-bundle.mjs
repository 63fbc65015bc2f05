/**
 * The CLI's reactor as one bundled file, rebuilt when its sources change.
 *
 * Run from sources, the reactor process loads about ninety modules (the engine,
 * undici, valibot) before it can open the store: 45 ms of a `skein get` whose
 * whole start-up is about 140 ms, measured here with the compile cache warm.
 * The same code as one file loads in about 25 ms. The desktop app already runs
 * bundles (electron-vite); `npm run cli` runs sources, so the launcher keeps a
 * bundle of the reactor in `.cache/reactor-bundle/` and builds it again (with
 * rolldown, which Vite brings, about 0.3 s) whenever a file it was built from
 * changed size or modification time. Without rolldown, or with a read-only
 * checkout, the CLI simply runs the reactor from sources.
 *
 * Plain JavaScript: launch.mjs consults it before any TypeScript loads.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./reactor-bundle-entry.ts', import.meta.url));
/**
 * Built-in modules undici loads at start for what the engine never does, and the
 * stand-ins bundled in their place (each file says why it is enough).
 */
const STAND_INS = new Map([
  ['http2', fileURLToPath(new URL('../engine/http/http2-unused.ts', import.meta.url))],
  ['http', fileURLToPath(new URL('../engine/http/http-unused.ts', import.meta.url))],
  ['assert', fileURLToPath(new URL('../engine/http/assert-stand-in.cjs', import.meta.url))],
]);

const withStandIns = {
  name: 'skein-stand-ins',
  resolveId: (id) => STAND_INS.get(id.startsWith('node:') ? id.slice('node:'.length) : id) ?? null,
};

const MANIFEST = 'manifest.json';
const FORMAT = 1;
/** Older bundles are deleted only after this long: a reactor may be starting from one right now. */
const STALE_BUNDLE_AGE_MS = 10 * 60 * 1000;

/** Where the bundle lives: `.cache/reactor-bundle` in the checkout, or SKEIN_REACTOR_BUNDLE_DIR. */
export function bundleDirectory(env = process.env) {
  return env.SKEIN_REACTOR_BUNDLE_DIR || join(ROOT, '.cache', 'reactor-bundle');
}

/**
 * The bundle's path when every file it was built from is unchanged (same size
 * and modification time), else null. About 130 stat calls: a millisecond.
 */
export function freshBundle(directory = bundleDirectory(), root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(directory, MANIFEST), 'utf8'));
  } catch {
    return null;
  }
  if (manifest?.format !== FORMAT || typeof manifest.bundle !== 'string' || !Array.isArray(manifest.inputs)) return null;
  for (const [path, size, modifiedMs] of manifest.inputs) {
    try {
      const stats = statSync(isAbsolute(path) ? path : join(root, path));
      if (stats.size !== size || stats.mtimeMs !== modifiedMs) return null;
    } catch {
      return null;
    }
  }
  const bundle = join(directory, manifest.bundle);
  try {
    statSync(bundle);
  } catch {
    return null;
  }
  return bundle;
}

/**
 * Builds the bundle and records what it was built from; resolves with its path.
 * Concurrent builds are harmless: each writes its own file and renames the
 * manifest into place in one step, so a reader never sees a half-written one.
 */
export async function buildBundle(directory = bundleDirectory(), root = ROOT) {
  const startedAt = Date.now();
  // Loaded only to build: node:crypto alone costs several milliseconds of every start.
  const [{ rolldown }, { createHash }] = await Promise.all([import('rolldown'), import('node:crypto')]);
  const build = await rolldown({ input: ENTRY, platform: 'node', logLevel: 'silent', plugins: [withStandIns] });
  let chunk;
  try {
    const { output } = await build.generate({ format: 'esm', codeSplitting: false });
    chunk = output.find((item) => item.type === 'chunk' && item.isEntry);
  } finally {
    await build.close();
  }
  if (!chunk) throw new Error('rolldown produced no entry chunk');
  const inputs = [];
  // This file too: a change to how the bundle is built calls for a new one.
  for (const id of [fileURLToPath(import.meta.url), ...chunk.moduleIds]) {
    if (!isAbsolute(id)) continue; // rolldown's own runtime helpers
    const stats = statSync(id);
    // Edited while building: the bundle may hold the old text. Use it for this run, record nothing.
    if (stats.mtimeMs >= startedAt) return null;
    const path = relative(root, id);
    inputs.push([path.startsWith('..') ? id : path, stats.size, stats.mtimeMs]);
  }
  const name = `reactor-${createHash('sha256').update(chunk.code).digest('hex').slice(0, 16)}.mjs`;
  mkdirSync(directory, { recursive: true });
  const bundle = join(directory, name);
  const temporary = `${bundle}.${process.pid}.tmp`;
  writeFileSync(temporary, chunk.code);
  renameSync(temporary, bundle);
  const manifestTemporary = join(directory, `${MANIFEST}.${process.pid}.tmp`);
  writeFileSync(manifestTemporary, JSON.stringify({ format: FORMAT, bundle: name, inputs }));
  renameSync(manifestTemporary, join(directory, MANIFEST));
  removeStaleBundles(directory, name);
  return bundle;
}

function removeStaleBundles(directory, keep) {
  for (const entry of readdirSync(directory)) {
    if (entry === keep || !/^reactor-.*\.mjs$/.test(entry)) continue;
    const path = join(directory, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_BUNDLE_AGE_MS) rmSync(path, { force: true });
    } catch {
      // Another launcher removed it first.
    }
  }
}

/** A fresh bundle, built now if need be; null when none can be had (the reactor then runs from sources). */
export async function reactorBundle(env = process.env) {
  if (env.SKEIN_REACTOR_BUNDLE === '0') return null;
  try {
    return freshBundle(bundleDirectory(env)) ?? (await buildBundle(bundleDirectory(env)));
  } catch {
    return null;
  }
}
