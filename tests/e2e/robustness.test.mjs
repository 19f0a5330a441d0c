// Nothing lost, nothing injected: storage across reloads,
// export/import, worker death, divergence, hostile links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserPerFile, stepOnce } from './browser.mjs';
import * as FlowLab from '../../web/js/api.js';

const b = browserPerFile();

const LINK = 'v=1&ex=fm-checkerboard&seed=9&hidden=16&depth=2&lr=0.005&batch=64&steps=100000&schedule=constant&solver=euler&ode_steps=4&samples=500';

async function trainTo(page, n) {
  await page.click('#run');
  await page.waitForFunction((k) => window.flowlabPage.losses.length >= k, n);
  await page.click('#run');
  await page.waitForFunction(() => !window.flowlabPage.running);
  // Pausing writes a checkpoint of the paused step to browser storage.
  await page.waitForFunction(() => window.flowlabPage.storedStep === window.flowlabPage.losses.length);
  return page.evaluate(() => window.flowlabPage.losses.length);
}

test('a reload restores the run (weights, optimiser, losses) from browser storage', async () => {
  const ctx = await b.newContext();
  const page = await b.open(LINK, ctx);
  const n = await trainTo(page, 30);
  const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
  await page.reload();
  await b.ready(page);
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k, n);
  assert.deepEqual(await page.evaluate(() => window.flowlabPage.losses.slice()), losses);
  assert.match(await page.$eval('#messages', (e) => e.textContent), new RegExp(`Restored your run at step ${n}`));
  // …and training continues exactly as an uninterrupted run would.
  await stepOnce(page, n);
  const resumed = await page.evaluate(() => window.flowlabPage.losses.slice());
  const fresh = await b.open(LINK);
  await fresh.evaluate((k) => { for (let i = 0; i < k; ++i) document.getElementById('step').click(); }, 1);
  await fresh.click('#run');
  await fresh.waitForFunction((k) => window.flowlabPage.losses.length >= k, n + 1);
  await fresh.click('#run');
  await fresh.waitForFunction(() => !window.flowlabPage.running);
  const straight = await fresh.evaluate((k) => window.flowlabPage.losses.slice(0, k), n + 1);
  assert.deepEqual(resumed, straight);
  await page.close();
  await fresh.close();
});

test('export, then import in another browser: same state; a bad file is refused and nothing is lost', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 20);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-run')]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowlab-')), download.suggestedFilename());
  await download.saveAs(file);
  assert.match(path.basename(file), /\.flowlab$/);
  const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
  await page.close();

  const other = await b.open('');  // another browser, default experiment
  await other.setInputFiles('#import-run', file);
  await other.waitForFunction((k) => window.flowlabPage.losses.length === k, n);
  assert.deepEqual(await other.evaluate(() => window.flowlabPage.losses.slice()), losses);
  assert.equal(await other.evaluate(() => window.flowlabPage.config.hidden), 16);

  // A corrupted file: a clear message, the run stays.
  const bad = path.join(path.dirname(file), 'bad.flowlab');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(bad, bytes.subarray(0, bytes.length - 5));
  await other.setInputFiles('#import-run', bad);
  await other.waitForFunction(() => /cannot restore/.test(document.getElementById('messages').textContent));
  assert.match(await other.$eval('#messages', (e) => e.textContent), /truncated|trailing|lacks/);
  assert.equal(await other.evaluate(() => window.flowlabPage.losses.length), n);
  fs.writeFileSync(bad, 'not a checkpoint at all');
  await other.setInputFiles('#import-run', bad);
  await other.waitForFunction(() => /not a flowlab run file/.test(document.getElementById('messages').textContent));
  await stepOnce(other, n);
  await other.close();
});

test('a killed worker is noticed, restarted, and resumes from the last checkpoint', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 25);
  await page.evaluate(() => window.flowlabPage.killWorker());
  await page.waitForFunction(() => /restarted it and resumed from step/.test(document.getElementById('messages').textContent), null, { timeout: 30000 });
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k && window.flowlabPage.figures, n);
  await stepOnce(page, n);
  await page.close();
});

test('NaN in the weights stops training, says so, and rolls back to the last good state', async () => {
  const page = await b.open(LINK);
  const n = await trainTo(page, 15);
  const good = await page.evaluate(() => window.flowlabPage.losses.slice());
  await page.evaluate(() => window.flowlabPage.poke(0, NaN));
  await page.click('#step');
  await page.waitForFunction(() => /diverged/.test(document.getElementById('messages').textContent));
  assert.match(await page.$eval('#messages', (e) => e.textContent), new RegExp(`Restored the last good state \\(step ${n}\\)`));
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k, n);
  assert.deepEqual(await page.evaluate(() => window.flowlabPage.losses.slice()), good);
  assert.equal(await page.evaluate(() => window.flowlabPage.running), false);
  await page.click('#step');  // training goes on from the good state
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k + 1 && Number.isFinite(window.flowlabPage.losses[k]), n);
  await page.close();
});

test('script payloads in every link field never run and never reach the DOM as HTML', async () => {
  const payloads = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>', 'javascript:window.__pwned=1',
    "'-alert(1)-'", '<svg onload=window.__pwned=1>'];
  const fields = ['ex', 'seed', 'hidden', 'depth', 'lr', 'batch', 'steps', 'schedule', 'solver', 'ode_steps', 'samples', 'v', '<b>x</b>'];
  let tried = 0;
  const page = await b.open('');
  for (const p of payloads) {
    const link = fields.map((f) => `${encodeURIComponent(f)}=${encodeURIComponent(p)}`).join('&');
    await page.evaluate((h) => { location.hash = h; }, link);
    await page.waitForFunction(() => document.getElementById('messages').textContent.includes('could not be used'));
    tried += fields.length;
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.$$eval('#messages *:not(p)', (x) => x.length), 0);
    assert.equal(await page.$$eval('img, svg, script:not([src])', (x) => x.length), 0);
  }
  console.log(`payloads tried: ${tried}`);
  await page.close();
});

test('same link: bit-identical weights after N steps in node and in Chromium (same wasm build)', async () => {
  const lab = await FlowLab.load();
  const exp = lab.create(LINK);
  exp.train(40);
  const inNode = Array.from(exp.parameters());
  exp.dispose();
  const page = await b.open(LINK);
  const inBrowser = await page.evaluate(async (link) => {
    const lab2 = await window.FlowLab.load();
    const e = lab2.create(link);
    e.train(40);
    return Array.from(e.parameters());
  }, LINK);
  assert.equal(inBrowser.length, inNode.length);
  assert.deepEqual(inBrowser, inNode);
  await page.close();
});
