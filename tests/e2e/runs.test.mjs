// The runs library (IndexedDB) and the offline copy (service worker): what is
// kept across a reload, an exercise switch, a field edit, a second tab, full
// storage and an offline reload. Prints the table at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, stepOnce } from './browser.mjs';
import { serve } from '../../.ci/static-server.mjs';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();

let b;
const table = [];
before(async () => { b = await start(); });
after(async () => {
  await b.stop();
  console.log('\ncase            | kept?    | what the test saw');
  for (const [c, kept, saw] of table) console.log(`${c.padEnd(15)} | ${kept.padEnd(8)} | ${saw}`);
});

const LINK = 'v=1&ex=fm-checkerboard&seed=9&hidden=16&depth=2&lr=0.005&batch=64&steps=100000&schedule=constant&solver=euler&ode_steps=4&samples=500';
const page$ = (page) => ({
  losses: () => page.evaluate(() => window.flowlabPage.losses.length),
  library: () => page.evaluate(async () => (await import('/js/store.js')).list()),
  notice: () => page.$eval('#runs-notice', (e) => e.textContent),
  messages: () => page.$eval('#messages', (e) => e.textContent),
});

// Polls an async page function until it returns something truthy
// (waitForFunction does not await a returned promise).
async function until(page, fn, arg, { timeout = 30000 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Trains to at least n steps, pauses, and (unless told not to) waits until
// the paused step is stored under the run's model key.
async function trainTo(page, n, { stored = true } = {}) {
  await page.click('#run');
  await page.waitForFunction((k) => window.flowlabPage.losses.length >= k, n);
  await page.click('#run');
  await page.waitForFunction(() => !window.flowlabPage.running && window.flowlabPage.checkpointStep === window.flowlabPage.losses.length);
  const steps = await page$(page).losses();
  if (stored) {
    await until(page, async ([k, s]) => {
      const r = (await (await import('/js/store.js')).list()).find((x) => x.key === k);
      return r && r.step === s;
    }, [lab.modelKey(await page.evaluate(() => window.flowlabPage.link)), steps]);
  }
  return steps;
}

test('reload: the run is kept; hiding the page saves at once', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 30);
  await page.reload();
  await b.ready(page);
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k, n);
  assert.match(await page$(page).messages(), new RegExp(`Restored your run at step ${n}`));
  const lib = await page$(page).library();
  assert.equal(lib.length, 1);
  assert.equal(lib[0].step, n);

  // The tab goes to the background while training: the newest step is stored
  // without waiting for the next periodic checkpoint (every 3 s).
  await page.click('#run');
  await page.waitForFunction((k) => window.flowlabPage.losses.length >= k + 20, n);
  await page.waitForFunction(() => window.flowlabPage.checkpointStep !== null);
  const hiddenAt = await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    return window.flowlabPage.losses.length;
  });
  await until(page, async (k) => (await (await import('/js/store.js')).list())[0].step >= k, hiddenAt, { timeout: 1500 });
  table.push(['reload', 'kept', `step ${n} restored with its losses; hidden tab stored step ≥ ${hiddenAt} within 1.5 s`]);
  await page.close();
});

test('exercise switch: both runs stay in the library, each reopens where it was', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 20);
  await page.selectOption('#exercise', 'rbm');
  await page.waitForFunction(() => window.flowlabPage.config.ex === 'rbm' && window.flowlabPage.figures);
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.checkpointStep === 1);
  await until(page, async () => (await (await import('/js/store.js')).list()).length === 2);
  const lib = await page$(page).library();
  assert.deepEqual(lib.map((r) => [r.ex, r.step]).sort(), [['fm-checkerboard', n], ['rbm', 1]]);
  // The list in the page: one entry per run, the open one marked.
  await page.waitForFunction(() => document.querySelectorAll('#runs li').length === 2);
  assert.match(await page.$eval('#runs li.current', (e) => e.textContent), /Boltzmann.*step 1/);
  await page.selectOption('#exercise', 'fm-checkerboard');
  await page.waitForFunction((k) => window.flowlabPage.config.ex === 'fm-checkerboard' && window.flowlabPage.losses.length === k, n);
  // One click on the list reopens the other run.
  await page.waitForFunction(() => /checkerboard/.test((document.querySelector('#runs li.current') || {}).textContent));
  await page.click('#runs li:not(.current) button.open');
  await page.waitForFunction(() => window.flowlabPage.config.ex === 'rbm' && window.flowlabPage.losses.length === 1);
  assert.match(await page$(page).messages(), /Opened your run of .* at step 1/);
  table.push(['exercise switch', 'kept', `library: fm-checkerboard step ${n}, rbm step 1; both reopened`]);
  await page.close();
});

test('field edit: a sampling field keeps the model and its steps; a model field starts a new run and keeps the old one', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 25);
  const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
  // The fields the core's schema puts in the 'sampling' group.
  const sampling = await page.evaluate(() => [...document.querySelectorAll('#controls fieldset')]
    .find((f) => f.querySelector('legend').textContent === 'Sampling').querySelectorAll('[name]').length);
  assert.equal(sampling, 3);
  await page.selectOption('select[name=solver]', 'midpoint');
  await page.waitForFunction(() => window.flowlabPage.config.solver === 'midpoint' && window.flowlabPage.figures);
  await page.fill('input[name=ode_steps]', '9');
  await page.dispatchEvent('#controls', 'change');
  await page.waitForFunction(() => window.flowlabPage.config.ode_steps === 9 && window.flowlabPage.figures);
  assert.deepEqual(await page.evaluate(() => window.flowlabPage.losses.slice()), losses);
  assert.match(await page$(page).notice(), /Kept the trained model/);
  assert.match(await page.evaluate(() => window.flowlabPage.link), /solver=midpoint&ode_steps=9/);
  let lib = await page$(page).library();
  assert.equal(lib.length, 1);
  assert.equal(lib[0].step, n);
  // Training goes on from step n.
  await stepOnce(page, n);

  // hidden width: another model, from step 0; the trained one stays stored.
  await page.fill('input[name=hidden]', '24');
  await page.dispatchEvent('#controls', 'change');
  await page.waitForFunction(() => window.flowlabPage.config.hidden === 24 && window.flowlabPage.figures);
  assert.equal(await page$(page).losses(), 0);
  await page.click('#step');
  await until(page, async () => (await (await import('/js/store.js')).list()).length === 2).catch(async (e) => {
    const at = await page.evaluate(() => [window.flowlabPage.checkpointStep, window.flowlabPage.link]);
    throw new Error(`${e.message}; library ${JSON.stringify((await page$(page).library()).map((r) => [r.step, r.link]))}, ` +
      `page checkpoint ${JSON.stringify(at)}, notice '${await page$(page).notice()}', messages '${await page$(page).messages()}'`);
  });
  lib = await page$(page).library();
  assert.deepEqual(lib.map((r) => r.step).sort(), [1, n + 1]);
  // Back to width 16: the stored run of that model continues.
  await page.fill('input[name=hidden]', '16');
  await page.dispatchEvent('#controls', 'change');
  await page.waitForFunction((k) => window.flowlabPage.config.hidden === 16 && window.flowlabPage.losses.length === k, n + 1);
  table.push(['field edit', 'kept', `solver/ODE steps: model kept at step ${n}; hidden 16→24: new run, step-${n + 1} run kept and reopened`]);
  await page.close();
});

test('second tab: the stored step never goes backwards', async () => {
  const ctx = await b.newContext();
  const a = await b.open(LINK, ctx);
  const n1 = await trainTo(a, 20);
  const tab2 = await b.open(LINK, ctx);
  await tab2.waitForFunction((k) => window.flowlabPage.losses.length === k, n1);
  const n2 = await trainTo(a, n1 + 30);
  // Tab 2 is behind; its next checkpoint must not replace the stored run.
  await tab2.click('#step');
  await tab2.waitForFunction((k) => window.flowlabPage.checkpointStep === k + 1, n1);
  await tab2.waitForFunction(() => /another tab trained it on/.test(document.getElementById('runs-notice').textContent));
  const lib = await page$(a).library();
  assert.equal(lib.length, 1);
  assert.equal(lib[0].step, n2);
  // Reopening tab 2 brings the furthest run.
  await tab2.reload();
  await b.ready(tab2);
  await tab2.waitForFunction((k) => window.flowlabPage.losses.length === k, n2);
  table.push(['second tab', 'kept', `tab 1 at step ${n2}, tab 2 wrote step ${n1 + 1}: stored stays ${n2}, notice shown`]);
  await a.close();
  await tab2.close();
});

test('full storage: the failure is shown, the run stays in the tab and is saved once there is room', async () => {
  const ctx = await b.newContext();
  const page = await b.open(LINK, ctx);
  // A real quota failure: the origin's quota set below its usage before the
  // first write (Chromium caches the space it granted to a database).
  const origin = new URL(b.base).origin;
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  const steps = await trainTo(page, 40, { stored: false });
  await page.waitForFunction(() => /could not be saved.*storage for this site is full/.test(document.getElementById('runs-notice').textContent));
  assert.match(await page$(page).notice(), /Export run/);
  assert.match(await page$(page).messages(), /could not be saved/);
  assert.deepEqual(await page$(page).library(), []);
  // Nothing is lost: the tab still has every step, and the export holds them…
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-run')]);
  assert.match(download.suggestedFilename(), new RegExp(`step${steps}\\.flowlab$`));
  const bytes = fs.readFileSync(await download.path());
  const restored = lab.restore(bytes);
  assert.equal(restored.step, steps);
  restored.dispose();
  // …and with room again, hiding the (paused) page stores it: the only write
  // after the failures is the one made on hide. A reload resumes it.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => /Saving works again/.test(document.getElementById('runs-notice').textContent));
  await page.reload();
  await b.ready(page);
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k, steps);
  table.push(['full storage', 'kept', `saves failed (quota) → message with "Export run"; the tab kept all ${steps} steps, export restores step ${steps}; stored on page hide once there was room, reload resumes step ${steps}`]);
  await page.close();
});

test('bounded library: the oldest run is dropped, with a notice', async () => {
  const page = await b.open(LINK);
  await page.evaluate(async () => { (await import('/js/store.js')).limits.runs = 2; });
  for (const seed of [1, 2, 3]) {
    await page.evaluate((s) => { location.hash = `v=1&ex=fm-checkerboard&seed=${s}&hidden=8&depth=1`; }, seed);
    await page.waitForFunction((s) => window.flowlabPage.config.seed === s && window.flowlabPage.figures, seed);
    await page.click('#step');
    await until(page, async (s) => (await (await import('/js/store.js')).list()).some((r) => r.link.includes(`seed=${s}&`)), seed);
  }
  const lib = await page$(page).library();
  assert.deepEqual(lib.map((r) => /seed=(\d+)/.exec(r.link)[1]).sort(), ['2', '3']);
  assert.match(await page$(page).notice(), /keeps at most 2 runs.*dropped the oldest/s);
  await page.close();
});

test('the single run stored by the first version moves into the library', async () => {
  const exp = lab.create(LINK);
  exp.train(7);
  const bytes = Array.from(exp.save());
  const link = exp.link;
  exp.dispose();
  const ctx = await b.newContext();
  // The first version's database: version 1, one store, the run under 'current'.
  const blank = await ctx.newPage();
  await blank.goto(`${b.base}style.css`);
  await blank.evaluate(([l, by]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('flowlab', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('runs');
    req.onsuccess = () => {
      const t = req.result.transaction('runs', 'readwrite');
      t.objectStore('runs').put({ link: l, step: 7, bytes: new Uint8Array(by), savedAt: Date.now() }, 'current');
      t.oncomplete = () => { req.result.close(); resolve(); };
      t.onabort = () => reject(t.error);
    };
    req.onerror = () => reject(req.error);
  }), [link, bytes]);
  await blank.close();
  const page = await b.open('', ctx);
  await page.waitForFunction(() => window.flowlabPage.losses.length === 7);
  assert.match(await page$(page).messages(), /Restored your run at step 7/);
  await until(page, async () => (await (await import('/js/store.js')).list()).length === 1);
  const lib = await page$(page).library();
  assert.equal(lib[0].key, lab.modelKey(link));
  assert.equal(lib[0].step, 7);
  assert.equal(await page.evaluate(async () => (await import('/js/store.js')).legacy()), null);
  await page.close();
});

test('a stored run that cannot be restored: one message, a fresh run, and Reset replaces it', async () => {
  const ctx = await b.newContext();
  const page = await b.open(LINK, ctx);
  const link = await page.evaluate(() => window.flowlabPage.link);
  await page.evaluate(async ([l, k]) => {
    const store = await import('/js/store.js');
    await store.save({ key: k, ex: 'fm-checkerboard', link: l, step: 50, bytes: new TextEncoder().encode('not a checkpoint') });
  }, [link, lab.modelKey(link)]);
  await page.reload();
  await b.ready(page);
  await page.waitForFunction(() => /stored run of this model \(step 50\) could not be restored/.test(document.getElementById('runs-notice').textContent));
  await page.waitForFunction(() => window.flowlabPage.figures);
  await page.waitForTimeout(500);  // not handed to the worker a second time
  assert.match(await page$(page).notice(), /step 50\) could not be restored/);
  assert.doesNotMatch(await page$(page).messages(), /cannot restore/);
  assert.equal(await page$(page).losses(), 0);
  await page.click('#step');
  await page.waitForFunction(() => /holds this run at step 50.*Reset/.test(document.getElementById('runs-notice').textContent));
  await page.click('#reset');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 0);
  await page.click('#step');
  await until(page, async () => (await (await import('/js/store.js')).list())[0].step === 1);
  await page.close();
});

test('offline: after one visit the page reloads and trains without network', async (t) => {
  const server = await serve(undefined, 0);
  // A failure must not leave this server open: it would keep the test process alive.
  t.after(() => { if (server.listening) { server.closeAllConnections(); server.close(); } });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const ctx = await b.newContext();
  const page = b.watch(await ctx.newPage());
  await page.goto(`${base}#${LINK}`);
  await b.ready(page);
  const n = await trainTo(page, 10);
  // Every file this visit loaded is cached (the page hands the list over).
  await until(page, async () => {
    if (!navigator.serviceWorker.controller) return false;
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('flowlab-')) || 'none');
    const want = [location.href.split('#')[0], ...performance.getEntriesByType('resource').map((r) => r.name),
      new URL('gen/flowlab.wasm', location.href).href, new URL('js/worker.js', location.href).href];
    return (await Promise.all(want.map((u) => cache.match(u)))).every(Boolean);
  }, null, { timeout: 20000 });
  // Error responses are never cached.
  assert.equal(await page.evaluate(async () => (await fetch('no-such-file.js')).status), 404);
  assert.equal(await page.evaluate(async () => !!(await caches.match('no-such-file.js'))), false);
  b.errors.splice(b.errors.findIndex((e) => /404/.test(e)), 1);

  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await ctx.setOffline(true);
  await page.reload();
  await b.ready(page);
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k, n);
  await page.click('#step');  // the worker and the wasm module came from the cache
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k + 1 && window.flowlabPage.figures, n);
  table.push(['offline reload', 'kept', `server stopped + offline: page, worker and wasm from the cache; run restored at step ${n}, stepped to ${n + 1}`]);
  await ctx.setOffline(false);
  await page.close();
  assert.deepEqual(b.errors, []);
});
