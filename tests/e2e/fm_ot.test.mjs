// The minibatch-OT view in headless Chromium: both models train in the
// worker, the comparison draws trajectories, straightness and NFE panels,
// and OT-CFM comes out straighter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile, colours } from './browser.mjs';

const b = browserPerFile();


test('fm-ot: trains both models; compare draws trajectories, straightness and NFE 1/2/4/8; OT is straighter', async () => {
  const page = await b.open('v=1&ex=fm-ot&seed=2&hidden=32&depth=2&steps=300&samples=2000');
  await page.click('#run');
  await page.waitForFunction(() => window.flowlabPage.losses.length >= 300 && !window.flowlabPage.running, null, { timeout: 120000 });
  for (const sel of ['#fig-ot-samples-independent canvas', '#fig-ot-samples-ot canvas', '#fig-ot-losses canvas'])
    assert.ok(await colours(page, sel) > 3, sel);
  await page.click('button[data-analysis="compare"]');
  await page.waitForSelector('#fig-ot-quality', { timeout: 60000 });
  for (const name of ['independent', 'ot']) {
    assert.ok(await colours(page, `#fig-ot-traj-${name} canvas`) > 3);
    for (const nfe of [1, 2, 4, 8]) assert.ok(await colours(page, `#fig-ot-nfe${nfe}-${name} canvas`) > 3);
  }
  const d = await page.evaluate(() => window.flowlabPage.analyses.compare);
  const [ind, ot] = d.models;
  assert.ok(ot.straightness.npe < ind.straightness.npe, `${ot.straightness.npe} vs ${ind.straightness.npe}`);
  assert.equal((await page.$$('#fig-ot-quality tr')).length, 5);
  await page.screenshot({ path: '/tmp/fm_ot_view.png', fullPage: true });
  assert.deepEqual(b.errors, []);
  await page.close();
});
