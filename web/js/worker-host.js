// @ts-check
// The page's training worker (js/worker.js): started, watched (a killed or
// hung worker stops answering pings), and restarted from the last checkpoint
// when it fails. The page (main.js) hands it its message handlers and hooks.
import * as messages from './messages.js';

const PATIENCE = 15000;  // ms of silence before the worker counts as dead

// onMessage: {type → handler}; stopped(): the page shows nothing running;
// drawn(): the current link's figures were drawn; link(): the link to start
// afresh from; timing(name, at): the page's first-load timings.
/**
 * @param {{onMessage: import('./protocol.js').WorkerOutHandlers, stopped: () => void, drawn: () => boolean,
 *   link: () => string, timing: (name: string, at: number) => void}} hooks
 */
export function hostWorker({ onMessage, stopped, drawn, link, timing }) {
  let worker = null;
  let lastCheckpoint = null;  // {link, step, bytes}: what a restarted worker resumes from
  let lastStored = null;  // the newest checkpoint stored: the last run known to draw
  let lastHeard = 0;   // when the worker last sent anything (pong, progress, figures…)
  let patience = PATIENCE;
  let restarts = null;   // {step, why}: the last restart, until the restarted worker draws figures
  const host = {
    starts: 0,      // how many workers this page has started (a restart loop shows here)
    gaveUp: false,  // the watchdog stopped restarting
    get started() { return !!worker; },
    /** @param {import('./protocol.js').WorkerIn} msg @param {Transferable[]} [transfer] */
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    terminate: () => worker.terminate(),
    get lastCheckpoint() { return lastCheckpoint; },
    checkpoint(ck) { lastCheckpoint = ck; },
    stored(ck) { lastStored = ck; },
    drew() { restarts = null; },  // the (restarted) worker works
    start,
    restart,
    revive,
  };

  function start(init) {
    // The first one was started by js/boot.js, before this page's modules loaded.
    const boot = window.flowlabBoot;
    window.flowlabBoot = null;
    if (boot && boot.failed) boot.worker.terminate();
    timing('workerCreated', boot ? boot.at : performance.now());
    worker = boot && !boot.failed ? boot.worker : new Worker('js/worker.js', { type: 'module' });
    host.starts++;
    worker.onmessage = (e) => {
      lastHeard = Date.now();
      // A long call starts: wait for it (generously: slow machines) before calling the worker dead.
      patience = e.data.type === 'busy' ? Math.max(PATIENCE, 4000 * e.data.seconds + 10000) : PATIENCE;
      if (onMessage[e.data.type]) onMessage[e.data.type](e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      restart(`The training worker failed (${e.message || 'unknown error'})`);
    };
    lastHeard = Date.now();
    patience = PATIENCE;
    worker.postMessage({ type: 'init', ...init });
  }

  function restart(why) {
    worker.terminate();
    stopped();
    let ck = lastCheckpoint;
    // Never loop: a restarted worker that fails again before drawing anything
    // would fail the same way forever.
    if (restarts) {
      host.gaveUp = true;
      messages.show([`${why}, again after a restart at step ${restarts.step} (${restarts.why}). Stopped restarting it: ` +
        'lower the heavy fields of this link, or open the lab without a link.']);
      return;
    }
    restarts = { step: ck ? ck.step : 0, why };
    // A link that never drew resumes the last run that did, not its own step 0.
    if (!drawn()) ck = lastStored;
    const resumed = ck ? `resumed from step ${ck.step}` : 'started afresh from the link';
    messages.show([`${why}; restarted it and ${resumed}.`]);
    start({ link: ck ? ck.link : link(), checkpoint: ck && ck.bytes.slice(),
      reason: `${why}; restarted it and ${resumed}.` });
  }

  // After the watchdog gave up, a new link (form, exercise, hash) gets a new worker.
  function revive(newLink) {
    if (!host.gaveUp) return false;
    host.gaveUp = false;
    restarts = null;
    lastCheckpoint = null;
    start({ link: newLink });
    return true;
  }

  setInterval(() => {
    if (!worker || host.gaveUp) return;
    // Training chunks are ~40 ms; a longer call is announced ('busy'). Silence beyond that is death.
    if (Date.now() - lastHeard > patience) restart(`The training worker stopped answering for ${Math.round(patience / 1000)} s`);
    else worker.postMessage({ type: 'ping' });
  }, 1000);

  return host;
}
