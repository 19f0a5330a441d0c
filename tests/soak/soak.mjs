// Soak: a long training run in headless Chromium, sampling the page's JS heap
// (CDP) and the worker's wasm and JS heaps every 30 s. Not part of the default
// test command (it runs for minutes): node tests/soak/soak.mjs [minutes=10]
import { start } from '../e2e/browser.mjs';

const minutes = Number(process.argv[2] || 10);
const b = await start();
const page = await b.open('v=1&ex=fm-checkerboard&steps=1000000&samples=10000');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
await page.click('#run');
await page.waitForFunction(() => window.flowlabPage.running);
const worker = page.workers()[0];
const rows = [];
const t0 = Date.now();
while (Date.now() - t0 < minutes * 60000) {
  await page.waitForTimeout(Math.min(30000, minutes * 60000));
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const w = await worker.evaluate(() => ({ wasm: lab.module.HEAPU8.length, js: performance.memory ? performance.memory.usedJSHeapSize : null }));
  const row = { t: Math.round((Date.now() - t0) / 1000), step: await page.evaluate(() => window.flowlabPage.losses.length),
    pageJsHeapMB: +(metrics.JSHeapUsedSize / 2 ** 20).toFixed(1), workerWasmHeapMB: +(w.wasm / 2 ** 20).toFixed(1),
    workerJsHeapMB: w.js === null ? null : +(w.js / 2 ** 20).toFixed(1) };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const first = rows[0], last = rows[rows.length - 1];
console.log(JSON.stringify({ soak: 'done', minutes, steps: last.step,
  pageJsHeapGrowthMB: +(last.pageJsHeapMB - first.pageJsHeapMB).toFixed(1),
  workerWasmHeapGrowthMB: +(last.workerWasmHeapMB - first.workerWasmHeapMB).toFixed(1), errors: b.errors }));
await b.stop();
