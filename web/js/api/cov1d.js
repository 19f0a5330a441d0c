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
(function (root) {
  'use strict';
  const FlowLab = root.FlowLab || require('../api.js');

  class Cov1dExperiment extends FlowLab.Experiment {
    constructor(lab, parsed) {
      super(lab, parsed);
      this.handle = new this.module.Cov1d(parsed.link);
    }
    get analytic() { return this.handle.hasAnalytic(); }
    get total() { return this.analytic ? 0 : this.config.steps; }
    get step() { return this.handle.step(); }
    get numParams() { return this.handle.numParams(); }
    train(n = 1) {
      const from = this.handle.step();
      this.handle.train(FlowLab.Experiment.intArg(n, 'n', 1, 1e7));
      return this.handle.losses(from).slice();
    }
    losses(from = 0) { return this.handle.losses(from).slice(); }
    fieldAt(zs, t = 0) { return this.handle.fieldAt(Array.from(zs), t); }
    logQ(xs, t = 0) { return this.handle.logQ(Array.from(xs), t); }
    derive(z, dz, dt, t = 0) { return this.handle.derive(z, dz, dt, t); }
    dtSweep(z, dz, t, dtMax, count) { return this.handle.dtSweep(z, dz, t, dtMax, count); }
    push(n = 2000, T = 1, steps = 100, solver = 1, snapshots = 4) {
      return this.handle.push(FlowLab.Experiment.intArg(n, 'n', 1, 1e6), T, steps, solver, snapshots);
    }
    // The live figure: the field f(z, t) on a grid at t = 0, ½, 1.
    figures({ preview = false } = {}) {
      const m = preview ? 61 : 201;
      const zs = Float64Array.from({ length: m }, (_, i) => -4 + (8 * i) / (m - 1));
      const fields = [0, 0.5, 1].map((t) => ({ t, ...this.fieldAt(zs, t) }));
      return { step: this.step, analytic: this.analytic, zs, fields };
    }
    dispose() { this.handle.delete(); this.handle = null; }
  }
  Cov1dExperiment.prototype.analyses = {
    derivation({ z = 0.5, dz = 0.05, dt = 0.05, t = 0 } = {}) { return this.derive(z, dz, dt, t); },
    sweep({ z = 0.5, dz = 1e-6, t = 0, dtMax = 0.5, count = 12 } = {}) {
      return { rows: this.dtSweep(z, dz, t, dtMax, count) };
    },
    particles({ n = 4000, T = 1, steps = 100, solver = 1, snapshots = 4 } = {}) {
      return this.push(n, T, steps, solver, snapshots);
    },
  };

  FlowLab.register(['cov1d'], Cov1dExperiment);
})(typeof self !== 'undefined' ? self : globalThis);
