// @ts-check
// The 1D instantaneous change of variables (sheet 000 §2, core/cov1d.h).
// Closed-form fields (linear, sine, split) have nothing to train: total = 0.
// The learned field is fitted by flow matching between N(μ0, σ0²) and a
// two-Gaussian mixture; its step/total/train/losses drive the loss chart.
//   exp.analytic                         → true unless the field is learned
//   exp.fieldAt(zs, t)                   → { f, df } (Float64Arrays)
//   exp.logQ(xs, t)                      → ln q(x, t)
//   exp.derive(z, dz, dt, t)             → the four steps' numbers (core Derivation)
//   exp.dtSweep(z, dz, t, dtMax, count)  → derivations at δt = dtMax, dtMax/2, …
//   exp.push(n, T, steps, solver, snaps) → particles with ln q integrated along each
import { Experiment } from './base.js';

class Cov1dExperiment extends Experiment {
  constructor(lab, parsed) {
    super(lab, parsed);
    this.handle = new this.module.Cov1d(parsed.link);
  }
  get analytic() { return this.handle.hasAnalytic(); }
  get total() { return this.analytic ? 0 : this.config.steps; }
  fieldAt(zs, t = 0) { return this.handle.fieldAt(Array.from(zs), t); }
  logQ(xs, t = 0) { return this.handle.logQ(Array.from(xs), t); }
  derive(z, dz, dt, t = 0) { return this.handle.derive(z, dz, dt, t); }
  dtSweep(z, dz, t, dtMax, count) { return this.handle.dtSweep(z, dz, t, dtMax, count); }
  push(n = 2000, T = 1, steps = 100, solver = 1, snapshots = 4) {
    return this.handle.push(Experiment.intArg(n, 'n', 1, 1e6), T, steps, solver, snapshots);
  }
  // The live figure: the field f(z, t) on a grid at t = 0, ½, 1.
  figures({ preview = false } = {}) {
    const m = preview ? 61 : 201;
    const zs = Float64Array.from({ length: m }, (_, i) => -4 + (8 * i) / (m - 1));
    const fields = [0, 0.5, 1].map((t) => ({ t, ...this.fieldAt(zs, t) }));
    return { step: this.step, analytic: this.analytic, zs, fields };
  }
}
const grid = (lo, hi, m) => Float64Array.from({ length: m }, (_, i) => lo + ((hi - lo) * i) / (m - 1));

/** @type {import('./base.js').Analyses<Cov1dExperiment>} */
Cov1dExperiment.prototype.analyses = {
  // The four steps at one (z, Δz, δt), with q(·, t) and q(·, t + δt) on a
  // window around the interval for the figure.
  derivation({ z = 0.5, dz = 0.4, dt = 0.2, t = 0, m = this.analytic ? 241 : 81 } = {}) {
    const d = this.derive(z, dz, dt, t);
    const lo = Math.min(z, d.x) - 2.5, hi = Math.max(z + dz, d.xEnd) + 2.5;
    const xs = grid(lo, hi, m);
    return { ...d, xs, qT: this.logQ(xs, t).map(Math.exp), qNext: this.logQ(xs, t + dt).map(Math.exp) };
  },
  // δt → 0: the three rates against δt, and their order (slope in log–log).
  sweep({ z = 0.5, dz = 1e-6, t = 0, dtMax = 0.5, count = 12 } = {}) {
    const rows = this.dtSweep(z, dz, t, dtMax, count);
    const dts = rows.map((r) => r.dt), slope = (ys) => this.module.cov1dLogLogSlope(dts, ys);
    return { rows, slopeLinear: slope(rows.map((r) => r.errLinear)), slopeTrue: slope(rows.map((r) => r.errTrue)) };
  },
  // Particles pushed to T with ln q carried along each, the histogram of
  // their end points, and the density q(·, T) of the flow on a grid (the
  // closed form, or for the learned field ln q integrated back to t = 0).
  particles({ n = 4000, T = 1, steps = 100, solver = 1, snapshots = 4, bins = 40 } = {}) {
    const p = this.push(n, T, steps, solver, snapshots);
    const end = p.z.slice(snapshots * n);
    const [a, b] = this.module.cov1dHistogramWindow(Array.from(end));
    const hist = this.module.cov1dHistogram(Array.from(end), a, b, bins);
    const centres = grid(a + (b - a) / (2 * bins), b - (b - a) / (2 * bins), bins);
    const qCentres = this.logQ(centres, T).map(Math.exp);
    // L1 distance between the histogram and q(·, T) (both densities on [a, b)).
    const l1 = this.module.cov1dL1Distance(hist, Array.from(qCentres), (b - a) / bins);
    const xs = grid(a, b, this.analytic ? 241 : 81);
    // No closed form for the learned field: its exact columns are absent (not NaN).
    const exact = this.analytic ? {} : { logQExact: null, maxAbsErr: null };
    return { ...p, ...exact, range: [a, b], bins, hist, l1, xs, qCurve: this.logQ(xs, T).map(Math.exp) };
  },
};

export const kinds = { cov1d: Cov1dExperiment };
