// @ts-check
// The report's worker: one experiment per exercise of a sheet, opened from a
// link or a checkpoint, trained to the end of its run on request (in chunks,
// reporting progress), and asked for everything its sheet's questions need.
// In:  {type:'open', ex, link, checkpoint?} | {type:'train', ex} | {type:'collect', ex}
// Out: {type:'state', ex, link, config, step, total} | {type:'progress', ex, step, total}
//      {type:'data', ex, link, config, step, total, data, checkpoint} | {type:'error', ex, message}
// A module worker.
import * as FlowLab from '../api.js';
import { nextTask } from '../next-task.js';

const CHUNK_MS = 60;
const exps = {};
let lab = null;

// The protocol above, for the checker.
/**
 * @typedef {{ex: string, link: string, config: Record<string, any>, step: number, total: number}} RunState
 * @typedef {{type: 'state'} & RunState | {type: 'progress', ex: string, step: number, total: number}
 *   | {type: 'data', data: unknown, checkpoint: Uint8Array} & RunState | {type: 'error', ex: string, message: string}} ReportOut
 */
// The lib is the page's DOM (one program with it): this module's global scope is a worker's.
const scope = /** @type {WorkerSelf} */ (/** @type {unknown} */ (self));
/** @param {ReportOut} msg @param {Transferable[]} [transfer] */
const post = (msg, transfer = []) => scope.postMessage(msg, transfer);
/** @param {string} ex @returns {RunState} */
const state = (ex) => { const e = exps[ex]; return { ex, link: e.link, config: e.config, step: e.step, total: e.total }; };

// An analysis that cannot run for these settings (say, an exact sum too
// large) leaves its reason; the other questions are still answered.
function safe(fn) {
  try {
    return fn();
  } catch (err) {
    return { error: String(err && err.message || err) };
  }
}

// Each exercise's answers: the API's own analyses plus the few views the
// sheets ask for that no view draws (named in comments).
const COLLECT = {
  rbm(e) {
    const fig = e.figures({ preview: false });
    return {
      figures: fig, losses: e.losses(0),
      paramagnet: safe(() => e.analyze('coupling', { scale: 0 })),
      coupled: safe(() => e.analyze('coupling', { scale: 1, useModelW: true })),
      conditional: safe(() => e.analyze('conditional', {})),
      gradient: safe(() => e.analyze('gradient', {})),
    };
  },
  cov1d(e) {
    return { figures: e.figures(), losses: e.losses(0), derivation: e.analyze('derivation', {}), sweep: e.analyze('sweep', {}),
      particles: e.analyze('particles', {}) };
  },
  'fm-checkerboard'(e) {
    return { losses: e.losses(0), fig4: e.analyze('fig4', {}), field0: e.analyze('field0', {}), density: e.analyze('density', {}) };
  },
  // v(x, 0) of both models at the seed's noise points: one Euler step of
  // length 1 from x(0) gives x(1) = x(0) + v(x(0), 0) exactly.
  'fm-ot'(e) {
    const n = 4000;
    const field0 = [0, 1].map((w) => {
      const tr = e.trajectories(w, n, { steps: 1, solver: 'euler' });
      const x = tr.slice(0, 2 * n), v = tr.slice(2 * n).map((b, i) => b - x[i]);
      return { x, v };
    });
    return { losses: [e.losses(0, 0), e.losses(0, 1)], compare: e.analyze('compare', {}), field0 };
  },
  realnvp(e) {
    return { losses: e.losses(0), validation: e.validation(), seeds: e.analyze('seeds', {}), layers: e.analyze('layers', {}),
      points: e.analyze('points', {}), density: e.analyze('density', {}) };
  },
  // Q5 (b): the inverted points of the finest Δt flowed forward again.
  'fm-rings'(e) {
    const reverse = e.analyze('reverse', {});
    const fine = reverse.runs[0];
    const forward = e.flow(fine.x0, 0, 1, { steps: fine.steps, solver: 'euler' });
    return { losses: e.losses(0), samples: e.sample(2000), progression: e.analyze('progression', {}), trajectories: e.analyze('trajectories', {}),
      quantization: e.analyze('quantization', {}), reverse, forward, density: e.analyze('density', {}) };
  },
  'fm-rings-cond'(e) {
    return { losses: e.losses(0), data: e.analyze('data', {}), classTrajectories: e.analyze('classTrajectories', {}),
      classSamples: e.analyze('classSamples', {}) };
  },
};

function collect(ex) {
  const e = exps[ex];
  const data = COLLECT[ex](e);
  const checkpoint = e.save();
  post({ type: 'data', ...state(ex), data, checkpoint }, [checkpoint.buffer]);
}

function train(ex) {
  const e = exps[ex];
  let chunk = 1;
  const loop = () => {
    try {
      if (e !== exps[ex]) return;
      if (e.step >= e.total) return collect(ex);
      const t0 = performance.now();
      const losses = e.train(Math.min(chunk, e.total - e.step));
      if (losses.some((v) => !Number.isFinite(v))) throw new Error(`training diverged at step ${e.step} (loss not finite); lower the learning rate in the link`);
      const dt = performance.now() - t0;
      chunk = Math.max(1, Math.min(2000, Math.round(chunk * CHUNK_MS / Math.max(dt, 0.1))));
      post({ type: 'progress', ex, step: e.step, total: e.total });
      nextTask(loop);
    } catch (err) {
      post({ type: 'error', ex, message: String(err && err.message || err) });
    }
  };
  loop();
}

const handlers = {
  open({ ex, link, checkpoint }) {
    if (exps[ex]) exps[ex].dispose();
    exps[ex] = checkpoint ? lab.restore(checkpoint) : lab.create(link);
    if (exps[ex].config.ex !== ex) throw new Error(`the run for ${ex} is a run of ${exps[ex].config.ex}`);
    post({ type: 'state', ...state(ex) });
  },
  train({ ex }) { train(ex); },
  collect({ ex }) { collect(ex); },
};

let ready = null;
scope.onmessage = async (e) => {
  try {
    if (!ready) ready = FlowLab.load({ base: new URL('../../gen/', location.href).href }).then((l) => { lab = l; });
    await ready;
    handlers[e.data.type](e.data);
  } catch (err) {
    post({ type: 'error', ex: e.data && e.data.ex, message: String(err && err.message || err) });
  }
};
