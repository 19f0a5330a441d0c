// @ts-check
// One progress bar for whatever the worker is doing: training (steps done of
// the total, time left at the measured wall-clock rate) or a long call the
// worker announced ('busy': its core/cost.h estimate, or ODE steps done).
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

let task = null;   // {what, seconds, t0, done?, steps?}: a long call under way
let timer = 0;

const secs = (s) => (s >= 90 ? `${Math.round(s / 60)} min` : s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`);

function show(fraction, text, cancellable) {
  const box = $('progress'), bar = /** @type {HTMLProgressElement} */ ($('progress-bar'));
  box.hidden = false;
  bar.value = Math.max(0, Math.min(1, fraction));
  $('progress-text').textContent = text;
  $('cancel').hidden = !cancellable;
}

function tick() {
  if (!task) return;
  const elapsed = (performance.now() - task.t0) / 1000;
  if (task.steps) {
    const f = task.done / task.steps;
    const left = f > 0 ? elapsed * (1 - f) / f : task.seconds;
    show(f, `${task.what}: ${task.done} / ${task.steps} ODE steps, about ${secs(left)} left`, true);
  } else {
    // The estimate is the core's cost model: say so, and never claim done before it is.
    show(Math.min(0.95, elapsed / task.seconds), `${task.what}: ${secs(elapsed)} of about ${secs(task.seconds)} (estimate)`, true);
  }
}

/**
 * A long call starts or goes on (the worker's 'busy' message).
 * @param {{what?: string, seconds?: number, done?: number, steps?: number}} call
 */
export function busy({ what = 'working', seconds = 1, done, steps }) {
  if (!task || task.what !== what) task = { what, seconds, t0: performance.now() };
  task.done = done;
  task.steps = steps;
  tick();
  clearInterval(timer);
  timer = window.setInterval(tick, 200);
}

/** The long call is over (its result, an error, a new configuration, a restarted worker). */
export function idle() {
  task = null;
  clearInterval(timer);
  $('progress').hidden = true;
}

/** Training: step of total at `rate` steps/s (wall clock); a busy call has precedence. */
export function training(step, total, rate, running) {
  if (task && task.what === 'a training step') idle();
  if (task) return;
  if (!running || !(total > 0)) { $('progress').hidden = true; return; }
  const left = rate > 0 ? (total - step) / rate : null;
  show(step / total, `training: step ${step} of ${total}${left !== null ? `, about ${secs(left)} left` : ''}`, false);
}

export const isBusy = () => !!task;
