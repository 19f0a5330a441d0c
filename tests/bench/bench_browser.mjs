// Headless Chromium side of the benchmark: serves a bench-only root
// (/gen → web/gen, /js → web/js, /bench → tests/bench) and prints the page's
// JSON lines.   node tests/bench/bench_browser.mjs [--quick]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const MOUNTS = { '/gen/': path.join(repo, 'web', 'gen'), '/gen-mt/': path.join(repo, 'web', 'gen', 'mt'),
  '/js/': path.join(repo, 'web', 'js'), '/bench/': here };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const quick = process.argv.includes('--quick');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const mount = Object.keys(MOUNTS).find((m) => url.pathname.startsWith(m));
  const root = mount && MOUNTS[mount];
  const file = root && path.normalize(path.join(root, decodeURIComponent(url.pathname.slice(mount.length))));
  if (!file || !file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  // COOP/COEP: cross-origin isolated, so the pthreads page gets SharedArrayBuffer.
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const userDataDir = fs.mkdtempSync('/tmp/flowlab-bench-chromium-');
const ctx = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
});
try {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  // The single-thread page, then (if web/gen/mt exists) the pthreads one.
  const pages = ['index.html', ...(fs.existsSync(path.join(MOUNTS['/gen-mt/'], 'flowlab.js')) ? ['mt.html'] : [])];
  for (const p of pages) {
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/page/${p}${quick ? '?quick' : ''}`);
    await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 600000, polling: 500 });
    const { results, error } = await page.evaluate(() => ({ results: window.benchResults, error: window.benchError }));
    if (error) throw new Error(error);
    for (const r of results) console.log(JSON.stringify({ ...r, chromium: ctx.browser()?.version() }));
  }
} finally {
  await ctx.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
