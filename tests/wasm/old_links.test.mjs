// Links and run files written before a field existed keep the model they were
// written for (core/config.h, added_fields()); short hand-written links take today's defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();

test('a checkerboard run file from before Fourier features restores and trains as the sheet\'s MLP', () => {
  // The fuzz corpus keeps a real older file (its first byte selects the fuzzer's mode).
  const file = readFileSync(new URL('../fuzz/corpus/checkpoint/fm-checkerboard-v1-old', import.meta.url)).subarray(1);
  const exp = lab.restore(file);
  assert.equal(exp.config.fourier, 0);
  assert.match(exp.link, /&fourier=0&/);
  const step = exp.step;
  exp.train(2);
  assert.equal(exp.step, step + 2);
  const losses = Array.from(exp.losses());
  assert.equal(losses.length, step + 2);
  assert.ok(losses.every(Number.isFinite));
  exp.dispose();
  assert.equal(lab.parseLink('v=1&ex=fm-checkerboard&seed=7').config.fourier, 4);
});

test('a RealNVP link from before rotations and the expansion bound keeps the swap and the symmetric bound', () => {
  const old = 'v=1&ex=realnvp&seed=2&layers=30&hidden=32&depth=2&s_max=2&lr=0.003&schedule=cosine&warmup=100&clip=5' +
    '&b_max=3&in_scale=8&batch=256&steps=5000&rings_n=50000&thickness=0.25&val_fraction=0.2';
  const p = lab.parseLink(old);
  assert.deepEqual(p.issues, []);
  assert.equal(p.config.mix, 'swap');
  assert.equal(p.config.s_exp, 0);
  assert.equal(p.config.seed, 2);
  const now = lab.parseLink('v=1&ex=realnvp&seed=2').config;
  assert.equal(now.mix, 'golden');
  // A canonical link from before the golden-angle step spells mix=rotate and keeps it.
  assert.equal(lab.parseLink(`${old}&mix=rotate&s_exp=0.1&fourier=0`).config.mix, 'rotate');
  assert.ok(now.s_exp > 0);
});
