// @ts-check
// RealNVP on the Olympic rings (sheet 003 §1): affine couplings, exact log-det.
//   exp.sample(n, seed, {layers})  → Float32Array n × 2 (layers: (L + 1) × n × 2, z first)
//   exp.inverseLayers(points)      → Float32Array (L + 1) × n × 2, x first, z last
//   exp.logProb(points)            → { logp, logpz, logdet } (Float32Array each)
//   exp.validation()               → Float32Array rows (step, loss, −log p_z, −log det)
//   exp.entropy                    → the data's entropy (nats): the floor of the validation loss
//   exp.quality()                  → { entropy, valLoss, gap, logp, exact, sheet } (five points of §1.5);
//                                    your own points: { own, nll, valNll, n, nVal } (no entropy, no sheet points)
//   exp.own                        → true when the link carries your own points (data=)
import { Experiment } from './base.js';
import { SHEET_LOGP } from '../sheet-results.js';

class RealNvpExperiment extends Experiment {
  constructor(lab, parsed) {
    super(lab, parsed);
    this.handle = new this.module.RealNvp(parsed.link);
  }
  get layers() { return this.handle.layers(); }
  validation() { return this.handle.validation(); }
  sample(n = 1000, seed = 0, { layers = false } = {}) {
    return this.handle.sample(Experiment.intArg(n, 'n', 1, 1e6), Number(seed) || 0, !!layers);
  }
  inverseLayers(points) { return this.handle.inverseLayers(Array.from(points)); }
  logProb(points) { return this.handle.logProb(Array.from(points)); }
  trainData() { return this.handle.trainData(); }
  get entropy() { return this.handle.entropy(); }
  get own() { return this.handle.ownData(); }
  // Validation NLL against the data's entropy, and ln p of the five points
  // (model; exact density of the data, null off the rings where it is −∞, so
  // that the page's NaN/Inf guard does not mistake it for divergence).
  quality() {
    // Your own points have no exact density: the NLL of the training points and of the held-out ones.
    if (this.own) return { step: this.step, own: true, ...this.handle.ownQuality(2000) };
    const points = this.lab.sheetPoints;
    // Before the first step there is no validation loss yet: null (NaN would read as divergence).
    const v = this.validation(), valLoss = v.length ? v[v.length - 3] : null, entropy = this.entropy;
    return { step: this.step, entropy, valLoss, gap: valLoss === null ? null : valLoss - entropy, logp: this.logProb(points).logp,
      exact: Array.from(this.handle.exactLogProb(points), (v) => (Number.isFinite(v) ? v : null)), sheet: SHEET_LOGP };
  }

  figures({ preview = false } = {}) {
    return { step: this.step, total: this.total, layers: this.layers, validation: this.validation(), quality: this.quality(),
      samples: this.sample(preview ? 500 : 1000, 0) };
  }
}
/** @type {import('./base.js').Analyses<RealNvpExperiment>} */
RealNvpExperiment.prototype.analyses = {
  // Q2: 1000 samples for each of three sampling seeds.
  seeds({ n = 1000, seeds = [0, 1, 2] } = {}) {
    return { step: this.step, seeds, samples: seeds.map((s) => this.sample(n, s)) };
  },
  // Q3/Q4: the samples after each coupling layer ((L + 1) × n × 2, z first).
  layers({ n = 1000, seed = 0 } = {}) {
    return { step: this.step, layers: this.layers, n, points: this.sample(n, seed, { layers: true }) };
  },
  // Q5: the five points through the inverse, and their log p split in two
  // (your own points: the first five training points, as the sheet's lie on the rings).
  points({ points = this.own ? this.trainData().slice(0, 10) : this.lab.sheetPoints } = {}) {
    return { step: this.step, layers: this.layers, own: this.own, points: Float32Array.from(points),
      path: this.inverseLayers(points), ...this.logProb(points) };
  },
  // log p on an m × m grid over [lo, hi]² (rows = y), with the train data.
  density({ m = 120, lo = -3, hi = 3 } = {}) {
    return { step: this.step, m, lo, hi, logp: this.handle.densityGrid(m, lo, hi), data: this.trainData() };
  },
};

export const kinds = { realnvp: RealNvpExperiment };
export { RealNvpExperiment, SHEET_LOGP as REALNVP_SHEET_LOGP };
