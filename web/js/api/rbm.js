// @ts-check
// RBM experiment (sheet 000 §1): a binary RBM trained by CD-k / PCD.
//   exp.figures()                       → { step, n, m, width, height, exact, eval, quality, llHistory, W, a, b, losses… }
//   exp.setPatterns(rows)               → dataset 'drawn': the training patterns (flat 0/1, side² each); restarts
//   exp.analyze('patterns', {rows})  → the same, from the page (through the worker)
//   exp.analyze('chains', {B, sweeps, reset, fromData})     → B × n visible states of the display Gibbs chains
//   exp.analyze('reconstruct', {v, sweeps})                 → mean-field denoising of one pattern
//   exp.analyze('coupling', {scale, useModelW, chains, sweeps}) → (a) sampled marginals vs σ(a), σ(b), corr(v, h)
//   exp.analyze('conditional', {v})                         → (b) P(h|v) enumeration vs product of sigmoids
//   exp.analyze('gradient', {ks, samples})                  → (c) ∂L/∂W exact, FD (fd at flat indices fdIndex), CD-k, PCD
import { Experiment } from './base.js';

// The worker treats NaN as divergence: numbers that do not exist (no
// held-out set, not exact) leave as null.
const clean = (o) => {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && !Number.isFinite(v)) o[k] = null;
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v)) clean(v);
  }
  return o;
};

class RbmExperiment extends Experiment {
  constructor(lab, parsed) {
    super(lab, parsed);
    this.handle = new this.module.Rbm(parsed.link, null);
  }
  setPatterns(rows) {
    const next = new this.module.Rbm(this.link, Array.from(rows));
    this.handle.delete();
    this.handle = next;
  }
  figures({ preview = false } = {}) {
    const h = this.handle;
    const out = {
      step: h.step(), dataset: this.config.dataset, k: this.config.k, sampler: this.config.sampler, n: h.n(), m: h.m(), width: h.width(), height: h.height(),
      exact: h.exactAvailable(), llEvery: h.llEvery(),
      W: h.W(), a: h.a(), b: h.b(),
      nTrain: h.nTrain(), nTest: h.nTest(),
    };
    // Exact log-likelihood every llEvery steps: llSteps, llTrain, llTest (held-out, if any).
    const ll = h.llHistory(), L = ll.length / 3;
    out.llSteps = Float64Array.from({ length: L }, (_, i) => ll[3 * i]);
    out.llTrain = Float64Array.from({ length: L }, (_, i) => ll[3 * i + 1]);
    if (out.nTest > 0) out.llTest = Float64Array.from({ length: L }, (_, i) => ll[3 * i + 2]);
    if (!preview) {
      out.eval = h.evaluate();
      out.quality = h.quality();  // against −H(empirical) of the training patterns (core/quality.h)
      out.data = h.trainData().slice(0, Math.min(h.nTrain(), 40) * h.n());
    }
    return clean(out);
  }
  analyze(name, args) { return clean(super.analyze(name, args)); }
}

const visible = (exp, v) => {
  const n = exp.handle.n();
  if (!v || v.length !== n) throw new Error(`v must have ${n} pixels`);
  return Array.from(v, (x) => (x > 0.5 ? 1 : 0));
};

/** @type {import('./base.js').Analyses<RbmExperiment>} */
RbmExperiment.prototype.analyses = {
  chains({ B = 16, sweeps = 1, reset = false, fromData = false } = {}) {
    const h = this.handle;
    if (reset) h.chainsReset(Experiment.intArg(B, 'B', 1, 256), !!fromData);
    const V = h.chainsStep(Experiment.intArg(sweeps, 'sweeps', 0, 1000));
    return { step: h.step(), n: h.n(), width: h.width(), height: h.height(), chains: V };
  },
  reconstruct({ v, sweeps = 1 } = {}) {
    const x = visible(this, v);
    const r = this.handle.reconstruct(x, Experiment.intArg(sweeps, 'sweeps', 1, 100));
    return { v: Float32Array.from(x), recon: r, width: this.handle.width(), height: this.handle.height() };
  },
  // Dataset 'drawn': the drawn patterns become the training set (restarts at step 0).
  patterns({ rows } = {}) {
    this.setPatterns(rows);
    return { nTrain: this.handle.nTrain(), step: this.handle.step() };
  },
  // (a) W' = scale · W_model (useModelW) or scale · N(0, 1); scale 0 is the paramagnet.
  coupling({ scale = 0, useModelW = false, chains = 200, burnIn = 20, sweeps = 50, seed = 1 } = {}) {
    const c = this.handle.couplingStats(scale, !!useModelW, chains, burnIn, sweeps, seed);
    return { scale, useModelW: !!useModelW, n: this.handle.n(), m: this.handle.m(), ...c };
  },
  // (b) P(h | v) for one v (default: the first training pattern).
  conditional({ v } = {}) {
    const h = this.handle;
    const cap = this.module.rbmMaxConditionalBits;
    if (h.m() > cap) throw new Error(`P(h|v) enumeration is shown for m ≤ ${cap} hidden units`);
    const x = v ? visible(this, v) : Array.from(h.trainData().slice(0, h.n()));
    return { v: Float32Array.from(x), m: h.m(), ...h.conditionalCheck(x) };
  },
  // (c) ∂L/∂W over the training set.
  gradient({ ks = [1, 5, 20], samples = 2000, pcdBurnIn = 100, pcdSweeps = 20, eps = 1e-4, seed = 1, maxFd } = {}) {
    const h = this.handle;
    const n = h.n(), m = h.m(), states = Math.pow(2, Math.min(n, m));
    if (!h.exactAvailable() || states * n * m > 2e8) {
      throw new Error(`the exact gradient needs a sum over 2^${Math.min(n, m)} states × n·m (n=${n}, m=${m}): too slow here; use fewer hidden units or a smaller grid`);
    }
    // Finite differences cost two exact log-likelihoods (log Z) per entry:
    // check as many evenly spaced entries as fit in ~3 s.
    const fdBudget = maxFd || Math.max(8, Math.floor(6e7 / (2 * states * Math.max(n, m))));
    const g = h.gradientCheckFd(ks, samples, pcdBurnIn, pcdSweeps, eps, seed, Math.min(n * m, fdBudget));
    return { n, m, width: h.width(), height: h.height(), ...g };
  },
};

// They change the experiment (its chains, its training set): never on a copy.
RbmExperiment.prototype.inPlaceAnalyses = ['chains', 'patterns'];

export const kinds = { rbm: RbmExperiment };
export { RbmExperiment };
