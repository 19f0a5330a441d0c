// tools/replay.mjs as a command: links and a .flowlab run in parallel workers,
// metrics as JSON in the order given, thresholds checked (exit status 1 on a failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as FlowLab from '../../web/js/api.js';

const tool = new URL('../../tools/replay.mjs', import.meta.url).pathname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));

test('replay: links and a run file in parallel, in order, verified and checked', async () => {
  const lab = await FlowLab.load();
  const exp = lab.create('v=1&ex=rbm&seed=3');
  exp.train(12);
  const file = path.join(dir, 'run.flowlab');
  fs.writeFileSync(file, exp.save());
  const links = ['#v=1&batch=32&samples=200&seed=2', 'http://lab.example/#v=1&ex=fm-rings-cond&batch=32&samples=200&pairing=class-ot'];
  const list = path.join(dir, 'links.txt');
  fs.writeFileSync(list, `${links.join('\n')}\n`);
  const thresholds = path.join(dir, 't.json');
  fs.writeFileSync(thresholds, JSON.stringify({ '*': { loss: { max: 1e6 } }, 'fm-rings-cond': { accuracy: { min: 2 } } }));
  const out = spawnSync(process.execPath, [tool, '--steps', '5', '--jobs', '2', '--thresholds', thresholds, list, file], { encoding: 'utf8' });
  assert.equal(out.status, 1, out.stderr);  // accuracy ≥ 2 cannot hold
  const runs = JSON.parse(out.stdout);
  assert.deepEqual(runs.map((r) => r.exercise), ['fm-checkerboard', 'fm-rings-cond', 'rbm']);
  assert.deepEqual(runs.map((r) => r.ok), [true, false, true]);
  assert.equal(runs[1].checks.find((c) => c.metric === 'accuracy').ok, false);
  assert.equal(runs[0].steps, 5);
  assert.equal(runs[2].verified, 'bit-identical');
  assert.equal(runs[2].metrics.step, 12);  // a file replays to its step, and checks it
  // The same link alone, in this thread: the same bits.
  const again = JSON.parse(execFileSync(process.execPath, [tool, '--steps', '5', '--jobs', '1', links[0]], { encoding: 'utf8' }));
  assert.deepEqual(again[0].sha256, runs[0].sha256);
  exp.dispose();
});

test("replay thresholds: '*' bounds the runs that report a metric, an exercise's own bounds also a missing one", async () => {
  const { check } = await import(tool);
  const closed = { exercise: 'cov1d', metrics: { step: 0 } };  // a closed-form field: no loss
  assert.deepEqual(check(closed, { '*': { loss: { max: 10 } } }).checks, []);
  assert.equal(check(closed, { cov1d: { loss: { max: 10 } } }).checks[0].ok, false);
  const trained = { exercise: 'rbm', metrics: { loss: 20 } };
  assert.equal(check(trained, { '*': { loss: { max: 10 } } }).checks[0].ok, false);
});
