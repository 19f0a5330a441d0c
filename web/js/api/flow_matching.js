// @ts-check
// Flow-matching experiments (sheet 000 §3): CFM from N(0, I) to a 2D target.
//   exp.sample(n?, opts)              → Float32Array [x, y, …] at t = 1 (fixed noise x0 of the seed)
//   exp.trajectories(n, opts)         → Float32Array (steps+1) × n × 2, t = 0 first
//   exp.flow(points, t0, t1, opts)    → trajectory of given points from t0 to t1
//   exp.velocity(points, t)           → v(x, t)
//   exp.onSquares(points)             → fraction on the checkerboard's filled squares
//   exp.figures({preview, points})    → the view's data; a preview has fewer points (`points`, default 2000)
//   exp.figuresJob({preview})         → figures() in slices of ODE steps (advance(k), result())
//   exp.logDensity(points, opts)      → Float64Array ln p_1(x) (reverse flow with ∫ Tr ∂v/∂x dt)
//   exp.analyze('fig4' | 'field0' | 'density') → Fig. 4 panels; v(x, 0) vs E[x1] − x; ln p_1 on a grid
//   exp.analyze('quality')            → exact NLL, KL gap to ln 32, on-squares fraction, verdict (core/quality.h)
//   exp.own                           → true when the link carries your own points (data=): then no
//                                       on-squares fraction, and 'quality' is the NLL of those points
// opts: { solver: 'euler' | 'midpoint', steps } (default: the config's).
import { Experiment } from './base.js';

const SOLVERS = ['euler', 'midpoint'];
const RK4 = 2;  // core/ode.h Solver::Rk4 (for the exact density; not a link setting)
const PREVIEW_POINTS = 2000;

class FlowMatchingExperiment extends Experiment {
  constructor(lab, parsed) {
    super(lab, parsed);
    this.handle = new this.module.FlowMatching(parsed.link);
  }
  get own() { return this.handle.ownData(); }
  ode(opts = {}) {
    const solver = SOLVERS.indexOf(opts.solver || this.config.solver);
    if (solver < 0) throw new Error(`solver must be one of ${SOLVERS.join(', ')}`);
    const steps = Experiment.intArg(opts.steps === undefined ? this.config.ode_steps : opts.steps, 'steps', 1, 100000);
    return [steps, solver];
  }
  sample(n = this.config.samples, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.sample(Experiment.intArg(n, 'n', 1, 1e6), steps, solver);
  }
  trajectories(n = 10, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.trajectories(Experiment.intArg(n, 'n', 1, 1e6), steps, solver);
  }
  flow(points, t0 = 0, t1 = 1, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.flow(Array.from(points), t0, t1, steps, solver);
  }
  velocity(points, t = 0) { return this.handle.velocity(Array.from(points), t); }
  // ln p_1(x) by the instantaneous change of variables (unconditional models).
  logDensity(points, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.logDensity(Array.from(points), steps, solver);
  }
  onSquares(points) { return this.module.checkerboardFraction(Array.from(points)); }
  // Your own points: the NLL of the training points (no exact reference exists).
  ownQuality(n, steps) {
    return { step: this.step, own: true, ...this.handle.ownQuality(Experiment.intArg(n, 'n', 1, 100000), Experiment.intArg(steps, 'steps', 1, 1000)) };
  }

  // The live figure: samples at t = 1 (fewer points while training runs).
  /** @param {{preview?: boolean, points?: number}} [opts] */
  figures({ preview = false, points } = {}) { return this.figuresOf(this.sample(this.figurePoints(preview, points))); }
  figurePoints(preview, points = PREVIEW_POINTS) { return preview ? Math.min(points, this.config.samples) : this.config.samples; }
  figuresOf(samples) {
    const f = { step: this.step, done: this.step >= this.config.steps, samples };
    return this.own ? f : { ...f, onSquares: this.onSquares(samples) };
  }
  // figures() in slices of ODE steps, with the same bits: job.advance(k) runs
  // up to k more steps and says whether all are done; job.result() is then
  // figures(). null when the figures are not one unconditional sample.
  figuresJob({ preview = false } = {}) {
    const n = this.figurePoints(preview);
    if (!n) return null;
    const [steps, solver] = this.ode();
    this.handle.sampleBegin(Experiment.intArg(n, 'n', 1, 1e6));
    return FlowMatchingExperiment.odeJob(steps, (from, to) => this.handle.sampleSteps(steps, from, to, solver),
      () => this.figuresOf(this.handle.sampleEnd()));
  }
  // A job of `steps` ODE steps: run(from, to) integrates [from, to); end()
  // gives the result once all are done.
  static odeJob(steps, run, end) {
    let done = 0;
    return {
      steps,
      get done() { return done; },
      advance: (k) => {
        const to = Math.min(steps, done + k);
        run(done, to);
        done = to;
        return done >= steps;
      },
      result: end,
    };
  }
}
/** @type {import('./base.js').Analyses<FlowMatchingExperiment>} */
FlowMatchingExperiment.prototype.analyses = {
  // Lipman et al. 2022, Fig. 4: left, the density at t = 0, 1/3, 2/3, 1
  // (midpoint, 15 steps so the snapshots fall on those t exactly: NFE 30, past
  // the bottom row's finest); right, samples at NFE = 4, 8, 10, 20 of the
  // midpoint solver (2 evaluations a step).
  fig4({ n = this.config.samples } = {}) {
    const steps = 15;
    const traj = this.trajectories(n, { steps, solver: 'midpoint' });
    const progression = [0, 5, 10, 15].map((k) => ({ t: k / steps, points: traj.slice(k * 2 * n, (k + 1) * 2 * n) }));
    const nfe = [4, 8, 10, 20].map((e) => {
      const points = this.sample(n, { solver: 'midpoint', steps: e / 2 });
      return this.own ? { nfe: e, points } : { nfe: e, points, onSquares: this.onSquares(points) };
    });
    return { step: this.step, progressionSteps: steps, progression, nfe };
  },
  // Sheet 000 §3(b): the trained v(x, t = 0) on an m × m grid over
  // [−half, half]² against v*(x, 0) = E[x1] − x (E[x1] from nData draws).
  // ln p_1 on an m × m grid over [−extent, extent]² and ∫ p over it; the five
  // points of sheet 003 §1.5 when asked. RK4 in 10 steps (40 evaluations) is
  // closer to a fine solution than midpoint in 40 (80): on a trained
  // checkerboard the p-weighted mean |Δ ln p| to RK4 × 80 is 0.00017 against 0.0011.
  density({ m = 81, extent = this.config.ex === 'fm-checkerboard' ? 5 : 3, steps = 10 } = {}) {
    const g = this.handle.densityGrid(m, -extent, extent, steps, RK4);
    return { step: this.step, steps, ...g };
  },
  field0({ m = 11, half = 0.5, nData = 100000 } = {}) {
    return { step: this.step, ...this.handle.fieldAtZero(m, half, nData) };
  },
  // The run against the exact optimum: NLL = −(1/32) ∫ ln p over the squares
  // (midpoint rule, k × k cells per square, ln p by `steps` midpoint steps),
  // KL gap = NLL − ln 32, and the fraction of the figure's samples on the squares.
  quality({ k = 16, steps = 40, n = 2000 } = {}) {
    if (this.own) return this.ownQuality(n, steps);
    const samples = this.sample(this.config.samples);
    return { step: this.step, ...this.handle.checkerboardQuality(samples, Experiment.intArg(k, 'k', 2, 64),
      Experiment.intArg(steps, 'steps', 1, 1000)) };
  },
};

export const kinds = { 'fm-checkerboard': FlowMatchingExperiment };
export { FlowMatchingExperiment, SOLVERS };
