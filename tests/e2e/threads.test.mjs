// Threads in the page: a cross-origin isolated page's worker runs the pthreads
// module with a thread per core the browser reports, any other page the
// single-thread module — with the same bits. A static host that sends no
// isolation headers gets them from the service worker from the second load on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './browser.mjs';
import { resolvePath } from '../../.ci/static-server.mjs';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
// A plain static host: files and content types, no COOP/COEP.
let plainRequests = 0;
function plainHost() {
  const server = http.createServer((req, res) => {
    ++plainRequests;
    let file = resolvePath(web, req.url);
    if (typeof file === 'number') return res.writeHead(file).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

let b, plain;
// Closing, reloading or resetting a page while it still loads (the service worker's
// precache, helper workers, pthread workers) aborts those loads: page errors. Both servers quiet first.
const settle = () => b.settle(1500, () => plainRequests);
before(async () => { b = await start(); plain = await plainHost(); });
after(async () => { await b.stop(); plain.close(); });

const LINK = 'v=1&ex=fm-checkerboard&seed=9&hidden=64&depth=3&lr=0.005&batch=1000&steps=30&solver=midpoint&ode_steps=10&samples=2000';

// What the page's training worker loaded: its thread count, module folder, isolation.
async function workerState(page) {
  await page.waitForFunction(() => window.flowlabPage.figures);
  // After a reload the closed page's worker may still be listed: the live one answers.
  for (;;) {
    for (const w of page.workers().filter((x) => /js\/worker\.js/.test(x.url())).reverse()) {
      const s = await w.evaluate(() => (typeof flowlabWorker !== 'undefined' && flowlabWorker.lab
        ? { threads: flowlabWorker.lab.module.threads(), gen: flowlabWorker.gen, isolated: self.crossOriginIsolated } : null)).catch(() => null);
      if (s) return s;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function train(page) {
  await page.click('#run');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 30 && (window.flowlabPage.figures || {}).step === 30,
    null, { timeout: 120000 });
  return page.evaluate(() => ({ losses: window.flowlabPage.losses.slice(), samples: Array.from(window.flowlabPage.figures.samples) }));
}

test('isolated page: pthreads module on every core; plain host: single-thread module, then threads via the service worker; same bits', async () => {
  const page = await b.open(LINK);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const st = await workerState(page);
  assert.deepEqual(st, { threads: Math.min(64, cores), gen: cores > 1 ? '../gen/mt/' : '../gen/', isolated: true });
  const ref = await train(page);
  await settle();
  await page.close();

  const ctx = await b.newContext();
  const p2 = b.watch(await ctx.newPage());
  await p2.goto(`http://127.0.0.1:${plain.address().port}/#${LINK}`);
  await b.ready(p2);
  assert.deepEqual(await workerState(p2), { threads: 1, gen: '../gen/', isolated: false });
  assert.deepEqual(await train(p2), ref, 'single-thread module, same bits');
  await p2.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 30000 });
  await settle();
  await p2.reload();
  await b.ready(p2);
  assert.equal(await p2.evaluate(() => self.crossOriginIsolated), true, 'isolated through the service worker');
  assert.deepEqual(await workerState(p2), st);
  await settle();
  await p2.click('#reset');
  await p2.waitForFunction(() => window.flowlabPage.losses.length === 0);
  assert.deepEqual(await train(p2), ref, 'pthreads module through the service worker, same bits');
  assert.deepEqual(b.errors, []);
});
