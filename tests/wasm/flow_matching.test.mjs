// The wasm build in node, through the documented JS API (web/js/api.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();

test('module loads and reports the link schema', () => {
  const names = lab.schema().map((f) => f.name);
  for (const f of ['ex', 'seed', 'hidden', 'depth', 'lr', 'batch', 'steps', 'solver', 'ode_steps']) assert.ok(names.includes(f), f);
});

test('links: canonical round trip, bad fields named and defaulted', () => {
  const a = lab.parseLink('#v=1&seed=7&hidden=64&solver=euler');
  assert.deepEqual(a.issues, []);
  assert.equal(a.config.seed, 7);
  assert.equal(a.config.solver, 'euler');
  assert.deepEqual(lab.parseLink(a.link).config, a.config);
  const b = lab.parseLink('v=1&hidden=-3&lr=abc&batch=1e9&solver=rk4&bogus=1&seed=5');
  const fields = b.issues.map((i) => i.field).sort();
  assert.deepEqual(fields, ['batch', 'bogus', 'hidden', 'lr', 'solver']);
  assert.equal(b.config.seed, 5);  // good fields are kept
  assert.equal(b.config.hidden, lab.parseLink('').config.hidden);  // bad ones fall back
});

test('training: loss falls; same seed gives identical numbers, another seed differs', () => {
  const link = 'v=1&hidden=32&depth=2&batch=128&seed=3&lr=0.005&steps=300';
  const a = lab.create(link), b = lab.create(link), c = lab.create(link.replace('seed=3', 'seed=4'));
  const la = a.train(300), lb = b.train(150);
  const lb2 = b.train(150);  // chunking does not change the run
  assert.deepEqual(Array.from(la), [...lb, ...lb2]);
  assert.notDeepEqual(Array.from(c.train(300)), Array.from(la));
  const mean = (x, i, j) => x.slice(i, j).reduce((s, v) => s + v, 0) / (j - i);
  assert.ok(mean(la, 250, 300) < mean(la, 0, 50), 'loss falls');
  assert.deepEqual(Array.from(a.sample(500)), Array.from(b.sample(500)));
  const traj = a.trajectories(10, { steps: 8, solver: 'euler' });
  assert.equal(traj.length, 9 * 10 * 2);
  // The trajectory ends where sampling ends.
  assert.deepEqual(Array.from(traj.slice(8 * 20)), Array.from(a.sample(10, { steps: 8, solver: 'euler' })));
  // Reversing the flow returns near the start.
  const x1 = a.sample(5, { steps: 200 });
  const back = a.flow(x1, 1, 0, { steps: 200 });
  const x0 = back.slice(200 * 10);
  const fwd = a.flow(x0, 0, 1, { steps: 200 }).slice(200 * 10);
  for (let i = 0; i < 10; ++i) assert.ok(Math.abs(fwd[i] - x1[i]) < 1e-2);
  for (const e of [a, b, c]) e.dispose();
});

test('API refuses absurd sampling settings with a clear message', () => {
  const e = lab.create('v=1&hidden=8&depth=1');
  assert.throws(() => e.sample(10, { solver: 'rk45' }), /solver must be one of/);
  assert.throws(() => e.sample(10, { steps: 0 }), /steps must be an integer/);
  e.dispose();
});
