// The 1D change of variables (core/cov1d.h) through its embind class in node.
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

test('linear field: particles carry the analytic density; δt error halves with δt', () => {
  const c = new M.Cov1d('v=1&ex=cov1d&field=linear&lambda=0.8&mu0=0.6&sigma0=0.8&seed=5');
  assert.ok(c.hasAnalytic());
  const p = c.push(500, 1.5, 100, 1, 10);
  assert.equal(p.times.length, 11);
  assert.equal(p.z.length, 11 * 500);
  assert.ok(p.maxAbsErr < 1e-4, String(p.maxAbsErr));
  const rows = c.dtSweep(0.4, 1e-6, 0.3, 0.1, 6);
  assert.equal(rows.length, 6);
  for (let i = 0; i + 1 < rows.length; ++i) {
    const r = rows[i].errLinear / rows[i + 1].errLinear;
    assert.ok(Math.abs(r - 2) < 0.2, String(r));
  }
  const d = c.derive(0.4, 0.01, 0.01, 0);
  assert.ok(Math.abs(d.target + c.fieldAt([0.4], 0).df[0]) < 1e-15);
  assert.ok(Math.abs(d.massX / d.massZ - 1) < 1e-3);
  const h = M.cov1dHistogram(p.z.slice(10 * 500), -3, 3, 30);
  assert.equal(h.length, 30);
  c.delete();
});

test('learned field: trains; same seed gives identical numbers', () => {
  const link = (seed) => `v=1&ex=cov1d&field=learned&hidden=16&depth=1&batch=64&seed=${seed}`;
  const a = new M.Cov1d(link(2)), b = new M.Cov1d(link(2)), c = new M.Cov1d(link(3));
  assert.ok(!a.hasAnalytic());
  a.train(60);
  b.train(20);
  b.train(40);
  c.train(60);
  assert.deepEqual(Array.from(a.losses(0)), Array.from(b.losses(0)));
  assert.notDeepEqual(Array.from(a.losses(0)), Array.from(c.losses(0)));
  const pa = a.push(20, 1, 50, 1, 5), pb = b.push(20, 1, 50, 1, 5);
  assert.deepEqual(Array.from(pa.logQ), Array.from(pb.logQ));
  assert.ok(Number.isNaN(pa.maxAbsErr));
  // ln q forward along particles = ln q integrated back from the end point.
  const back = a.logQ(pa.z.slice(5 * 20), 1);
  for (let i = 0; i < 20; ++i) assert.ok(Math.abs(back[i] - pa.logQ[5 * 20 + i]) < 1e-3);
  for (const e of [a, b, c]) e.delete();
});

test('built from a link; save/load round trip resumes training exactly', () => {
  const link = 'v=1&ex=cov1d&seed=3&field=learned&hidden=16&depth=1&batch=64';
  const a = new M.Cov1d(link), b = new M.Cov1d(link);
  assert.equal(a.field(), 3);
  assert.equal(a.numParams(), 2 * 16 + 16 + 16 + 1);
  a.train(10);
  const bytes = a.save(link).slice();
  assert.equal(b.load(bytes), '');
  assert.equal(b.step(), 10);
  a.train(5);
  b.train(5);
  assert.deepEqual(Array.from(b.losses(0)), Array.from(a.losses(0)));
  assert.deepEqual(Array.from(b.parameters()), Array.from(a.parameters()));
  const lin = new M.Cov1d('v=1&ex=cov1d&field=linear');
  assert.notEqual(lin.load(bytes), '');
  assert.equal(lin.numParams(), 0);
  b.setParameter(0, 0.25);
  assert.equal(b.parameters()[0], 0.25);
  for (const h of [a, b, lin]) h.delete();
});

test('FlowLab API: closed-form fields have total 0, the learned one trains and round-trips', async () => {
  const lab = await FlowLab.load();
  for (const field of ['linear', 'sine', 'split']) {
    const e = lab.create(`v=1&ex=cov1d&field=${field}`);
    assert.equal(e.total, 0);
    assert.ok(e.analytic);
    const fig = e.figures({ preview: true });
    assert.equal(fig.fields.length, 3);
    assert.ok(fig.fields.every((f) => f.f.every(Number.isFinite)));
    assert.ok(e.analyze('particles', { n: 500 }).maxAbsErr < 1e-4);
    assert.equal(e.analyze('sweep').rows.length, 12);
    e.dispose();
  }
  const link = 'v=1&ex=cov1d&field=learned&steps=40&hidden=16&batch=64';
  const e = lab.create(link);
  assert.equal(e.total, 40);
  assert.equal(e.train(40).length, 40);
  const e2 = lab.create(link);
  e2.load(e.save());
  assert.equal(e2.step, 40);
  assert.deepEqual(Array.from(e2.losses()), Array.from(e.losses()));
  assert.throws(() => lab.create('v=1&ex=cov1d&field=linear').load(e.save()));
  e.dispose();
  e2.dispose();
});
