import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const W = require('./workload.js');
const FlowLab = require('../../web/js/api.js');
const lab = await FlowLab.load(process.env.GEN ? { gen: process.env.GEN } : {});
const sizes = (process.env.NS || '128,256,512').split(',').map(Number);
const solvers = (process.env.SOLVERS || '0,1').split(',').map(Number);
for (const batch of sizes) for (const solver of solvers) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = W.assignment(lab, { batch, solver, minS: 1 });
  const c1 = process.cpuUsage(c0);
  console.log(JSON.stringify(r), 'cpu/wall', ((c1.user + c1.system) / 1000 / (performance.now() - t0)).toFixed(2));
}
