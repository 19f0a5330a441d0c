// Your own points through the wasm: the core's CSV and link messages, training
// every flow-matching exercise on a link-carried set, and tools/replay.mjs
// replaying such a link with the same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as FlowLab from '../../web/js/api.js';
import { replay } from '../../tools/replay.mjs';

const tool = new URL('../../tools/replay.mjs', import.meta.url).pathname;
const lab = await FlowLab.load();
const m = lab.module;

// A drawn-like set: two arcs of two classes.
function arcs() {
  const points = [], labels = [];
  for (let i = 0; i < 60; ++i) {
    const a = Math.PI * i / 59;
    points.push(2 * Math.cos(a), 2 * Math.sin(a) - 0.5, -2 * Math.cos(a), -2 * Math.sin(a) + 0.5);
    labels.push(0, 1);
  }
  return { points, labels };
}

test('own data: drawn points encode to a link set that decodes to the same points', () => {
  const { points, labels } = arcs();
  const r = m.ownDataEncode(points, labels);
  assert.equal(r.error, undefined);
  assert.equal(r.n, 120);
  assert.equal(r.linkable, true);
  assert.match(r.data, /^1\.[A-Za-z0-9_-]+$/);
  const d = m.ownDataDecode(r.data);
  assert.deepEqual(Array.from(d.points), Array.from(r.points));
  assert.deepEqual(Array.from(d.labels), labels);
  for (let i = 0; i < points.length; ++i) assert.ok(Math.abs(d.points[i] - points[i]) <= 4 / 16383 + 1e-6);
  assert.equal(m.ownDataEncode([0, 0], [0]).error, 'the point set has 1 point; at least 2 are needed');
});

test('own data: CSV errors name the line and the field', () => {
  assert.equal(m.ownDataCsv('x,y,class\n1,2,0\n1,2,9\n').error, 'line 3, field 3 (class): 9 is not a class 0..4');
  assert.equal(m.ownDataCsv('1,2\n1;two\n').error, "line 2, field 2 (y): 'two' is not a number");
  const good = m.ownDataCsv('x,y\n0.5,1\n-1,2\n');
  assert.equal(good.n, 2);
  assert.deepEqual(Array.from(good.labels), [0, 0]);
});

test('own data: every flow-matching exercise trains on the link set; replay gives the same bits', () => {
  const data = m.ownDataEncode(arcs().points, arcs().labels).data;
  for (const ex of ['fm-checkerboard', 'fm-ot', 'fm-rings', 'fm-rings-cond']) {
    const link = `v=1&ex=${ex}&seed=4&hidden=16&depth=2&batch=64&samples=300&data=${data}`;
    const exp = lab.create(link);
    assert.deepEqual(exp.issues, [], ex);
    assert.ok(exp.link.endsWith(`&data=${data}`), ex);
    assert.equal(exp.config.data, data);
    exp.train(20);
    const f = exp.figures();
    assert.equal(f.onSquares, undefined, `${ex}: no on-squares fraction for own points`);
    if (ex === 'fm-rings-cond') {
      assert.equal(f.accuracy, undefined, 'no ring accuracy for own points');
      // Samples ask only for the classes drawn (0 and 1 here), as the set has them: point i's class, i mod N.
      assert.deepEqual(Array.from(f.classes.slice(0, 6)), [0, 1, 0, 1, 0, 1]);
      assert.equal(f.classes.length, f.samples.length / 2);
    }
    if (ex !== 'fm-ot') {
      const q = exp.analyze('quality', { n: 120, steps: 10 });
      assert.equal(q.own, true);
      assert.equal(q.n, 120);
      assert.ok(Number.isFinite(q.nll), `${ex}: NLL ${q.nll}`);
    }
    exp.dispose();
  }
  // The command replays the link (in a worker thread) with the bits of this thread.
  const link = `v=1&ex=fm-rings-cond&seed=4&hidden=16&depth=2&batch=64&samples=300&steps=30&data=${data}`;
  const here = replay(lab, { input: link, link });
  const out = JSON.parse(execFileSync(process.execPath, [tool, '--jobs', '1', `#${link}`], { encoding: 'utf8' }));
  assert.equal(out[0].ok, true);
  assert.equal(out[0].link, here.link);
  assert.deepEqual(out[0].sha256, here.sha256);
  assert.equal(out[0].metrics.loss, here.metrics.loss);
});

test('own data: a CSV set too large for a share link travels inside the .flowlab run and replays bit for bit', () => {
  const rows = [];
  for (let i = 0; i < 3000; ++i) rows.push(`${(3 * Math.cos(i * 0.01) * (1 + (i % 7) / 50)).toFixed(4)},${(2 * Math.sin(i * 0.013)).toFixed(4)},${i % 3}`);
  const set = m.ownDataCsv(`x,y,class\n${rows.join('\n')}\n`);
  assert.equal(set.n, 3000);
  assert.equal(set.linkable, false);
  const exp = lab.create(`v=1&ex=fm-rings-cond&seed=9&hidden=16&depth=2&batch=64&samples=300&data=${set.data}`);
  assert.deepEqual(exp.issues, []);
  exp.train(15);
  const bytes = exp.save();
  const restored = lab.restore(bytes);
  assert.equal(restored.step, 15);
  assert.ok(restored.link.endsWith(`&data=${set.data}`));
  const again = replay(lab, { input: 'run.flowlab', bytes });
  assert.equal(again.verified, 'bit-identical');
  assert.equal(again.link, exp.link);
  exp.dispose();
});

test('own data: RealNVP trains on a link set (exact NLL of your training and held-out points); replay gives the same bits', () => {
  const data = m.ownDataEncode(arcs().points, arcs().labels).data;
  const link = `v=1&ex=realnvp&seed=4&layers=6&hidden=16&batch=64&warmup=10&steps=200&lr=0.003&s_exp=0.5&data=${data}`;
  const exp = lab.create(link);
  assert.deepEqual(exp.issues, []);
  assert.ok(exp.link.endsWith(`&data=${data}`));
  assert.equal(exp.config.data, data);
  assert.equal(exp.own, true);
  const q0 = exp.quality();
  exp.train(200);
  const f = exp.figures();
  // No entropy, no sheet points: the NLL of the 96 training and 24 held-out points (a seeded fifth).
  assert.equal(f.quality.own, true);
  assert.equal(f.quality.entropy, undefined);
  assert.equal(f.quality.sheet, undefined);
  assert.equal(f.quality.n, 96);
  assert.equal(f.quality.nVal, 24);
  assert.ok(f.quality.nll < q0.nll - 0.5, `NLL ${q0.nll} → ${f.quality.nll}`);
  assert.ok(Number.isFinite(f.quality.valNll));
  // Q5 takes five of your training points (the sheet's lie on the rings).
  const p = exp.analyze('points');
  assert.equal(p.own, true);
  assert.deepEqual(Array.from(p.points), Array.from(exp.trainData().slice(0, 10)));
  const here = replay(lab, { input: link, link });
  const out = JSON.parse(execFileSync(process.execPath, [tool, '--jobs', '1', `#${link}`], { encoding: 'utf8' }));
  assert.equal(out[0].ok, true);
  assert.equal(out[0].link, here.link);
  assert.deepEqual(out[0].sha256, here.sha256);
  assert.equal(out[0].metrics['quality.nll'], f.quality.nll);
  // The .flowlab run carries the set and replays bit for bit.
  const again = replay(lab, { input: 'run.flowlab', bytes: exp.save() });
  assert.equal(again.verified, 'bit-identical');
  assert.equal(again.link, exp.link);
  exp.dispose();
});

test('own data, rings exercises: the per-class W2 covers the classes drawn; Q5 reverses five of your points', () => {
  const set = m.ownDataEncode(arcs().points, arcs().labels);
  const cond = lab.create(`v=1&ex=fm-rings-cond&seed=4&hidden=16&depth=2&batch=64&samples=300&data=${set.data}`);
  cond.train(20);
  const w = cond.analyze('w2', { n: 50 });
  for (const e of w.nfe) {
    assert.deepEqual(Array.from(e.classes), [0, 1]);
    assert.equal(e.perClass.length, 2);
    assert.ok(Number.isFinite(e.mean));
  }
  assert.equal(cond.analyze('classTrajectories').own, true);
  cond.dispose();
  const uncond = lab.create(`v=1&ex=fm-rings&seed=4&hidden=16&depth=2&batch=64&samples=300&data=${set.data}`);
  uncond.train(20);
  const r = uncond.analyze('reverse');
  assert.equal(r.own, true);
  const data = uncond.data().points;
  assert.deepEqual(Array.from(r.points), [0, 24, 48, 72, 96].flatMap((i) => [data[2 * i], data[2 * i + 1]]));
  uncond.dispose();
});
