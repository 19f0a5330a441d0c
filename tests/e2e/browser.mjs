// Headless Debian Chromium through playwright-core, against the static server.
// Every open() gets a fresh browser context (its own storage, like another
// browser) unless a context is passed in.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../.ci/static-server.mjs';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function start() {
  const server = await serve(undefined, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  // What reached the server (page, its workers and the service worker alike): {url, dest, status, bytes}.
  const requests = [];
  server.on('request', (req, res) => res.on('finish', () =>
    requests.push({ url: req.url, dest: req.headers['sec-fetch-dest'], status: res.statusCode, bytes: Number(res.getHeader('content-length')) || 0 })));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
  });
  const errors = [];
  const contexts = [];
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    contexts.push(c);
    return c;
  };
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    return page;
  };
  // The first config (the worker loaded, the link parsed): the 60 s bound of a link, not the 30 s default.
  const ready = (page) => page.waitForFunction(() => window.flowlabPage && window.flowlabPage.config, null, { timeout: 60000 });
  const open = async (hash = '', context = null) => {
    const page = watch(await (context || await newContext()).newPage());
    await page.goto(`${base}${hash ? `#${hash}` : ''}`);
    await ready(page);
    return page;
  };
  // Waits until the server has seen no request for `quiet` ms: after the first figure a
  // page loads more (the service worker's precache, helper workers and their pthread
  // workers); closing it meanwhile logs their aborted loads as page errors.
  // others(): requests another server has seen (counted too).
  const settle = async (quiet = 1500, others = () => 0) => {
    let n = -1;
    while (n !== requests.length + others()) {
      n = requests.length + others();
      await new Promise((r) => setTimeout(r, quiet));
    }
  };
  const stop = async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser.close();
    server.close();
  };
  return { base, browser, newContext, open, ready, watch, errors, settle, stop, requests };
}

// The browser and server of one test file: started before its tests, stopped
// after them (the returned object gets start()'s fields once they run).
export function browserPerFile() {
  const b = {};
  before(async () => { Object.assign(b, await start()); });
  after(async () => { await b.stop(); });
  return b;
}

// Clicks Step on a page paused at n losses and waits for the (n+1)-th.
export async function stepOnce(page, n) {
  await page.click('#step');
  await page.waitForFunction((k) => window.flowlabPage.losses.length === k + 1, n);
}

// Distinct colours on a canvas, reading every `every`-th pixel (a blank one has 1).
export const colours = (page, sel, every = 7) => page.$eval(sel, (c, k) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const s = new Set();
  for (let i = 0; i < d.length; i += 4 * k) s.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return s.size;
}, every);
