// Flow matching on the Olympic rings in node, through the JS API (web/js/api/fm_rings.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();

const COND = 'v=1&ex=fm-rings-cond&seed=3&hidden=32&depth=2&batch=128&steps=200&rings_n=1000&embed=4&ode_steps=10';
const UNCOND = COND.replace('fm-rings-cond', 'fm-rings');

test('rings fields are in the schema; the data set is balanced and standardised', () => {
  const names = lab.schema().map((f) => f.name);
  for (const f of ['rings_n', 'thickness', 'embed']) assert.ok(names.includes(f), f);
  const e = lab.create(COND);
  assert.ok(e.conditional);
  const { points, labels } = e.data();
  assert.equal(points.length, 2000);
  assert.equal(labels.length, 1000);
  for (let c = 0; c < 5; ++c) assert.equal(labels.filter((l) => l === c).length, 200);
  const mean = points.filter((_, i) => i % 2 === 0).reduce((s, v) => s + v, 0) / 1000;
  assert.ok(Math.abs(mean) < 1e-4);
  e.dispose();
  const u = lab.create(UNCOND);
  assert.equal(u.conditional, false);
  u.dispose();
});

test('conditional: same seed → identical numbers; class samples and trajectories', () => {
  const a = lab.create(COND), b = lab.create(COND);
  const la = a.train(200), lb = [...b.train(120), ...b.train(80)];
  assert.deepEqual(Array.from(la), lb);
  assert.deepEqual(Array.from(a.sampleClass(300, 2)), Array.from(b.sampleClass(300, 2)));
  // Different classes from the same noise give different points.
  assert.notDeepEqual(Array.from(a.sampleClass(50, 0)), Array.from(a.sampleClass(50, 1)));
  const traj = a.trajectoriesClass(5, -1, { steps: 8, solver: 'euler' });
  assert.equal(traj.length, 9 * 5 * 2);
  assert.deepEqual(Array.from(traj.slice(8 * 10)), Array.from(a.sampleClass(5, -1, { steps: 8, solver: 'euler' })));
  assert.throws(() => a.sampleClass(10, 7), /class must be an integer/);
  const near = a.nearestRing(a.data().points);
  assert.equal(near.length, 1000);
  // Analyses of both views answer with the shapes the views draw.
  const an = (name, args) => a.analyses[name].call(a, args);
  assert.equal(an('classTrajectories').traj.length, 5);
  const cs = an('classSamples', { cls: 4, n: 3000 });
  assert.equal(cs.samples.length, 6000);
  assert.ok(cs.accuracy >= 0 && cs.accuracy <= 1);
  const f = a.figures();
  assert.ok(f.samples.length >= 6000 && f.accuracy >= 0);
  for (const e of [a, b]) e.dispose();
});

test('checkpoint with the embedding: save, load, continue identically', () => {
  const a = lab.create(COND), b = lab.create(COND);
  a.train(20);
  b.train(5);
  b.load(a.save());
  assert.equal(b.step, 20);
  assert.deepEqual(Array.from(a.train(5)), Array.from(b.train(5)));
  assert.deepEqual(Array.from(a.sampleClass(100, 3)), Array.from(b.sampleClass(100, 3)));
  // An unconditional checkpoint does not fit the conditional model.
  const u = lab.create(UNCOND);
  assert.throws(() => b.load(u.save()));
  for (const e of [a, b, u]) e.dispose();
});

test('unconditional: Q2–Q5 analyses; round-trip error falls as Δt falls', () => {
  const e = lab.create(UNCOND);
  e.train(200);
  const an = (name, args) => e.analyses[name].call(e, args);
  const p = an('progression', { n: 100 });
  assert.deepEqual(p.snapshots.map((s) => s.t), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.equal(an('trajectories').traj.length, 51 * 10 * 2);
  const q = an('quantization', { n: 100 });
  assert.deepEqual(q.runs.map((r) => r.steps), [500, 50, 20, 10, 5]);
  const r = an('reverse');
  const means = r.runs.map((x) => x.mean);
  for (let i = 1; i < means.length; ++i) assert.ok(means[i] > means[i - 1], `errors ${means}`);
  e.dispose();
});

test('w2: per-class W2 after 1, 2, 4, 8 Euler steps on the conditional model; refused up front on the unconditional one', () => {
  const c = lab.create(COND);
  c.train(50);
  const w = c.analyze('w2', { n: 40 });
  assert.deepEqual(w.nfe.map((r) => r.nfe), [1, 2, 4, 8]);
  for (const r of w.nfe) {
    assert.equal(r.perClass.length, 5);
    for (const d of r.perClass) assert.ok(Number.isFinite(d) && d >= 0, `W2 ${d}`);
    assert.ok(Math.abs(r.mean - r.perClass.reduce((s, d) => s + d, 0) / 5) < 1e-9);
  }
  c.dispose();
  const u = lab.create(UNCOND);
  // The worker asks refuse() before it starts a helper worker for a long analysis.
  assert.throws(() => u.refuse('w2'), /class-conditional model/);
  assert.throws(() => u.analyze('w2'), /class-conditional model/);
  assert.throws(() => u.refuse('nope'), /unknown analysis 'nope'/);
  u.dispose();
});
