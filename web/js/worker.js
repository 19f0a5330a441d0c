// The training worker: owns the wasm module, runs training in chunks so the
// page never freezes, and posts progress (losses) and sample snapshots.
//
// Messages in:  {type:'init', link} | {type:'configure', link} | {type:'run'}
//               {type:'pause'} | {type:'step'} | {type:'reset'} | {type:'resample'}
// Messages out: {type:'ready', schema} | {type:'config', config, link, issues}
//               {type:'progress', step, losses, stepsPerSec, running, done}
//               {type:'samples', step, points, data, onSquares, seconds}
//               {type:'error', message}
'use strict';
importScripts('../gen/flowlab.js', 'api.js');

const CHUNK_MS = 40;          // training time between message checks
const PREVIEW_POINTS = 2000;  // snapshot size while training runs
let lab = null;
let exp = null;
let running = false;
let stepsPerChunk = 1;
let rate = 0;                 // steps/s, smoothed
let nextSnapshotAt = 0;
let dataPoints = null;        // target samples, drawn once per experiment

const post = (msg, transfer) => self.postMessage(msg, transfer || []);

function fail(message) {
  running = false;
  post({ type: 'error', message });
}

function configure(link) {
  const parsed = lab.parseLink(link);
  if (exp) exp.dispose();
  exp = lab.create(parsed.link);
  running = false;
  stepsPerChunk = 1;
  post({ type: 'config', config: parsed.config, link: parsed.link, issues: parsed.issues });
  snapshot(false);
}

// Draws the current model's samples (the same noise every time, so the
// particles of successive snapshots correspond).
function snapshot(preview) {
  const n = preview ? Math.min(PREVIEW_POINTS, exp.config.samples) : exp.config.samples;
  const t0 = performance.now();
  const points = exp.sample(n);
  const seconds = (performance.now() - t0) / 1000;
  let bad = false;
  for (let i = 0; i < points.length; ++i) if (!Number.isFinite(points[i])) { bad = true; break; }
  if (bad) return fail('Sampling produced NaN/Inf: the model diverged. Lower the learning rate and press Reset.');
  const msg = { type: 'samples', step: exp.step, points: n, data: points, onSquares: exp.onSquares(points), seconds };
  post(msg, [points.buffer]);
  // Keep snapshots under ~20 % of the training time.
  nextSnapshotAt = performance.now() + Math.max(250, 4000 * seconds);
}

function trainChunk(n) {
  const t0 = performance.now();
  const losses = exp.train(n);
  const dt = (performance.now() - t0) / 1000;
  for (let i = 0; i < losses.length; ++i) {
    if (!Number.isFinite(losses[i])) {
      fail(`Training diverged at step ${exp.step - losses.length + i + 1} (loss is ${losses[i]}). Lower the learning rate and press Reset.`);
      return null;
    }
  }
  if (dt > 0) rate = rate ? 0.8 * rate + 0.2 * (n / dt) : n / dt;
  return { losses, dt };
}

function progress() {
  return { type: 'progress', step: exp.step, stepsPerSec: rate, running, done: exp.step >= exp.config.steps };
}

function loop() {
  if (!running) return;
  const left = exp.config.steps - exp.step;
  if (left <= 0) {
    running = false;
    post({ ...progress(), losses: new Float32Array(0) });
    snapshot(false);
    return;
  }
  const r = trainChunk(Math.min(stepsPerChunk, left));
  if (!r) return;
  // Aim each chunk at CHUNK_MS: fewer messages, yet quick to pause.
  stepsPerChunk = Math.max(1, Math.min(1000, Math.round(stepsPerChunk * (CHUNK_MS / 1000) / Math.max(r.dt, 1e-4))));
  post({ ...progress(), losses: r.losses }, [r.losses.buffer]);
  if (performance.now() >= nextSnapshotAt) snapshot(true);
  setTimeout(loop, 0);
}

const handlers = {
  init({ link }) {
    post({ type: 'ready', schema: lab.schema() });
    configure(link);
  },
  configure({ link }) { configure(link); },
  run() {
    if (!running) { running = true; nextSnapshotAt = performance.now() + 250; loop(); }
  },
  pause() {
    running = false;
    post({ ...progress(), losses: new Float32Array(0) });
    snapshot(false);
  },
  step() {
    if (running) return;
    if (exp.step >= exp.config.steps) return fail(`All ${exp.config.steps} steps are done; raise "steps" or press Reset.`);
    const r = trainChunk(1);
    if (!r) return;
    post({ ...progress(), losses: r.losses }, [r.losses.buffer]);
    snapshot(false);
  },
  reset() { configure(exp.link); },
  resample() { if (!running) snapshot(false); },
};

let ready = null;
self.onmessage = async (e) => {
  try {
    if (!ready) ready = FlowLab.load().then((l) => { lab = l; });
    await ready;
    const h = handlers[e.data && e.data.type];
    if (h) h(e.data);
  } catch (err) {
    fail(`Worker error: ${err && err.message ? err.message : err}`);
  }
};
