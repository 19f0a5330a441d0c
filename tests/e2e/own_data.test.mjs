// Your own points in the page: drawing strokes of two classes, training on
// them (the link carries the set; node's replay gives the same bits), the link
// round trip, and CSV import (a good file, and a bad one that names its line
// and changes nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';
import { replay, sha256 } from '../../tools/replay.mjs';
import * as FlowLab from '../../web/js/api.js';

let b, lab;
before(async () => { b = await start(); lab = await FlowLab.load(); });
after(async () => { await b.stop(); });

const LINK = 'v=1&ex=fm-rings-cond&steps=40&batch=64&samples=500&hidden=32&depth=2&seed=5';

// A stroke from (x0, y0) to (x1, y1), canvas fractions, as a mouse drag.
async function stroke(page, cls, [x0, y0], [x1, y1]) {
  await page.click(`.own-class[data-cls="${cls}"]`);
  const r = await page.locator('#own-canvas').boundingBox();
  await page.mouse.move(r.x + x0 * r.width, r.y + y0 * r.height);
  await page.mouse.down();
  for (let k = 1; k <= 30; ++k) await page.mouse.move(r.x + (x0 + (x1 - x0) * k / 30) * r.width, r.y + (y0 + (y1 - y0) * k / 30) * r.height);
  await page.mouse.up();
}
const status = (page) => page.textContent('#own-status');
const config = (page) => page.evaluate(() => window.flowlabPage.config);

test('draw two classes, train on them, replay the link in node bit for bit, reopen the link', async () => {
  const page = await b.open(LINK);
  await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  await page.click('#own-data summary');
  await stroke(page, 0, [0.2, 0.3], [0.8, 0.3]);
  await stroke(page, 3, [0.3, 0.8], [0.7, 0.5]);
  const drawn = await status(page);
  const n = Number(drawn.match(/^(\d+) points in 2 class/)[1]);
  assert.ok(n >= 20, drawn);
  await page.click('#own-train');
  await page.waitForFunction(() => window.flowlabPage.config.data && location.hash.includes('&data=1.'), null, { timeout: 60000 });
  const c = await config(page);
  const set = lab.module.ownDataDecode(c.data);
  assert.equal(set.n, n);
  assert.deepEqual([...new Set(set.labels)].sort(), [0, 3]);
  assert.match(await status(page), /the run trains on them/);
  // A setting changed afterwards keeps the points.
  await page.fill('input[name=steps]', '30');
  await page.dispatchEvent('input[name=steps]', 'change');
  await page.waitForFunction(() => window.flowlabPage.config.steps === 30 && window.flowlabPage.config.data, null, { timeout: 60000 });
  assert.equal((await config(page)).data, c.data);

  await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  await page.click('#run');
  await page.waitForFunction(() => { const p = window.flowlabPage; return !p.running && p.losses.length === 30 && p.figures && p.figures.step === 30; },
    null, { timeout: 120000 });
  const shown = await page.evaluate(() => ({ losses: Array.from(window.flowlabPage.losses), link: window.flowlabPage.link,
    figures: JSON.stringify(window.flowlabPage.figures, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)) }));
  assert.ok(shown.link.includes(`&data=${c.data}`));
  const figs = JSON.parse(shown.figures);
  assert.equal(figs.accuracy, undefined, 'no nearest-ring accuracy for drawn points');
  // The own-data NLL report once the run is done.
  await page.waitForSelector('#fig-own-quality', { timeout: 60000 });
  assert.match(await page.textContent('#fig-own-quality'), /NLL −E\[ln p₁\] of your \d+ training points/);
  if (process.env.OWN_SHOT) await page.screenshot({ path: process.env.OWN_SHOT, fullPage: true });
  const run = replay(lab, { input: shown.link, link: shown.link });
  assert.equal(run.link, shown.link);
  assert.equal(run.sha256.losses, sha256(Float32Array.from(shown.losses)));
  assert.equal(run.sha256.figures, sha256(shown.figures));
  await page.close();

  // The link alone (another browser): the same set in the panel and in the run.
  const again = await b.open(shown.link);
  await again.waitForFunction((d) => window.flowlabPage.config.data === d && /the run trains on them/.test(document.querySelector('#own-status').textContent),
    c.data, { timeout: 60000 });
  assert.match(await status(again), new RegExp(`^${n} points in 2 class`));
  // Its figures are drawn (the panel's request to the worker must not cancel them).
  await again.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  await again.close();
  assert.deepEqual(b.errors, []);
});

test('CSV import: a bad file names its line and changes nothing; a good file becomes the run', async () => {
  const page = await b.open('v=1&ex=fm-rings&steps=20&batch=64&samples=500&hidden=16&depth=2');
  await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  await page.click('#own-data summary');
  await stroke(page, 1, [0.2, 0.2], [0.8, 0.8]);
  const before = await status(page);
  const hash = await page.evaluate(() => location.hash);
  await page.setInputFiles('#own-csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0.5,1\n1,oops\n2,2\n') });
  await page.waitForFunction(() => document.querySelector('#messages').textContent.includes('bad.csv'), null, { timeout: 30000 });
  assert.match(await page.textContent('#messages'), /bad\.csv: line 3, field 2 \(y\): 'oops' is not a number\. Nothing was changed\./);
  assert.equal(await status(page), before);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal((await config(page)).data, undefined);

  const rows = Array.from({ length: 40 }, (_, i) => `${(3 * Math.cos(i / 6)).toFixed(3)},${(2 * Math.sin(i / 6)).toFixed(3)},${i % 2}`);
  await page.setInputFiles('#own-csv', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y,class\n${rows.join('\n')}\n`) });
  await page.waitForFunction(() => window.flowlabPage.config.data, null, { timeout: 60000 });
  const set = lab.module.ownDataDecode((await config(page)).data);
  assert.equal(set.n, 40);
  assert.equal(set.points[2], lab.module.ownDataCsv(`${rows.join('\n')}\n`).points[2]);
  assert.match(await status(page), /^40 points in 2 class/);
  assert.ok((await page.evaluate(() => location.hash)).includes('&data=1.'));
  await page.close();
  assert.deepEqual(b.errors, []);
});

test('RealNVP on drawn points: no rings-only numbers, the NLL of your points, Q5 on your points, node replay bit for bit', async () => {
  const page = await b.open('v=1&ex=realnvp&layers=8&hidden=16&batch=64&warmup=10&steps=150&seed=3');
  await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  assert.equal(await page.isVisible('#own-data summary'), true, 'the panel is offered on RealNVP');
  assert.equal(await page.isVisible('input[name=rings_n]'), true);
  await page.click('#own-data summary');
  await stroke(page, 0, [0.2, 0.25], [0.45, 0.35]);
  await stroke(page, 1, [0.55, 0.7], [0.8, 0.75]);
  const n = Number((await status(page)).match(/^(\d+) points/)[1]);
  await page.click('#own-train');
  await page.waitForFunction(() => window.flowlabPage.config.data && location.hash.includes('&data=1.'), null, { timeout: 60000 });
  await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
  // The rings' size and thickness do not apply to your points: the form leaves them out.
  await page.waitForFunction(() => document.querySelector('input[name=rings_n]').closest('label').hidden, null, { timeout: 60000 });
  assert.equal(await page.isVisible('input[name=thickness]'), false);
  assert.equal(await page.isVisible('input[name=val_fraction]'), true);
  await page.click('#run');
  await page.waitForFunction(() => { const p = window.flowlabPage; return !p.running && p.figures && p.figures.step === 150; }, null, { timeout: 120000 });
  const q = await page.evaluate(() => window.flowlabPage.figures.quality);
  assert.equal(q.own, true);
  assert.equal(q.n + q.nVal, n);
  await page.waitForSelector('#fig-own-quality', { timeout: 60000 });
  const report = await page.textContent('#fig-own-quality');
  assert.match(report, new RegExp(`NLL −E\\[ln p\\] of your ${q.n} training points`));
  assert.match(report, new RegExp(`NLL of your ${q.nVal} held-out points`));
  assert.equal(await page.$('#fig-q-quality'), null, 'no table of the sheet\'s five points');
  assert.doesNotMatch(await page.textContent('#fig-q1-validation'), /entropy/);
  await page.click('button[data-analysis="points"]');
  await page.waitForFunction(() => /of your training points/.test((document.querySelector('#fig-q5-inverse') || {}).textContent || ''), null, { timeout: 60000 });
  if (process.env.NVP_SHOT) await page.screenshot({ path: process.env.NVP_SHOT, fullPage: true });
  const shown = await page.evaluate(() => ({ losses: Array.from(window.flowlabPage.losses), link: window.flowlabPage.link }));
  const run = replay(lab, { input: shown.link, link: shown.link });
  assert.equal(run.sha256.losses, sha256(Float32Array.from(shown.losses)));
  assert.equal(run.metrics['quality.nll'], q.nll);
  await page.close();
  assert.deepEqual(b.errors, []);
});
