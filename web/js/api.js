// flowlab JS API: the one the page's worker uses, and the one a student can
// script from the browser console or node. A thin layer over the wasm
// module (web/gen/flowlab.js); every array it returns is a copy, safe to keep
// and to postMessage.
//
//   const lab = await FlowLab.load();          // browser, worker or node
//   lab.parseLink('#v=1&hidden=64')            // → { config, link, issues }
//   lab.linkOf({ hidden: 64, seed: 3 })        // → 'v=1&ex=…' (validated by the core)
//   const exp = lab.create('#v=1&seed=3');     // link, or config object
//   exp.train(100);                            // → Float32Array of the 100 losses
//   exp.step;                                  // steps done
//   exp.sample(10000);                         // → Float32Array [x0,y0,x1,y1,…] at t = 1
//   exp.trajectories(10, { steps: 50 });       // → Float32Array (steps+1) × n × 2
//   exp.flow([x, y, …], 1, 0);                 // integrate given points from t=1 back to 0
//   exp.velocity([x, y, …], 0);                // v(x, t)
//   exp.onSquares(points);                     // fraction of points on the checkerboard
//   exp.dispose();
// Options of sample/trajectories/flow: { solver: 'euler'|'midpoint', steps }
// (defaults: the experiment's config).
(function (root) {
  'use strict';

  const SOLVERS = ['euler', 'midpoint'];
  // Where this script was loaded from (only known while it is evaluated).
  const scriptUrl = (root.document && root.document.currentScript && root.document.currentScript.src) ||
    (root.location && root.location.href) || '';

  class Experiment {
    constructor(lab, parsed) {
      this.lab = lab;
      this.config = parsed.config;
      this.link = parsed.link;
      this.issues = parsed.issues;
      this.handle = new lab.module.FlowMatching(parsed.link);
    }
    get step() { return this.handle.step(); }
    get numParams() { return this.handle.numParams(); }
    train(n = 1) {
      const from = this.handle.step();
      this.handle.train(n);
      return this.handle.losses(from).slice();
    }
    losses(from = 0) { return this.handle.losses(from).slice(); }
    _ode(opts = {}) {
      const solver = SOLVERS.indexOf(opts.solver || this.config.solver);
      if (solver < 0) throw new Error(`solver must be one of ${SOLVERS.join(', ')}`);
      const steps = opts.steps === undefined ? this.config.ode_steps : opts.steps;
      if (!(Number.isInteger(steps) && steps >= 1 && steps <= 100000)) throw new Error('steps must be an integer in [1, 100000]');
      return [steps, solver];
    }
    sample(n = this.config.samples, opts) {
      const [steps, solver] = this._ode(opts);
      return this.handle.sample(n, steps, solver).slice();
    }
    trajectories(n = 10, opts) {
      const [steps, solver] = this._ode(opts);
      return this.handle.trajectories(n, steps, solver).slice();
    }
    flow(points, t0 = 0, t1 = 1, opts) {
      const [steps, solver] = this._ode(opts);
      return this.handle.flow(Array.from(points), t0, t1, steps, solver).slice();
    }
    velocity(points, t = 0) { return this.handle.velocity(Array.from(points), t).slice(); }
    onSquares(points) { return this.lab.module.checkerboardFraction(Array.from(points)); }
    dispose() { this.handle.delete(); this.handle = null; }
  }

  class Lab {
    constructor(module) { this.module = module; }
    parseLink(link) { return JSON.parse(this.module.parseLink(String(link || ''))); }
    schema() { return JSON.parse(this.module.schema()); }
    linkOf(config) {
      const parts = Object.entries(config).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      return this.parseLink(`v=1&${parts.join('&')}`).link;
    }
    create(linkOrConfig = '') {
      const link = typeof linkOrConfig === 'string' ? linkOrConfig : this.linkOf(linkOrConfig);
      return new Experiment(this, this.parseLink(link));
    }
  }

  // opts.factory: the module factory (default: global createFlowLab, or
  // require('../gen/flowlab.js') in node); opts.base: URL of web/gen/.
  async function load(opts = {}) {
    const isNode = typeof process !== 'undefined' && process.versions && process.versions.node &&
      typeof window === 'undefined' && typeof importScripts === 'undefined';
    const args = {};
    let factory = opts.factory || root.createFlowLab;
    if (isNode) {
      const path = require('path');
      const gen = opts.gen || path.join(__dirname, '..', 'gen');
      factory = factory || require(path.join(gen, 'flowlab.js'));
      // Emscripten 3.1.6 cannot fetch in node 18+ (TOOLCHAIN.md): hand it the bytes.
      args.wasmBinary = require('fs').readFileSync(path.join(gen, 'flowlab.wasm'));
    } else {
      const base = opts.base || new URL('../gen/', scriptUrl).href;
      args.locateFile = (file) => new URL(file, base).href;
    }
    if (!factory) throw new Error('flowlab.js is not loaded (createFlowLab missing)');
    return new Lab(await factory(args));
  }

  const FlowLab = { load, Lab, Experiment, SOLVERS };
  if (typeof module !== 'undefined' && module.exports) module.exports = FlowLab;
  else root.FlowLab = FlowLab;
})(typeof self !== 'undefined' ? self : globalThis);
