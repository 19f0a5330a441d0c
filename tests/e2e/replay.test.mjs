// Replay (tools/replay.mjs): a link trained in Chromium's page and the same
// link replayed in node with the same wasm give the same bits — losses, the
// figures, and the exported run's parameters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from './browser.mjs';
import { replay, canonical, sha256 } from '../../tools/replay.mjs';
import * as FlowLab from '../../web/js/api.js';

let b, lab;
before(async () => { b = await start(); lab = await FlowLab.load(); });
after(async () => { await b.stop(); });

for (const link of ['v=1&steps=40&batch=64&samples=500&seed=7', 'v=1&ex=fm-rings-cond&steps=30&batch=128&samples=500&pairing=class-ot']) {
  test(`the page and node replay give the same bits: #${link}`, async () => {
    const page = await b.open(link);
    await page.waitForFunction(() => window.flowlabPage.figures, null, { timeout: 60000 });
    await page.click('#run');
    const total = await page.evaluate(() => window.flowlabPage.config.steps);
    // The run ends with the full figures of its last step.
    await page.waitForFunction((n) => { const p = window.flowlabPage; return !p.running && p.losses.length === n && p.figures && p.figures.step === n; },
      total, { timeout: 120000 });
    const shown = await page.evaluate(() => ({ losses: Array.from(window.flowlabPage.losses), link: window.flowlabPage.link,
      figures: JSON.stringify(window.flowlabPage.figures, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)) }));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-run')]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replay-')), 'run.flowlab');
    await download.saveAs(file);
    await page.close();

    const run = replay(lab, { input: link, link });
    assert.equal(run.link, shown.link);
    assert.equal(run.steps, total);
    assert.equal(run.sha256.losses, sha256(Float32Array.from(shown.losses)));
    assert.equal(run.sha256.figures, sha256(shown.figures));
    assert.equal(run.metrics.loss, shown.losses[total - 1]);
    // The exported run, replayed from step 0: its parameters bit for bit.
    const again = replay(lab, { input: file, bytes: new Uint8Array(fs.readFileSync(file)) });
    assert.equal(again.verified, 'bit-identical');
    assert.equal(again.sha256.params, run.sha256.params);
    assert.equal(canonical(again.metrics), canonical(run.metrics));
  });
}
