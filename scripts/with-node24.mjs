#!/usr/bin/env node
// Runs a script under a Node that can execute this project: Electron 45 bundles
// Node 24, and our TypeScript runs unbundled through Node's type stripping.
// On an older Node (this machine kind ships 20) it fetches Node 24 from the npm
// registry (the `node` package carries the binary) into .cache/ and re-runs there.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MINIMUM = [22, 18]; // type stripping without a flag
const WANTED_MAJOR = 24;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/with-node24.mjs <script> [args...]');
  process.exit(2);
}

function isRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

function ensureNode24() {
  const prefix = join(root, '.cache', `node${WANTED_MAJOR}`);
  const binary = join(prefix, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(
      npm,
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node@${WANTED_MAJOR}`],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
    );
    if (!existsSync(binary)) {
      console.error(`skein: could not obtain Node ${WANTED_MAJOR} from the npm registry (expected ${binary})`);
      process.exit(1);
    }
  }
  return binary;
}

let nodeBinary = process.execPath;
if (!isRecentEnough(process.version)) {
  nodeBinary = ensureNode24();
  const version = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  console.error(`skein: Node ${process.version} is too old for Skein (needs >= ${MINIMUM.join('.')}); running under Node ${version} from the npm registry.`);
}

// Child processes that call `node` (tests forking helpers, npm scripts) get the same binary.
const env = { ...process.env, PATH: `${dirname(nodeBinary)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}` };
const result = spawnSync(nodeBinary, ['--disable-warning=ExperimentalWarning', script, ...args], { stdio: 'inherit', env, cwd: root });
if (result.error) {
  console.error(`skein: could not start ${nodeBinary}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
