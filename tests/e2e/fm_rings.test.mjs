// The Olympic-rings views (sheet 003 §2) in headless Chromium: load clean,
// train in the worker, every analysis draws, canvases are not blank.
// SHOT=dir saves full-page screenshots there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile, colours as coloursEvery } from './browser.mjs';

const b = browserPerFile();

const SMALL = 'v=1&seed=1&hidden=64&depth=3&lr=0.005&batch=256&steps=800&schedule=cosine&solver=midpoint&ode_steps=10&samples=3000&rings_n=3000';
const colours = (page, sel) => coloursEvery(page, sel, 3);  // every third pixel
const shot = async (page, name) => { if (process.env.SHOT) await page.screenshot({ path: `${process.env.SHOT}/${name}.png`, fullPage: true }); };

async function trained(ex, steps) {
  const page = await b.open(`${SMALL.replace('steps=800', `steps=${steps}`)}&ex=${ex}`);
  await page.waitForFunction(() => window.flowlabPage.figures);
  await page.click('#run');
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k && !window.flowlabPage.running &&
    window.flowlabPage.figures.step === k, steps, { timeout: 120000 });
  return page;
}
async function analyse(page, name) {
  await page.evaluate((n) => { delete window.flowlabPage.analyses[n]; }, name);
  await page.click(`button[data-analysis="${name}"]`);
  await page.waitForFunction((n) => window.flowlabPage.analyses[n], name, { timeout: 60000 });
  return page.evaluate((n) => window.flowlabPage.analyses[n], name);
}

test('fm-rings: trains; Q2–Q5 analyses draw; round-trip error falls with Δt', async () => {
  const page = await trained('fm-rings', 800);
  const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
  const mean = (i, j) => losses.slice(i, j).reduce((s, v) => s + v, 0) / (j - i);
  assert.ok(mean(750, 800) < mean(0, 50));
  assert.ok(await colours(page, '#fig-rings-samples canvas') > 5);
  const p = await analyse(page, 'progression');
  assert.deepEqual(p.snapshots.map((s) => s.t), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  await analyse(page, 'trajectories');
  await analyse(page, 'quantization');
  const r = await analyse(page, 'reverse');
  const means = r.runs.map((x) => x.mean);
  for (let i = 1; i < means.length; ++i) assert.ok(means[i] > means[i - 1], `round-trip errors ${means}`);
  for (const id of ['rings-t0', 'rings-t10', 'rings-trajectories', 'rings-steps500', 'rings-steps5', 'rings-reverse'])
    assert.ok(await colours(page, `#fig-${id} canvas`) > 5, id);
  assert.equal(await page.$$eval('#fig-rings-roundtrip tr', (t) => t.length), 6);
  // Exact log-density: p integrates to about 1 over the grid; inliers above outliers.
  const d = await analyse(page, 'density');
  assert.ok(Math.abs(d.integral - 1) < 0.1, String(d.integral));
  assert.ok(Math.min(...d.logpPoints.slice(0, 3)) > Math.max(...d.logpPoints.slice(3)), String(d.logpPoints));
  assert.ok(await colours(page, '#fig-rings-density canvas') > 20);
  assert.equal(await page.$$eval('#fig-rings-logp tr', (t) => t.length), 6);
  await shot(page, 'fm-rings');
  assert.deepEqual(b.errors, []);
  await page.close();
});

test('fm-rings-cond: trains; data, class trajectories, class samples and the class control', async () => {
  const page = await trained('fm-rings-cond', 600);
  // The last figures of a run are the full ones (the preview has fewer points).
  await page.waitForFunction(() => window.flowlabPage.figures.samples.length >= 6000);
  const f = await page.evaluate(() => window.flowlabPage.figures);
  assert.ok(f.samples.length / 2 >= 3000);
  assert.ok(f.accuracy > 0.2, `accuracy ${f.accuracy}`);
  const d = await analyse(page, 'data');
  assert.equal(d.labels.length, 3000);
  await analyse(page, 'classTrajectories');
  for (const id of ['rings-cond-samples', 'rings-cond-data', 'rings-cond-trajectories'])
    assert.ok(await colours(page, `#fig-${id} canvas`) > 5, id);
  await page.evaluate(() => { delete window.flowlabPage.analyses.classSamples; });
  await page.selectOption('select[name=ring-class]', '2');
  await page.waitForFunction(() => window.flowlabPage.analyses.classSamples);
  const cs = await page.evaluate(() => window.flowlabPage.analyses.classSamples);
  assert.equal(cs.cls, 2);
  assert.match(await page.$eval('#fig-rings-cond-samples figcaption', (e) => e.textContent), /red only/);
  await shot(page, 'fm-rings-cond');
  assert.deepEqual(b.errors, []);
  await page.close();
});
