// @ts-check
// The runs library in the page: which stored run a link resumes, saving every
// checkpoint the worker posts (a failed save is shown; the stored step never
// goes backwards), a last save when the page is hidden or closed, and the
// list of runs kept in this browser, each reopened with one click.
import * as store from './store.js';
import * as messages from './messages.js';
import { views } from './views/index.js';
import { modelKey } from './api.js';

const $ = (id) => document.getElementById(id);
/** @type {(msg: import('./protocol.js').WorkerIn) => void} */
let post = () => {};   // to the worker
let schema = null;
let current = null;    // {key, ex, link} of this tab's run
let last = null;       // the newest checkpoint posted by the worker
let stored = null;     // {key, step}: what this tab last wrote
let resetPending = false;
let replaceNext = false;
const pending = new Map();  // link → newest checkpoint waiting for the write in flight
let writing = false;
let failed = false;
let keepFrom = null;   // model key of the run when a keep was asked for
// Stored runs handed to the worker and not (yet) restored: key → step. One
// the worker could not restore is not handed over again.
const handed = new Map();

const title = (ex) => (views[ex] ? views[ex].title : ex);
const field = (link, name) => (new RegExp(`(?:^|&)${name}=([^&]*)`).exec(link) || [])[1] || '';
function identity(link) {
  return { key: modelKey(link, schema), ex: field(link, 'ex') };
}

function notice(lines, kind) {
  const el = $('runs-notice');
  el.replaceChildren(...lines.map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    return p;
  }));
  el.className = kind || '';
}

export function attach(postToWorker) {
  post = postToWorker;
  // The tab may be closed or discarded once hidden: store what it has.
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  window.addEventListener('pagehide', flush);
}

// Before the worker starts: the stored run this link resumes (the newest run
// for an empty link), as {bytes, step} or null. Storage off: null.
export async function resumeFor(link) {
  try {
    const runs = await store.list();
    const hit = link === '' ? runs[0] : runs.find((r) => r.link === link);
    if (hit) {
      handed.set(hit.key, hit.step);
      return store.get(hit.key);
    }
    const old = await store.legacy();  // the single run of the first version
    return old && (link === '' || old.link === link) ? old : null;
  } catch {
    return null;  // storage disabled (private mode): start fresh
  }
}

// The worker is ready: the schema keys runs; the old single run moves in.
export async function ready(coreSchema) {
  schema = coreSchema;
  try {
    const old = await store.legacy();
    if (old) await store.adoptLegacy(identity(old.link));
  } catch { /* storage disabled */ }
  render();
}

// The worker configured a run. A fresh one whose model the library holds
// further along continues the stored run (same model: the sampling fields
// may differ); a reset starts over and replaces it. A link with problems
// keeps them on screen (its stored run is in the list).
export async function configured({ link, issues, restoredStep }) {
  const id = identity(link);
  const kept = keepFrom === id.key;
  keepFrom = null;
  current = { ...id, link };
  render();
  // Said here, not above the page: a banner there would move the buttons
  // under the pointer right after a field edit.
  if (kept) return notice(['Kept the trained model: the changed fields only change how it is sampled.'], 'info');
  if (resetPending) {
    resetPending = false;
    replaceNext = true;
    return;
  }
  if (restoredStep !== undefined) handed.delete(id.key);
  else if (handed.has(id.key)) {
    notice([`Your stored run of this model (step ${handed.get(id.key)}) could not be restored; this tab starts from step 0 and ` +
      'does not save over it. Press Reset to replace it, or open another run from the list.'], 'error');
  }
  if (restoredStep !== undefined || issues.length) return;
  const run = await store.get(id.key).catch(() => null);
  // Once per stored state: one the worker could not restore is not retried.
  if (!run || run.step <= 0 || !current || current.link !== link || handed.get(run.key) === run.step) return;
  handed.set(run.key, run.step);
  post({ type: 'configure', link, from: run.bytes, reason: `Restored your run at step ${run.step} from this browser's storage.` });
}

// The step this tab's run was last written at (null: nothing written yet).
export const storedStep = () => (stored && current && stored.key === current.key ? stored.step : null);

export function reset() {
  resetPending = true;
}

// A checkpoint from the worker: stored unless it is an untrained fresh run
// (those are only links). Writes are serialised; per run only the newest
// waits.
export function checkpoint(ck) {
  last = ck;
  if (ck.step === 0 && !replaceNext) return;
  const prev = pending.get(ck.link);
  pending.set(ck.link, { ck, replace: replaceNext || (prev && prev.replace) });
  replaceNext = false;
  if (!writing) drain();
}

async function drain() {
  writing = true;
  try {
    for (const [link, { ck, replace }] of pending) {
      pending.delete(link);
      await write(ck, replace);
    }
  } finally {
    writing = false;
  }
}

async function write(ck, replace) {
  if (!schema) return;
  const id = identity(ck.link);
  try {
    const r = await store.save({ ...id, link: ck.link, step: ck.step, bytes: ck.bytes }, { replace });
    if (r.saved) {
      stored = { key: id.key, step: ck.step };
      if (failed) notice([`Saving works again: step ${ck.step} is stored.`], 'info');
      failed = false;
      if (r.dropped.length) {
        notice([`The library keeps at most ${store.limits.runs} runs and ${formatSize(store.limits.bytes)}; it dropped the oldest:`,
          ...r.dropped.map((d) => `• ${title(d.ex)}, step ${d.step}, saved ${formatDate(d.savedAt)}`)], 'info');
      }
    } else {
      notice([`The library holds this run at step ${r.stored}, further than this tab (step ${ck.step}): another tab trained it on, ` +
        'or this tab opened an older copy. This tab does not save over it: open it from the list to continue from there, or press Reset to start over.'], 'info');
    }
  } catch (e) {
    const why = e && e.name === 'QuotaExceededError' ? 'the browser\'s storage for this site is full' : `${e && e.name}: ${e && e.message}`;
    const lines = [`Step ${ck.step} could not be saved in this browser (${why}).`,
      'The run is still here in this tab: use "Export run" to keep it as a file, or delete runs you no longer need from "Runs in this browser".'];
    notice(lines, 'error');
    if (!failed) messages.show(lines);  // once at the top too: the panel may be out of view
    failed = true;
  }
  render();
}

// Page hidden or closing: ask the worker for a checkpoint, and write the
// newest one the page already has if it is not stored yet.
function flush() {
  post({ type: 'save' });
  if (last && schema && last.step > 0 && !(stored && stored.key === identity(last.link).key && stored.step >= last.step)) checkpoint(last);
}

// Another run replaces this tab's: store this one's newest state first.
function leave() {
  post({ type: 'save' });
}

// A new link (form edit, hand-edited hash): the worker keeps the trained
// model when only sampling fields changed. ask: see main.js applyForm.
export function configure(link, ask) {
  leave();
  keepFrom = current && current.key;
  post({ type: 'configure', link, keep: true, ask });
}

// Another exercise: its newest stored run, or its defaults (keeping the seed).
export async function switchExercise(ex, seed) {
  leave();
  const runs = await store.list().catch(() => []);
  const run = runs.find((r) => r.ex === ex);
  if (run) return open(run.key);
  post({ type: 'configure', link: `v=1&ex=${encodeURIComponent(ex)}&seed=${seed}` });
}

async function open(key) {
  const run = await store.get(key).catch(() => null);
  if (!run) return notice(['That run is no longer stored (deleted in another tab?).'], 'error');
  leave();
  post({ type: 'restore', bytes: run.bytes, reason: `Opened your run of ${title(run.ex)} at step ${run.step}.` });
}

function formatSize(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)}\u00a0MB` : `${Math.max(1, Math.round(n / 1024))}\u00a0kB`;
}
function formatDate(t) {
  return new Date(t).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

let rendering = false;
async function render() {
  if (rendering) return;
  rendering = true;
  await new Promise((r) => setTimeout(r, 100));  // one redraw per burst of saves
  rendering = false;
  const runs = await store.list().catch(() => null);
  const list = $('runs');
  if (!runs) {
    list.replaceChildren();
    return;
  }
  // Newest first by when each run began, so entries do not move under the
  // pointer while a run trains (each save updates savedAt).
  runs.sort((a, b) => (b.created || b.savedAt) - (a.created || a.savedAt));
  list.replaceChildren(...runs.map((r) => {
    const li = document.createElement('li');
    const here = current && current.key === r.key;
    li.className = here ? 'current' : '';
    const openBtn = document.createElement('button');
    openBtn.type = 'button';
    openBtn.className = 'open';
    openBtn.title = r.link;
    const name = document.createElement('span');
    name.textContent = `${title(r.ex)}${here ? ' (this tab)' : ''}`;
    const info = document.createElement('span');
    info.className = 'small';
    info.textContent = `step ${r.step} · seed ${field(r.link, 'seed')} · ${formatDate(r.savedAt)} · ${formatSize(r.size)}`;
    openBtn.append(name, info);
    openBtn.addEventListener('click', () => open(r.key));
    li.append(openBtn);
    if (!here) {
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'delete';
      del.textContent = '✕';
      del.title = 'delete this run from the browser';
      del.setAttribute('aria-label', `delete the run of ${title(r.ex)} at step ${r.step}`);
      del.addEventListener('click', async () => {
        await store.remove(r.key).catch(() => {});
        render();
      });
      li.append(del);
    }
    return li;
  }));
  $('runs-empty').hidden = runs.length > 0;
}
