// @ts-check
// flowlab JS API: the one the page's worker uses, and the one a student can
// script from the browser console or node. A thin layer over the wasm module
// (web/gen/flowlab.js); every array it returns is a copy, safe to keep and to
// postMessage. An ES module in the page, the (module) worker and node alike;
// one file per exercise family under js/api/ exports its Experiment classes,
// imported below.
//
//   import * as FlowLab from './api.js';     // the page's console: window.FlowLab
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
import { Experiment, toBytes } from './api/base.js';
import * as flowMatching from './api/flow_matching.js';
import * as fmRings from './api/fm_rings.js';
import * as rbm from './api/rbm.js';
import * as realnvp from './api/realnvp.js';
import * as cov1d from './api/cov1d.js';
import * as fmOt from './api/fm_ot.js';

export { Experiment };
export { FlowMatchingExperiment, SOLVERS } from './api/flow_matching.js';
export { RingsExperiment } from './api/fm_rings.js';
export { RbmExperiment } from './api/rbm.js';
export { RealNvpExperiment, REALNVP_SHEET_LOGP } from './api/realnvp.js';

// exercise id → Experiment class
export const kinds = Object.freeze(Object.assign({}, ...[flowMatching, fmRings, rbm, realnvp, cov1d, fmOt].map((m) => m.kinds)));

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) &&
  typeof window === 'undefined' && typeof importScripts === 'undefined';

// A model's identity: its canonical link without the fields of the schema's
// 'sampling' group (they change how a trained model is drawn, not the
// model). Links with one key share weights and training.
/** @param {string} link @param {{name: string, group?: string, exercises?: string}[]} schema @returns {string} */
export function modelKey(link, schema) {
  const pairs = String(link).replace(/^[#?]/, '').split('&').filter(Boolean).map((p) => p.split('='));
  const ex = (pairs.find(([k]) => k === 'ex') || [])[1];
  const sampling = new Set(schema.filter((f) => f.group === 'sampling' && (!f.exercises || f.exercises.split(' ').includes(ex))).map((f) => f.name));
  return pairs.filter(([k]) => !sampling.has(k)).map((p) => p.join('=')).join('&');
}

export class Lab {
  // embind's module object (web/gen/flowlab.js) has no type declarations.
  /** @param {any} module */
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

// opts.factory: the module factory (default: web/gen/flowlab.js, or opts.gen
// in node); opts.base: URL of web/gen/ (default: beside this file's folder);
// opts.threads: threads inside a step, for the pthreads module (gen/mt/),
// whose workers are preloaded (threads − 1 of them).
/** @param {{factory?: Function, gen?: string, base?: string, threads?: number}} [opts] @returns {Promise<Lab>} */
export async function load(opts = {}) {
  const threads = Math.max(1, Math.min(64, opts.threads | 0));
  const args = { threadPool: threads - 1 };
  let factory = opts.factory;
  if (isNode) {
    const [{ createRequire }, path, fs, { fileURLToPath }] = await Promise.all(
      ['node:module', 'node:path', 'node:fs', 'node:url'].map((m) => import(m)));
    const gen = path.resolve(opts.gen || fileURLToPath(new URL('../gen/', import.meta.url)));
    factory = factory || createRequire(import.meta.url)(path.join(gen, 'flowlab.js'));
    // Emscripten 3.1.6's loader fetches the .wasm, which fails in node 18+ (fixed in 3.1.11): hand it the bytes.
    args.wasmBinary = fs.readFileSync(path.join(gen, 'flowlab.wasm'));
  } else {
    const base = opts.base || new URL('../gen/', import.meta.url).href;
    args.locateFile = (file) => new URL(file, base).href;
    // Its pthread workers load the module's script by URL (it cannot tell its own).
    args.mainScriptUrlOrBlob = new URL('flowlab.js', base).href;
    factory = factory || await browserFactory(args.mainScriptUrlOrBlob);
  }
  if (!factory) throw new Error('flowlab.js gave no module factory (createFlowLab)');
  const module = await factory(args);
  if (module.setThreads) module.setThreads(threads);
  return new Lab(module);
}

// Emscripten 3.1.6's flowlab.js is a classic script (its ES6 output does not
// load in node, TOOLCHAIN.md), ending in a UMD tail that hands the factory to
// a CommonJS `exports` object when one exists. A module worker has no
// importScripts and the CSP allows no eval, so it is imported as a module
// while a global `exports` exists for that moment only (one import at a time;
// the module map keeps it, hence the factory is kept per URL).
const factories = new Map();
let importing = Promise.resolve();
function browserFactory(url) {
  if (!factories.has(url)) {
    const got = importing.then(async () => {
      const exports = {};
      globalThis.exports = exports;
      try { await import(url); } finally { delete globalThis.exports; }
      return exports.createFlowLab;
    });
    importing = got.catch(() => {});
    factories.set(url, got);
  }
  return factories.get(url);
}
