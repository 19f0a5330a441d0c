// Links whose every field is in range but whose work is not: each ends in
// figures or a clear message within 60 s, no worker restart loop, and the
// plain lab URL still works afterwards (the link never replaced the stored run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile } from './browser.mjs';
import * as FlowLab from '../../web/js/api.js';

const b = browserPerFile();

const LINKS = [
  { link: 'v=1&ode_steps=2000', lowered: ['samples'] },
  { link: 'v=1&samples=100000&ode_steps=2000&solver=midpoint', lowered: ['samples', 'ode_steps'] },
  ...['fm-ot', 'fm-rings', 'fm-rings-cond'].map((ex) => ({ link: `v=1&ex=${ex}&samples=100000&ode_steps=2000&solver=midpoint`, lowered: ['samples'] })),
  { link: 'v=1&ex=fm-ot&hidden=1024&depth=8&samples=100000', lowered: ['samples'] },
  { link: 'v=1&ex=realnvp&layers=64&hidden=512&depth=6&batch=4096', lowered: ['batch', 'hidden'] },
  { link: 'v=1&hidden=512&depth=5', lowered: ['samples'] },  // the paper's network
  { link: 'v=1&ex=rbm&dataset=digits&side=16&m=256&k=1000&batch=4096', lowered: ['batch'] },
];
const LIMIT = 60000;

// Figures drawn (or the watchdog gave up), with the time it took.
async function settle(page) {
  const t0 = Date.now();
  await page.waitForFunction(() => window.flowlabPage.figures || window.flowlabPage.gaveUp, null, { timeout: LIMIT });
  return Date.now() - t0;
}
const text = (page) => page.$eval('#messages', (e) => e.textContent);

// Each analysis of the page's exercise (those that need no input): it ends in
// its data, a message, or — run aside because it is long — progress reports
// while the worker answers (a third long one cancels the oldest, with a message).
// Returns what each did.
async function everyAnalysis(page) {
  const names = await page.evaluate(() => Object.keys(window.FlowLab.kinds[window.flowlabPage.config.ex].prototype.analyses)
    .filter((n) => !['reconstruct', 'patterns', 'conditional'].includes(n)));
  const outcome = {};
  for (const name of names) {
    const before = await page.evaluate(() => ({ msg: document.getElementById('messages').textContent, progress: window.flowlabPage.analysisProgress }));
    await page.evaluate((n) => { delete window.flowlabPage.analyses[n]; window.flowlabPage.analyze(n, {}); }, name);
    const h = await page.waitForFunction(({ n, msg, progress }) => {
      const p = window.flowlabPage;
      if (p.analyses[n]) return 'data';
      const now = document.getElementById('messages').textContent;
      if (now !== msg && !/was cancelled: at most/.test(now)) return 'message';
      return p.analysisProgress >= progress + 2 ? 'aside' : false;
    }, { n: name, ...before }, { timeout: LIMIT });
    outcome[name] = await h.jsonValue();
  }
  return outcome;
}

for (const { link, lowered } of LINKS) {
  test(`bounded: #${link}`, async () => {
    const ctx = await b.newContext();
    const t0 = Date.now();
    const page = await b.open(link, ctx);
    await settle(page);
    const ms = Date.now() - t0;
    const state = await page.evaluate(() => ({ starts: window.flowlabPage.workerStarts, gaveUp: window.flowlabPage.gaveUp,
      figures: !!window.flowlabPage.figures, link: window.flowlabPage.link }));
    const message = await text(page);
    console.log(`#${link}: ${state.figures ? 'figures' : 'no figures'} in ${(ms / 1000).toFixed(1)} s, link now #${state.link}; message: ${message}`);
    assert.ok(ms < LIMIT);
    assert.equal(state.starts, 1, 'no worker restart');
    assert.ok(state.figures);
    for (const f of lowered) assert.match(message, new RegExp(`• ${f}: .*lowered from`));
    // A Step answers too (the step was lowered to fit).
    if (!link.includes('fm-ot&hidden')) {
      const before = await page.evaluate(() => window.flowlabPage.losses.length);
      await page.click('#step');
      await page.waitForFunction((n) => window.flowlabPage.losses.length === n + 1, before, { timeout: LIMIT });
    }
    const analyses = await everyAnalysis(page);
    console.log(`  analyses: ${JSON.stringify(analyses)}`);
    // Still one worker a few watchdog periods later (pinged every second).
    await page.waitForTimeout(3000);
    assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 1);
    await page.close();
    // The plain lab URL in the same browser: figures, no restart.
    const plain = await b.open('', ctx);
    await settle(plain);
    assert.equal(await plain.evaluate(() => window.flowlabPage.workerStarts), 1);
    assert.ok(await plain.evaluate(() => !!window.flowlabPage.figures));
    await plain.close();
    await ctx.close();
  });
}

test('long figures run in slices: progress shown, pings answered, a new link cancels them', async () => {
  const page = await b.open('v=1&ode_steps=2000');
  await page.waitForFunction(() => window.flowlabPage.figureSlices >= 3, null, { timeout: LIMIT });
  const stats = await page.$eval('#stats', (e) => e.textContent);
  // The ODE steps core's cost model lowered the link to (they depend on the network's size).
  const lowered = (await FlowLab.load()).parseLink('v=1&ode_steps=2000').config.ode_steps;
  assert.ok(lowered > 100 && lowered < 2000, `lowered to ${lowered}`);
  assert.match(stats, new RegExp(`\\d+ / ${lowered} ODE steps`));
  // A lighter link now: the running slices are dropped, its figures come at once.
  await page.evaluate(() => { location.hash = 'v=1&samples=500&ode_steps=4'; });
  await page.waitForFunction(() => window.flowlabPage.figures && window.flowlabPage.figures.samples.length === 1000, null, { timeout: LIMIT });
  assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 1);
  await page.close();
});

test('a long analysis runs aside: progress shown, the worker trains meanwhile, a new model cancels it', async () => {
  // The step and field0 below run while the analysis has just started: a small batch keeps the
  // step quick, and m = 16 (89 GFLOP by the cost model, near its 100 GFLOP budget) keeps the
  // analysis going. Here both are done by 0.66 s, the analysis at 2.4-2.5 s. Started 0.5 s
  // later, at batch 1024 and m = 8 (1.9 s, mostly the helper's start), they once came after it.
  const page = await b.open('v=1&hidden=512&depth=5&batch=16&samples=1000&ode_steps=4');
  await settle(page);
  await page.evaluate(() => window.flowlabPage.analyze('density', { m: 16 }));
  await page.waitForFunction(() => window.flowlabPage.analysisProgress >= 1, null, { timeout: LIMIT });
  // The worker answers: a training step is done while the analysis runs.
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 1, null, { timeout: LIMIT });
  // A light analysis meanwhile answers at once, in the worker itself.
  await page.evaluate(() => window.flowlabPage.analyze('field0', {}));
  await page.waitForFunction(() => window.flowlabPage.analyses.field0, null, { timeout: LIMIT });
  assert.equal(await page.evaluate(() => window.flowlabPage.analyses.density), undefined);
  // Its progress, every 0.5 s.
  await page.waitForFunction(() => window.flowlabPage.analysisProgress >= 2, null, { timeout: LIMIT });
  assert.match(await page.$eval('#stats', (e) => e.textContent), /the analysis 'density': [\d.]+ s of ≈ [\d.]+ s/);
  // Reset (a new model): the long analysis is dropped, no more progress, no result.
  await page.click('#reset');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 0 && window.flowlabPage.figures, null, { timeout: LIMIT });
  const progress = await page.evaluate(() => window.flowlabPage.analysisProgress);
  await page.waitForTimeout(1500);
  assert.ok(await page.evaluate(() => window.flowlabPage.analysisProgress) <= progress + 1);
  assert.equal(await page.evaluate(() => window.flowlabPage.analyses.density), undefined);
  assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 1);
  await page.close();
});

test('fm-ot and conditional-rings figures run in slices too', async () => {
  for (const ex of ['fm-ot', 'fm-rings-cond']) {
    const page = await b.open(`v=1&ex=${ex}&samples=20000&ode_steps=300`);
    await page.waitForFunction(() => window.flowlabPage.figureSlices >= 2, null, { timeout: LIMIT });
    assert.match(await page.$eval('#stats', (e) => e.textContent), /\d+ \/ \d+ ODE steps/);
    await settle(page);
    assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 1);
    await page.close();
  }
});

test('a wasm abort is detected: a new module, the run restored from the last good checkpoint, the page says so', async () => {
  const page = await b.open('v=1&ex=fm-rings&hidden=512&depth=1&batch=64&samples=1000&ode_steps=1&solver=euler');
  await settle(page);
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.checkpointStep === 1);
  // A million trajectories from the console: the cost model refuses them, naming the argument.
  await page.evaluate(() => window.flowlabPage.analyze('progression', { n: 1000000 }));
  await page.waitForFunction(() => /with n = 1e\+06 .*lower its argument n/.test(document.getElementById('messages').textContent));
  assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 1);
  // Past the cost model (a hook in the worker: nothing in the page can skip it): a
  // million trajectories of 1000 steps, 8 GB of positions, exceed the 2 GB wasm heap.
  const worker = page.workers().find((w) => w.url().endsWith('/js/worker.js'));
  await worker.evaluate(() => {
    const { exp } = self.flowlabWorker;
    exp.refuse = () => {};
    exp.analyze = function () { return this.trajectories(1000000, { steps: 1000 }); };
    exp.analysisCost = () => ({ seconds: 0 });  // in this worker's own module, not aside
  });
  await page.evaluate(() => window.flowlabPage.analyze('progression', { n: 1000000 }));
  await page.waitForFunction(() => window.flowlabPage.workerStarts === 2, null, { timeout: LIMIT });
  await page.waitForFunction(() => window.flowlabPage.losses.length === 1 && window.flowlabPage.figures, null, { timeout: LIMIT });
  const message = await text(page);
  assert.match(message, /wasm module aborted/);
  assert.match(message, /resumed from step 1/);
  // The new module works.
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 2, null, { timeout: LIMIT });
  assert.equal(await page.evaluate(() => window.flowlabPage.workerStarts), 2);
  await page.close();
});
