// Long work in bounded pieces: every flow-matching exercise's figures in
// slices of ODE steps give the bits of figures(), and every analysis, with
// the arguments it is given, is priced by the core's cost model and refused
// before any allocation when it does not fit (web/js/api.js analyze).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();
const flat = (f) => JSON.stringify(f, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));

test('sliced figures of every flow-matching exercise: the bits of figures(), any slice size', () => {
  for (const link of ['v=1&ode_steps=7', 'v=1&ex=fm-rings&solver=midpoint&ode_steps=9', 'v=1&ex=fm-rings-cond&ode_steps=6',
    'v=1&ex=fm-ot&ode_steps=5']) {
    const exp = lab.create(link);
    exp.train(3);
    const want = flat(exp.figures({ preview: false }));
    for (const k of [1, 2, 1000]) {
      const job = exp.figuresJob({ preview: false });
      let calls = 0;
      while (!job.advance(k)) ++calls;
      assert.equal(job.done, job.steps, link);
      assert.equal(calls, Math.ceil(job.steps / k) - 1, link);
      assert.equal(flat(job.result()), want, `${link}, slices of ${k}`);
    }
    exp.dispose();
  }
});

test('analysis arguments go through the cost model: refused before allocation, naming them', () => {
  const rings = lab.create('v=1&ex=fm-rings');
  assert.throws(() => rings.analyze('progression', { n: 1000000 }), /with n = 1e\+06 .*lower its argument n or the link's hidden or depth/);
  assert.ok(rings.analysisCost('progression', { n: 2000 }).flops > 1.9 * rings.analysisCost('progression').flops);
  assert.equal(rings.analyze('trajectories', { n: 3 }).traj.length, 51 * 3 * 2);
  const rbm = lab.create('v=1&ex=rbm');
  assert.throws(() => rbm.analyze('gradient', { ks: [1000, 1000, 1000], samples: 100000 }), /ks summing to 3000, samples = 100000/);
  assert.throws(() => rbm.analyze('coupling', { chains: 100000, sweeps: 100000 }), /its arguments chains, sweeps/);
  const nvp = lab.create('v=1&ex=realnvp');
  assert.throws(() => nvp.analyze('density', { m: 100000 }), /with m = 100000/);
  const cov = lab.create('v=1&ex=cov1d');
  assert.throws(() => cov.analyze('particles', { n: 1e7, steps: 1e5 }), /its arguments n, steps/);
  for (const e of [rings, rbm, nvp, cov]) e.dispose();
});

test('every analysis of every exercise is priced by the cost model', () => {
  for (const ex of lab.exercises) {
    const priced = Object.keys(JSON.parse(lab.module.linkCost(`v=1&ex=${ex}`)).analyses);
    const kind = FlowLab.kinds[ex];
    for (const name of Object.keys(kind.prototype.analyses || {})) assert.ok(priced.includes(name), `${ex}: ${name}`);
  }
});
