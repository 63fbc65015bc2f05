/**
 * Rendering benchmark in Chromium (npm run bench:render): the real window,
 * built with Vite for production, fed synthetic downloads.
 *   - a progress batch for 1,000 active rows must commit (render + layout) in <= 16 ms at p95;
 *   - 10,000 rows must mount in <= 500 ms.
 * Prints the figures; exits 1 when a budget is missed.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'out/bench-render');
const CHROMIUM = process.env.SKEIN_CHROMIUM ?? '/usr/bin/chromium';
const BUDGET = { progressP95Ms: 16, mount10kMs: 500 };

/** What bench/render/page.tsx puts on the page's global object (these callbacks run in Chromium). */
interface BenchPage {
  skeinBench: {
    mount(count: number): number;
    progress(count: number, active: number, batches: number): { p50: number; p95: number; max: number };
  };
}

if (!existsSync(CHROMIUM)) {
  console.error(`bench:render: no Chromium at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  process.exit(1);
}

await build({
  configFile: false,
  root: join(root, 'bench/render'),
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true },
});

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer((request, response) => {
  const path = join(outDir, (request.url ?? '/').split('?')[0] === '/' ? 'index.html' : (request.url ?? '').split('?')[0]!);
  if (!path.startsWith(outDir) || !existsSync(path)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(response);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => {
    console.error(`bench:render: the page threw: ${error.message}`);
    failed = true;
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => (globalThis as unknown as Partial<BenchPage>).skeinBench !== undefined);

  // Warm up the JIT the way a window that has been open a while is warm.
  await page.evaluate(() => (globalThis as unknown as BenchPage).skeinBench.mount(2000));
  await page.evaluate(() => (globalThis as unknown as BenchPage).skeinBench.progress(2000, 1000, 10));

  const mounts: number[] = [];
  for (let run = 0; run < 5; run += 1) mounts.push(await page.evaluate(() => (globalThis as unknown as BenchPage).skeinBench.mount(10_000)));
  const mountMedian = [...mounts].sort((a, b) => a - b)[2]!;
  const progress = await page.evaluate(() => (globalThis as unknown as BenchPage).skeinBench.progress(10_000, 1000, 200));

  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log('Skein render benchmark (Chromium, production build, 1280×800 window)');
  console.log(`  mount 10,000 rows: median ${ms(mountMedian)} of 5 runs (${mounts.map((value) => value.toFixed(1)).join(', ')}); budget ${BUDGET.mount10kMs} ms`);
  console.log(`  progress batch, 1,000 active rows of 10,000 (200 batches): p50 ${ms(progress.p50)}, p95 ${ms(progress.p95)}, max ${ms(progress.max)}; budget p95 ${BUDGET.progressP95Ms} ms`);
  if (mountMedian > BUDGET.mount10kMs) {
    console.error('bench:render: mounting 10,000 rows is over budget');
    failed = true;
  }
  if (progress.p95 > BUDGET.progressP95Ms) {
    console.error('bench:render: a progress batch is over budget');
    failed = true;
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
