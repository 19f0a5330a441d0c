// Screenshots of every view (full page) at each width: node tests/e2e/screenshots.mjs
// against a running static server (BASE, default port 8102); EXS, WIDTHS, OUT, EXTRA, FULL=0 narrow it;
// DPR=2 renders at that device pixel ratio (files named …-<width>@2x.png).
import { chromium } from 'playwright-core';
const base = process.env.BASE || 'http://127.0.0.1:8102/';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
const exs = (process.env.EXS || 'fm-checkerboard,fm-ot,fm-rings,fm-rings-cond,rbm,realnvp,cov1d').split(',');
const widths = (process.env.WIDTHS || '390,768,1440').split(',').map(Number);
const out = process.env.OUT || '/tmp/ux';
const dpr = Number(process.env.DPR || 1);
for (const w of widths) for (const ex of exs) {
  const ctx = await browser.newContext({ viewport: { width: w, height: 900 }, deviceScaleFactor: dpr });
  const page = await ctx.newPage();
  const errs = [];
  page.on('pageerror', (e) => errs.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
  const t0 = Date.now();
  await page.goto(`${base}#v=1&ex=${ex}${process.env.EXTRA || ''}`);
  await page.waitForFunction(() => window.flowlabPage && window.flowlabPage.figures, null, { timeout: 60000 });
  const tFig = Date.now() - t0;
  await page.waitForTimeout(500);
  const sw = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  await page.screenshot({ path: `${out}/${ex}-${w}${dpr > 1 ? `@${dpr}x` : ''}.png`, fullPage: process.env.FULL !== '0' });
  console.log(ex, w, 'scrollWidth', sw.join('/'), 'first figures ms', tFig, errs.join(' | '));
  await ctx.close();
}
await browser.close();
