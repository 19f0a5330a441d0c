// The RealNVP view in headless Chromium: loads clean, trains in the worker,
// and every analysis button draws its figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile, colours } from './browser.mjs';

const b = browserPerFile();

const SMALL = 'v=1&ex=realnvp&seed=2&layers=6&hidden=16&steps=200&rings_n=1000';


test('trains; Q1 and every analysis figure is drawn, no console errors', async () => {
  const page = await b.open(SMALL);
  await page.click('#run');
  await page.waitForFunction(() => window.flowlabPage.losses.length >= 200 && !window.flowlabPage.running, null, { timeout: 90000 });
  await page.waitForSelector('#fig-q1-validation canvas');
  assert.ok(await colours(page, '#fig-q1-validation canvas') > 3);
  // The quality report: five rows of points, a verdict, the entropy in the caption.
  assert.equal((await page.$$('#fig-q-quality tr')).length, 6);
  assert.match(await page.$eval('#fig-q-quality figcaption', (e) => e.textContent), /data entropy 1\.5\d/);
  // 1000 points: their own mean and std move inlier 2 off the rings; the table says why.
  const exact = await page.$$eval('#fig-q-quality tr', (rs) => rs.slice(1).map((r) => r.lastElementChild.textContent));
  assert.match(exact[1], /^−∞ \(off the rings in this data set's standardisation\)$/);
  assert.equal(exact[4], '−∞ (off the rings)');
  assert.match(await page.$eval('#realnvp-verdict', (e) => e.textContent), /reference/);
  assert.match(await page.$eval('#course-setting', (e) => e.getAttribute('href')), /rings_n=250000&batch=128&lr=0\.001&schedule=cosine&steps=39000/);
  for (const [name, sel] of [['seeds', '#fig-q2-seed2 canvas'], ['layers', '#fig-q4-trajectories canvas'],
    ['points', '#fig-q5-table'], ['density', '#fig-density canvas']]) {
    await page.click(`button[data-analysis="${name}"]`);
    await page.waitForSelector(sel, { timeout: 30000 });
    if (sel.endsWith('canvas')) assert.ok(await colours(page, sel) > 3, sel);
  }
  assert.ok(await colours(page, '#fig-q3-layer canvas') > 3);
  assert.equal((await page.$$('#fig-q5-table tr')).length, 6);
  // Q2's three seeds read as one figure: one line at 1280 and at 900 px (≥ 170 px each), stacked on a phone.
  const q2 = () => page.$$eval('[id^="fig-q2-seed"]', (fs) => fs.map((f) => f.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), w: r.width })));
  for (const [width, line] of [[1280, true], [900, true], [390, false]]) {
    await page.setViewportSize({ width, height: 900 });
    const p = await q2();
    assert.equal(p.length, 3);
    assert.equal(new Set(p.map((r) => r.top)).size, line ? 1 : 3, `Q2 at ${width} px: ${JSON.stringify(p)}`);
    if (line) assert.ok(p.every((r) => r.w >= 170), `Q2 at ${width} px: ${JSON.stringify(p)}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: '/tmp/realnvp_view.png', fullPage: true });
  assert.deepEqual(b.errors, []);
  await page.close();
});
