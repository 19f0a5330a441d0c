// Quality of the default runs (core/quality.h) in the shipped wasm module:
// one binary, bit-identical everywhere, so the thresholds below are the
// references themselves, checked for several training seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();

const run = (link) => {
  const exp = lab.create(link);
  while (exp.step < exp.total) exp.train(Math.min(500, exp.total - exp.step));
  return exp;
};

test('RBM default on bars and stripes 4×4 reaches −3.55 (−ln 30 = −3.401) for seeds 1–5', () => {
  for (let seed = 1; seed <= 5; ++seed) {
    const exp = run(`v=1&ex=rbm&seed=${seed}`);
    const q = exp.figures().quality;
    assert.ok(q.exact && q.judged);
    assert.ok(Math.abs(q.best + Math.log(30)) < 1e-12, String(q.best));  // Σ (1/30) ln(1/30) in double
    assert.ok(q.ll <= q.best, `seed ${seed}: ${q.ll} beats the optimum`);
    assert.ok(q.ll >= -3.55, `seed ${seed}: exact log-likelihood ${q.ll}`);
    assert.ok(q.ok, `seed ${seed}: ${q.advice}`);
    exp.dispose();
  }
});

test('RBM weight decay from the link is applied: it shrinks W and a run without it says so', () => {
  const a = run('v=1&ex=rbm&seed=2&steps=400&weight_decay=0'), b = run('v=1&ex=rbm&seed=2&steps=400&weight_decay=0.05');
  const norm = (W) => W.reduce((s, w) => s + w * w, 0);
  assert.ok(norm(b.figures().W) < 0.8 * norm(a.figures().W));
  const q = a.figures().quality;
  assert.ok(!q.ok && q.advice.includes('weight decay'), q.advice);
  assert.equal(q.weightDecay, 0);
  a.dispose(); b.dispose();
});

test('(b) field at t = 0: E[x1] = (0, 0) exactly; the origin is left out of the relative error only', () => {
  const exp = lab.create('v=1&ex=fm-checkerboard&hidden=16&depth=2&batch=64&steps=20');
  exp.train(20);
  const f = exp.analyze('field0');
  assert.equal(f.meanExact, true);
  assert.deepEqual(Array.from(f.meanX1), [0, 0]);
  assert.equal(f.excluded, 1);  // 11 × 11 grid over [−0.5, 0.5]²: the centre is x = 0
  let abs = 0, rel = 0;
  for (let k = 0; k < 121; ++k) {
    const e = Math.hypot(f.v[2 * k] - f.vStar[2 * k], f.v[2 * k + 1] - f.vStar[2 * k + 1]), s = Math.hypot(f.vStar[2 * k], f.vStar[2 * k + 1]);
    abs += e / 121;
    if (s > 0) rel += e / s / 120;
  }
  assert.ok(Math.abs(f.meanAbsErr - abs) < 1e-5 && Math.abs(f.meanRelErr - rel) < 1e-5, `${f.meanAbsErr} ${abs} ${f.meanRelErr} ${rel}`);
  exp.dispose();
});

test('checkerboard quality report: NLL − ln 32 is the KL gap; a short run is below the reference and says why', () => {
  const exp = run('v=1&ex=fm-checkerboard&hidden=32&depth=2&batch=256&steps=200&samples=2000');
  const q = exp.analyze('quality', { k: 8, steps: 20 });
  assert.equal(q.cells, 8 * 64);
  assert.equal(q.optimum, Math.log(32));
  assert.ok(Math.abs(q.klGap - (q.nll - Math.log(32))) < 1e-12);
  assert.ok(q.klGap > 0.15 && !q.ok && q.advice.includes('train longer'), JSON.stringify(q));
  assert.equal(q.onSquares, exp.onSquares(exp.sample()));
  exp.dispose();
});

test('rings NLL quality report: paired with the exact entropy of the same points; a short run is far above it', () => {
  const exp = run('v=1&ex=fm-rings&hidden=32&depth=2&batch=256&steps=200');
  const q = exp.analyze('quality', { n: 500, steps: 20 });
  assert.equal(q.n, 500);
  assert.ok(Math.abs(q.gap - (q.nll - q.entropy)) < 1e-12);
  assert.ok(Math.abs(q.entropy - exp.handle.ringsEntropy()) < 0.1, JSON.stringify(q));  // 500 of the same stream's 300k points
  assert.ok(q.gap > q.maxGap && !q.ok && q.advice.includes('train longer'), JSON.stringify(q));
  exp.dispose();
});
