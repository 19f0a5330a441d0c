// flowlab JS API: the one the page's worker uses, and the one a student can
// script from the browser console or node. A thin layer over the wasm module
// (web/gen/flowlab.js); every array it returns is a copy, safe to keep and to
// postMessage. One file per exercise family under js/api/ registers its
// Experiment class here.
//
//   const lab = await FlowLab.load();        // browser page, worker or node
//   lab.exercises                            // ids, e.g. ['fm-checkerboard', …]
//   lab.parseLink('#v=1&hidden=64')          // → { config, link, issues:[{field,message}] }
//   lab.linkOf({ ex: 'fm-checkerboard', seed: 3 })  // canonical link, validated by the core
//   const exp = lab.create('#v=1&seed=3');   // a link or a config object
//   exp.train(100)                           // → Float32Array, one loss per step
//   exp.step, exp.total                      // steps done, steps of the run (config.steps)
//   exp.figures()                            // everything the view draws, as data
//   exp.analyze(name, args)                  // on-demand analyses of the exercise
//   exp.parameters(), exp.setParameter(i, v) // the flat θ; perturb one weight
//   exp.save()                               // → Uint8Array checkpoint (link, weights, optimiser, RNG, losses)
//   exp.load(bytes)                          // restore a checkpoint of the same experiment; throws why not
//   lab.restore(bytes)                       // → a new experiment from a checkpoint file
//   lab.modelKey(link)                       // the link without its sampling fields: same key, same model
//   exp.dispose()
// Family-specific methods are documented in js/api/<family>.js.
(function (root) {
  'use strict';

  // Where this script was loaded from (only known while it is evaluated).
  const scriptUrl = (root.document && root.document.currentScript && root.document.currentScript.src) ||
    (root.location && root.location.href) || '';
  const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) &&
    typeof window === 'undefined' && typeof importScripts === 'undefined';

  const kinds = {};  // exercise id → Experiment class

  function toBytes(b) {
    if (b instanceof Uint8Array) return b;
    if (b instanceof ArrayBuffer || ArrayBuffer.isView(b)) return new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength);
    throw new Error('a checkpoint must be bytes (Uint8Array or ArrayBuffer)');
  }

  // A model's identity: its canonical link without the fields of the schema's
  // 'sampling' group (they change how a trained model is drawn, not the
  // model). Links with one key share weights and training.
  function modelKey(link, schema) {
    const pairs = String(link).replace(/^[#?]/, '').split('&').filter(Boolean).map((p) => p.split('='));
    const ex = (pairs.find(([k]) => k === 'ex') || [])[1];
    const sampling = new Set(schema.filter((f) => f.group === 'sampling' && (!f.exercises || f.exercises.split(' ').includes(ex))).map((f) => f.name));
    return pairs.filter(([k]) => !sampling.has(k)).map((p) => p.join('=')).join('&');
  }

  class Lab {
    constructor(module) { this.module = module; }
    modelKey(link) { return modelKey(link, this.schema()); }
    // The five points of sheet 003 §1.5 (core/datasets.h) as [x, y, …].
    get sheetPoints() { return Array.from(this.module.sheetPoints()); }
    get exercises() { return this.schema().find((f) => f.name === 'ex').choices; }
    parseLink(link) { return JSON.parse(this.module.parseLink(String(link || ''))); }
    schema() { return JSON.parse(this.module.schema()); }
    linkOf(config) {
      const parts = Object.entries(config).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      return this.parseLink(`v=1&${parts.join('&')}`).link;
    }
    restore(bytes) {
      const info = JSON.parse(this.module.checkpointLink(toBytes(bytes)));
      if (info.error) throw new Error(`cannot restore: ${info.error}`);
      const exp = this.create(info.link);  // exp.issues: the stored link's problems
      try {
        exp.load(bytes);
      } catch (e) {
        exp.dispose();
        // A link with problems builds another model than the file's: name them.
        if (info.issues.length) e.message += ` (the file's link has problems: ${info.issues.map((i) => `${i.field}: ${i.message}`).join('; ')})`;
        throw e;
      }
      return exp;
    }
    create(linkOrConfig = '') {
      const link = typeof linkOrConfig === 'string' ? linkOrConfig : this.linkOf(linkOrConfig);
      const parsed = this.parseLink(link);
      const Kind = kinds[parsed.config.ex];
      if (!Kind) throw new Error(`exercise '${parsed.config.ex}' has no experiment class`);
      return new Kind(this, parsed);
    }
  }

  // Base of every experiment: link state, the checks all of them share, and
  // the contract every wasm handle offers (wasm/bind_contract.h: each array
  // it returns is already a copy). A family class sets this.handle and
  // provides figures and its analyses.
  class Experiment {
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
    analyze(name, args = {}) {
      const fn = this.analyses && this.analyses[name];
      if (!fn) throw new Error(`unknown analysis '${name}'`);
      const refusal = this.module.analysisRefusal(this.link, name, argsOf(args));
      if (refusal) throw new Error(`${refusal[0].toUpperCase()}${refusal.slice(1)}.`);
      return fn.call(this, args);
    }
    // {flops, bytes, seconds} of analyze(name, args) by the cost model.
    analysisCost(name, args = {}) { return JSON.parse(this.module.analysisCost(this.link, name, argsOf(args))); }
    static intArg(value, name, lo, hi) {
      if (!(Number.isInteger(value) && value >= lo && value <= hi)) throw new Error(`${name} must be an integer in [${lo}, ${hi}]`);
      return value;
    }
  }

  // Analysis arguments for the cost model: numbers by name, an array `a` as
  // a=length&aSum=sum (e.g. RBM ks, RealNVP seeds or points).
  function argsOf(args) {
    const parts = [];
    for (const [k, v] of Object.entries(args || {})) {
      if (typeof v === 'number') parts.push(`${k}=${v}`);
      else if (Array.isArray(v) || ArrayBuffer.isView(v)) parts.push(`${k}=${v.length}`, `${k}Sum=${Array.prototype.reduce.call(v, (s, x) => s + Number(x), 0)}`);
    }
    return parts.join('&');
  }

  function register(ids, Kind) { for (const id of ids) kinds[id] = Kind; }

  // opts.factory: the module factory (default: global createFlowLab, or
  // require('../gen/flowlab.js') in node); opts.base: URL of web/gen/;
  // opts.threads: threads inside a step, for the pthreads module (gen/mt/),
  // whose workers are preloaded (threads − 1 of them).
  async function load(opts = {}) {
    const threads = Math.max(1, Math.min(64, opts.threads | 0));
    const args = { threadPool: threads - 1 };
    let factory = opts.factory || root.createFlowLab;
    if (isNode) {
      const path = require('path');
      const gen = opts.gen || path.join(__dirname, '..', 'gen');
      factory = factory || require(path.join(gen, 'flowlab.js'));
      // Emscripten 3.1.6's loader fetches the .wasm, which fails in node 18+ (fixed in 3.1.11): hand it the bytes.
      args.wasmBinary = require('fs').readFileSync(path.join(gen, 'flowlab.wasm'));
    } else {
      const base = opts.base || new URL('../gen/', scriptUrl).href;
      args.locateFile = (file) => new URL(file, base).href;
      // Loaded by importScripts, the module cannot tell its own URL, which
      // its pthread workers load.
      args.mainScriptUrlOrBlob = new URL('flowlab.js', base).href;
    }
    if (!factory) throw new Error('flowlab.js is not loaded (createFlowLab missing)');
    const module = await factory(args);
    if (module.setThreads) module.setThreads(threads);
    return new Lab(module);
  }

  // The family files, relative to this one (the worker and the page load
  // them after this file; node requires them below).
  const families = ['api/flow_matching.js', 'api/fm_rings.js', 'api/rbm.js', 'api/realnvp.js', 'api/cov1d.js', 'api/fm_ot.js'];

  const FlowLab = { load, Lab, Experiment, register, kinds, families, modelKey };
  root.FlowLab = FlowLab;
  if (isNode && typeof module !== 'undefined') {
    module.exports = FlowLab;
    for (const f of families) require(`./${f}`);
  }
})(typeof self !== 'undefined' ? self : globalThis);
