// One mechanism for every exercise: each exercise in the link
// schema has a view, trains a step in the worker, survives a reload (its
// checkpoint restores), rolls back on NaN, refuses script payloads in each of
// its fields, and gives the same bits in node and in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';
import * as FlowLab from '../../web/js/api.js';

let b, lab;
before(async () => { b = await start(); lab = await FlowLab.load(); });
after(async () => { await b.stop(); });

const messages = (page) => page.$eval('#messages', (e) => e.textContent);

test('every exercise has a view and an experiment class', async () => {
  const page = await b.open('');
  const ids = await page.$$eval('#exercise option', (o) => o.map((x) => x.value));
  assert.deepEqual(ids, lab.exercises);
  for (const id of ids) assert.ok(FlowLab.kinds[id], `no experiment class for ${id}`);
  await page.close();
});

for (const id of (await (async () => (await FlowLab.load()).exercises)())) {
  test(`${id}: loads clean, steps, restores after a reload, rolls back on NaN`, async () => {
    const ctx = await b.newContext();
    const page = await b.open(`v=1&ex=${id}`, ctx);
    await page.waitForFunction(() => window.flowlabPage.figures);
    assert.equal(await messages(page), '');
    const probe = lab.create(`v=1&ex=${id}`);
    const total = probe.total, nParams = probe.parameters().length;  // total 0: a closed form, nothing to train
    probe.dispose();
    if (total > 0) {
      await page.click('#step');
      // Reload once the step is written to browser storage (the write is asynchronous:
      // a reload during it loses the step, as closing the tab would).
      await page.waitForFunction(() => window.flowlabPage.losses.length === 1 && window.flowlabPage.storedStep === 1);
      const losses = await page.evaluate(() => window.flowlabPage.losses.slice());
      await page.reload();
      await b.ready(page);
      await page.waitForFunction(() => window.flowlabPage.losses.length === 1);
      assert.deepEqual(await page.evaluate(() => window.flowlabPage.losses.slice()), losses);
      assert.match(await messages(page), /Restored your run at step 1/);
      if (nParams > 0) {
        await page.evaluate(() => window.flowlabPage.poke(0, NaN));
        await page.click('#step');
        await page.waitForFunction(() => /diverged/.test(document.getElementById('messages').textContent));
        await page.waitForFunction(() => window.flowlabPage.losses.length === 1 && !window.flowlabPage.running);
      }
    }
    assert.deepEqual(b.errors, []);
    await page.close();
  });
}

test('script payloads in every field of every exercise never run', async () => {
  const payloads = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>', '<svg onload=window.__pwned=1>'];
  const page = await b.open('');
  let tried = 0;
  for (const id of lab.exercises) {
    const fields = lab.schema().filter((f) => f.name !== 'ex' && (!f.exercises || f.exercises.split(' ').includes(id))).map((f) => f.name);
    for (const p of payloads) {
      const link = [`ex=${id}`, ...fields.map((f) => `${encodeURIComponent(f)}=${encodeURIComponent(p)}`)].join('&');
      // Each payload's own answer: the previous one's message is cleared first, so that
      // no configure is still in flight when the next link is set.
      await page.evaluate((h) => { document.getElementById('messages').replaceChildren(); location.hash = h; }, `v=1&${link}`);
      await page.waitForFunction((ex) => window.flowlabPage.config && window.flowlabPage.config.ex === ex &&
        document.getElementById('messages').textContent.includes('could not be used'), id).catch(async (e) => {
        const at = await page.evaluate(() => ({ ex: window.flowlabPage.config && window.flowlabPage.config.ex, starts: window.flowlabPage.workerStarts,
          messages: document.getElementById('messages').textContent.slice(0, 300), hash: location.hash.slice(0, 120) }));
        throw new Error(`${id}, payload ${JSON.stringify(p)}: ${e.message}; page: ${JSON.stringify(at)}; errors: ${JSON.stringify(b.errors)}`);
      });
      tried += fields.length;
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.$$eval('#messages *:not(p)', (x) => x.length), 0);
      assert.equal(await page.$$eval('img, svg, script:not([src])', (x) => x.length), 0);
    }
  }
  console.log(`payloads tried: ${tried} (${lab.exercises.length} exercises)`);
  await page.close();
});

test('every exercise: same link, bit-identical parameters after training in node and in Chromium', async () => {
  const page = await b.open('');
  for (const id of lab.exercises) {
    const exp = lab.create(`v=1&ex=${id}`);
    if (exp.total === 0) { exp.dispose(); continue; }
    const n = Math.min(3, exp.total);
    exp.train(n);
    const inNode = Array.from(exp.parameters());
    exp.dispose();
    const inBrowser = await page.evaluate(async ([link, k]) => {
      const e = (await window.FlowLab.load()).create(link);
      e.train(k);
      const p = Array.from(e.parameters());
      e.dispose();
      return p;
    }, [`v=1&ex=${id}`, n]);
    assert.equal(inBrowser.length, inNode.length, id);
    assert.ok(inNode.length > 0, `${id} trains but exposes no parameters`);
    assert.deepEqual(inBrowser, inNode, id);
  }
  await page.close();
});
