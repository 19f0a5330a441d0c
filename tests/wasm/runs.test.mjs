// Model identity of the runs library (web/js/api.js modelKey): links that
// differ only in the schema's 'sampling' fields share a model, and carrying
// a trained model over to such a link trains on exactly as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';

const lab = await FlowLab.load();
const schema = lab.schema();
const usedBy = (f, ex) => !f.exercises || f.exercises.split(' ').includes(ex);

test('the key drops exactly the sampling fields of the exercise', () => {
  for (const ex of lab.exercises) {
    const link = lab.parseLink(`v=1&ex=${ex}`).link;
    const key = lab.modelKey(link);
    const names = (l) => l.split('&').map((p) => p.split('=')[0]);
    const sampling = schema.filter((f) => f.group === 'sampling' && usedBy(f, ex)).map((f) => f.name);
    assert.deepEqual(names(key), names(link).filter((n) => !sampling.includes(n)), ex);
    for (const f of schema.filter((g) => g.group !== 'sampling' && g.name !== 'ex' && usedBy(g, ex))) {
      assert.ok(names(key).includes(f.name), `${ex}: ${f.name} is part of the model`);
    }
  }
});

test('solver, ODE steps and points keep the key; width, seed and steps change it', () => {
  const base = lab.linkOf({ ex: 'fm-checkerboard', seed: 4, hidden: 16, depth: 2 });
  const k = lab.modelKey(base);
  for (const [f, v] of [['solver', 'euler'], ['ode_steps', 7], ['samples', 300]]) {
    assert.equal(lab.modelKey(lab.linkOf({ ...lab.parseLink(base).config, [f]: v })), k, f);
  }
  for (const [f, v] of [['hidden', 24], ['seed', 5], ['steps', 10], ['lr', 0.001]]) {
    assert.notEqual(lab.modelKey(lab.linkOf({ ...lab.parseLink(base).config, [f]: v })), k, f);
  }
});

test('a model carried over to a sampling-only edit trains on bit for bit', () => {
  const a = lab.linkOf({ ex: 'fm-checkerboard', seed: 4, hidden: 16, depth: 2, batch: 64, solver: 'midpoint', ode_steps: 20 });
  const b = lab.linkOf({ ...lab.parseLink(a).config, solver: 'euler', ode_steps: 3, samples: 200 });
  const straight = lab.create(a);
  const want = straight.train(12);
  const first = lab.create(a);
  const l1 = first.train(5);
  const moved = lab.create(b);
  moved.load(first.save());
  const l2 = moved.train(7);
  assert.deepEqual([...l1, ...l2], [...want]);
  assert.deepEqual(moved.parameters(), straight.parameters());
  for (const e of [straight, first, moved]) e.dispose();
});
