#!/usr/bin/env node
// A link's quality report (core/quality.h) for several training seeds, with the
// page's own wasm (web/gen: the same bits as the browser). Too slow for the CI
// at full length; its output is what the defaults are judged on.
//   node tools/quality_seeds.mjs 'v=1&ex=fm-checkerboard' [seeds=1,2,3,4,5]
// Prints one JSON line a seed: the quality report and the training time.
import * as FlowLab from '../web/js/api.js';

const [link = 'v=1&ex=fm-checkerboard', seedList = '1,2,3,4,5'] = process.argv.slice(2);
const lab = await FlowLab.load();
for (const seed of seedList.split(',').map(Number)) {
  const exp = lab.create(`${link.replace(/^#/, '')}&seed=${seed}`);
  const t0 = performance.now();
  while (exp.step < exp.total) exp.train(Math.min(500, exp.total - exp.step));
  const seconds = (performance.now() - t0) / 1000;
  // Flow matching reports through analyze('quality'); RealNVP through quality(); the RBM with its figures.
  const q = typeof exp.quality === 'function' ? exp.quality() : exp.analyses.quality ? exp.analyze('quality') : exp.figures().quality;
  const round = (v) => (typeof v === 'number' ? Number(v.toFixed(4)) : ArrayBuffer.isView(v) || Array.isArray(v) ? Array.from(v, round) : v);
  const out = { seed, seconds: round(seconds) };
  for (const [k, v] of Object.entries(q)) out[k] = round(v);
  console.log(JSON.stringify(out));
  exp.dispose();
}
