// The page side of file integrity and link decoding: a damaged import, or one
// whose figures come out NaN/Inf, is refused with the reason and neither the
// run nor the stored checkpoint changes; the stored link's problems are shown;
// the hash is decoded once (by the core); the page is cross-origin isolated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from './browser.mjs';
import * as FlowLab from '../../web/js/api.js';
import { seal } from '../wasm/run_file_crc.mjs';

let b, lab;
before(async () => { b = await start(); lab = await FlowLab.load(); });
after(async () => { await b.stop(); });

const LINK = 'v=1&ex=fm-checkerboard&seed=4&hidden=16&depth=2&batch=64&steps=1000&ode_steps=4&samples=500';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlab-integrity-'));
function write(name, bytes) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}
const message = (page) => page.$eval('#messages', (e) => e.textContent);

test('the hash is decoded once: an escaped & stays inside the seed', async () => {
  const page = await b.open('v=1&seed=1%26hidden%3D32&depth=2');
  const config = await page.evaluate(() => window.flowlabPage.config);
  assert.equal(config.hidden, 64);  // not 32
  assert.equal(config.depth, 2);
  assert.equal(config.seed, 1);
  assert.match(await message(page), /seed: '1&hidden=32' is not a number/);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  await page.close();
});

test('a damaged or overflowing import is refused; the run and the stored checkpoint stay', async () => {
  const e = lab.create(LINK);
  e.train(5);
  const good = e.save();
  // Every parameter 3e38: finite, so the value checks pass, but the field overflows.
  const huge = good.slice();
  const at = Buffer.from(huge).indexOf('params') + 6 + 4 + 8;
  for (let i = 0; i < e.parameters().length; ++i) new DataView(huge.buffer).setFloat32(at + 4 * i, 3e38, true);
  seal(huge);
  const linkIssue = e.handle.save(`${e.link}&bogus=1`).slice();
  e.dispose();
  const flipped = good.slice();
  flipped[flipped.length >> 1] ^= 4;

  const page = await b.open(LINK);
  await page.click('#step');
  await page.click('#step');
  await page.waitForFunction(() => window.flowlabPage.checkpointStep === 2);
  for (const [name, bytes, reason] of [['flipped.flowlab', flipped, /damaged: its checksum does not match/],
    ['huge.flowlab', huge, /NaN\/Inf in its figures/]]) {
    await page.setInputFiles('#import-run', write(name, bytes));
    await page.waitForFunction((r) => new RegExp(r).test(document.getElementById('messages').textContent), reason.source);
    assert.equal(await page.evaluate(() => window.flowlabPage.losses.length), 2, name);
    assert.equal(await page.evaluate(() => window.flowlabPage.checkpointStep), 2, name);
  }
  await page.click('#step');  // the run goes on
  await page.waitForFunction(() => window.flowlabPage.losses.length === 3);

  await page.setInputFiles('#import-run', write('issue.flowlab', linkIssue));
  await page.waitForFunction(() => /Imported issue\.flowlab/.test(document.getElementById('messages').textContent));
  assert.match(await message(page), /The file's link: bogus: unknown field/);
  await page.waitForFunction(() => window.flowlabPage.checkpointStep === 5);
  await page.close();
});
