// The reports in headless Chromium: each sheet's report lists every question,
// offers the runs not done yet (one click, progress bar), runs them (short
// links), then every question has its figure or table, the figures export as
// SVG and PNG at ≥ 2× with the right names, "Download all" is a valid zip,
// and Print → PDF gives a page per question.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { browserPerFile } from './browser.mjs';

const b = browserPerFile();

const enc = (link) => encodeURIComponent(link);
const SHEETS = {
  '000': { questions: ['1a', '1b', '1c', '2', '3a', '3b', '3c'], runs: {
    rbm: 'v=1&ex=rbm&seed=2&steps=60', 'fm-checkerboard': 'v=1&ex=fm-checkerboard&seed=2&hidden=32&depth=2&steps=80&samples=2000',
    'fm-ot': 'v=1&ex=fm-ot&seed=2&hidden=32&depth=2&steps=60&samples=2000' } },
  '003': { questions: ['q1', 'q2', 'q3', 'q4', 'q5', 'u1', 'u2', 'u3', 'u4', 'u5', 'c1', 'c2', 'c3'], runs: {
    realnvp: 'v=1&ex=realnvp&seed=2&layers=6&steps=80', 'fm-rings': 'v=1&ex=fm-rings&seed=2&hidden=32&depth=2&steps=80&samples=2000',
    'fm-rings-cond': 'v=1&ex=fm-rings-cond&seed=2&hidden=32&depth=2&steps=80&samples=2000' } },
};
// Runs every code cell of a notebook (matplotlib, no display) in the folder of
// the unpacked zip; prints how many figures were drawn.
const RUN_NOTEBOOK = `
import sys, os, nbformat, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
os.chdir(sys.argv[1])
nb = nbformat.read(sys.argv[2], as_version=4)
nbformat.validate(nb)
count = 0
def show():
    global count
    count += 1
    plt.close('all')
g = {}
for c in nb.cells:
    if c.cell_type == 'code':
        exec(c.source, g)
        g['plt'].show = show
print(count)
`;
const python = ['python3', '/usr/bin/python3'].find((py) => { try { execFileSync(py, ['-c', 'import nbformat, matplotlib'], { stdio: 'pipe' }); return true; } catch { return false; } });
const pdfPages = (bytes) => (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
const pngSize = (buf) => ({ w: buf.readUInt32BE(16), h: buf.readUInt32BE(20) });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlab-report-'));

for (const [id, spec] of Object.entries(SHEETS)) {
  test(`report ${id}: every question answered from the runs, exports, zip, PDF`, async () => {
    const context = await b.newContext();
    const page = b.watch(await context.newPage());
    const hash = [`report=${id}`, ...Object.entries(spec.runs).map(([ex, l]) => `${ex}=${enc(l)}`)].join('&');
    await page.goto(`${b.base}report.html#${hash}`);
    // The questions are all there, in the sheet's order, with their formulas.
    // (The runs appear once the page has looked for this browser's stored run.)
    await page.waitForFunction(() => window.flowlabReport && document.querySelector('section.question') &&
      Object.values(window.flowlabReport.runs).every((r) => r.status === 'new' || r.status === 'done'), null, { timeout: 60000 });
    assert.deepEqual(await page.$$eval('section.question', (s) => s.map((e) => e.dataset.question)), spec.questions);
    assert.ok(await page.$$eval('math', (m) => m.length) >= 3);
    // Runs not done are offered with one click, not left blank.
    for (const ex of Object.keys(spec.runs)) assert.ok(await page.$(`section.question[data-run="${ex}"] button[data-train="${ex}"]`), ex);
    await page.click('#run-all');
    await page.waitForSelector('progress[data-progress]', { timeout: 30000 });
    await page.waitForFunction(() => window.flowlabReport.complete || Object.values(window.flowlabReport.runs).some((r) => r.status === 'error'), null, { timeout: 400000, polling: 500 });
    const runs = await page.evaluate(() => window.flowlabReport.runs);
    for (const [ex, r] of Object.entries(runs)) assert.equal(r.status, 'done', `${ex}: ${r.error}`);
    for (const ex of Object.keys(spec.runs)) assert.ok(runs[ex].trained && runs[ex].step === runs[ex].total, ex);
    assert.deepEqual(await page.$$eval('.bad', (e) => e.map((x) => x.textContent)), []);
    // Every question has its figure(s) (SVG with a footer naming its run) or table.
    for (const q of spec.questions) {
      const n = await page.$$eval(`section.question[data-question="${q}"] .rfig svg, section.question[data-question="${q}"] .rtable table`, (e) => e.length);
      assert.ok(n >= 1, `question ${q} has no figure`);
      assert.equal(await page.$(`section.question[data-question="${q}"] .pending`), null);
    }
    const footers = await page.$$eval('.rfig svg', (s) => s.map((e) => e.textContent));
    for (const t of footers) assert.match(t, /seed \d+ · step \d+ · link:\s*#v=1&ex=/);
    // SVG and PNG of the first figure: names carry exercise, figure, seed, step; PNG ≥ 2×.
    const first = await page.$('.rfig');
    const [svgDl] = await Promise.all([page.waitForEvent('download'), first.$eval('.export button:nth-child(1)', (x) => x.click())]);
    assert.match(svgDl.suggestedFilename(), /^[a-z0-9-]+-[a-z0-9-]+-seed2-step\d+\.svg$/);
    const svgText = fs.readFileSync(await svgDl.path(), 'utf8');
    const svgW = Number(svgText.match(/width="(\d+)"/)[1]);
    const [pngDl] = await Promise.all([page.waitForEvent('download'), first.$eval('.export button:nth-child(2)', (x) => x.click())]);
    assert.equal(pngDl.suggestedFilename(), svgDl.suggestedFilename().replace(/svg$/, 'png'));
    assert.ok(pngSize(fs.readFileSync(await pngDl.path())).w >= 2 * svgW);
    // Download all of the first run: a zip with every figure as SVG + PNG + CSV, the link and the run.
    const ex0 = Object.keys(spec.runs)[0];
    const [zipDl] = await Promise.all([page.waitForEvent('download'), page.click(`#runs button[data-zip="${ex0}"]`)]);
    const zipFile = path.join(tmp, `${id}.zip`);
    await zipDl.saveAs(zipFile);
    const list = execFileSync('unzip', ['-Z1', zipFile]).toString().trim().split('\n');
    assert.match(execFileSync('unzip', ['-t', zipFile]).toString(), /No errors detected/);
    const figs = await page.$$eval(`section.question[data-run="${ex0}"] .rfig`, (e) => e.length);
    for (const ext of ['svg', 'png', 'csv']) assert.equal(list.filter((n) => n.endsWith(`.${ext}`)).length, figs, ext);
    assert.ok(list.includes('link.txt') && list.some((n) => n.endsWith('.flowlab')) && list.some((n) => n.endsWith('.ipynb')));
    const nb = JSON.parse(execFileSync('unzip', ['-p', zipFile, list.find((n) => n.endsWith('.ipynb'))]).toString());
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.cells.filter((c) => c.cell_type === 'code' && c.source.join('').startsWith('draw(')).length, figs);
    if (python) {  // the notebook runs on the zip's CSVs and draws every figure
      const dir = path.join(tmp, `${id}-${ex0}`);
      execFileSync('unzip', ['-qo', zipFile, '-d', dir]);
      const drawn = execFileSync(python, ['-c', RUN_NOTEBOOK, dir, list.find((n) => n.endsWith('.ipynb'))]).toString().trim();
      assert.equal(Number(drawn), figs);
    }
    // Print → PDF: no controls, a page break before each question.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$eval('header', (h) => getComputedStyle(h).display), 'none');
    assert.equal(await page.$eval('.export', (h) => getComputedStyle(h).display), 'none');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(tmp, `${id}.pdf`), pdf);
    const pages = pdfPages(pdf);
    assert.ok(pages >= spec.questions.length + 1 && pages <= 3 * spec.questions.length, `${pages} pages for ${spec.questions.length} questions`);
    console.log(`report ${id}: ${pages} PDF pages, ${footers.length} figures (${tmp})`);
    // A reload finds the finished runs in this browser: no training again.
    await page.emulateMedia({ media: 'screen' });
    await page.reload();
    await page.waitForFunction(() => window.flowlabReport && window.flowlabReport.complete, null, { timeout: 120000, polling: 250 });
    const again = await page.evaluate(() => window.flowlabReport.runs);
    for (const [ex, r] of Object.entries(again)) assert.ok(r.step === runs[ex].step && !r.trained, `${ex} was trained again`);
    assert.deepEqual(b.errors, []);
    await context.close();
  });
}
