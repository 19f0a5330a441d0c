// @ts-check
// Minibatch OT (sheet 000 §3(c)): independent CFM and OT-CFM trained side by
// side from one link (core/fm_ot.h). which: 0 independent, 1 OT.
//   exp.train(n)                       → OT-CFM losses of the n steps (both models step)
//   exp.losses(from, which = 1)        → losses of one model
//   exp.sample(which, n, opts)         → Float32Array at t = 1 (fixed noise x0 of the seed)
//   exp.trajectories(which, n, opts)   → (steps+1) × n × 2
//   exp.analyze('compare')             → trajectories, straightness and NFE 1/2/4/8 quality of both
import { Experiment } from './base.js';
import { FlowMatchingExperiment } from './flow_matching.js';

const SOLVERS = ['euler', 'midpoint'];
const PREVIEW_POINTS = 2000;
const MODELS = ['independent', 'ot'];
const which = (w) => Experiment.intArg(w, 'which', 0, 1);

class FmOtExperiment extends Experiment {
  constructor(lab, parsed) {
    super(lab, parsed);
    this.handle = new this.module.FlowMatchingOt(parsed.link);
  }
  // train(n) (the base's) returns the OT model's losses.
  losses(from = 0, w = 1) { return this.handle.lossesOf(which(w), from); }
  ode(opts = {}) {
    const solver = SOLVERS.indexOf(opts.solver || this.config.solver);
    if (solver < 0) throw new Error(`solver must be one of ${SOLVERS.join(', ')}`);
    return [Experiment.intArg(opts.steps === undefined ? this.config.ode_steps : opts.steps, 'steps', 1, 100000), solver];
  }
  sample(w, n = this.config.samples, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.sample(which(w), Experiment.intArg(n, 'n', 1, 1e6), steps, solver);
  }
  trajectories(w, n = 10, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.trajectories(which(w), Experiment.intArg(n, 'n', 1, 1e6), steps, solver);
  }
  onSquares(points) { return this.module.checkerboardFraction(Array.from(points)); }
  figures({ preview = false, points = PREVIEW_POINTS } = {}) {
    const n = preview ? Math.min(points, this.config.samples) : this.config.samples;
    return this.figuresOf(MODELS.map((_, w) => this.sample(w, n)));
  }
  figuresOf(samples) {
    const own = !!this.config.data;  // your own points: no squares to be on
    const models = MODELS.map((name, w) => (own ? { name, samples: samples[w] } : { name, samples: samples[w], onSquares: this.onSquares(samples[w]) }));
    return { step: this.step, models, lossesIndependent: this.losses(0, 0), lossesOt: this.losses(0, 1) };
  }
  // figures() in slices of ODE steps (both models, one after the other), the same bits.
  figuresJob({ preview = false } = {}) {
    const n = preview ? Math.min(PREVIEW_POINTS, this.config.samples) : this.config.samples;
    const [steps, solver] = this.ode();
    for (const w of [0, 1]) this.handle.sampleBegin(w, Experiment.intArg(n, 'n', 1, 1e6));
    return FlowMatchingExperiment.odeJob(2 * steps, (from, to) => {
      for (const w of [0, 1]) {  // model w holds steps [w·steps, (w + 1)·steps) of the job
        const a = Math.max(from - w * steps, 0), b = Math.min(to - w * steps, steps);
        if (a < b) this.handle.sampleSteps(w, steps, a, b, solver);
      }
    }, () => this.figuresOf([0, 1].map((w) => this.handle.sampleEnd(w))));
  }
}
/** @type {import('./base.js').Analyses<FmOtExperiment>} */
FmOtExperiment.prototype.analyses = {
  // Both models: trajectories of nTraj points (midpoint, 20 steps), the
  // straightness of 500 paths (100 midpoint steps), and samples at
  // NFE = 1, 2, 4, 8 (Euler) with their fraction on the squares and SW2.
  compare({ nTraj = 200, nQuality = 3000 } = {}) {
    const models = MODELS.map((name, w) => ({
      name,
      traj: this.handle.trajectories(w, nTraj, 20, 1),
      straightness: this.handle.straightness(w, 500, 100),
      // On-squares and SW2 measure against the checkerboard: not for your own points.
      nfe: this.config.data ? [] : [1, 2, 4, 8].map((e) => this.handle.quality(w, e, nQuality)),
    }));
    return { step: this.step, nTraj, models };
  },
};

export const kinds = { 'fm-ot': FmOtExperiment };
