// The training worker: owns the wasm module and the experiment, runs training
// in chunks so the page never freezes, and posts progress and figure data.
// Exercise-agnostic: every exercise's experiment has train(n), step, total,
// figures({preview}) and analyze(name, args) (js/api.js).
//
// In:  {type:'init', link} | {type:'configure', link} | {type:'run'} | {type:'pause'}
//      {type:'step'} | {type:'reset'} | {type:'refresh'} | {type:'analyze', name, args}
// Out: {type:'ready', schema} | {type:'config', config, link, issues}
//      {type:'progress', step, total, losses, stepsPerSec, running}
//      {type:'figures', data, seconds} | {type:'analysis', name, data}
//      {type:'error', message}
'use strict';
importScripts('../gen/flowlab.js', 'api.js');
importScripts(...FlowLab.families);

const CHUNK_MS = 40;  // training time between message checks
let lab = null;
let exp = null;
let running = false;
let stepsPerChunk = 1;
let rate = 0;         // steps/s, smoothed
let nextFiguresAt = 0;

// Typed arrays anywhere in a message are transferred, not copied (never the
// wasm heap itself: the API hands out copies, this guards the rule).
function transferables(x, out = []) {
  if (ArrayBuffer.isView(x)) { if (!lab || x.buffer !== lab.module.HEAPU8.buffer) out.push(x.buffer); }
  else if (x && typeof x === 'object') for (const v of Object.values(x)) transferables(v, out);
  return out;
}
const post = (msg) => self.postMessage(msg, [...new Set(transferables(msg))]);

function fail(message) {
  running = false;
  post({ type: 'error', message });
}

function hasNonFinite(x) {
  if (ArrayBuffer.isView(x)) return x.some((v) => !Number.isFinite(v));
  if (typeof x === 'number') return !Number.isFinite(x);
  if (x && typeof x === 'object') return Object.values(x).some(hasNonFinite);
  return false;
}

function configure(link) {
  const parsed = lab.parseLink(link);
  if (exp) exp.dispose();
  exp = null;
  running = false;
  stepsPerChunk = 1;
  rate = 0;
  exp = lab.create(parsed.link);
  post({ type: 'config', config: parsed.config, link: parsed.link, issues: parsed.issues });
  figures(false);
}

function figures(preview) {
  const t0 = performance.now();
  const data = exp.figures({ preview });
  const seconds = (performance.now() - t0) / 1000;
  if (hasNonFinite(data)) return fail('The model produced NaN/Inf: it diverged. Lower the learning rate and press Reset.');
  post({ type: 'figures', data, seconds, preview });
  // Keep figure updates under ~20 % of the training time.
  nextFiguresAt = performance.now() + Math.max(250, 4000 * seconds);
}

function progress(losses) {
  return { type: 'progress', step: exp.step, total: exp.total, losses, stepsPerSec: rate, running };
}

function trainChunk(n) {
  const t0 = performance.now();
  const losses = exp.train(n);
  const dt = (performance.now() - t0) / 1000;
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    fail(`Training diverged at step ${exp.step - losses.length + bad + 1} (loss ${losses[bad]}). Lower the learning rate and press Reset.`);
    return null;
  }
  if (dt > 0) rate = rate ? 0.8 * rate + 0.2 * (n / dt) : n / dt;
  return { losses, dt };
}

function loop() {
  if (!running) return;
  const left = exp.total - exp.step;
  if (left <= 0) {
    running = false;
    post(progress(new Float32Array(0)));
    figures(false);
    return;
  }
  const r = trainChunk(Math.min(stepsPerChunk, left));
  if (!r) return;
  // Aim each chunk at CHUNK_MS: few messages, yet quick to pause.
  stepsPerChunk = Math.max(1, Math.min(1000, Math.round(stepsPerChunk * (CHUNK_MS / 1000) / Math.max(r.dt, 1e-4))));
  post(progress(r.losses));
  if (performance.now() >= nextFiguresAt) figures(true);
  setTimeout(loop, 0);
}

const handlers = {
  init({ link }) {
    post({ type: 'ready', schema: lab.schema() });
    configure(link);
  },
  configure({ link }) { configure(link); },
  run() {
    if (running) return;
    if (exp.step >= exp.total) return fail(`All ${exp.total} steps are done; raise "steps" or press Reset.`);
    running = true;
    nextFiguresAt = performance.now() + 250;
    loop();
  },
  pause() {
    running = false;
    post(progress(new Float32Array(0)));
    figures(false);
  },
  step() {
    if (running) return;
    if (exp.step >= exp.total) return fail(`All ${exp.total} steps are done; raise "steps" or press Reset.`);
    const r = trainChunk(1);
    if (!r) return;
    post(progress(r.losses));
    figures(false);
  },
  reset() { configure(exp.link); },
  refresh() { if (!running) figures(false); },
  analyze({ name, args }) {
    const t0 = performance.now();
    const data = exp.analyze(name, args);
    if (hasNonFinite(data)) return fail(`The analysis '${name}' produced NaN/Inf: the model diverged.`);
    post({ type: 'analysis', name, data, seconds: (performance.now() - t0) / 1000 });
  },
};

let ready = null;
self.onmessage = async (e) => {
  try {
    if (!ready) ready = FlowLab.load().then((l) => { lab = l; });
    await ready;
    const h = handlers[e.data && e.data.type];
    if (h) h(e.data);
  } catch (err) {
    fail(`${err && err.message ? err.message : err}`);
  }
};
