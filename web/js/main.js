// @ts-check
// Page wiring: forwards the user's intent to the worker and hands what the
// worker reports to the exercise's view. No model math here
// (core → wasm → worker → page).
import * as state from './state.js';
import * as messages from './messages.js';
import * as controls from './controls.js';
import { LossChart } from './chart.js';
import { panel, csvText } from './figures.js';
import { views } from './views/index.js';
import * as runs from './runs.js';
import * as progress from './progress.js';
import { watchFirstViews } from './firstview.js';
import { mountFormulas } from './formulas.js';
import './offline.js';
import * as FlowLab from './api.js';
import * as compareLink from './compare-link.js';
import { mountOwnData } from './own-data.js';
import { hostWorker } from './worker-host.js';

const $ = (id) => document.getElementById(id);
// The first load's steps, ms since the page's navigation (the worker's come with its first figures).
const timings = { mainStart: performance.now() };
const timing = (name, at = performance.now()) => { if (!(name in timings)) timings[name] = Math.round(at); };
const form = $('controls');
let schema = null;
let drawn = false;     // the current link's figures have been drawn (only then is it stored)
let unstored = null;   // its newest checkpoint, waiting for that
let current = null;  // {config, link} as validated by the core
let view = null;     // {id, figures(data), analysis(name, data)}
let running = false;
let lastFigures = null;
let pendingFigures = null;
let pendingEarly = false;  // pendingFigures is a link's early preview
let frameQueued = false;

const lossPanel = panel($('loss-panel'), {
  id: 'loss', title: 'training loss', width: 420, height: 220,
  caption: 'Training loss per step (log scale; band: min–max of the steps under each pixel column, line: their running median).',
  csv: () => csvText(['step', 'loss'], chart.losses.map((l, i) => [i + 1, l])),
});
const chart = new LossChart(lossPanel.canvas);

// Exposed for tests and for the curious: the page's live state.
window.flowlabPage = {
  get config() { return current && current.config; },
  get link() { return current && current.link; },
  get losses() { return chart.losses; },
  get figures() { return lastFigures; },
  get running() { return running; },
  get checkpointStep() { return host.lastCheckpoint ? host.lastCheckpoint.step : null; },
  get storedStep() { return runs.storedStep(); },  // written to browser storage: a reload resumes from it
  get workerStarts() { return host.starts; },  // how many workers this page has started (a restart loop shows here)
  get gaveUp() { return host.gaveUp; },  // the watchdog stopped restarting
  figureSlices: 0,  // progress reports of sliced figures
  analysisProgress: 0,  // progress reports of analyses run aside
  analyses: {},
  timings: () => ({ ...timings }),
  // For tests of worker-failure recovery: kill the worker as a crash would.
  killWorker() { host.terminate(); },
  poke(index, value) { host.post({ type: 'poke', index, value }); },
  analyze(name, args) { analyze(name, args); },
};

const stats = new Map();
function stat(name, text) {
  if (!stats.has(name)) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    $('stats').append(dt, dd);
    stats.set(name, dd);
  }
  stats.get(name).textContent = text;
}
function resetStats() {
  $('stats').replaceChildren();
  stats.clear();
  stat('step', '0');
  stat(chart.ylabel, '–');  // the view's name of its loss (e.g. OT-CFM loss)
  stat('steps/s', '–');
  runStart = null;
}
// Steps per second of wall-clock time over the current run (training, figures, checkpoints and messages included).
let runStart = null;  // {t, step} at the first progress report of this run
let wallRate = 0;

// A closed form has nothing to train: Train and Step look unavailable and say
// why (title, and a note when pressed: they stay focusable), no loss chart.
let trainable = true;
const NOTHING = 'This experiment has nothing to train: its figures are exact (closed form). Use the analysis buttons.';
function setTrainable(t) {
  trainable = t;
  for (const id of ['run', 'step']) {
    $(id).classList.toggle('unavailable', !t);
    $(id).title = t ? '' : NOTHING;
  }
  lossPanel.fig.hidden = !t;
}
function setRunning(r) {
  if (!r) runStart = null;
  running = r;
  $('run').textContent = r ? 'Pause' : 'Train';
  /** @type {HTMLButtonElement} */ ($('step')).disabled = r;
}

// Draw at most once per animation frame, whatever the message rate.
function queueFrame() {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    chart.draw();
    if (pendingFigures && view) {
      view.figures(pendingFigures);
      timing('figuresDrawn');
      pendingFigures = null;
      if (!pendingEarly) figuresDrawn();
    }
  });
}

function mountView(ex) {
  const v = views[ex];
  $('question').textContent = v ? v.question : '';
  const box = $('exercise-view');
  firstViews.reset();
  box.replaceChildren();
  // The view places the loss chart (ctx.lossFigure) where it fits its layout.
  view = v ? { id: ex, ...v.mount(box, { analyze, stat, lossFigure: lossPanel.fig, trainable: setTrainable, onFirstView }) } : null;
  chart.ylabel = (v && v.lossName) || 'loss';
  lossPanel.fig.setAttribute('aria-label', `training ${chart.ylabel} per step`);
  mountFormulas($('formulas'), ex);
  if (!v) messages.show([`This page has no view for the exercise '${ex}'.`]);
}

// The buttons of an analysis stay disabled until its answer (or an error) arrives.
function analyze(name, args = {}) {
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll(`#exercise-view button[data-analysis="${name}"]`))) b.disabled = true;
  host.post({ type: 'analyze', name, args });
}
// Empty panels ask for their analysis when first shown (once the model has drawn).
const firstViews = watchFirstViews((name, args) => analyze(name, args), () => drawn);
const onFirstView = firstViews.add;
function analysesDone() {
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('#exercise-view button[data-analysis]'))) b.disabled = false;
  progress.idle();
}

// A link is stored only once its figures are drawn: a link that cannot draw
// never replaces the run kept in this browser.
function figuresDrawn() {
  drawn = true;
  host.drew();
  if (unstored) storeCheckpoint(unstored);
  unstored = null;
  firstViews.ask();
}
function storeCheckpoint(ck) {
  host.stored(ck);
  runs.checkpoint(ck);
}

/** @type {import('./protocol.js').WorkerOutHandlers} */
const onMessage = {
  ready(msg) {
    timing('workerReady');
    schema = msg.schema;
    const ex = schema.find((f) => f.name === 'ex');
    $('exercise').replaceChildren(...ex.choices.map((id) => new Option(views[id] ? views[id].title : id, id)));
    runs.ready(schema);
  },
  config({ config, link, issues, restoredStep, reason, ask }) {
    const changedExercise = !current || current.config.ex !== config.ex;
    const changedData = current && current.config.data !== config.data;  // your own points: figures of the old set go
    current = { config, link };
    if (ask) answered = ask;
    if (changedExercise) {
      controls.build(form, schema, config.ex);
      mountView(config.ex);
    } else if (changedData) mountView(config.ex);
    // While a newer edit of the form is on its way, the form already shows it.
    if (changedExercise || answered === asked) controls.set(form, config, issues, typing());
    /** @type {HTMLSelectElement} */ ($('exercise')).value = config.ex;
    state.writeLink(link);
    messages.showLinkIssues(issues);
    if (restoredStep !== undefined) {
      messages.show([reason || `Restored this run at step ${restoredStep}.`,
        ...issues.map((i) => `The file's link: ${i.field}: ${i.message}`)], issues.length ? 'error' : 'info');
    }
    chart.reset();
    resetStats();
    setTrainable(true);
    setRunning(false);
    analysesDone();
    lastFigures = null;
    pendingFigures = null;  // the previous run's, maybe for another view
    drawn = false;
    window.flowlabPage.analyses = {};
    runs.configured({ link, issues, restoredStep });
    own.config(config);
  },
  ownData({ id, result }) {
    const resolve = ownWaiting.get(id);
    ownWaiting.delete(id);
    if (resolve) resolve(result);
  },
  progress({ step, total, losses, running: r }) {
    chart.push(losses);
    const now = performance.now();
    if (r && !runStart) { runStart = { t: now, step }; wallRate = 0; }
    else if (runStart && now > runStart.t + 200 && step > runStart.step) wallRate = (step - runStart.step) / ((now - runStart.t) / 1000);
    if (runStart && wallRate) stat('steps/s', wallRate.toPrecision(3));
    setRunning(r);
    stat('step', `${step} / ${total}`);
    if (chart.losses.length) stat(chart.ylabel, chart.losses[chart.losses.length - 1].toPrecision(4));
    progress.training(step, total, wallRate, r);
    queueFrame();
  },
  figures({ data, seconds, preview, early, marks }) {
    for (const [k, t] of Object.entries(marks || {})) timing(`worker.${k}`, t - performance.timeOrigin);
    timing('figuresReceived');
    if (!preview) progress.idle();
    if (stats.has('figures')) stat('figures', `drawn in ${seconds.toFixed(1)} s`);
    // A link's early preview is drawn while its figures are computed; only
    // the figures themselves show that the link draws (and are exposed).
    if (!early) lastFigures = data;
    pendingFigures = data;
    pendingEarly = !!early;
    queueFrame();
  },
  analysis({ name, data, seconds }) {
    if (stats.has('analysis')) stat('analysis', `'${name}' in ${seconds.toFixed(1)} s`);
    window.flowlabPage.analyses[name] = data;
    for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll(`#exercise-view button[data-analysis="${name}"]`))) b.disabled = false;
    progress.idle();
    if (view) view.analysis(name, data);
  },
  error({ message, ask }) {
    if (ask) answered = ask;
    setRunning(false);
    analysesDone();
    messages.show([message]);
  },
  checkpoint({ bytes, step, link }) {
    host.checkpoint({ bytes, step, link });
    if (drawn) storeCheckpoint(host.lastCheckpoint);
    else unstored = host.lastCheckpoint;
  },
  rollback({ losses }) {
    chart.reset();
    chart.push(losses);
    stat('step', `${losses.length} / ${current.config.steps}`);
    queueFrame();
  },
  export({ bytes, name }) {
    const a = document.createElement('a');
    a.download = name;
    a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    a.click();
  },
  pong() {},
  // A long call starts (the host waits for it before calling the worker dead).
  busy({ what, seconds, done, steps, aside }) {
    // An analysis in the worker's helper: time so far of the estimate (the worker answers meanwhile).
    if (aside) window.flowlabPage.analysisProgress++;
    if (aside) progress.busy({ what, seconds: steps });
    if (aside) return stat('analysis', `${what}: ${done.toFixed(1)} s of ≈ ${steps.toFixed(1)} s`);
    if (steps) stat('figures', `${done} / ${steps} ODE steps`);
    if (steps) window.flowlabPage.figureSlices++;
    progress.busy({ what: what || 'working', seconds, done, steps });
  },
  aborted({ message }) {
    host.restart(`The lab's wasm module aborted (${message})`);
  },
};

// The worker: started, watched and restarted from the last checkpoint (worker-host.js).
const host = hostWorker({
  onMessage,
  stopped() { setRunning(false); analysesDone(); },
  drawn: () => drawn,
  link: () => (current ? current.link : state.readLink()),
  timing,
});

// Any edit of the form becomes a link, validated by the core in the worker.
// Each is numbered (ask): the worker's replies to older edits leave the form
// alone, and no reply overwrites a field being typed in since the last edit.
let asked = 0, answered = 0, posted = {};
function typing() {
  const el = /** @type {HTMLInputElement | null} */ (document.activeElement);
  return el && el.form === form && el.name && el.value.trim() !== posted[el.name] ? el.name : null;
}
function applyForm(ex) {
  const fields = controls.read(form);
  // A change event that changes nothing (a blur after an edit already applied)
  // must not reconfigure: the reply would re-render the form under the user's typing.
  if (Object.entries(fields).every(([k, v]) => String(current.config[k]) === v)) return;
  posted = { ...fields };
  fields.ex = ex;
  if (current.config.data) fields.data = current.config.data;  // your own points stay
  const link = ['v=1', ...Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
  if (!host.revive(link)) runs.configure(link, ++asked);
}

form.addEventListener('change', () => applyForm(current.config.ex));

// Your own points (own-data.js): the panel below the settings; a set becomes the link's `data` field.
const ownWaiting = new Map();
let ownAsked = 0;
const ownBox = document.createElement('div');
$('settings').after(ownBox);
const own = mountOwnData(ownBox, {
  request: (msg) => new Promise((resolve) => {
    const id = ++ownAsked;
    ownWaiting.set(id, resolve);
    host.post({ type: 'ownData', id, ...msg });
  }),
  apply(data) {
    const link = current.link.split('&').filter((f) => !f.startsWith('data=')).join('&') + (data ? `&data=${data}` : '');
    if (!host.revive(link)) runs.configure(link, ++asked);
  },
  show: (lines, kind) => messages.show(lines, kind),
});
// Another exercise: its newest stored run, else its defaults (keeping only the seed).
$('exercise').addEventListener('change', () => {
  const ex = /** @type {HTMLSelectElement} */ ($('exercise')).value;
  if (!host.revive(`v=1&ex=${encodeURIComponent(ex)}&seed=${current.config.seed}`)) runs.switchExercise(ex, current.config.seed);
});
$('run').addEventListener('click', () => (trainable ? host.post({ type: running ? 'pause' : 'run' }) : messages.show([NOTHING], 'info')));
$('step').addEventListener('click', () => (trainable ? host.post({ type: 'step' }) : messages.show([NOTHING], 'info')));
$('reset').addEventListener('click', () => { runs.reset(); host.post({ type: 'reset' }); });
$('import-button').addEventListener('click', () => $('import-run').click());
// Cancel a long call: only a new worker can stop wasm mid-call; it resumes this link's last checkpoint.
$('cancel').addEventListener('click', () => {
  const last = host.lastCheckpoint;
  const ck = last && current && last.link === current.link ? last : null;
  const what = $('progress-text').textContent.split(':')[0];
  host.terminate();
  analysesDone();
  setRunning(false);
  const reason = `Cancelled ${what}; ${ck ? `resumed the run at step ${ck.step}` : 'started afresh from the link'}.`;
  messages.show([reason], 'info');
  host.start({ link: ck ? ck.link : current.link, checkpoint: ck && ck.bytes.slice(), reason });
});
$('export-run').addEventListener('click', () => host.post({ type: 'export' }));
$('import-run').addEventListener('change', async (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  if (file.size > 512 * 1024 * 1024) return messages.show([`${file.name} is too large to be a flowlab run.`]);
  const bytes = new Uint8Array(await file.arrayBuffer());
  host.post({ type: 'restore', bytes, reason: `Imported ${file.name}.` }, [bytes.buffer]);
});
$('copy-link').addEventListener('click', async () => {
  if (!current) return;
  const { url, copied } = await state.copyLink(current.link);
  $('link-out').textContent = copied ? `Copied: ${url}` : url;
});
// Two runs side by side: this run as A and, to be changed there, as B; a compare link opens that page.
$('compare').addEventListener('click', () => { if (current) location.assign(`compare.html#${compareLink.format(current.link, current.link)}`); });
const toCompare = () => compareLink.isCompare(state.readLink()) && (location.replace(`compare.html${location.hash}`), true);
// A hand-edited hash reconfigures (the page itself always writes a canonical one).
window.addEventListener('hashchange', () => {
  if (toCompare()) return;
  if (host.revive(state.readLink())) return;
  if (!current || state.readLink() !== current.link) runs.configure(state.readLink());
});

// The JS API, for scripting from the console: const lab = await FlowLab.load()
window.FlowLab = FlowLab;

// On a phone the settings start folded: the figures come first.
if (window.matchMedia('(max-width: 760px)').matches) /** @type {HTMLDetailsElement} */ ($('settings')).open = false;

// Resume the stored run of this link (the newest run when the page has no link).
resetStats();
runs.attach((msg) => host.started && host.post(msg));
if (!toCompare()) runs.resumeFor(state.readLink()).then((saved) => {
  if (saved) host.checkpoint(saved);
  if (saved) host.stored(saved);
  host.start({ link: state.readLink(), checkpoint: saved ? saved.bytes : null,
    reason: saved ? `Restored your run at step ${saved.step} from this browser's storage.` : undefined });
});
