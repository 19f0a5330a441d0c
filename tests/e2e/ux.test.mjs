// The page as a student uses it: every view fits a phone (390 px) and a
// tablet (768 px), the keyboard reaches and operates every control, axe-core
// finds no serious accessibility violation, a progress bar with an estimate
// shows training and long analyses (with a cancel), the live stats change
// while training, each view shows only the fields its settings use, and the
// formulas fit beside the controls. Page weight and first-figure time: weight.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { browserPerFile } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const VIEWS = ['fm-checkerboard', 'fm-ot', 'fm-rings', 'fm-rings-cond', 'rbm', 'realnvp', 'cov1d'];

const b = browserPerFile();

// A page of its own size; bypassCSP only so that axe-core can be injected.
async function openAt(hash, width, height = 900) {
  const ctx = await b.browser.newContext({ viewport: { width, height }, bypassCSP: true });
  const page = b.watch(await ctx.newPage());
  await page.goto(`${b.base}#${hash}`);
  await b.ready(page);
  await page.waitForFunction(() => window.flowlabPage.figures);
  return { page, close: () => ctx.close() };
}
const stat = (page, name) => page.evaluate((n) => {
  const dt = [...document.querySelectorAll('#stats dt')].find((x) => x.textContent === n);
  return dt ? dt.nextElementSibling.textContent : null;
}, name);

for (const width of [390, 768]) {
  test(`every view fits ${width} px: no horizontal overflow, figures inside the window`, async () => {
    for (const ex of VIEWS) {
      const { page, close } = await openAt(`v=1&ex=${ex}`, width);
      const over = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth - innerWidth,
        out: [...document.querySelectorAll('canvas, button, select, input:not([type=file])')]
          .filter((e) => e.offsetParent && e.getBoundingClientRect().right > innerWidth + 0.5)
          .map((e) => `${e.tagName} ${e.id || e.name || e.textContent}`),
      }));
      assert.equal(over.scroll, 0, `${ex} at ${width} px scrolls sideways`);
      assert.deepEqual(over.out, [], `${ex} at ${width} px`);
      await close();
    }
    assert.deepEqual(b.errors, []);
  });
}

test('axe-core: no serious or critical violation on any view', async () => {
  for (const ex of VIEWS) {
    const { page, close } = await openAt(`v=1&ex=${ex}`, 1280);
    await page.waitForFunction(() => document.querySelector('#formulas .math'));
    await page.addScriptTag({ path: AXE });
    const bad = await page.evaluate(async () => (await window.axe.run(document)).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(bad, [], ex);
    await close();
  }
});

test('keyboard: Tab reaches every control; Import run opens the file chooser; export buttons say what they download', async () => {
  const { page, close } = await openAt('v=1&ex=fm-checkerboard', 1280);
  const controls = await page.evaluate(() => [...document.querySelectorAll('main button, main select, main input, main a, main summary, main [tabindex="0"]')]
    .filter((e) => e.offsetParent && !e.disabled && e.tabIndex >= 0).length);
  const reached = new Set();
  await page.focus('#exercise');
  for (let i = 0; i < 200; ++i) {  // once through the page, until focus leaves it
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return 'out';
      if (!e.dataset.k) e.dataset.k = String(Math.random());
      return e.closest('main') ? e.dataset.k : null;
    });
    if (id === 'out' || reached.has(id)) break;
    if (id) reached.add(id);
  }
  assert.equal(reached.size, controls, 'every visible control of the page is a Tab stop');
  await page.click('h1');  // the page has the window's focus again (the last Tab may have left it)
  await page.focus('#import-button');
  // Playwright turns file-chooser interception on asynchronously: a round trip before the key.
  const chooser = page.waitForEvent('filechooser');
  await page.evaluate(() => 0);
  await page.keyboard.press('Enter');
  assert.ok(await chooser);
  const names = await page.$$eval('figure .export button', (bs) => bs.map((x) => x.getAttribute('aria-label')));
  assert.ok(names.length >= 4);
  for (const n of names) assert.match(n, /^Download .+ as (PNG|CSV)$/);
  assert.ok(names.includes('Download samples at t = 1 as PNG'), names.join('; '));
  await close();
});

test('keyboard: the RBM drawing grid moves and toggles pixels', async () => {
  const { page, close } = await openAt('v=1&ex=rbm&steps=10', 1280);
  const canvas = '#fig-rbm-draw canvas';
  await page.focus(canvas);
  const label = () => page.$eval(canvas, (c) => c.getAttribute('aria-label'));
  assert.match(await label(), /column 1, row 1 is (on|off)/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const before = /is (on|off)$/.exec(await label())[1];
  assert.match(await label(), /column 2, row 2/);
  await page.keyboard.press('Space');
  assert.equal(/is (on|off)$/.exec(await label())[1], before === 'on' ? 'off' : 'on');
  await close();
});

test('training: progress bar with an estimate, live stats change, wall-clock steps/s', async () => {
  const { page, close } = await openAt('v=1&ex=fm-checkerboard&steps=4000&samples=2000', 1280);
  await page.click('#run');
  await page.waitForFunction(() => !document.getElementById('progress').hidden &&
    /training: step \d+ of 4000, about .+ left/.test(document.getElementById('progress-text').textContent));
  const first = { step: await stat(page, 'step'), loss: await stat(page, 'CFM loss') };
  await page.waitForFunction((s) => {
    const dd = [...document.querySelectorAll('#stats dt')].find((x) => x.textContent === 'step').nextElementSibling;
    return parseInt(dd.textContent, 10) >= parseInt(s, 10) + 100;
  }, first.step);
  const second = { step: await stat(page, 'step'), loss: await stat(page, 'CFM loss') };
  assert.notEqual(second.step, first.step);
  assert.notEqual(second.loss, first.loss);
  assert.ok(Number(await stat(page, 'steps/s')) > 0);
  const bar = await page.$eval('#progress-bar', (p) => p.value);
  assert.ok(bar > 0 && bar < 1, `progress ${bar}`);
  await page.click('#run');  // pause
  await page.waitForFunction(() => !window.flowlabPage.running && document.getElementById('progress').hidden);
  await close();
  assert.deepEqual(b.errors, []);
});

test('live stats of the RBM change while training and keep their digits', async () => {
  const { page, close } = await openAt('v=1&ex=rbm&steps=3000', 1280);
  await page.click('#run');
  const seen = new Set();
  for (let i = 0; i < 3; ++i) {
    await page.waitForFunction((k) => window.flowlabPage.losses.length >= k, 300 * (i + 1));
    const loss = await stat(page, 'reconstruction error');
    assert.match(loss, /[1-9]/, 'significant digits, not 0.0000');
    seen.add(loss);
  }
  assert.ok(seen.size >= 2, [...seen].join(' '));
  await page.waitForFunction(() => !window.flowlabPage.running, null, { timeout: 120000 });
  await page.waitForFunction(() => /\(step 3000\)/.test(document.getElementById('stats').textContent));
  assert.match(await stat(page, 'recon error, training set'), /^\d\.\d+(e-\d+)? \(step 3000\)$/);
  await close();
});

test('a long analysis: progress with its estimate, its button disabled, then enabled; cancel restarts the worker', async () => {
  const { page, close } = await openAt('v=1&ex=fm-checkerboard', 1280);
  await page.click('button[data-analysis="density"]');
  await page.waitForFunction(() => /density.*of about .+ \(estimate\)/.test(document.getElementById('progress-text').textContent));
  assert.equal(await page.$eval('button[data-analysis="density"]', (x) => x.disabled), true);
  assert.equal(await page.$eval('#cancel', (x) => x.hidden), false);
  await page.waitForFunction(() => window.flowlabPage.analyses.density, null, { timeout: 60000 });
  assert.equal(await page.$eval('button[data-analysis="density"]', (x) => x.disabled), false);
  assert.equal(await page.$eval('#progress', (x) => x.hidden), true);
  // Cancel: the worker is replaced and the page works on.
  const starts = await page.evaluate(() => window.flowlabPage.workerStarts);
  await page.click('button[data-analysis="density"]');
  await page.waitForFunction(() => !document.getElementById('cancel').hidden);
  await page.click('#cancel');
  await page.waitForFunction((n) => window.flowlabPage.workerStarts === n + 1 && window.flowlabPage.figures, starts);
  assert.match(await page.$eval('#messages', (e) => e.textContent), /Cancelled the analysis 'density'/);
  assert.equal(await page.$eval('button[data-analysis="density"]', (x) => x.disabled), false);
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.losses.length === 1);
  await close();
});

test('each view shows only the fields its settings use; a closed form offers no training', async () => {
  const { page, close } = await openAt('v=1&ex=cov1d&field=linear', 1280);
  const shown = (name) => page.$eval(`#controls [name="${name}"]`, (e) => !!e.offsetParent);
  assert.equal(await shown('lambda'), true);
  for (const name of ['alpha', 'omega', 'beta', 'hidden', 'steps', 'lr']) assert.equal(await shown(name), false, name);
  assert.match(await page.$eval('#run', (x) => `${x.className} ${x.title}`), /unavailable .*nothing to train/);
  await page.click('#run');  // says why, calmly
  await page.waitForFunction(() => /nothing to train/.test(document.getElementById('messages').textContent));
  assert.equal(await page.$eval('#messages', (e) => e.className), 'info');
  assert.equal(await page.$eval('#fig-loss', (x) => !!x.offsetParent), false);
  await page.selectOption('#controls [name="field"]', 'learned');
  await page.waitForFunction(() => window.flowlabPage.config.field === 'learned' && window.flowlabPage.figures);
  await page.waitForFunction(() => !document.getElementById('run').classList.contains('unavailable'));
  for (const name of ['hidden', 'steps', 'lr']) assert.equal(await shown(name), true, name);
  assert.equal(await shown('lambda'), false);
  await close();
  const rbm = await openAt('v=1&ex=rbm&dataset=bars', 1280);
  for (const name of ['n_test', 'flip']) assert.equal(await rbm.page.$eval(`#controls [name="${name}"]`, (e) => !!e.offsetParent), false, name);
  await rbm.close();
});

test('chart ticks: at most six, nice numbers, whole decades on log axes', async () => {
  const { page, close } = await openAt('v=1&ex=cov1d', 1280);
  const r = await page.evaluate(async () => {
    const c = await import('./js/chart.js');
    const ranges = [[0, 10000], [0, 2999], [-0.73, 0.65], [0.0012, 0.0047], [-12.5, -3.1], [0, 1], [1e-9, 3e-9]];
    return {
      lin: ranges.map(([lo, hi]) => c.niceTicks(lo, hi).ticks),
      log: [[1e-5, 3], [0.02, 40], [1e-12, 1e6], [0.3, 2.5]].map(([lo, hi]) => c.logTicks(lo, hi)),
      labels: [c.tickLabel(10000, 2000), c.tickLabel(0.5, 0.5), c.tickLabel(1e-5), c.tickLabel(-0.25, 0.05)],
    };
  });
  for (const t of [...r.lin, ...r.log]) assert.ok(t.length >= 2 && t.length <= 6, JSON.stringify(t));
  for (const t of r.lin) {
    const step = t[1] - t[0];
    const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    assert.ok([1, 2, 5].some((k) => Math.abs(m - k) < 1e-6), `step ${step}`);
  }
  for (const t of r.log.slice(0, 3)) for (const v of t) assert.ok(Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9, `${v}`);
  assert.deepEqual(r.labels, ['10000', '0.5', '10⁻⁵', '−0.25']);
  await close();
});

test('formulas beside the controls fit their box at 390, 768 and 1440 px, as the report renders them', async () => {
  for (const width of [390, 768, 1440]) for (const ex of ['realnvp', 'fm-ot', 'fm-checkerboard']) {
    const { page, close } = await openAt(`v=1&ex=${ex}`, width);
    await page.evaluate(() => { document.getElementById('settings').open = true; });
    await page.waitForFunction(() => document.querySelector('#formulas .math'));
    // Fitted after the box is laid out (a resize observer): every piece inside its box.
    await page.waitForFunction(() => [...document.querySelectorAll('#formulas .math')].every((d) => {
      const r = d.getBoundingClientRect();
      return r.width > 0 && d.scrollWidth <= d.clientWidth + 1 &&
        [...d.children].every((x) => { const q = x.getBoundingClientRect(); return q.left >= r.left - 1 && q.right <= r.right + 1; });
    }));
    const m = await page.$$eval('#formulas .math', (ds) => ds.map((d) => ({ html: d.innerHTML, font: parseFloat(getComputedStyle(d).fontSize) })));
    for (const f of m) assert.ok(f.font >= 6, `${ex} at ${width} px: font ${f.font} px`);
    if (ex === 'realnvp') assert.ok(m.some((f) => f.html.includes('<mtext>affine coupling</mtext>')), 'text with its space');
    await close();
  }
  // The report renders the same formula the same way (report/parts.js mathBlock).
  const { page, close } = await openAt('v=1&ex=realnvp', 1280);
  const affine = (p) => p.waitForFunction(() => [...document.querySelectorAll('.math')].map((d) => d.innerHTML).find((h) => h.includes('affine')));
  const lab = await (await affine(page)).jsonValue();
  await close();
  // A page of its own: navigating the lab away while its pthread workers still
  // load (they start after the first figure) logs their aborted loads as errors.
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const report = b.watch(await ctx.newPage());
  await report.goto(`${b.base}report.html#report=003`);
  assert.equal(await (await affine(report)).jsonValue(), lab);
  await ctx.close();
  assert.deepEqual(b.errors, []);
});
