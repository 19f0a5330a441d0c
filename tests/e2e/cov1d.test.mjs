// The 1D change-of-variables view in headless Chromium: each closed-form
// field loads clean and draws every figure with its numbers; the δt slider
// re-derives; the learned field trains; Train on a closed form says why not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile, colours } from './browser.mjs';

const b = browserPerFile();

const caption = (page, id) => page.$eval(`#fig-${id} figcaption`, (e) => e.textContent);

for (const field of ['linear', 'sine', 'split']) {
  test(`${field}: field, the four steps, the δt sweep and particles are drawn`, async () => {
    const page = await b.open(`v=1&ex=cov1d&field=${field}`);
    await page.waitForFunction(() => window.flowlabPage.figures);
    assert.ok(await colours(page, '#fig-cov-field canvas') > 3);
    for (const [name, id] of [['derivation', 'cov-derivation'], ['sweep', 'cov-sweep'], ['particles', 'cov-particles']]) {
      await page.click(`button[data-analysis="${name}"]`);
      await page.waitForSelector(`#fig-${id} canvas`, { timeout: 30000 });
      assert.ok(await colours(page, `#fig-${id} canvas`) > 3, id);
    }
    // First order in δt: the fitted slope is close to 1.
    const slope = Number((await caption(page, 'cov-sweep')).match(/slope (-?[\d.]+)/)[1]);
    assert.ok(Math.abs(slope - 1) < 0.1, String(slope));
    // Particles carry the exact density (closed form).
    const err = Number((await caption(page, 'cov-particles')).match(/exact\| = (\d\.\d+e[+-]\d+)/)[1]);
    assert.ok(err < 1e-3, String(err));
    // The slider: a smaller δt gives a smaller error of the flow's rate.
    const errAt = async () => Number((await page.$eval('#fig-cov-steps figcaption', (e) => e.textContent)).match(/\(error ([\d.e+-]+)\)/)[1]);
    const before = await errAt();
    const text = await page.$eval('#fig-cov-steps figcaption', (e) => e.textContent);
    await page.$eval('#cov-dt', (s) => { s.value = '10'; s.dispatchEvent(new Event('input')); });
    await page.waitForFunction((t) => document.querySelector('#fig-cov-steps figcaption').textContent !== t, text);
    assert.ok(await errAt() < before, `${await errAt()} vs ${before}`);
    // Train has nothing to do on a closed form, and says so.
    await page.click('#run');
    await page.waitForFunction(() => /nothing to train/.test(document.getElementById('messages').textContent));
    if (field === 'linear') await page.screenshot({ path: '/tmp/cov1d_view.png', fullPage: true });
    assert.deepEqual(b.errors, []);
    await page.close();
  });
}

test('learned field trains in the worker; loss falls; particles use the flow\'s own density', async () => {
  const page = await b.open('v=1&ex=cov1d&field=learned&steps=300&hidden=32&seed=4');
  await page.click('#run');
  await page.waitForFunction(() => window.flowlabPage.losses.length >= 300 && !window.flowlabPage.running, null, { timeout: 90000 });
  const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(mean(losses.slice(-50)) < mean(losses.slice(0, 50)), `${mean(losses.slice(0, 50))} → ${mean(losses.slice(-50))}`);
  await page.click('button[data-analysis="particles"]');
  await page.waitForSelector('#fig-cov-particles canvas', { timeout: 60000 });
  assert.match(await caption(page, 'cov-particles'), /of the learned flow/);
  await page.screenshot({ path: '/tmp/cov1d_learned.png', fullPage: true });
  assert.deepEqual(b.errors, []);
  await page.close();
});
