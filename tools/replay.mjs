#!/usr/bin/env node
// Replays share links and .flowlab runs in node with the page's own wasm
// (web/gen: the same binary, so the same bits as the student's browser) and
// prints each run's metrics as JSON; optionally checks them against thresholds.
//
//   node tools/replay.mjs [options] LINK|FILE …
//     LINK      a share link: '#v=1&…', 'v=1&…' or a URL with one after '#'
//     FILE      a .flowlab run (replayed from step 0 to its step; its parameters must
//               come out bit for bit), or a text file of links, one a line
//   --steps N         train each link N steps (default: its `steps`); a file replays to its step
//   --thresholds F    JSON {"<exercise or *>": {"<metric>": {"min": a, "max": b}}}: a run
//                     outside a bound fails, and the command exits with status 1
//   --jobs N          runs in parallel (worker_threads; default: the machine's cores)
// Output: a JSON array on stdout, one object a run in the order given:
//   { input, exercise, link, steps, seconds (training time), metrics: {…}, sha256: {params, losses, figures},
//     verified?, checks?: [{metric, value, min?, max?, ok}], ok, error? }
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';


// Canonical JSON of figure data: typed arrays as plain arrays (every float exact).
export function canonical(x) {
  return JSON.stringify(x, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));
}
export const sha256 = (x) => createHash('sha256').update(typeof x === 'string' ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength)).digest('hex');

// The scalar numbers of the figures (nested names joined by '.'), arrays left out.
function scalars(x, prefix = '', out = {}) {
  if (typeof x === 'number' || typeof x === 'boolean') out[prefix] = x;
  else if (Array.isArray(x)) x.forEach((v, i) => { if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) scalars(v, `${prefix}.${v.name || i}`, out); });
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) for (const [k, v] of Object.entries(x)) scalars(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

// One run: a link trained `steps` steps, or a .flowlab file retrained to its step.
export function replay(lab, task) {
  let link = task.link, want = null;
  if (task.bytes) {
    want = lab.restore(task.bytes);
    link = want.link;
  }
  const exp = lab.create(link);
  try {
    const steps = task.steps ?? (want ? want.step : exp.total);
    const t0 = performance.now();
    while (exp.step < steps) exp.train(Math.min(100, steps - exp.step));
    const seconds = (performance.now() - t0) / 1000;
    const losses = exp.losses(0);
    const figures = exp.figures({ preview: false });
    const params = exp.parameters();
    const tail = losses.slice(Math.max(0, losses.length - 100));
    const metrics = {
      step: exp.step,
      loss: losses.length ? losses[losses.length - 1] : null,
      lossMean100: tail.length ? tail.reduce((s, v) => s + v, 0) / tail.length : null,
      ...scalars(figures),
    };
    const run = { input: task.input, exercise: exp.config.ex, link: exp.link, steps, seconds, metrics,
      sha256: { params: sha256(params), losses: sha256(losses), figures: sha256(canonical(figures)) } };
    if (want) {
      const same = want.step === exp.step && sha256(want.parameters()) === run.sha256.params;
      run.verified = same ? 'bit-identical' : 'differs';
    }
    if (!issuesOk(exp)) run.linkIssues = exp.issues;
    return run;
  } finally {
    exp.dispose();
    if (want) want.dispose();
  }
}
const issuesOk = (exp) => !exp.issues || exp.issues.length === 0;

export function check(run, thresholds) {
  if (!thresholds) return run;
  // '*' bounds every run that reports the metric (a closed-form cov1d field has no loss);
  // an exercise's own bounds also fail a run that does not report it.
  const any = Object.entries(thresholds['*'] || {}).filter(([metric]) => run.metrics[metric] !== undefined);
  const bounds = { ...Object.fromEntries(any), ...(thresholds[run.exercise] || {}) };
  run.checks = Object.entries(bounds).map(([metric, { min, max }]) => {
    const value = run.metrics[metric];
    const ok = typeof value === 'number' && Number.isFinite(value) && (min === undefined || value >= min) && (max === undefined || value <= max);
    return { metric, value: value ?? null, min, max, ok };
  });
  return run;
}

// Inputs → tasks: links, .flowlab files, or text files of links.
export function tasksOf(inputs, steps) {
  const tasks = [];
  for (const input of inputs) {
    if (fs.existsSync(input) && fs.statSync(input).isFile()) {
      const bytes = fs.readFileSync(input);
      if (input.endsWith('.flowlab')) { tasks.push({ input, bytes: new Uint8Array(bytes) }); continue; }
      for (const line of bytes.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//')))
        tasks.push({ input: line, link: linkOf(line), steps });
    } else tasks.push({ input, link: linkOf(input), steps });
  }
  return tasks;
}
const linkOf = (s) => (s.includes('#') ? s.slice(s.indexOf('#') + 1) : s.replace(/^\?/, ''));

async function loadLab() {
  const FlowLab = await import('../web/js/api.js');
  return FlowLab.load();
}

if (!isMainThread) {
  const lab = await loadLab();
  parentPort.on('message', ({ i, task }) => {
    try {
      parentPort.postMessage({ i, run: replay(lab, task) });
    } catch (e) {
      parentPort.postMessage({ i, run: { input: task.input, error: String(e && e.message || e) } });
    }
  });
} else if (process.argv[1] && import.meta.url === new URL(`file://${fs.realpathSync(process.argv[1])}`).href) {
  const args = process.argv.slice(2);
  const opt = { jobs: os.availableParallelism ? os.availableParallelism() : os.cpus().length };
  const inputs = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--steps') opt.steps = Number(args[++i]);
    else if (args[i] === '--jobs') opt.jobs = Number(args[++i]);
    else if (args[i] === '--thresholds') opt.thresholds = JSON.parse(fs.readFileSync(args[++i], 'utf8'));
    else if (args[i] === '-h' || args[i] === '--help') { console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 19).join('\n')); process.exit(0); }
    else inputs.push(args[i]);
  }
  if (opt.steps !== undefined && !(Number.isInteger(opt.steps) && opt.steps >= 0)) throw new Error('--steps must be an integer ≥ 0');
  const tasks = tasksOf(inputs, opt.steps);
  if (!tasks.length) { console.error('replay: no links or files given (--help)'); process.exit(2); }
  const t0 = performance.now();
  const runs = new Array(tasks.length);
  const jobs = Math.max(1, Math.min(opt.jobs || 1, tasks.length));
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, () => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url));
    const feed = () => {
      if (next >= tasks.length) { w.terminate(); resolve(); return; }
      const i = next++;
      w.postMessage({ i, task: tasks[i] });
    };
    w.on('message', ({ i, run }) => { runs[i] = check(run, opt.thresholds); feed(); });
    w.on('error', reject);
    w.once('online', feed);
  })));
  const wall = (performance.now() - t0) / 1000;
  for (const r of runs) r.ok = !r.error && (!r.checks || r.checks.every((c) => c.ok)) && r.verified !== 'differs';
  console.log(JSON.stringify(runs, null, 1));
  const bad = runs.filter((r) => !r.ok).length;
  console.error(`replay: ${runs.length} runs, ${bad} failed, ${jobs} parallel, ${wall.toFixed(1)} s wall`);
  process.exit(bad ? 1 : 0);
}
