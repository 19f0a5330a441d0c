// @ts-check
// Flow matching on the Olympic rings (sheet 003 §2), unconditional (fm-rings)
// and class-conditional v(x, t, c) with a learned class embedding (fm-rings-cond).
// Everything of FlowMatchingExperiment, plus:
//   exp.conditional                      → true for fm-rings-cond
//   exp.data()                           → { points, labels, own } the fixed training set (standardised; own: your points)
//   exp.sampleClass(n, cls, opts)        → samples asked for ring cls (0..4; −1: ring i mod 5)
//   exp.trajectoriesClass(n, cls, opts)  → (steps+1) × n × 2
//   exp.nearestRing(points)              → Int32Array, nearest ring of each point
//   exp.classQuality(points, cls)        → { accuracy, quality: { accuracy, ceiling, gap, ok, advice, … } }
import { Experiment } from './base.js';
import { FlowMatchingExperiment } from './flow_matching.js';

const Base = FlowMatchingExperiment;
const PREVIEW_POINTS = 2000;
const DTS = [0.002, 0.02, 0.05, 0.1, 0.2];
const evenFive = (x) => Array.from({ length: 10 }, (_, k) => x[2 * Math.floor((k >> 1) * (x.length / 2) / 5) + (k & 1)]);
const classArg = (cls) => Experiment.intArg(cls, 'class', -1, 4);

class RingsExperiment extends Base {
  get conditional() { return this.handle.conditional(); }
  unavailable(name) {
    return name === 'w2' && !this.conditional ? 'The per-class W2 is for the class-conditional model (fm-rings-cond).' : '';
  }
  data() { return { points: this.handle.ringsData(), labels: this.handle.ringsLabels(), own: this.own }; }
  sampleClass(n = this.config.samples, cls = -1, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.sampleClass(Experiment.intArg(n, 'n', 1, 1e6), classArg(cls), steps, solver);
  }
  trajectoriesClass(n = 5, cls = -1, opts) {
    const [steps, solver] = this.ode(opts);
    return this.handle.trajectoriesClass(Experiment.intArg(n, 'n', 1, 1e6), classArg(cls), steps, solver);
  }
  nearestRing(points) { return this.handle.nearestRing(Array.from(points)); }
  // Your own points: { classes } asked for by sampleClass(n, cls) (the rings' are i mod 5: none).
  classesAsked(n, cls) { return this.own ? { classes: this.handle.classesOf(n, classArg(cls)) } : {}; }
  // Fraction of points whose nearest ring is the one asked for (cls, or i mod 5 for −1).
  accuracy(points, cls = -1) { return this.classQuality(points, cls).accuracy; }

  // Accuracy of samples asked for cls against the data's own nearest-ring
  // ceiling, with the verdict (core/quality.h): { accuracy, quality }.
  classQuality(points, cls = -1) {
    if (this.own) return {};  // no rings to be nearest to
    const quality = this.handle.classQuality(Array.from(points), classArg(cls));
    return { accuracy: quality.accuracy, quality };
  }


  // Sliced figures (figuresJob): the unconditional model only.
  figurePoints(preview) {
    const full = Math.max(1000, this.config.samples);
    return this.conditional ? 0 : preview ? Math.min(PREVIEW_POINTS, full) : full;
  }
  figuresOf(samples) { return { step: this.step, done: this.step >= this.config.steps, samples }; }
  // The conditional model's figures in slices too (classes i mod 5).
  figuresJob({ preview = false } = {}) {
    if (!this.conditional) return Base.prototype.figuresJob.call(this, { preview });
    const full = Math.max(3000, this.config.samples);
    const n = preview ? Math.min(PREVIEW_POINTS, full) : full;
    const [steps, solver] = this.ode();
    this.handle.sampleClassBegin(n, -1);
    return Base.odeJob(steps, (from, to) => this.handle.sampleSteps(steps, from, to, solver), () => {
      const samples = this.handle.sampleEnd();
      return { step: this.step, done: this.step >= this.config.steps, samples, cls: -1, ...this.classQuality(samples, -1), ...this.classesAsked(n, -1) };
    });
  }
  // Live figure: samples at t = 1 (conditional: classes i mod 5, ≥ 3000 points when not previewing).
  figures({ preview = false, points = PREVIEW_POINTS } = {}) {
    const full = Math.max(this.conditional ? 3000 : 1000, this.config.samples);
    const n = preview ? Math.min(points, full) : full;
    if (!this.conditional) return this.figuresOf(this.sample(n));
    const samples = this.sampleClass(n, -1);
    return { step: this.step, done: this.step >= this.config.steps, samples, cls: -1, ...this.classQuality(samples, -1), ...this.classesAsked(n, -1) };
  }
}
/** @type {import('./base.js').Analyses<RingsExperiment>} */
RingsExperiment.prototype.analyses = {
  // Q2: 1000 samples of N(0, I) at t = 0, 0.2, …, 1 (50 steps of the config's solver).
  progression({ n = 1000 } = {}) {
    const steps = 50;
    const traj = this.trajectories(n, { steps });
    const snapshots = [0, 10, 20, 30, 40, 50].map((k) => ({ t: k / steps, points: traj.slice(k * 2 * n, (k + 1) * 2 * n) }));
    return { step: this.step, n, steps, snapshots };
  },
  // Q3: trajectories of 10 points, 50 steps.
  trajectories({ n = 10 } = {}) {
    const steps = 50;
    return { step: this.step, n, steps, traj: this.trajectories(n, { steps }) };
  },
  // Q4: the same model and noise, Euler with Δt = 0.002 … 0.2.
  quantization({ n = 1000 } = {}) {
    const runs = DTS.map((dt) => ({ dt, steps: Math.round(1 / dt), points: this.sample(n, { steps: Math.round(1 / dt), solver: 'euler' }) }));
    return { step: this.step, n, runs };
  },
  // Q5: the five points from t = 1 back to 0 and forward again, Euler per Δt;
  // round-trip error ‖ψ(ψ⁻¹(x)) − x‖ per point.
  // Your own points: five of them, evenly spaced through the set (the sheet's lie on the rings).
  reverse() {
    const points = this.own ? evenFive(this.handle.ringsData()) : this.lab.sheetPoints;  // sheet 003 §1.5: three inliers, two outliers
    const runs = DTS.map((dt) => {
      const steps = Math.round(1 / dt);
      const r = this.handle.roundTrip(points, steps);
      return { dt, steps, back: r.back, x0: r.x0, errors: Array.from(r.errors), mean: r.mean };
    });
    return { step: this.step, own: this.own, points: Float32Array.from(points), runs };
  },
  // ln p_1 on a grid and of the five points of sheet 003 §1.5 (200 midpoint
  // steps), by the instantaneous change of variables.
  density(args) {
    if (this.conditional) throw new Error('the log-density analysis is for the unconditional model (fm-rings)');
    const g = FlowMatchingExperiment.prototype.analyses.density.call(this, args);
    if (this.own) return g;  // the sheet's five points lie on the rings, not on your points
    const points = this.lab.sheetPoints;
    return { ...g, points: Float32Array.from(points), logpPoints: this.handle.logDensity(points, 200, 1) };
  },
  // Unconditional: NLL of n fresh data points (exact ln p, `steps` midpoint
  // steps) against the exact entropy of the same points (core/quality.h).
  quality({ n = 2000, steps = 40 } = {}) {
    if (this.own) return this.ownQuality(n, steps);
    if (this.conditional) throw new Error('the NLL quality report is for the unconditional model (fm-rings)');
    return { step: this.step, ...this.handle.ringsQuality(Experiment.intArg(n, 'n', 5, 100000),
      Experiment.intArg(steps, 'steps', 1, 1000)) };
  },
  // Conditional Q1: the training data coloured by class.
  data() { return { step: this.step, ...this.data() }; },
  // Conditional Q2: one trajectory per class from the same noise point.
  classTrajectories() {
    const steps = 50;
    const traj = [0, 1, 2, 3, 4].map((c) => this.trajectoriesClass(1, c, { steps }));
    return { step: this.step, steps, traj, own: this.own };
  },
  // The exact per-class 2-Wasserstein distance of n samples to the ring's data after
  // 1, 2, 4, 8 Euler steps (few steps: how straight each class's flow is; see the pairing field).
  w2({ n = 500 } = {}) {
    const nfe = [1, 2, 4, 8].map((e) => this.handle.classW2(e, Experiment.intArg(n, 'n', 2, 2000)));
    return { step: this.step, n, pairing: this.config.pairing, nfe };
  },
  // Conditional Q3 with the control: ≥ 3000 samples of one class (0..4) or all (−1).
  classSamples({ cls = -1, n = Math.max(3000, this.config.samples) } = {}) {
    const samples = this.sampleClass(n, cls);
    return { step: this.step, samples, cls, ...this.classQuality(samples, cls), ...this.classesAsked(n, cls) };
  },
};

export const kinds = { 'fm-rings': RingsExperiment, 'fm-rings-cond': RingsExperiment };
export { RingsExperiment };
