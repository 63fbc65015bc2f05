import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real nginx (from the system's packages) serving a folder on a free loopback
 * port, as a non-daemon child of the test: a server no one here wrote, with its
 * own ETags, Last-Modified, ranges and `limit_rate`.
 */
export interface NginxServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** The served folder: files written here are downloadable at `${origin}/<name>`. */
  root: string;
  /** `${origin}/limited/<name>` serves the same files at `limitRate` bytes per second per connection. */
  stop(): Promise<void>;
}

export interface NginxOptions {
  root: string;
  /** Per-connection rate of the /limited/ location, e.g. '20m'. */
  limitRate?: string;
}

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx', '/opt/homebrew/bin/nginx', '/usr/local/bin/nginx'];

/** The nginx binary, or null when it is not installed (tests skip with that reason). */
export function findNginx(): string | null {
  return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function config(work: string, port: number, options: NginxOptions): string {
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return `
${runningAsRoot ? 'user root;' : ''}
daemon off;
worker_processes 2;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000;
  keepalive_timeout 60s;
  default_type application/octet-stream;
  client_body_temp_path ${join(work, 'body')};
  proxy_temp_path ${join(work, 'proxy')};
  fastcgi_temp_path ${join(work, 'fastcgi')};
  uwsgi_temp_path ${join(work, 'uwsgi')};
  scgi_temp_path ${join(work, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${options.root};
    location /limited/ {
      alias ${options.root}/;
      limit_rate ${options.limitRate ?? '20m'};
    }
  }
}
`;
}

async function waitForPort(port: number, child: ChildProcess, work: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' })
        .then(() => resolve(true))
        .catch(() => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = existsSync(join(work, 'error.log')) ? readFileSync(join(work, 'error.log'), 'utf8') : '';
  throw new Error(`nginx did not start on port ${port}: ${log.trim() || `exit ${child.exitCode}`}`);
}

export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  const binary = findNginx();
  if (!binary) throw new Error('nginx is not installed (apt-get install -y nginx)');
  const work = mkdtempSync(join(tmpdir(), 'skein-nginx-'));
  mkdirSync(options.root, { recursive: true });
  let lastError: unknown = null;
  // Another process can take the free port between our probe and nginx's bind: try again.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const confPath = join(work, 'nginx.conf');
    writeFileSync(confPath, config(work, port, options));
    // Its own process group, so a forced stop takes the workers too, not only the master.
    const child = spawn(binary, ['-c', confPath, '-p', work, '-e', join(work, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    try {
      await waitForPort(port, child, work);
    } catch (error) {
      lastError = new Error(`${(error as Error).message} ${stderr}`.trim());
      killGroup(child, 'SIGKILL');
      continue;
    }
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    // nginx outlives a parent that exits without stop(): a test that throws, a bench cut short.
    const killOnExit = (): void => {
      killGroup(child, 'SIGKILL');
    };
    process.once('exit', killOnExit);
    return {
      origin: `http://127.0.0.1:${port}`,
      port,
      root: options.root,
      stop: async () => {
        process.off('exit', killOnExit);
        // SIGQUIT would wait for open connections; tests want it gone.
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
        rmSync(work, { recursive: true, force: true });
      },
    };
  }
  rmSync(work, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('nginx did not start');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
}
