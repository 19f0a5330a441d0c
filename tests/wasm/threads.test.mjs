// The pthreads module (web/gen/mt) against the single-thread one (web/gen):
// threads inside a step change nothing but speed — the same link gives the
// same bits for 1, 2 and 3 threads and in either module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as FlowLab from '../../web/js/api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const one = await FlowLab.load();
const mt = await FlowLab.load({ gen: path.join(here, '..', '..', 'web', 'gen', 'mt'), threads: 3 });

// Losses, parameters and figures of a short run (batches that split into
// thread blocks and ones with ragged tails).
function run(lab, link, steps) {
  const exp = lab.create(link);
  const losses = Array.from(exp.train(steps));
  const out = { losses, params: Array.from(exp.parameters()), figures: exp.figures({ preview: true }) };
  // ln p by the exact divergence (Mlp::jvp, threaded like the forward pass).
  if (exp.config.ex === 'fm-checkerboard') out.density = exp.analyze('density', { m: 13, steps: 6 });
  exp.dispose();
  return out;
}

const LINKS = [
  ['v=1&ex=fm-checkerboard&hidden=64&depth=3&batch=1000&seed=3', 6],
  ['v=1&ex=fm-checkerboard&hidden=100&depth=2&batch=301&seed=4', 6],
  ['v=1&ex=fm-rings-cond&batch=256&seed=2', 4],
  ['v=1&ex=fm-ot&batch=128&seed=5', 3],
  // RealNVP's batch in fixed chunks of rows shared by the threads (a ragged one here).
  ['v=1&ex=realnvp&layers=12&batch=250&seed=3', 5],
];

test('the pthreads module starts the threads it is asked for, at most one per preloaded worker', () => {
  assert.equal(one.module.threads(), 1);
  one.module.setThreads(4);
  assert.equal(one.module.threads(), 1, 'the single-thread module keeps 1');
  assert.equal(mt.module.threads(), 3);
  mt.module.setThreads(8);
  assert.equal(mt.module.threads(), 3, 'clamped to 2 workers + the caller');
});

for (const [link, steps] of LINKS) {
  test(`same bits for 1, 2, 3 threads and both modules: ${link}`, () => {
    const ref = run(one, link, steps);
    assert.ok(ref.losses.every(Number.isFinite));
    for (const t of [1, 2, 3]) {
      mt.module.setThreads(t);
      assert.equal(mt.module.threads(), t);
      const got = run(mt, link, steps);
      assert.deepEqual(got.losses, ref.losses, `losses, ${t} threads`);
      assert.deepEqual(got.params, ref.params, `parameters, ${t} threads`);
      assert.deepEqual(got.figures, ref.figures, `figures, ${t} threads`);
    }
  });
}

// The pool's workers would keep node alive.
test.after(() => setImmediate(() => process.exit(process.exitCode || 0)));
