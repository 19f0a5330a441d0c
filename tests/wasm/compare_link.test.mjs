// The compare link (web/js/compare-link.js): two share links in one hash,
// each decoded exactly once; bad halves named, the other half kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, parse, isCompare } from '../../web/js/compare-link.js';

test('format/parse round-trips two links, their own & = and %XX included', () => {
  const a = 'v=1&ex=fm-checkerboard&seed=1%26hidden%3D32&lr=0.01';
  const b = 'v=1&ex=fm-ot&seed=2';
  const hash = format(a, b);
  assert.ok(isCompare(hash));
  assert.ok(!isCompare(a));
  assert.equal(hash.split('&').length, 3);
  assert.deepEqual(parse(hash), { a, b, problems: [] });
});

test('a missing or undecodable half is named and starts from the defaults; the other half is kept', () => {
  const a = 'v=1&ex=fm-rings&seed=3';
  const missing = parse(`compare=1&a=${encodeURIComponent(a)}`);
  assert.equal(missing.a, a);
  assert.equal(missing.b, '');
  assert.deepEqual(missing.problems.map((p) => p.half), ['b']);
  assert.match(missing.problems[0].message, /no run B/);
  const bad = parse(`compare=1&a=%E0%A4%A&b=${encodeURIComponent(a)}`);
  assert.equal(bad.a, '');
  assert.equal(bad.b, a);
  assert.deepEqual(bad.problems.map((p) => p.half), ['a']);
  assert.match(bad.problems[0].message, /not percent-encoded correctly/);
});

test('another version, unknown and repeated fields are reported, not fatal', () => {
  const r = parse(`compare=2&a=x&b=y&zz=1&a=z`);
  assert.equal(r.a, 'x');
  assert.equal(r.b, 'y');
  const text = r.problems.map((p) => p.message).join(' | ');
  assert.match(text, /compare=2 is not a version/);
  assert.match(text, /unknown field 'zz'/);
  assert.match(text, /'a' appears twice/);
});
