// The RBM (core/rbm.h) through its embind class in node: loads, trains,
// exact numbers, the three sheet views, and determinism per seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as FlowLab from '../../web/js/api.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const factory = require(path.join(root, 'web/gen/flowlab.js'));
const M = await factory({ wasmBinary: fs.readFileSync(path.join(root, 'web/gen/flowlab.wasm')) });

test('bars-and-stripes: 30 patterns; training raises the exact log-likelihood', () => {
  assert.equal(M.rbmBarsAndStripes(4).length, 30 * 16);
  const r = new M.Rbm('v=1&ex=rbm&dataset=bars&side=4&m=16&k=5&lr=0.1&seed=3', null);
  assert.equal(r.error(), '');
  assert.equal(r.n(), 16);
  assert.equal(r.m(), 16);
  assert.equal(r.nTrain(), 30);
  assert.ok(r.exactAvailable());
  const before = r.evaluate();
  assert.ok(before.exact);
  const st = r.trainStats(1000);
  assert.equal(st.step, 1000);
  const after = r.evaluate();
  assert.ok(after.llTrain > before.llTrain + 2, `${before.llTrain} -> ${after.llTrain}`);
  assert.ok(after.llTrain <= -Math.log(30) + 1e-9);
  assert.ok(Number.isNaN(after.llTest));  // no held-out set for bars and stripes
  assert.ok(Math.abs(r.logLikelihood(r.trainData().slice()) - after.llTrain) < 1e-9);
  assert.equal(r.W().length, 256);
  r.delete();
});

test('same seed gives identical numbers, another seed differs', () => {
  const link = (seed) => `v=1&ex=rbm&dataset=digits&n_train=50&n_test=20&flip=0.05&m=12&k=1&sampler=pcd&batch=10&seed=${seed}`;
  const a = new M.Rbm(link(7), null), b = new M.Rbm(link(7), null), c = new M.Rbm(link(8), null);
  assert.equal(a.n(), 35);
  assert.equal(a.width(), 5);
  assert.equal(a.height(), 7);
  a.train(40);
  b.train(15);
  b.train(25);
  c.train(40);
  assert.deepEqual(Array.from(a.W()), Array.from(b.W()));
  assert.notDeepEqual(Array.from(a.W()), Array.from(c.W()));
  assert.deepEqual(a.evaluate(), b.evaluate());
  const e = a.evaluate();
  assert.ok(e.exact && Number.isFinite(e.llTest) && Number.isFinite(e.feGap));
  assert.deepEqual(Array.from(a.chainsReset(4, true)), Array.from(b.chainsReset(4, true)));
  assert.deepEqual(Array.from(a.chainsStep(3)), Array.from(b.chainsStep(3)));
  assert.equal(a.reconstruct(M.rbmDigitGlyph(3), 2).length, 35);
  for (const r of [a, b, c]) r.delete();
});

test('views (a), (b), (c) on a small user-pattern RBM', () => {
  const patterns = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0];
  const drawn = 'v=1&ex=rbm&dataset=drawn&side=3&m=4&k=1&seed=1';
  const r = new M.Rbm(drawn, null);
  assert.match(r.error(), /patterns/);  // no patterns given: placeholders stand in, says why
  r.delete();
  const u = new M.Rbm(drawn, patterns);
  assert.equal(u.error(), '');
  assert.equal(u.nTrain(), 3);
  u.train(100);
  const free = u.couplingStats(0, false, 100, 5, 50, 1);
  assert.ok(free.maxErrV < 0.05 && free.maxErrH < 0.05);
  assert.ok(free.exactMeanAbsCorr < 1e-12);
  const coupled = u.couplingStats(2, false, 100, 20, 50, 1);
  assert.ok(coupled.exactMeanAbsCorr > free.exactMeanAbsCorr);
  const cond = u.conditionalCheck([1, 0, 1, 0, 1, 0, 1, 0, 1]);
  assert.equal(cond.pEnum.length, 16);
  assert.ok(cond.maxAbsDiff < 1e-12);
  const g = u.gradientCheck([1, 50], 4000, 50, 10, 1e-5, 2);
  assert.equal(g.exact.length, 36);
  assert.ok(g.fdMaxErr < 1e-7);
  assert.equal(g.cd.length, 2);
  assert.ok(g.cd[1].rmsErr < 0.05);
  const g2 = u.gradientCheck([1, 50], 4000, 50, 10, 1e-5, 2);
  assert.deepEqual(Array.from(g.cd[0].grad), Array.from(g2.cd[0].grad));
  u.delete();
});

// The generic experiment API (web/js/api/rbm.js), as the page's worker uses it.
const lab = await FlowLab.load();

test('API: link → experiment; per-step losses, ll history, same seed identical, checkpoint continues identically', () => {
  const link = lab.linkOf({ ex: 'rbm', seed: 4, m: 8, k: 2, batch: 10, steps: 100 });
  const a = lab.create(link), b = lab.create(link);
  assert.equal(a.total, 100);
  const la = a.train(30);
  assert.equal(la.length, 30);
  assert.deepEqual(Array.from(la), [...b.train(10), ...b.train(20)]);
  const f = a.figures();
  assert.equal(f.n, 16);
  assert.equal(f.m, 8);
  assert.ok(f.exact);
  assert.equal(f.llSteps[f.llSteps.length - 1], 30);
  assert.equal(f.llTrain.length, f.llSteps.length);
  assert.equal(f.llTest, undefined);  // bars and stripes: no held-out set
  assert.equal(f.eval.llTest, null);
  const bytes = a.save();
  const c = lab.restore(bytes);
  assert.equal(c.step, 30);
  assert.deepEqual(Array.from(c.train(20)), Array.from(a.train(20)));
  assert.deepEqual(Array.from(c.parameters()), Array.from(a.parameters()));
  assert.equal(a.parameters().length, 16 * 8 + 16 + 8);
  a.setParameter(0, 0.5);
  assert.equal(a.parameters()[0], 0.5);
  assert.throws(() => lab.create(lab.linkOf({ ex: 'rbm', m: 9 })).load(bytes), /cannot restore/);
  for (const e of [a, b, c]) e.dispose();
});

test('API: analyses (a) (b) (c), chains, drawn patterns', () => {
  const e = lab.create(lab.linkOf({ ex: 'rbm', seed: 1, side: 3, m: 4, k: 1 }));
  e.train(50);
  const a0 = e.analyze('coupling', { scale: 0 });
  assert.ok(a0.maxErrV < 0.05 && a0.maxErrH < 0.05);
  const cond = e.analyze('conditional', {});
  assert.ok(cond.maxAbsDiff < 1e-12);
  const g = e.analyze('gradient', { ks: [1, 10], samples: 1000 });
  assert.ok(g.fdMaxErr < 1e-6 * Math.max(1, g.gradMax));
  const ch = e.analyze('chains', { B: 4, sweeps: 2, reset: true });
  assert.equal(ch.chains.length, 4 * 9);
  const r = e.analyze('reconstruct', { v: [1, 1, 1, 0, 0, 0, 0, 0, 0] });
  assert.equal(r.recon.length, 9);
  e.dispose();
  const d = lab.create(lab.linkOf({ ex: 'rbm', dataset: 'drawn', side: 3, m: 4 }));
  assert.equal(d.figures().nTrain, 2);  // placeholders until patterns are drawn
  d.setPatterns([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(d.figures().nTrain, 1);
  d.train(5);
  const back = lab.restore(d.save());
  assert.deepEqual(Array.from(back.figures().data), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  d.dispose();
  back.dispose();
});
