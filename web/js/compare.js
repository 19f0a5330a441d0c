// @ts-check
// The compare page: two runs side by side, each in its own worker (the lab's
// worker.js) and drawn by its exercise's own view; their numbers in one table.
// Wiring only (core → wasm → worker → page): each half of the compare link is
// parsed by the core in its worker, like any share link.
import * as controls from './controls.js';
import { LossChart } from './chart.js';
import { panel, csvText } from './figures.js';
import { views } from './views/index.js';
import { watchFirstViews } from './firstview.js';
import * as compareLink from './compare-link.js';
import * as compareTable from './compare-table.js';
import { fullUrl, copyLink } from './state.js';
import './offline.js';

const $ = (id) => document.getElementById(id);

// One run: its worker, settings form, view, loss chart and numbers.
class Run {
  constructor(half, root, link, onChange) {
    this.label = half.toUpperCase();
    this.root = root;
    this.link = link;
    this.onChange = onChange;
    this.config = null;
    this.issues = [];
    this.problems = [];  // of the compare link, about this half
    this.schema = null;
    this.view = null;
    this.stats = new Map();
    this.init = undefined;
    this.rate = 0;
    this.running = false;
    this.wallSeconds = 0;
    this.wallSteps = 0;
    this.wallFrom = null;  // performance.now() when the current stretch of training began
    this.drawn = false;
    this.figures = null;
    this.pending = null;
    this.analyses = {};
    this.form = root.querySelector('form');
    this.box = root.querySelector('.exercise-view');
    this.select = root.querySelector('select.exercise');
    this.lossPanel = panel(document.createElement('div'), {
      id: `loss-${half}`, title: `training loss of run ${this.label}`, width: 420, height: 220,
      caption: 'Training loss per step (log scale; band: min–max of the steps under each pixel column, line: their running median). Same axes in both columns when both runs report the same loss.',
      csv: () => csvText(['step', 'loss'], this.chart.losses.map((l, i) => [i + 1, l])),
    });
    this.chart = new LossChart(this.lossPanel.canvas);
    this.firstViews = watchFirstViews((name, args) => this.analyze(name, args), () => this.drawn);
    this.form.addEventListener('change', () => this.applyForm());
    this.select.addEventListener('change', () => this.configure(`v=1&ex=${encodeURIComponent(this.select.value)}&seed=${this.config ? this.config.seed : 1}`));
    this.worker = new Worker('js/worker.js', { type: 'module' });
    this.worker.onmessage = (e) => { if (this[`on_${e.data.type}`]) this[`on_${e.data.type}`](e.data); };
    this.worker.onerror = (e) => { e.preventDefault(); this.say([`Run ${this.label}: the training worker failed (${e.message || 'unknown error'}).`]); };
    this.worker.postMessage({ type: 'init', link });
  }

  /** @param {import('./protocol.js').WorkerIn} msg */
  post(msg) { this.worker.postMessage(msg); }
  configure(link) { this.post({ type: 'configure', link }); }
  analyze(name, args = {}) {
    for (const b of this.box.querySelectorAll(`button[data-analysis="${name}"]`)) b.disabled = true;
    this.post({ type: 'analyze', name, args });
  }
  analysesDone() { for (const b of this.box.querySelectorAll('button[data-analysis]')) b.disabled = false; }

  // The messages of this column: the compare link's problems with this half, then the core's issues.
  say(extra = [], kind = 'error') {
    const lines = [...this.problems.map((p) => `Run ${this.label}: ${p.message}.`)];
    const bad = this.issues;
    if (bad.length) lines.push(`Run ${this.label}: fields that could not be used (the rest of its link was kept):`, ...bad.map((i) => `• ${i.field}: ${i.message}`));
    lines.push(...extra);
    const box = this.root.querySelector('.run-messages');
    box.replaceChildren(...lines.map((t) => Object.assign(document.createElement('p'), { textContent: t })));
    box.className = `run-messages ${this.problems.length || bad.length || extra.length && kind === 'error' ? 'error' : 'info'}`;
  }

  applyForm() {
    const fields = controls.read(this.form);
    if (Object.entries(fields).every(([k, v]) => String(this.config[k]) === v)) return;
    fields.ex = this.config.ex;
    this.configure(['v=1', ...Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&'));
  }

  mountView(ex) {
    const v = views[ex];
    this.firstViews.reset();
    this.box.replaceChildren();
    const stat = (name, text) => { this.stats.set(name, text); this.onChange(); };
    const ctx = { analyze: (n, a) => this.analyze(n, a), stat, lossFigure: this.lossPanel.fig,
      trainable: (t) => { this.trainable = t; this.lossPanel.fig.hidden = !t; }, onFirstView: this.firstViews.add };
    this.trainable = true;
    this.lossPanel.fig.hidden = false;
    this.view = v ? v.mount(this.box, ctx) : null;
    this.lossName = (v && v.lossName) || 'loss';
    this.chart.ylabel = this.lossName;
    this.root.querySelector('.question').textContent = v ? v.title : `no view for '${ex}'`;
  }

  on_ready({ schema }) {
    this.schema = schema;
    const ex = schema.find((f) => f.name === 'ex');
    this.select.replaceChildren(...ex.choices.map((id) => new Option(views[id] ? views[id].title : id, id)));
  }

  on_config({ config, link, issues, init }) {
    if (!this.config || this.config.ex !== config.ex) {
      controls.build(this.form, this.schema, config.ex);
      this.mountView(config.ex);
    }
    this.config = config;
    this.link = link;
    this.issues = issues;
    this.init = init;
    controls.set(this.form, config, issues);
    this.select.value = config.ex;
    this.root.querySelector('.alone').href = `index.html#${link}`;
    this.stats.clear();
    this.chart.reset();
    Object.assign(this, { running: false, rate: 0, wallSeconds: 0, wallSteps: 0, wallFrom: null, drawn: false, figures: null, pending: null, analyses: {} });
    this.analysesDone();
    this.say();
    this.onChange(true);
  }

  // Wall time runs from pressing Train (or Step) to the worker's report that it stopped.
  /** @param {'run' | 'step'} type */
  train(type) {
    if (this.wallFrom === null) this.wallFrom = performance.now();
    this.post({ type });
  }

  on_progress({ losses, running, stepsPerSec }) {
    this.chart.push(losses);
    const now = performance.now();
    if (this.wallFrom !== null) {
      this.wallSteps += losses.length;
      this.wallSeconds += (now - this.wallFrom) / 1000;
      this.wallFrom = running ? now : null;
    }
    this.running = running;
    if (stepsPerSec) this.rate = stepsPerSec;
    this.onChange();
  }

  on_figures({ data }) {
    this.figures = data;
    this.pending = data;
    this.onChange();
  }

  on_analysis({ name, data }) {
    this.analyses[name] = data;
    for (const b of this.box.querySelectorAll(`button[data-analysis="${name}"]`)) b.disabled = false;
    if (this.view) this.view.analysis(name, data);
    this.onChange();
  }

  on_error({ message }) {
    this.running = false;
    this.wallFrom = null;
    this.analysesDone();
    this.say([`Run ${this.label}: ${message}`]);
    this.onChange();
  }

  on_rollback({ losses }) {
    this.chart.reset();
    this.chart.push(losses);
    this.onChange();
  }

  on_aborted({ message }) {
    this.running = false;
    this.say([`Run ${this.label}: the lab's wasm module aborted (${message}); reload the page to start it again.`]);
    this.onChange();
  }

  // Called once per animation frame.
  draw() {
    this.chart.draw();
    if (this.pending && this.view) {
      this.view.figures(this.pending);
      this.pending = null;
      this.drawn = true;
      this.firstViews.ask();
    }
  }

  snapshot() {
    const wall = this.wallSeconds + (this.wallFrom !== null ? (performance.now() - this.wallFrom) / 1000 : 0);
    return { label: this.label, config: this.config, losses: this.chart.losses, lossName: this.lossName || 'loss', stats: this.stats,
      rate: this.rate, wallSeconds: wall, wallSteps: this.wallSteps, init: this.init, trainable: this.trainable };
  }
}

// The page: the two runs, the table, the shared buttons, the hash.
const parsed = compareLink.parse(location.hash.slice(1));
let frameQueued = false;
let tableDue = 0;
const runs = {};
function changed(configured) {
  if (configured && runs.a && runs.b && runs.a.config && runs.b.config) history.replaceState(null, '', `#${compareLink.format(runs.a.link, runs.b.link)}`);
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(frame);
}
function frame() {
  frameQueued = false;
  const [a, b] = [runs.a, runs.b];
  // The loss charts share their axes when both runs report the same loss.
  const same = a.config && b.config && a.lossName === b.lossName;
  const all = same ? [...a.chart.losses, ...b.chart.losses].filter((v) => Number.isFinite(v)) : [];
  for (const r of [a, b]) {
    r.chart.xrange = same ? [0, Math.max(1, a.chart.losses.length, b.chart.losses.length)] : null;
    r.chart.yrange = same && all.length ? all.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]) : null;
    r.draw();
  }
  const anyRunning = a.running || b.running;
  $('run-both').textContent = anyRunning ? 'Pause both' : 'Train both';
  /** @type {HTMLButtonElement} */ ($('step-both')).disabled = anyRunning;
  // The table at most 4 times a second (it is rebuilt whole).
  const now = performance.now();
  if (now >= tableDue) {
    tableDue = now + 250;
    compareTable.render($('compare-numbers'), a.snapshot(), b.snapshot());
  } else if (!frameQueued) setTimeout(() => changed(), tableDue - now);
}

const linkProblems = parsed.problems.filter((p) => !p.half);
if (linkProblems.length) {
  const box = $('messages');
  box.replaceChildren(...linkProblems.map((p) => Object.assign(document.createElement('p'), { textContent: `This compare link: ${p.message}.` })));
}
// A run's column, from the page's template, labelled with its half (run A, run B).
function column(half) {
  const L = half.toUpperCase();
  const root = /** @type {HTMLElement} */ (/** @type {HTMLTemplateElement} */ ($('run-column')).content.firstElementChild.cloneNode(true));
  root.id = `run-${half}`;
  root.setAttribute('aria-label', `run ${L}`);
  root.querySelector('h2').textContent = `Run ${L}`;
  root.querySelector('select.exercise').setAttribute('aria-label', `exercise of run ${L}`);
  root.querySelector('.alone').textContent = `Open run ${L} alone`;
  root.querySelector('summary').textContent = `Settings of run ${L}`;
  root.querySelector('form').setAttribute('aria-label', `settings of run ${L}`);
  $('run-column').parentElement.append(root);
  return root;
}
for (const half of compareLink.HALVES) {
  runs[half] = new Run(half, column(half), parsed[half], changed);
  runs[half].problems = parsed.problems.filter((p) => p.half === half);
  // Two equal halves (from "Compare with…"): B's settings are there to be changed.
  if (half === 'b' && parsed.a === parsed.b) runs.b.root.querySelector('.run-settings').open = true;
  if (runs[half].problems.length) runs[half].say();
}

const both = (msg) => { for (const r of Object.values(runs)) r.post(msg); };
$('run-both').addEventListener('click', () => {
  const anyRunning = runs.a.running || runs.b.running;
  for (const r of Object.values(runs)) {
    if (r.trainable && r.running === anyRunning) anyRunning ? r.post({ type: 'pause' }) : r.train('run');
  }
});
$('step-both').addEventListener('click', () => { for (const r of Object.values(runs)) if (r.trainable) r.train('step'); });
$('reset-both').addEventListener('click', () => both({ type: 'reset' }));
$('swap').addEventListener('click', () => {
  location.hash = compareLink.format(runs.b.link, runs.a.link);
  location.reload();
});
$('copy-link').addEventListener('click', async () => {
  const { url, copied } = await copyLink(compareLink.format(runs.a.link, runs.b.link));
  $('link-out').textContent = copied ? `Copied: ${url}` : url;
});
// A hand-edited hash: both runs start again from it.
window.addEventListener('hashchange', () => {
  if (location.hash.slice(1) !== compareLink.format(runs.a.link, runs.b.link)) location.reload();
});

// For tests and the console.
window.flowlabCompare = {
  runs,
  get link() { return compareLink.format(runs.a.link, runs.b.link); },
  url() { return fullUrl(compareLink.format(runs.a.link, runs.b.link)); },
};
