// The RBM view in headless Chromium: loads clean, trains in the worker, every
// analysis draws its figure, the Gibbs chains animate, the link round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { browserPerFile, colours as coloursEvery } from './browser.mjs';

const b = browserPerFile();

const SMALL = 'v=1&ex=rbm&seed=2&dataset=bars&side=3&m=8&k=5&batch=14&lr=0.3&momentum=0.9&steps=300';

const colours = (page, sel) => coloursEvery(page, sel, 3);  // every third pixel
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

test('rbm view loads clean, trains, draws every analysis', async () => {
  const page = await b.open(SMALL);
  await page.waitForFunction(() => window.flowlabPage.figures && window.flowlabPage.figures.W);
  await page.click('#run');
  await page.waitForFunction(() => window.flowlabPage.losses.length >= 300 && !window.flowlabPage.running, null, { timeout: 120000 });
  await page.waitForFunction(() => window.flowlabPage.figures.step === 300 && window.flowlabPage.figures.eval);
  const f = await page.evaluate(() => ({ ll: Array.from(window.flowlabPage.figures.llTrain), steps: Array.from(window.flowlabPage.figures.llSteps) }));
  assert.equal(f.steps[f.steps.length - 1], 300);
  assert.ok(f.ll[f.ll.length - 1] > f.ll[0] + 0.5, `log-likelihood ${f.ll[0]} -> ${f.ll[f.ll.length - 1]}`);
  assert.ok(f.ll[f.ll.length - 1] <= -Math.log(14) + 1e-6);
  await frames(page);
  for (const id of ['rbm-ll', 'rbm-W', 'rbm-draw']) assert.ok(await colours(page, `#fig-${id} canvas`) > 3, id);
  // Each analysis produces its figure.
  const cap = (id) => page.$eval(`#fig-${id} figcaption`, (e) => e.textContent);
  await page.click('button[data-analysis=coupling]');
  await page.waitForFunction(() => document.querySelector('#fig-rbm-a-table'));
  assert.match(await cap('rbm-a-marginals'), /max \|sampled − σ\(a_i\)\| = 0\.0/);
  await page.click('button[data-analysis=conditional]');
  await page.waitForFunction(() => /max \|enumeration − product\|/.test(document.querySelector('#fig-rbm-b figcaption').textContent));
  await page.click('button[data-analysis=gradient]');
  await page.waitForFunction(() => document.querySelector('#fig-rbm-c-table'), null, { timeout: 30000 });
  assert.match(await cap('rbm-c'), /CD-1 max error/);
  await page.click('button[data-analysis=reconstruct]');
  await page.waitForFunction(() => /mean squared difference/.test(document.querySelector('#fig-rbm-recon figcaption').textContent));
  await page.click('button[data-analysis=chains]');
  await page.waitForFunction(() => /[1-9]\d* sweep\(s\) so far/.test(document.querySelector('#fig-rbm-chains figcaption').textContent) &&
    /(\d+) sweep/.exec(document.querySelector('#fig-rbm-chains figcaption').textContent)[1] >= 5, null, { timeout: 30000 });
  await frames(page);
  for (const id of ['rbm-a-marginals', 'rbm-a-corr', 'rbm-b', 'rbm-c', 'rbm-recon', 'rbm-chains'])
    assert.ok(await colours(page, `#fig-${id} canvas`) > 3, id);
  assert.equal(await page.$eval('#messages', (e) => e.textContent), '');
  assert.deepEqual(b.errors, []);
  fs.mkdirSync('test-results', { recursive: true });
  await page.setViewportSize({ width: 1280, height: 3000 });
  await page.screenshot({ path: 'test-results/rbm-trained.png', fullPage: true });
  await page.close();
});

test('rbm link round trip restores the settings', async () => {
  const page = await b.open(SMALL);
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('link-out').textContent.includes('#v=1'));
  const url = (await page.$eval('#link-out', (e) => e.textContent)).replace(/^Copied: /, '');
  const config = await page.evaluate(() => window.flowlabPage.config);
  assert.equal(config.ex, 'rbm');
  assert.equal(config.m, 8);
  await page.close();
  const other = b.watch(await (await b.newContext()).newPage());
  await other.goto(url);
  await other.waitForFunction(() => window.flowlabPage && window.flowlabPage.config && window.flowlabPage.figures);
  assert.deepEqual(await other.evaluate(() => window.flowlabPage.config), config);
  assert.deepEqual(b.errors, []);
  await other.close();
});
