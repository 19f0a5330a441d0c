// Headless Chromium side of the benchmark: serves a bench-only root
// (/gen → web/gen, /js → web/js, /bench → tests/bench) and prints the page's
// JSON lines.   node tests/bench/bench_browser.mjs [--quick] [--t90-only | --page-only]
// FLOWLAB_T90_ROUNDS=k: time-to-90 k times each (its spread: the preview's
// steps decide where the on-squares fraction, near 0.9 for ~1000 steps, crosses).
// Then the RealNVP default trained to its end in the lab (issue 14: "about a minute").
// --page-only: only these measurements of the lab page, not the kernel pages.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { serve } from '../../.ci/static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const MOUNTS = { '/gen/': path.join(repo, 'web', 'gen'), '/gen-mt/': path.join(repo, 'web', 'gen', 'mt'),
  '/js/': path.join(repo, 'web', 'js'), '/bench/': here };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const quick = process.argv.includes('--quick');
const t90Only = process.argv.includes('--t90-only');
const pageOnly = t90Only || process.argv.includes('--page-only');
const t90Rounds = Math.max(1, Number(process.env.FLOWLAB_T90_ROUNDS) || 1);

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
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS });

// The lab at `hash`, cross-origin isolated or not (the same server's responses without
// COOP/COEP, no service worker): wall time from a click on Run until the page's figures
// show the task's mark (checked every 20 ms by a timer in the page; Playwright's own polling
// at that rate, tried once, gave the RealNVP default 77 s against 48-60 s); null seconds after limitS.
async function labRun(server, isolated, hash, task, limitS) {
  const c = await browser.newContext({ serviceWorkers: 'block' });
  try {
    if (!isolated) {
      await c.route('**/*', async (route) => {
        const res = await route.fetch();
        const headers = { ...res.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response: res, headers });
      });
    }
    const page = await c.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/${hash ? `#${hash}` : ''}`);
    await page.waitForFunction(() => window.flowlabPage && window.flowlabPage.config && window.flowlabPage.figures, null, { timeout: 120000 });
    const worker = page.workers().filter((w) => /js\/worker\.js/.test(w.url())).pop();
    const threads = await worker.evaluate(() => flowlabWorker.lab.module.threads());
    const r = await page.evaluate(({ task, limitS }) => new Promise((resolve) => {
      // time-to-90: the first figures with ≥ 90 % of the samples on the squares;
      // realnvp-default: the last step trained and the run's final figures, with their quality.
      const mark = (f) => task === 'time-to-90'
        ? f.onSquares >= 0.9 && { step: f.step, on_squares: f.onSquares }
        : f.step === f.total && !window.flowlabPage.running &&
          { step: f.step, gap: +f.quality.gap.toFixed(4), logp: Array.from(f.quality.logp, (v) => +v.toFixed(2)) };
      const t0 = performance.now();
      document.getElementById('run').click();
      const tick = () => {
        const f = window.flowlabPage.figures, s = (performance.now() - t0) / 1000;
        const m = f && f.step > 0 && mark(f);
        if (m) resolve({ seconds: +s.toFixed(2), ...m });
        else if (s > limitS) resolve({ seconds: null, step: f && f.step, on_squares: f && f.onSquares });
        else setTimeout(tick, 20);
      };
      tick();
    }), { task, limitS });
    const link = await page.evaluate(() => location.hash.slice(1));
    return { impl: 'flowlab-page-chromium', task, isolated, threads, ...r,
      steps_per_s: r.seconds ? +(r.step / r.seconds).toFixed(1) : undefined, link, load1: +os.loadavg()[0].toFixed(2) };
  } finally { await c.close(); }
}

try {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  // The single-thread page, then (if web/gen/mt exists) the pthreads one.
  const pages = pageOnly ? [] : ['index.html', ...(fs.existsSync(path.join(MOUNTS['/gen-mt/'], 'flowlab.js')) ? ['mt.html'] : [])];
  for (const p of pages) {
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/page/${p}${quick ? '?quick' : ''}`);
    await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 600000, polling: 500 });
    const { results, error } = await page.evaluate(() => ({ results: window.benchResults, error: window.benchError }));
    if (error) throw new Error(error);
    for (const r of results) console.log(JSON.stringify({ ...r, chromium: ctx.browser()?.version(), load1: +os.loadavg()[0].toFixed(2) }));
  }
  // The lab itself: wall time from Run to the first figures with ≥ 90 % of
  // the samples on the squares, default link — cross-origin isolated (the
  // pthreads module, a thread per core) and not (the single-thread module).
  // The kernel pages' browser is closed first: left open, it held the
  // isolated lab to 255-268 steps/s, no faster than the single-thread one
  // (closed: 341-357 steps/s, 2026-12-03).
  await ctx.close();
  const lab = await serve(undefined, 0);
  try {
    for (let round = 0; round < t90Rounds; ++round)
      for (const isolated of [true, false]) console.log(JSON.stringify(await labRun(lab, isolated, '', 'time-to-90', 300)));
    if (!t90Only && !quick) for (const isolated of [true, false]) console.log(JSON.stringify(await labRun(lab, isolated, 'v=1&ex=realnvp&seed=1', 'realnvp-default', 600)));
  } finally { lab.close(); }
} finally {
  await ctx.close();
  await browser.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
