// @ts-check
// The report page (report.html#report=000 | 003): every question of a sheet in
// its order, answered by figures and numbers of the student's runs. A run is
// the link in this page's hash (`&<exercise>=<link>`), else the run this
// browser stored (if it is of that exercise), else the exercise's defaults;
// a run not trained yet is offered with one click and a progress bar.
import sheet000 from './sheet000.js';
import sheet003 from './sheet003.js';
import { mathBlock } from './parts.js';
import { toSvg, toPng, fileName, download } from '../figure-export.js';
import { zip } from '../zip.js';
import { notebook } from '../notebook.js';
import * as store from '../store.js';
import * as saved from './saved.js';
import { fullUrl } from '../state.js';

const SHEETS = { '000': sheet000, '003': sheet003 };
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
};

const params = new URLSearchParams(location.hash.slice(1));
const sheet = SHEETS[params.get('report')] || sheet000;
const runs = {};  // ex → {link, config, step, total, status, data, checkpoint, error, figures: [fig]}
const worker = new Worker('js/report/worker.js', { type: 'module' });
const queue = [];  // exercises waiting to train (one at a time)
let training = null;

// Exposed for tests: the runs' state and a way to know the report is complete.
window.flowlabReport = {
  sheet: sheet.id,
  get runs() { return Object.fromEntries(Object.entries(runs).map(([ex, r]) => [ex, { link: r.link, step: r.step, total: r.total, status: r.status, error: r.error, trained: !!r.trainedHere }])); },
  get complete() { return sheet.runs.every((ex) => runs[ex] && runs[ex].status === 'done'); },
  runAll,
  zipOf: (ex) => zipOf(ex),
  notebookOf: (ex) => notebookOf(ex),
};

worker.onmessage = (/** @type {MessageEvent<import('./worker.js').ReportOut>} */ { data: msg }) => {
  const r = runs[msg.ex];
  if (msg.type === 'error') {
    if (r) { r.status = 'error'; r.error = msg.message; }
    if (training === msg.ex) { training = null; next(); }
    return render(msg.ex);
  }
  // A progress message carries no link or config: they stay the run's.
  if (msg.type !== 'progress') Object.assign(r, { link: msg.link, config: msg.config });
  Object.assign(r, { step: msg.step, total: msg.total });
  if (msg.type === 'state') {
    // A run with steps done (or nothing to train) is answered at once; a
    // fresh one may have been finished by this report before.
    if (msg.step > 0 || msg.total === 0) { r.status = 'collecting'; worker.postMessage({ type: 'collect', ex: msg.ex }); } else {
      r.status = 'new';
      if (!r.looked) {
        r.looked = true;
        saved.get(msg.link).then((s) => { if (s && s.step > 0 && r.status === 'new') worker.postMessage({ type: 'open', ex: msg.ex, checkpoint: s.bytes }); });
      }
    }
  } else if (msg.type === 'progress') {
    r.status = 'training';
    r.trainedHere = true;
    const bar = /** @type {HTMLProgressElement | null} */ (document.querySelector(`[data-progress="${msg.ex}"]`));
    if (bar) { bar.max = msg.total; bar.value = msg.step; bar.nextSibling.textContent = ` ${msg.step} / ${msg.total}`; return; }
  } else if (msg.type === 'data') {
    Object.assign(r, { status: 'done', data: msg.data, checkpoint: msg.checkpoint, error: null });
    if (msg.total > 0) saved.put({ link: msg.link, step: msg.step, bytes: msg.checkpoint });
    if (training === msg.ex) { training = null; next(); }
  }
  render(msg.ex);
};

function train(ex) {
  if (runs[ex].status === 'training' || queue.includes(ex) || training === ex) return;
  queue.push(ex);
  runs[ex].status = 'queued';
  render(ex);
  next();
}
function next() {
  if (training || !queue.length) return;
  training = queue.shift();
  runs[training].status = 'training';
  render(training);
  worker.postMessage({ type: 'train', ex: training });
}
function runAll() { for (const ex of sheet.runs) if (runs[ex].status !== 'done' || runs[ex].step < runs[ex].total) train(ex); }

const settingsText = (c) => Object.entries(c || {}).filter(([k]) => k !== 'v').map(([k, v]) => `${k} = ${v}`).join(', ');

// The run's card: link, seed, step, settings, and its one-click training.
function runCard(ex) {
  const r = runs[ex];
  const card = el('div', { class: 'run-card', 'data-run': ex });
  const href = fullUrl(r.link || '').replace(/report\.html/, 'index.html');
  card.append(el('p', {}, el('strong', {}, `Run ${ex}`), ` — seed ${r.config ? r.config.seed : '–'}, step ${r.step ?? 0} of ${r.total ?? '–'}. `,
    el('a', { href }, 'open in the lab')));
  card.append(el('p', { class: 'small' }, `share link: #${r.link || ''}`));
  if (r.config) card.append(el('p', { class: 'small' }, `settings: ${settingsText(r.config)}`));
  if (r.error) card.append(el('p', { class: 'bad' }, `This run failed: ${r.error}`));
  const controls = el('div', { class: 'no-print run-controls' });
  if (r.status === 'training' || r.status === 'queued') {
    controls.append(el('progress', { 'data-progress': ex, max: r.total || 1, value: r.step || 0 }), document.createTextNode(r.status === 'queued' ? ' waiting for the run before it' : ` ${r.step} / ${r.total}`));
  } else if (r.total > 0 && r.step < r.total) {
    controls.append(el('button', { type: 'button', 'data-train': ex, onclick: () => train(ex) }, r.step ? `Train on to step ${r.total}` : `Run it (${r.total} steps)`));
  }
  if (r.status === 'done') {
    controls.append(el('button', { type: 'button', 'data-zip': ex, onclick: () => zipOf(ex).then((b) => download(`${ex}-seed${r.config.seed}-step${r.step}.zip`, b)) }, 'Download all (zip)'),
      el('button', { type: 'button', 'data-notebook': ex, onclick: () => download(`${ex}-seed${r.config.seed}-step${r.step}.ipynb`, new Blob([notebookOf(ex)], { type: 'application/x-ipynb+json' })) }, 'Notebook (.ipynb)'));
  }
  card.append(controls);
  return card;
}

function figureBlock(fig) {
  const svg = toSvg(fig);
  const box = el('figure', { class: 'rfig', id: `fig-${fig.footer.ex}-${fig.id}` });
  const holder = el('div', { class: 'svg' });
  holder.innerHTML = svg;
  box.append(holder, el('div', { class: 'export no-print' },
    el('button', { type: 'button', onclick: () => download(fileName(fig, 'svg'), new Blob([svg], { type: 'image/svg+xml' })) }, 'SVG'),
    el('button', { type: 'button', onclick: async () => download(fileName(fig, 'png'), await toPng(svg)) }, 'PNG'),
    fig.csv ? el('button', { type: 'button', onclick: () => download(fileName(fig, 'csv'), new Blob([fig.csv()], { type: 'text/csv' })) }, 'CSV') : null));
  return box;
}

function tableBlock(t) {
  const tab = el('table', {}, el('tr', {}, ...t.header.map((h) => el('th', {}, String(h)))), ...t.rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c))))));
  return el('figure', { class: 'rtable' }, tab, el('figcaption', {}, t.caption || ''));
}

// A question: the sheet's words and formulas, then the answer of its run.
function questionBlock(q) {
  const r = runs[q.run];
  const sec = el('section', { class: 'question', 'data-question': q.id, 'data-run': q.run });
  sec.append(el('h3', {}, q.label), el('p', { class: 'sheet-text' }, q.text));
  for (const f of q.math || []) sec.append(mathBlock(f));
  if (r.status !== 'done') {
    sec.append(el('p', { class: 'pending' }, `Answered by the run ${q.run} (seed ${r.config ? r.config.seed : '–'}), not done yet.`), runCard(q.run));
    return sec;
  }
  sec.append(el('p', { class: 'run-line small' }, `Run ${q.run}: seed ${r.config.seed}, step ${r.step}, link #${r.link}`));
  let items;
  try {
    items = q.answer(r.data, r);
  } catch (e) {
    const why = Object.entries(r.data).filter(([, v]) => v && v.error).map(([k, v]) => `${k}: ${v.error}`);
    sec.append(el('p', { class: 'bad' }, `This answer could not be drawn${why.length ? ` (${why.join('; ')})` : `: ${e.message}`}. Change the run's settings (its link) and run it again.`));
    return sec;
  }
  for (const it of items) {
    if (it.p) sec.append(el('p', {}, it.p));
    if (it.math) sec.append(mathBlock(it.math));
    if (it.table) sec.append(tableBlock(it.table));
    if (it.fig) sec.append(figureBlock(figureOf(q.run, it.fig)));
  }
  return sec;
}
function figureOf(ex, fig) {
  const r = runs[ex];
  return { ...fig, footer: { ex, link: r.link, seed: r.config.seed, step: r.step } };
}

// The answers of an exercise's questions (for the zip and the notebook), in
// sheet order, figures with their footers; a question that cannot be answered
// is left out (the report says why).
function answersOf(ex) {
  const r = runs[ex];
  const out = [];
  for (const s of sheet.sections) {
    for (const q of s.questions) {
      if (q.run !== ex) continue;
      try {
        out.push({ q, items: q.answer(r.data, r).map((it) => (it.fig ? { fig: figureOf(ex, it.fig) } : it)) });
      } catch { /* said in the report */ }
    }
  }
  return out;
}
const figuresOf = (ex) => answersOf(ex).flatMap(({ items }) => items.filter((it) => it.fig).map((it) => it.fig));

async function zipOf(ex) {
  const r = runs[ex];
  const enc = new TextEncoder();
  const files = [];
  for (const fig of figuresOf(ex)) {
    const svg = toSvg(fig);
    files.push({ name: fileName(fig, 'svg'), data: enc.encode(svg) });
    files.push({ name: fileName(fig, 'png'), data: new Uint8Array(await (await toPng(svg)).arrayBuffer()) });
    if (fig.csv) files.push({ name: fileName(fig, 'csv'), data: enc.encode(fig.csv()) });
  }
  files.push({ name: 'link.txt', data: enc.encode(`${fullUrl(r.link).replace(/report\.html/, 'index.html')}\n`) });
  files.push({ name: `${ex}-seed${r.config.seed}-step${r.step}.flowlab`, data: r.checkpoint });
  files.push({ name: `${ex}-seed${r.config.seed}-step${r.step}.ipynb`, data: enc.encode(notebookOf(ex)) });
  return new Blob([zip(files)], { type: 'application/zip' });
}

function notebookOf(ex) {
  const r = runs[ex];
  return notebook({ sheet, ex, run: r, questions: answersOf(ex), fileName });
}

// Only the parts of one exercise redraw when its run changes.
function render(ex) {
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(`section.question[data-run="${ex}"]`))) {
    const q = sheet.sections.flatMap((s) => s.questions).find((x) => x.id === node.dataset.question);
    node.replaceWith(questionBlock(q));
  }
  const card = document.querySelector(`#runs [data-run="${ex}"]`);
  if (card) card.replaceWith(runCard(ex));
  $('status').textContent = window.flowlabReport.complete ? 'All runs done: the report is complete.' : `${sheet.runs.filter((e) => runs[e].status === 'done').length} of ${sheet.runs.length} runs done.`;
}

async function start() {
  document.title = `flowlab report — ${sheet.title}`;
  $('title').textContent = sheet.title;
  const sheetChoice = /** @type {HTMLSelectElement} */ ($('sheet'));
  sheetChoice.value = sheet.id;
  sheetChoice.addEventListener('change', () => { location.hash = `report=${sheetChoice.value}`; location.reload(); });
  $('run-all').addEventListener('click', runAll);
  $('print').addEventListener('click', () => window.print());
  // The lab's newest stored run (js/store.js, the runs library): used for its exercise when the report's link names none.
  const labRun = await store.list().then((l) => (l.length ? store.get(l[0].key) : null)).catch(() => null);
  const box = $('runs');
  for (const ex of sheet.runs) {
    runs[ex] = { status: 'opening', link: params.get(ex) || `v=1&ex=${ex}` };
    const own = params.get(ex) ? null : labRun && labRun.link && new URLSearchParams(labRun.link).get('ex') === ex ? labRun : null;
    worker.postMessage(own ? { type: 'open', ex, checkpoint: own.bytes } : { type: 'open', ex, link: runs[ex].link });
    box.append(runCard(ex));
  }
  const body = $('report');
  for (const s of sheet.sections) {
    body.append(el('h2', {}, s.heading));
    for (const f of s.intro || []) body.append(mathBlock(f));
    for (const q of s.questions) body.append(questionBlock(q));
  }
}
start();
