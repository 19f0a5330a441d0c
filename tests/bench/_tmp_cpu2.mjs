import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const FlowLab = require('../../web/js/api.js');
const lab = await FlowLab.load(process.env.GEN ? { gen: process.env.GEN } : {});
const W = require('./workload.js');
const sizes = (process.env.NS || '128,256,512').split(',').map(Number);
const solvers = (process.env.SOLVERS || '0,1').split(',').map(Number);
// warm everything
W.assignment(lab, { batch: 256, solver: 1, minS: 0.5 }); W.assignment(lab, { batch: 64, solver: 0, minS: 0.5 });
for (const batch of sizes) for (const solver of solvers) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const r = W.assignment(lab, { batch, solver, minS: 2 });
  const c1 = process.cpuUsage(c0); const wall = performance.now() - t0;
  console.log(JSON.stringify(r), 'cpu_ms_per_call', (r.ms * (c1.user + c1.system) / 1000 / wall).toFixed(2));
}
