// RealNVP (core/realnvp.h) through its embind class in node: loads, trains,
// exact invertibility of the layer outputs, determinism per seed, and a
// checkpoint round trip.
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

const link = (seed) => `v=1&ex=realnvp&layers=6&hidden=16&depth=2&steps=200&rings_n=1000&seed=${seed}`;
const opts = link(3);

test('trains; same seed gives identical numbers, another seed differs; validation terms add up', () => {
  const a = new M.RealNvp(opts), b = new M.RealNvp(opts), c = new M.RealNvp(link(4));
  const la = a.train(200).slice();
  const lb = [...b.train(120).slice(), ...b.train(80).slice()];
  assert.deepEqual(Array.from(la), lb);
  assert.notDeepEqual(Array.from(c.train(200).slice()), Array.from(la));
  assert.equal(a.step(), 200);
  const v = a.validation().slice();
  assert.equal(v.length % 4, 0);
  for (let i = 0; i < v.length; i += 4) assert.ok(Math.abs(v[i + 1] - v[i + 2] - v[i + 3]) < 1e-4);
  assert.ok(v[v.length - 3] < v[1], 'validation loss falls');
  assert.deepEqual(Array.from(a.sample(100, 5, false).slice()), Array.from(b.sample(100, 5, false).slice()));
  for (const e of [a, b, c]) e.delete();
});

test('the model variants of the link (swap or rotation, scale bounds, Fourier features) train and repeat bit for bit', () => {
  // The last, at the bounds (frequencies up to 32 × 100 · x_a), need only stay finite.
  for (const extra of ['mix=swap&s_exp=0', 'mix=rotate&s_exp=0.25', 'fourier=2', 'mix=swap&fourier=6&in_scale=100']) {
    const a = new M.RealNvp(`${opts}&${extra}`), b = new M.RealNvp(`${opts}&${extra}`);
    const la = Array.from(a.train(200).slice());
    assert.deepEqual(la, Array.from(b.train(200).slice()), extra);
    assert.ok(la.every(Number.isFinite), extra);
    const v = a.validation().slice();
    assert.ok(Number.isFinite(v[v.length - 3]), extra);
    if (!extra.includes('in_scale=100')) assert.ok(v[v.length - 3] < v[1], `${extra}: validation loss falls`);
    a.delete();
    b.delete();
  }
});

test('layers: sampling layers run back through the inverse; log p = log p_z + log det', () => {
  const a = new M.RealNvp(opts);
  a.train(100);
  const L = a.layers();
  const fl = a.sample(20, 1, true).slice();
  assert.equal(fl.length, (L + 1) * 40);
  const x = Array.from(fl.slice(L * 40));
  const il = a.inverseLayers(x).slice();
  for (let j = 0; j <= L; ++j)
    for (let i = 0; i < 40; ++i) assert.ok(Math.abs(il[j * 40 + i] - fl[(L - j) * 40 + i]) < 1e-3);
  const lp = a.logProb([0, 0, 1.8, 1.8]);
  for (let i = 0; i < 2; ++i) assert.ok(Math.abs(lp.logp[i] - lp.logpz[i] - lp.logdet[i]) < 1e-5);
  assert.equal(a.densityGrid(10, -3, 3).length, 100);
  a.delete();
});

test('checkpoint: save, load, continue identically; wrong bytes refused', () => {
  const a = new M.RealNvp(opts), b = new M.RealNvp(opts);
  a.train(100);
  const bytes = a.save('ex=realnvp').slice();
  assert.equal(b.load(bytes), '');
  assert.equal(b.step(), 100);
  assert.deepEqual(Array.from(a.train(50).slice()), Array.from(b.train(50).slice()));
  assert.notEqual(b.load(new Uint8Array([1, 2, 3])), '');
  a.delete();
  b.delete();
});

test('JS API: link → experiment, figures and every analysis', async () => {
  const lab = await FlowLab.load();
  const e = lab.create('v=1&ex=realnvp&layers=4&hidden=8&steps=50&rings_n=500&seed=2');
  assert.equal(e.layers, 4);
  assert.equal(e.train(50).length, 50);
  const f = e.figures();
  assert.equal(f.samples.length, 2000);
  assert.ok(f.validation.length >= 8);
  assert.equal(e.analyses.seeds.call(e).samples.length, 3);
  assert.equal(e.analyses.layers.call(e, { n: 10 }).points.length, 5 * 10 * 2);
  const p = e.analyses.points.call(e);
  assert.equal(p.path.length, 5 * 5 * 2);
  assert.equal(p.logp.length, 5);
  assert.equal(e.analyses.density.call(e, { m: 20 }).logp.length, 400);
  e.dispose();
});

test('the data entropy and the exact density of the five points; the quality report; the schedule by name', async () => {
  const lab = await FlowLab.load();
  // The sheet's inliers lie near a band's edge: the default 50,000 points standardise like the sheet's data.
  const e = lab.create('v=1&ex=realnvp&layers=4&hidden=8&steps=60&seed=2');
  assert.ok(Math.abs(e.entropy - 1.59) < 0.02, `entropy ${e.entropy}`);
  e.train(60);
  const q = e.quality();
  assert.equal(q.step, 60);
  assert.ok(Math.abs(q.gap - (q.valLoss - q.entropy)) < 1e-12);
  assert.equal(q.logp.length, 5);
  for (let i = 0; i < 3; ++i) assert.ok(q.exact[i] > -1.9 && q.exact[i] < -1.7, `exact ln p ${q.exact[i]}`);
  assert.equal(q.exact[3], null);  // off the rings: density 0
  assert.equal(q.exact[4], null);
  assert.deepEqual(Array.from(q.sheet), Array.from(FlowLab.REALNVP_SHEET_LOGP));
  // schedule=constant and schedule=cosine reach the binding (the JSON names the choice).
  const c = lab.create('v=1&ex=realnvp&layers=4&hidden=8&steps=60&seed=2&schedule=constant');
  assert.notDeepEqual(Array.from(c.train(60)), Array.from(e.losses()));
  e.dispose();
  c.dispose();
});
