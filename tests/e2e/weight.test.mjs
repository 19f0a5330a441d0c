// Page weight and first-figure time of the default link (fm-checkerboard),
// counted at the server: every script and wasm file reaches it once on a
// first load (the page, its module worker, the pthread workers and the
// service worker share them through the HTTP cache), and a reload does not
// download them again. Prints requests, bytes and the page's time marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile } from './browser.mjs';

const b = browserPerFile();

// The page's time marks (window.flowlabPage.timings()) once the link's
// figures are complete; `full`: when that was seen.
async function loaded(page) {
  await page.waitForFunction(() => window.flowlabPage && window.flowlabPage.figures, null, { timeout: 60000 });
  const full = await page.evaluate(() => Math.round(performance.now()));
  return { ...(await page.evaluate(() => window.flowlabPage.timings())), full };
}
const path = (u) => u.split(/[?#]/, 1)[0];
function summary(all) {
  // The browser checks the service worker's script for updates past its HTTP
  // cache (a 304 when unchanged): that check is no download of a script.
  const reqs = all.filter((r) => !(r.dest === 'serviceworker' && r.status === 304));
  const byUrl = new Map();
  for (const r of reqs) byUrl.set(path(r.url), [...(byUrl.get(path(r.url)) || []), `${r.status} ${r.dest}`]);
  const bytes = reqs.reduce((s, r) => s + r.bytes, 0);
  const twice = [...byUrl].filter(([u, s]) => /\.(m?js|wasm)$/.test(u) && s.length > 1).map(([u, s]) => `${u} ×${s.length} (${s.join(',')})`);
  return { requests: reqs.length, downloads: reqs.filter((r) => r.status === 200).length, kB: Math.round(bytes / 1024), twice, byUrl };
}

test('first load and reload: each script and wasm file fetched once; weight and first-figure time reported', async (t) => {
  const ctx = await b.newContext();
  const page = b.watch(await ctx.newPage());
  const from = b.requests.length;
  await page.goto(`${b.base}#v=1&ex=fm-checkerboard`);
  const marks = await loaded(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await b.settle();
  const first = summary(b.requests.slice(from));
  t.diagnostic(`first load: ${first.requests} requests (${first.downloads} downloads), ${first.kB} kB; ` +
    `first figure drawn ${marks.figuresDrawn} ms after navigation, all figures ${marks.full} ms`);
  t.diagnostic(`first load marks (ms since navigation): ${JSON.stringify(marks)}`);
  t.diagnostic(`first load files: ${[...first.byUrl].map(([u, s]) => `${u}${s.length > 1 ? ` ×${s.length}` : ''}`).join(' ')}`);

  const again = b.requests.length;
  await page.reload();
  const marks2 = await loaded(page);
  await b.settle();
  const second = summary(b.requests.slice(again));
  t.diagnostic(`reload: ${second.requests} requests (${second.downloads} downloads), ${second.kB} kB; ` +
    `first figure drawn ${marks2.figuresDrawn} ms after navigation, all figures ${marks2.full} ms`);
  t.diagnostic(`reload marks: ${JSON.stringify(marks2)}`);
  assert.deepEqual(first.twice, [], 'a script or wasm file fetched more than once on a first load');
  assert.deepEqual(second.twice, [], 'a script or wasm file fetched more than once on a reload');
  // A generous bound (a loaded 2-core machine); the time itself is printed above.
  for (const m of [marks, marks2]) assert.ok(m.figuresDrawn < 15000, JSON.stringify(m));
  assert.deepEqual(b.errors, []);
  await ctx.close();
});
