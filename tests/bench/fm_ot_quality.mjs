// The default fm-ot run (independent CFM and OT-CFM side by side) at several
// batch sizes, in wasm through the JS API: wall time of the full run in node,
// then the page's 'compare' analysis (SW2 and fraction on the squares at
// NFE 1/2/4/8, path energy, normalised path energy, length ratio) of both
// models. One JSON line per batch size; cpu_seconds (the process's CPU
// time) next to the wall time for loaded machines. Slow (minutes): not part
// of run.sh.
//   node tests/bench/fm_ot_quality.mjs [--gen DIR] [--seed S] [BATCH ...]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args.splice(i, 2)[1]; };
const gen = opt('--gen');
const seed = opt('--seed') || '1';
const batches = args.length ? args.map(Number) : [128, 256, 512];

const FlowLab = await import('../../web/js/api.js');
const lab = await FlowLab.load(gen ? { gen: path.resolve(gen) } : {});
const r4 = (x) => +x.toFixed(4);
for (const batch of batches) {
  const exp = lab.create(`v=1&ex=fm-ot&seed=${seed}&batch=${batch}`);
  const total = exp.total;
  const t0 = performance.now(), c0 = process.cpuUsage();
  while (exp.step < total) exp.train(Math.min(100, total - exp.step));
  const seconds = (performance.now() - t0) / 1000, cpu = process.cpuUsage(c0);
  const c = exp.analyze('compare');
  const out = { task: 'fm-ot-default-run', batch, seed: +seed, steps: total, seconds: +seconds.toFixed(2),
    cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(2) };
  for (const m of c.models) {
    out[m.name] = {
      sw2: m.nfe.map((q) => r4(q.sw2)), on_squares: m.nfe.map((q) => r4(q.onSquares)),
      path_energy: r4(m.straightness.pathEnergy), w2sq: r4(m.straightness.w2sq),
      npe: r4(m.straightness.npe), length_ratio: r4(m.straightness.lengthRatio),
    };
  }
  console.log(JSON.stringify(out));
  exp.dispose();
}
