// @ts-check
// The training worker: owns the wasm module and the experiment, runs training
// in chunks so the page never freezes, and posts progress and figure data.
// Exercise-agnostic: every exercise's experiment has train(n), step, total,
// losses(from), figures({preview}), analyze(name, args), save() and load(bytes)
// (js/api.js). It keeps the last good checkpoint: a diverged run is rolled
// back to it, and the page stores it (browser storage, worker restarts).
// The messages in and out: js/protocol.js. A module worker (new Worker(url, {type: 'module'})).
import * as FlowLab from './api.js';
import { asideAnalyses } from './worker-aside.js';
import { nextTask } from './next-task.js';

/** @typedef {import('./protocol.js').WorkerIn} WorkerIn */
/** @typedef {import('./protocol.js').WorkerOut} WorkerOut */
// The lib is the page's DOM (one program with it): this module's global scope is a worker's.
const scope = /** @type {WorkerSelf} */ (/** @type {unknown} */ (self));

// Threads inside a step need SharedArrayBuffer (a cross-origin isolated page):
// then the pthreads module with a thread per core the browser reports, else
// the single-thread module. Both give the same bits.
const THREADS = scope.crossOriginIsolated ? Math.max(1, Math.min(64, navigator.hardwareConcurrency | 0)) : 1;
const GEN = THREADS > 1 ? '../gen/mt/' : '../gen/';

// When this worker's first steps happened (ms since the epoch: the page has
// another time origin), posted once with the first figures.
let marks = { workerStart: performance.timeOrigin + performance.now() };
const mark = (name) => { if (marks && !(name in marks)) marks[name] = performance.timeOrigin + performance.now(); };

const CHUNK_MS = 40;  // training time between message checks
const CHECKPOINT_MS = 3000;  // how often a running experiment is checkpointed
let lab = null;
let exp = null;
let running = false;
let stepsPerChunk = 1;
let rate = 0;         // steps/s, smoothed
let nextFiguresAt = 0;
let lastGood = null;  // {bytes, step}: the newest checkpoint with finite numbers
let nextCheckpointAt = 0;
let aborted = false;  // the wasm module aborted: no call may reach it again
let cost = null;      // core/cost.h estimate of the current link's work

// Emscripten reports an abort (allocation failure, unreachable) as an
// exception whose message starts with "Aborted(", or a wasm RuntimeError.
// A C++ exception that escapes wasm (e.g. std::length_error of a too large
// vector) arrives as a bare number (its address: exception catching is off);
// the module's state is then as unknown as after an abort.
const isAbort = (err) => typeof err === 'number' ||
  (!!err && (err instanceof WebAssembly.RuntimeError || /^Aborted\(/.test(String(err.message || err))));
function abortedNow(err) {
  aborted = true;
  running = false;
  const what = typeof err === 'number' ? 'an uncaught C++ exception'
    : `${err && err.message ? err.message : err}`.split('\n')[0].replace(/\s*Build with.*$/, '');
  post({ type: 'aborted', message: `${what.slice(0, 200)}: out of memory or an internal error` });
}

// Announces a call that may keep this worker from answering for a while, so
// the page's watchdog waits for it (a busy worker) instead of restarting it.
function busy(what, seconds) {
  if (seconds > 0.5) post({ type: 'busy', what, seconds });
}

// Typed arrays anywhere in a message are transferred, not copied (never the
// wasm heap itself: the API hands out copies, this guards the rule).
function transferables(x, out = []) {
  if (ArrayBuffer.isView(x)) { if (!lab || x.buffer !== lab.module.HEAPU8.buffer) out.push(x.buffer); }
  else if (x && typeof x === 'object') for (const v of Object.values(x)) transferables(v, out);
  return out;
}
/** @param {WorkerOut} msg */
const post = (msg) => scope.postMessage(msg, [...new Set(transferables(msg))]);

function fail(message, ask) {
  running = false;
  post({ type: 'error', message, ask });
}

/** @param {unknown} x @returns {boolean} */
function hasNonFinite(x) {
  if (ArrayBuffer.isView(x)) return /** @type {Float32Array} */ (x).some((v) => !Number.isFinite(v));
  if (typeof x === 'number') return !Number.isFinite(x);
  if (x && typeof x === 'object') return Object.values(x).some(hasNonFinite);
  return false;
}

// FNV-1a (64 bits as two 32-bit lanes) of θ's bytes: the compare view says
// from it whether two runs start from the same parameters.
function digest(theta) {
  const bytes = new Uint8Array(theta.buffer, theta.byteOffset, theta.byteLength);
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; ++i) {
    h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}

// Swaps in a new experiment (the old one is kept until the new one exists,
// so a failure leaves the user's run as it was).
function use(next, issues, extra = {}, drawn = null) {
  if (exp) exp.dispose();
  exp = next;
  running = false;
  stepsPerChunk = 1;
  rate = 0;
  lastGood = null;
  cost = JSON.parse(lab.module.linkCost(exp.link));
  mark('configured');
  const init = exp.step === 0 ? digest(exp.parameters()) : undefined;
  post({ type: 'config', config: exp.config, link: exp.link, issues, init, ...extra });
  if (exp.step > 0) post(progress(exp.losses(0)));
  if (drawn) post({ type: 'figures', data: drawn, seconds: 0, preview: false });
  checkpoint();
  if (drawn) return;
  // Long figures come in slices: a small preview (fewer points of the same
  // model; the first call runs on wasm's baseline tier) is drawn first.
  if (cost && cost.figures.seconds > 0.5 && exp.figuresJob) figures(true, FIRST_POINTS);
  figures(false);
}

// keep: carry the current model over when only sampling fields change;
// from: a stored checkpoint of this link's model to continue (reported as
// restored, with the reason).
/** @param {string} link @param {{keep?: boolean, from?: Uint8Array, reason?: string, ask?: number}} [opts] */
function configure(link, { keep, from, reason, ask } = {}) {
  const parsed = lab.parseLink(link);
  const next = lab.create(parsed.link);
  const state = from || (keep && exp && lab.modelKey(exp.link) === lab.modelKey(parsed.link) ? exp.save() : null);
  if (state) {
    try { next.load(state); } catch (e) { next.dispose(); throw e; }
  }
  use(next, parsed.issues, from ? { restoredStep: next.step, reason, ask } : { ask });
}

// A file that fails any check is refused with the reason (lab.restore
// throws). One that passes can still hold a model whose figures overflow: they
// are drawn before it replaces the current run, so it is never stored.
function restore(bytes, reason) {
  const next = lab.restore(bytes);
  let drawn;
  try {
    drawn = next.figures({ preview: false });
    if (hasNonFinite(drawn)) throw new Error('cannot restore: the model in the file gives NaN/Inf in its figures');
  } catch (e) {
    next.dispose();
    throw e;
  }
  use(next, next.issues, { restoredStep: next.step, reason }, drawn);
}

function checkpoint() {
  const bytes = exp.save();
  lastGood = { bytes, step: exp.step };
  post({ type: 'checkpoint', bytes: bytes.slice(), step: exp.step, link: exp.link });
  nextCheckpointAt = performance.now() + CHECKPOINT_MS;
}

// NaN/Inf: stop, roll back to the last good checkpoint, and say so.
function diverged(what) {
  running = false;
  let back = '';
  if (lastGood) {
    exp.load(lastGood.bytes);
    back = ` Restored the last good state (step ${lastGood.step}).`;
    post(progress(new Float32Array(0)));
  }
  post({ type: 'error', message: `${what}: the model diverged.${back} Lower the learning rate before training on.` });
  post({ type: 'rollback', step: exp.step, losses: exp.losses(0) });
}

const FIRST_POINTS = 500;  // points of a link's first preview
function figures(preview, points) {
  mark('figuresStart');
  if (!preview && slicedFigures()) return;
  if (!preview && cost) busy('figures', cost.figures.seconds);
  const t0 = performance.now();
  postFigures(exp.figures({ preview, points }), (performance.now() - t0) / 1000, preview, points !== undefined);
}

// Figures longer than ~0.5 s run in slices of ODE steps (~SLICE_MS each):
// between slices the worker answers, reports progress, and a new command
// (configure, step, run, …) cancels them.
const SLICE_MS = 100;
let sliced = null;  // {exp, job, k (steps per slice), t0}
function slicedFigures() {
  sliced = null;
  if (!exp.figuresJob || !cost || cost.figures.seconds <= 0.5) return false;
  const job = exp.figuresJob({ preview: false });
  if (!job) return false;
  sliced = { exp, job, k: 1, t0: performance.now() };
  nextTask(nextSlice);
  return true;
}
function nextSlice() {
  const s = sliced;
  if (!s || s.exp !== exp || aborted) return;
  try {
    const t0 = performance.now();
    const done = s.job.advance(s.k);
    const dt = performance.now() - t0;
    if (!done) {
      s.k = Math.max(1, Math.round(s.k * SLICE_MS / Math.max(dt, 1)));
      const left = (1 - s.job.done / s.job.steps) * cost.figures.seconds;
      post({ type: 'busy', what: 'figures', seconds: left, done: s.job.done, steps: s.job.steps });
      nextTask(nextSlice);
      return;
    }
    sliced = null;
    postFigures(s.job.result(), (performance.now() - s.t0) / 1000, false);
  } catch (err) {
    sliced = null;
    if (isAbort(err)) abortedNow(err);
    else fail(`${err && err.message ? err.message : err}`);
  }
}

// early: a link's first, small preview (its figures follow).
function postFigures(data, seconds, preview, early = false) {
  if (hasNonFinite(data)) return diverged(`The figures at step ${exp.step} hold NaN/Inf`);
  mark('figures');
  post({ type: 'figures', data, seconds, preview, early, ...(marks && { marks }) });
  marks = null;
  // Keep figure updates under ~10 % of the training time (at 20 % the checkerboard's
  // previews cost a fifth of the default run's time to quality; fewer preview points
  // instead would make its on-squares fraction noisier).
  nextFiguresAt = performance.now() + Math.max(250, 8000 * seconds);
}

/** @param {Float32Array} losses @returns {WorkerOut} */
function progress(losses) {
  return { type: 'progress', step: exp.step, total: exp.total, losses, stepsPerSec: rate, running };
}

function trainChunk(n) {
  const t0 = performance.now();
  const losses = exp.train(n);
  const dt = (performance.now() - t0) / 1000;
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    diverged(`Training step ${exp.step - losses.length + bad + 1} gave loss ${losses[bad]}`);
    return null;
  }
  // A finite loss can hide NaN weights (an RBM's sampled units are 0 when
  // their probability is NaN): never let them reach a checkpoint.
  if (hasNonFinite(exp.parameters())) {
    diverged(`Training to step ${exp.step} left NaN/Inf in the parameters`);
    return null;
  }
  if (dt > 0) rate = rate ? 0.8 * rate + 0.2 * (n / dt) : n / dt;
  return { losses, dt };
}

function loop() {
  if (!running || aborted) return;
  try {
    loopOnce();
  } catch (err) {
    if (isAbort(err)) abortedNow(err);
    else fail(`${err && err.message ? err.message : err}`);
  }
}

function loopOnce() {
  const left = exp.total - exp.step;
  if (left <= 0) {
    running = false;
    post(progress(new Float32Array(0)));
    checkpoint();
    figures(false);
    return;
  }
  const r = trainChunk(Math.min(stepsPerChunk, left));
  if (!r) return;
  // Aim each chunk at CHUNK_MS: few messages, yet quick to pause.
  stepsPerChunk = Math.max(1, Math.min(1000, Math.round(stepsPerChunk * (CHUNK_MS / 1000) / Math.max(r.dt, 1e-4))));
  post(progress(r.losses));
  if (performance.now() >= nextCheckpointAt) checkpoint();
  // No preview at the last step: the run's own figures follow at once (and a
  // preview there would be the step's figures for a moment).
  if (exp.step < exp.total && performance.now() >= nextFiguresAt) figures(true);
  nextTask(loop);
}

const handlers = {
  init({ link, checkpoint: bytes, reason }) {
    post({ type: 'ready', schema: lab.schema(), threads: lab.module.threads() });
    if (bytes) {
      try {
        return restore(bytes, reason);
      } catch (e) {
        post({ type: 'error', message: `The saved run could not be restored (${e.message}); starting from the link.` });
      }
    }
    configure(link);
  },
  restore({ bytes, reason }) { restore(bytes, reason); },
  export() {
    const bytes = exp.save();
    post({ type: 'export', bytes, name: `flowlab-${exp.config.ex}-seed${exp.config.seed}-step${exp.step}.flowlab` });
  },
  ping() { post({ type: 'pong' }); },
  // Your own points (web/js/own-data.js): a CSV file's text, a set's link text or drawn points → the core's set or its message.
  ownData({ id, csv, text, points, labels }) {
    const m = lab.module;
    post({ type: 'ownData', id, result: csv !== undefined ? m.ownDataCsv(csv) : text !== undefined ? m.ownDataDecode(text) : m.ownDataEncode(points, labels) });
  },
  // θ_i ← value: perturb a weight (used by the divergence-recovery test).
  poke({ index, value }) { exp.setParameter(index, value); },
  configure({ link, keep, from, reason, ask }) { configure(link, { keep, from, reason, ask }); },
  save() { if (exp) checkpoint(); },
  run() {
    if (running) return;
    if (exp.total === 0) return fail('This experiment has nothing to train: its figures are exact (closed form). Use the analysis buttons.');
    if (exp.step >= exp.total) return fail(`All ${exp.total} steps are done; raise "steps" or press Reset.`);
    running = true;
    nextFiguresAt = performance.now() + 250;
    loop();
  },
  pause() {
    running = false;
    post(progress(new Float32Array(0)));
    checkpoint();
    figures(false);
  },
  step() {
    if (running) return;
    if (exp.total === 0) return fail('This experiment has nothing to train: its figures are exact (closed form). Use the analysis buttons.');
    if (exp.step >= exp.total) return fail(`All ${exp.total} steps are done; raise "steps" or press Reset.`);
    busy('a training step', cost ? cost.step.seconds : 0);
    const r = trainChunk(1);
    if (!r) return;
    post(progress(r.losses));
    checkpoint();
    figures(false);
  },
  reset() { configure(exp.link); },
  refresh() { if (!running) figures(false); },
  analyze({ name, args }) {
    // Refused here, before any allocation or helper worker, when core/cost.h says it
    // would not fit or this model does not have it.
    exp.refuse(name, args);
    const seconds = exp.analysisCost(name, args).seconds;
    if (seconds > 0.5 && !(exp.inPlaceAnalyses || []).includes(name)) return asides.start(exp, name, args, seconds);
    busy(`the analysis '${name}'`, seconds);
    const t0 = performance.now();
    const data = exp.analyze(name, args);
    if (hasNonFinite(data)) return fail(`The analysis '${name}' produced NaN/Inf: the model diverged.`);
    post({ type: 'analysis', name, data, seconds: (performance.now() - t0) / 1000 });
  },
};

// Analyses longer than ~0.5 s run aside, in a helper instance of this script
// (worker-aside.js); an analysis that changes the experiment
// (exp.inPlaceAnalyses) runs here.
const asides = asideAnalyses(post, fail);
handlers.analyzeAside = ({ bytes, name, args }) => {
  exp = lab.restore(bytes);
  const t0 = performance.now();
  const data = exp.analyze(name, args);
  if (hasNonFinite(data)) return fail(`The analysis '${name}' produced NaN/Inf: the model diverged.`);
  post({ type: 'analysis', name, data, seconds: (performance.now() - t0) / 1000 });
};

// For the browser tests and the devtools console (a module's bindings are not
// globals): the live module, experiment and module folder of this worker.
scope.flowlabWorker = { get lab() { return lab; }, get exp() { return exp; }, gen: GEN };

// The module loads as soon as this worker starts (the page's first message comes later).
const ready = FlowLab.load({ base: new URL(GEN, scope.location.href).href, threads: THREADS }).then((l) => { lab = l; mark('wasmReady'); });
ready.catch(() => {});  // reported at the first message
scope.onmessage = async (e) => {
  try {
    await ready;
    if (aborted) return;
    // A command that changes the model or draws anew cancels sliced figures.
    // (ownData only reads a point set: it touches neither.)
    if (sliced && !['ping', 'analyze', 'export', 'poke', 'ownData'].includes(e.data && e.data.type)) sliced = null;
    if (asides.size && !['ping', 'export', 'poke', 'save', 'run', 'pause', 'step', 'analyze', 'ownData'].includes(e.data && e.data.type)) asides.end();
    const h = handlers[e.data && e.data.type];
    if (h) h(e.data);
  } catch (err) {
    if (isAbort(err)) abortedNow(err);
    else fail(`${err && err.message ? err.message : err}`, e.data && e.data.ask);
  }
};
