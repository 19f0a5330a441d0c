// @ts-check
// Base of every experiment class (one file per exercise family beside this
// one, each exporting `kinds`: exercise id → its class).
/** @param {ArrayBuffer | ArrayBufferView} b @returns {Uint8Array} */
export function toBytes(b) {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw new Error('a checkpoint must be bytes (Uint8Array or ArrayBuffer)');
}

// Base of every experiment: link state, the checks all of them share, and
// the contract every wasm handle offers (wasm/bind_contract.h: each array
// it returns is already a copy). A family class sets this.handle and
// provides figures and its analyses.
/**
 * A family's analyses by name; `args` come from the page's messages or the
 * console, unchecked JSON-like objects that each analysis destructures. Each
 * is typed as a method (bivariant in `this`): a subclass's analyses replace
 * its parent's.
 * @template {Experiment} E
 * @typedef {{[name: string]: {analysis(this: E, args?: any): unknown}['analysis']}} Analyses
 */
/**
 * What a family class adds on its prototype: its analyses, and why one of them
 * is unavailable for this model ('' when it is available).
 * @typedef {{analyses?: Analyses<Experiment>, unavailable?: (name: string) => string}} FamilyParts
 */
/** @typedef {{config: Record<string, any>, link: string, issues: {field: string, message: string}[]}} Parsed */
export class Experiment {
  /** @param {import('../api.js').Lab} lab @param {Parsed} parsed */
  constructor(lab, parsed) {
    this.lab = lab;
    this.module = lab.module;
    this.config = parsed.config;
    this.link = parsed.link;
    this.issues = parsed.issues;
  }
  get total() { return this.config.steps; }
  get step() { return this.handle.step(); }
  get numParams() { return this.handle.numParams(); }
  train(n = 1) { return this.handle.train(Experiment.intArg(n, 'n', 1, 1e7)); }
  losses(from = 0) { return this.handle.losses(from); }
  parameters() { return this.handle.parameters(); }
  setParameter(i, value) { this.handle.setParameter(i, value); }
  save() { return this.handle.save(this.link); }
  load(bytes) {
    const error = this.handle.load(toBytes(bytes));
    if (error) throw new Error(`cannot restore: ${error}`);
  }
  dispose() { this.handle.delete(); this.handle = null; }
  // Every analysis, from the page or the console, is priced by the core's
  // cost model (core/cost.h) with its arguments and refused before any
  // allocation when it does not fit.
  /** @param {string} name @param {Record<string, unknown>} [args] */
  analyze(name, args = {}) {
    this.refuse(name, args);
    return /** @type {this & FamilyParts} */ (this).analyses[name].call(this, args);
  }
  // Throws what analyze(name, args) would refuse — an unknown name, an analysis
  // this model does not have (`unavailable`), a cost that does not fit — without running it.
  /** @param {string} name @param {Record<string, unknown>} [args] */
  refuse(name, args = {}) {
    const own = /** @type {this & FamilyParts} */ (this);
    if (!(own.analyses && own.analyses[name])) throw new Error(`unknown analysis '${name}'`);
    const why = own.unavailable ? own.unavailable(name) : '';
    if (why) throw new Error(why);
    const refusal = this.module.analysisRefusal(this.link, name, argsOf(args));
    if (refusal) throw new Error(`${refusal[0].toUpperCase()}${refusal.slice(1)}.`);
  }
  // {flops, bytes, seconds} of analyze(name, args) by the cost model.
  /** @param {string} name @param {Record<string, unknown>} [args] */
  analysisCost(name, args = {}) { return JSON.parse(this.module.analysisCost(this.link, name, argsOf(args))); }
  /** @param {number} value @param {string} name @param {number} lo @param {number} hi @returns {number} */
  static intArg(value, name, lo, hi) {
    if (!(Number.isInteger(value) && value >= lo && value <= hi)) throw new Error(`${name} must be an integer in [${lo}, ${hi}]`);
    return value;
  }
}

// Analysis arguments for the cost model: numbers by name, an array `a` as
// a=length&aSum=sum (e.g. RBM ks, RealNVP seeds or points).
/** @param {Record<string, unknown>} args */
function argsOf(args) {
  const parts = [];
  for (const [k, v] of Object.entries(args || {})) {
    if (typeof v === 'number') parts.push(`${k}=${v}`);
    else if (Array.isArray(v) || ArrayBuffer.isView(v)) parts.push(`${k}=${/** @type {ArrayLike<number>} */ (v).length}`, `${k}Sum=${Array.prototype.reduce.call(v, (s, x) => s + Number(x), 0)}`);
  }
  return parts.join('&');
}
