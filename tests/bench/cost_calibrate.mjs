// Calibrates core/cost.h: times a training step, the figures and some
// analyses of several links in wasm (node, one thread) and prints the cost
// model's FLOP count per second of each. kFlopsPerSecond is set below the
// slowest of these rates. Run: node tests/bench/cost_calibrate.mjs
const FlowLab = await import('../../web/js/api.js');
const lab = await FlowLab.load();

const links = process.argv.length > 2 ? process.argv.slice(2) : [
  'v=1&ex=fm-checkerboard',
  'v=1&ex=fm-checkerboard&hidden=256&depth=3&batch=1024',
  'v=1&ex=fm-checkerboard&samples=2000&ode_steps=200&solver=0',
  'v=1&ex=fm-ot',
  'v=1&ex=fm-rings',
  'v=1&ex=fm-rings-cond',
  'v=1&ex=realnvp',
  'v=1&ex=realnvp&layers=8&hidden=128&depth=3&batch=1024',
  'v=1&ex=rbm',
  'v=1&ex=rbm&dataset=digits&m=64&k=50&batch=256',
  'v=1&ex=cov1d&field=learned',
];
const time = (f, reps = 1) => {
  f();  // warm up (tiering)
  const t0 = performance.now();
  for (let i = 0; i < reps; ++i) f();
  return (performance.now() - t0) / 1000 / reps;
};
const rates = [];
const row = (link, what, flops, s) => {
  if (flops > 0) rates.push(flops / s);
  console.log(`${link.padEnd(62)} ${what.padEnd(10)} ${(flops / 1e9).toFixed(3).padStart(9)} GFLOP ${s.toFixed(4).padStart(8)} s ${flops > 0 ? (flops / s / 1e9).toFixed(2).padStart(7) : '      –'} GFLOP/s`);
};
for (const link of links) {
  const exp = lab.create(link);
  const cost = JSON.parse(lab.module.linkCost(exp.link));
  if (exp.total > 0) {
    const reps = Math.max(2, Math.min(50, Math.round(0.3 / Math.max(cost.step.seconds, 1e-4))));
    row(link, 'step', cost.step.flops, time(() => exp.train(1), reps));
  }
  row(link, 'figures', cost.figures.flops, time(() => exp.figures({})));
  for (const name of ['fig4', 'density', 'compare', 'progression', 'quantization', 'seeds', 'chains', 'particles']) {
    if (!cost.analyses[name] || !(exp.analyses && exp.analyses[name])) continue;
    if (name === 'density' && exp.config.ex === 'realnvp') continue;
    row(link, name, cost.analyses[name].flops, time(() => exp.analyze(name, {})));
  }
  exp.dispose();
}
rates.sort((a, b) => a - b);
console.log(`rates (GFLOP/s): min ${(rates[0] / 1e9).toFixed(2)}, median ${(rates[rates.length >> 1] / 1e9).toFixed(2)}, max ${(rates[rates.length - 1] / 1e9).toFixed(2)}`);
console.log(`budget: ${JSON.stringify(JSON.parse(lab.module.linkCost('v=1')).budget)}`);
