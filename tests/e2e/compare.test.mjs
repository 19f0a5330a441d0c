// Two runs side by side (compare.html) in headless Chromium: a compare link
// trains both runs in their own workers and shows both figures and one table;
// "Copy link" round-trips both settings; a bad half is named and the other
// half still runs; the lab page's "Compare with…" and a compare hash on the
// lab page lead there. SHOT=dir saves full-page screenshots there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { browserPerFile, colours } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const b = browserPerFile();

const RINGS = 'v=1&ex=fm-rings&seed=3&hidden=32&depth=2&lr=0.005&batch=256&steps=60&ode_steps=8&samples=2000&rings_n=2000';
const compareHash = (a, b2) => `compare=1&a=${encodeURIComponent(a)}&b=${encodeURIComponent(b2)}`;
const shot = async (page, name) => { if (process.env.SHOT) await page.screenshot({ path: `${process.env.SHOT}/${name}.png`, fullPage: true }); };

// Opens compare.html with a hash; resolves once both runs are configured and have drawn figures.
async function openCompare(hash, context = null, viewport = null) {
  if (viewport) context = await b.browser.newContext({ viewport, bypassCSP: true });  // bypassCSP: only for axe-core
  const page = b.watch(await (context || await b.newContext()).newPage());
  await page.goto(`${b.base}compare.html#${hash}`);
  await page.waitForFunction(() => {
    const r = window.flowlabCompare && window.flowlabCompare.runs;
    return r && r.a.config && r.b.config && r.a.drawn && r.b.drawn;
  }, null, { timeout: 120000 });
  return page;
}
const run = (page, half, expr) => page.evaluate(([h, e]) => new Function('r', `return ${e}`)(window.flowlabCompare.runs[h]), [half, expr]);
const tableRows = (page) => page.$$eval('#fig-compare-table tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
const messages = (page, half) => page.$eval(`#run-${half} .run-messages`, (e) => e.textContent);

async function trainBoth(page) {
  await page.click('#run-both');
  await page.waitForFunction(() => Object.values(window.flowlabCompare.runs).every((r) => !r.running &&
    r.chart.losses.length === r.config.steps && r.figures && r.figures.step === r.config.steps && !r.pending), null, { timeout: 180000 });
}

test('a compare link trains both runs and shows both figures and one table (Euler vs midpoint)', async () => {
  const page = await openCompare(compareHash(`${RINGS}&solver=euler`, `${RINGS}&solver=midpoint`));
  assert.equal(await run(page, 'a', 'r.config.solver'), 'euler');
  assert.equal(await run(page, 'b', 'r.config.solver'), 'midpoint');
  await trainBoth(page);
  for (const half of ['a', 'b']) {
    assert.ok(await colours(page, `#run-${half} #fig-rings-samples canvas`) > 5, `run ${half} samples`);
    assert.ok(await colours(page, `#run-${half} #fig-loss-${half} canvas`) > 5, `run ${half} loss chart`);
  }
  // The solver only samples: the same seed and model train to the same losses, bit for bit.
  const la = await run(page, 'a', 'r.chart.losses.slice()'), lb = await run(page, 'b', 'r.chart.losses.slice()');
  assert.equal(la.length, 60);
  assert.deepEqual(la, lb);
  // Both loss charts on the same axes.
  assert.deepEqual(await run(page, 'a', '[r.chart.xrange, r.chart.yrange]'), await run(page, 'b', '[r.chart.xrange, r.chart.yrange]'));
  // The table is redrawn at most 4 times a second: wait for both runs' last step and wall time in it.
  await page.waitForFunction(() => {
    const rows = Object.fromEntries([...document.querySelectorAll('#fig-compare-table tr')].map((tr) => [tr.children[0].textContent, [...tr.children].slice(1).map((c) => c.textContent)]));
    const done = rows['wall time training (from Train to done)'];
    return rows['step'] && rows['step'].every((v) => v === '60 / 60') && done && done.every((v) => /^\d+\.\d s$/.test(v));
  });
  const rows = Object.fromEntries((await tableRows(page)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(rows['exercise'], ['fm-rings', 'fm-rings']);
  assert.deepEqual(rows['setting: solver'], ['euler', 'midpoint']);
  assert.equal(Object.keys(rows).filter((k) => k.startsWith('setting: ')).length, 1, Object.keys(rows).join(' | '));
  assert.deepEqual(rows['step'], ['60 / 60', '60 / 60']);
  assert.equal(rows['CFM loss, last step'][0], la[59].toPrecision(4));
  for (const k of ['CFM loss, mean of the last 100 steps (all, if fewer)', 'training steps/s (in the worker)', 'steps/s of wall time'])
    for (const v of rows[k]) assert.ok(Number(v) > 0, `${k}: ${v}`);
  for (const v of rows['wall time training (from Train to done)']) assert.match(v, /^\d+\.\d s$/);
  assert.match(rows['initial parameters'][0], /^identical θ at step 0/);
  await shot(page, 'compare-rings');
  assert.deepEqual(b.errors, []);
  await page.close();
});

test('"Copy link" round-trips both settings; different seeds start from different parameters', async () => {
  const context = await b.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const a = 'v=1&ex=fm-rings-cond&seed=2&hidden=32&depth=2&steps=40&pairing=independent&samples=2000&rings_n=2000';
  const page = await openCompare(compareHash(a, a.replace('independent', 'class-ot')), context);
  assert.match(await run(page, 'a', 'r.init'), /^[0-9a-f]{16}$/);
  assert.equal(await run(page, 'a', 'r.init'), await run(page, 'b', 'r.init'));
  // Change run B's seed in its form: only B is reconfigured.
  const linkA = await run(page, 'a', 'r.link');
  await page.click('#run-b .run-settings summary');
  await page.fill('#run-b form [name="seed"]', '7');
  await page.press('#run-b form [name="seed"]', 'Tab');  // the change event, as a user's
  await page.waitForFunction(() => window.flowlabCompare.runs.b.config.seed === 7 && window.flowlabCompare.runs.b.drawn);
  assert.equal(await run(page, 'a', 'r.link'), linkA);
  assert.notEqual(await run(page, 'a', 'r.init'), await run(page, 'b', 'r.init'));
  await page.waitForFunction(() => document.querySelector('#fig-compare-table').textContent.includes('different (seed 2 vs 7)'));
  const linkB = await run(page, 'b', 'r.link');
  assert.match(linkB, /pairing=class-ot/);
  await page.click('#copy-link');
  await page.waitForFunction(() => /compare\.html#compare=1&a=/.test(document.querySelector('#link-out').textContent));
  const url = (await page.$eval('#link-out', (e) => e.textContent)).replace(/^Copied: /, '');
  assert.equal(url, await page.evaluate(() => location.href));
  // The copied URL in another browser: both runs as they were.
  const again = b.watch(await (await b.newContext()).newPage());
  await again.goto(url);
  await again.waitForFunction(() => { const r = window.flowlabCompare.runs; return r.a.config && r.b.config; }, null, { timeout: 120000 });
  assert.equal(await run(again, 'a', 'r.link'), linkA);
  assert.equal(await run(again, 'b', 'r.link'), linkB);
  assert.equal(await again.$eval('#run-b form [name="seed"]', (e) => e.value), '7');
  assert.equal(await again.$eval('#run-b form [name="pairing"]', (e) => e.value), 'class-ot');
  assert.equal(await again.$eval('#run-a form [name="pairing"]', (e) => e.value), 'independent');
  // The way back: each column opens its run alone on the lab page.
  assert.equal(await again.$eval('#run-b a.alone', (e) => e.getAttribute('href')), `index.html#${linkB}`);
  assert.deepEqual(b.errors, []);
  await page.close();
  await again.close();
});

test('a bad half is named in its column and the other half still runs', async () => {
  const payload = encodeURIComponent('<img src=x onerror="window.pwned=1">');
  const page = await openCompare(compareHash(RINGS, `v=1&ex=fm-rings&seed=banana&hidden=99999&steps=30&lr=${payload}`));
  const msg = await messages(page, 'b');
  assert.match(msg, /lr: /);
  // A half's text reaches the page as text only.
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.$$eval('#run-b .run-messages *', (els) => els.filter((e) => e.tagName !== 'P').length), 0);
  assert.match(msg, /Run B: fields that could not be used/);
  assert.match(msg, /seed: /);
  assert.match(msg, /hidden: /);
  assert.equal(await messages(page, 'a'), '');
  assert.ok(await page.$eval('#run-b form [name="seed"]', (e) => e.classList.contains('invalid')));
  await trainBoth(page);
  assert.equal(await run(page, 'a', 'r.chart.losses.length'), 60);
  assert.equal(await run(page, 'b', 'r.chart.losses.length'), 30);
  await page.close();

  // A half that is not even a link: its column says so and starts from the defaults; A trains.
  const broken = await openCompare(`compare=1&a=${encodeURIComponent(RINGS)}&b=%E0%A4%A`);
  assert.match(await messages(broken, 'b'), /Run B: run B is not percent-encoded correctly/);
  assert.equal(await messages(broken, 'a'), '');
  assert.equal(await run(broken, 'a', 'r.config.steps'), 60);
  await broken.click('#run-both');
  await broken.waitForFunction(() => window.flowlabCompare.runs.a.chart.losses.length > 0);
  await broken.click('#run-both');  // pause both
  await broken.close();
  const missing = await openCompare(`compare=1&a=${encodeURIComponent(RINGS)}`);
  assert.match(await messages(missing, 'b'), /the link holds no run B/);
  assert.equal(await run(missing, 'a', 'r.config.seed'), 3);
  await missing.close();
  assert.deepEqual(b.errors, []);
});

test('the lab page: "Compare with…" opens this run as A and B; a compare hash there opens the compare page', async () => {
  const page = await b.open(RINGS);
  const link = await page.evaluate(() => window.flowlabPage.link);
  await Promise.all([page.waitForURL(/compare\.html#compare=1&a=/), page.click('#compare')]);
  await page.waitForFunction(() => { const r = window.flowlabCompare && window.flowlabCompare.runs; return r && r.a.config && r.b.config; }, null, { timeout: 120000 });
  assert.equal(await run(page, 'a', 'r.link'), link);
  assert.equal(await run(page, 'b', 'r.link'), link);
  assert.ok(await page.$eval('#run-b .run-settings', (e) => e.open));
  await page.close();
  const p2 = b.watch(await (await b.newContext()).newPage());
  // Where each worker was started (the tab's session storage outlives the redirect).
  await p2.addInitScript(() => {
    window.Worker = class extends window.Worker {
      constructor(...args) {
        super(...args);
        sessionStorage.setItem('workersAt', `${sessionStorage.getItem('workersAt') || ''}${location.pathname} `);
      }
    };
  });
  await p2.goto(`${b.base}#${compareHash(RINGS, RINGS.replace('seed=3', 'seed=4'))}`);
  await p2.waitForURL(/compare\.html#compare=1&a=/);
  await p2.waitForFunction(() => { const r = window.flowlabCompare && window.flowlabCompare.runs; return r && r.b.config; }, null, { timeout: 120000 });
  assert.equal(await run(p2, 'b', 'r.config.seed'), 4);
  // The lab page started no worker of its own on the way: only the compare page's two runs.
  assert.equal(await p2.evaluate(() => sessionStorage.getItem('workersAt')), '/compare.html /compare.html ');
  await p2.close();
  assert.deepEqual(b.errors, []);
});

test('layout: two columns side by side at 1440 px, stacked at 390 px without sideways scrolling; axe-core finds nothing serious', async () => {
  const hash = compareHash(`${RINGS}&solver=euler`, `${RINGS}&solver=midpoint`);
  for (const width of [1440, 390]) {
    const page = await openCompare(hash, null, { width, height: 900 });
    const box = (half) => page.$eval(`#run-${half}`, (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left }; });
    const [a, b2] = [await box('a'), await box('b')];
    if (width === 1440) {
      assert.equal(a.top, b2.top);
      assert.ok(b2.left > a.left);
    } else {
      assert.ok(b2.top >= a.bottom, `${JSON.stringify([a, b2])}`);
    }
    const over = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth - innerWidth,
      out: [...document.querySelectorAll('canvas, button, select, input')]
        .filter((e) => e.offsetParent && e.getBoundingClientRect().right > innerWidth + 0.5).map((e) => `${e.tagName} ${e.id || e.name || e.textContent}`),
    }));
    assert.equal(over.scroll, 0, `${width} px scrolls sideways`);
    assert.deepEqual(over.out, [], `${width} px`);
    if (width === 1440) {
      await page.addScriptTag({ path: AXE });
      const bad = await page.evaluate(async () => (await window.axe.run(document)).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(bad, []);
    }
    await page.context().close();
  }
  assert.deepEqual(b.errors, []);
});
