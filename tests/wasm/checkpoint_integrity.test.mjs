// .flowlab integrity through the JS API, for a run file of every exercise id:
// damaged files (byte and single-bit flips in the header, the section table
// and the payload, the checksum, truncations) are all refused with a reason
// and leave the current run as it was; files re-sealed with a correct
// checksum but bad values (NaN θ, Adam v < 0, a dead RNG state, a wrong step,
// an unknown or duplicate section) are refused by the value checks; version-1
// files (no checksum) still import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as FlowLab from '../../web/js/api.js';
import { crc32c, seal } from './run_file_crc.mjs';

const lab = await FlowLab.load();

// Small models, so that thousands of imports stay quick.
const FM = '&hidden=8&depth=1&batch=4&samples=100&ode_steps=2';
const LINKS = {
  'fm-checkerboard': `v=1&ex=fm-checkerboard${FM}`,
  'fm-ot': `v=1&ex=fm-ot${FM}`,
  'fm-rings': `v=1&ex=fm-rings${FM}&rings_n=100`,
  'fm-rings-cond': `v=1&ex=fm-rings-cond${FM}&rings_n=100&embed=2`,
  realnvp: 'v=1&ex=realnvp&layers=2&hidden=4&depth=1&batch=8&rings_n=50',
  rbm: 'v=1&ex=rbm&side=2&m=3&k=1&batch=4&sampler=pcd',
  cov1d: 'v=1&ex=cov1d&field=learned&hidden=4&depth=1&batch=16',
};
// Words before the RNG state in each loader's "state" section.
const RNG_AT = { 'fm-checkerboard': 2, 'fm-rings': 2, 'fm-rings-cond': 2, realnvp: 1, rbm: 1, cov1d: 3 };

// The layout of a version-2 file: header, then per section its header
// (name length, name, type, count) and payload, then the checksum.
function layout(f) {
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const sections = [];
  let pos = 16;
  for (let i = 0; i < dv.getUint32(12, true); ++i) {
    const len = dv.getUint32(pos, true);
    const name = new TextDecoder().decode(f.subarray(pos + 4, pos + 4 + len));
    const type = dv.getUint32(pos + 4 + len, true);
    const count = Number(dv.getBigUint64(pos + 8 + len, true));
    const start = pos + 16 + len, size = count * [1, 4, 8][type];
    sections.push({ name, type, head: [pos, start], payload: [start, start + size] });
    pos = start + size;
  }
  assert.equal(pos, f.length - 4);
  return sections;
}

// Refused: lab.restore throws with a reason, and loading into a live run
// throws and leaves it unchanged.
function refused(f) {
  try {
    lab.restore(f).dispose();
    return false;
  } catch (e) {
    assert.match(e.message, /^cannot restore: \S/);
  }
  return true;
}

function fileOf(ex) {
  const e = lab.create(LINKS[ex]);
  e.train(3);
  const bytes = e.save();
  e.dispose();
  return bytes;
}

test('crc32c: the check value, and the checksum the core writes', () => {
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  const f = fileOf('fm-checkerboard');
  assert.equal(new DataView(f.buffer).getUint32(8, true), 2);  // format version
  assert.equal(new DataView(f.buffer).getUint32(f.length - 4, true), crc32c(f.subarray(0, f.length - 4)));
});

for (const ex of Object.keys(LINKS)) {
  test(`${ex}: every flipped header / section-table / checksum byte and sampled payload byte is refused`, () => {
    const good = fileOf(ex);
    const ok = lab.restore(good);
    assert.equal(ok.step, 3);
    assert.deepEqual(ok.issues, []);
    const sections = layout(good);
    const counts = { header: 0, table: 0, payload: 0, checksum: 0, bits: 0, cuts: 0 };
    let total = 0, refusedN = 0;
    const flip = (cls, at, mask) => {
      const f = good.slice();
      f[at] ^= mask;
      ++total;
      if (refused(f)) { ++refusedN; ++counts[cls]; if (mask !== 0xff) ++counts.bits; }
      else assert.fail(`${ex}: flip ${mask} at byte ${at} (${cls}) was accepted`);
    };
    const allFlips = (cls, at) => { flip(cls, at, 0xff); for (let b = 0; b < 8; ++b) flip(cls, at, 1 << b); };
    for (let at = 0; at < 16; ++at) allFlips('header', at);
    for (const s of sections) for (let at = s.head[0]; at < s.head[1]; ++at) allFlips('table', at);
    for (let at = good.length - 4; at < good.length; ++at) allFlips('checksum', at);
    // Payload: up to 24 evenly spread bytes per section, each byte and one bit.
    for (const s of sections) {
      const [a, b] = s.payload, n = Math.min(24, b - a);
      for (let k = 0; k < n; ++k) {
        const at = a + Math.floor((k * (b - a)) / n);
        flip('payload', at, 0xff);
        flip('payload', at, 1 << (at % 8));
      }
    }
    for (const cut of [0, 7, 15, 16, 20, good.length >> 1, good.length - 5, good.length - 4, good.length - 1]) {
      ++total;
      if (refused(good.slice(0, cut))) { ++refusedN; ++counts.cuts; }
    }
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    ++total;
    if (refused(longer)) ++refusedN;
    // The live run stays as it was after a refused load.
    const before = ok.save();
    const bad = good.slice();
    bad[good.length - 1] ^= 1;
    assert.throws(() => ok.load(bad), /checksum/);
    assert.deepEqual(ok.save(), before);
    ok.dispose();
    // For scale: the same payload flips in a version-1 file (no checksum), where only the value checks guard.
    const v1 = good.slice(0, good.length - 4);
    new DataView(v1.buffer).setUint32(8, 1, true);
    let v1Accepted = 0, v1Total = 0;
    for (const s of sections) {
      const [a, b] = s.payload, n = Math.min(24, b - a);
      for (let k = 0; k < n; ++k) {
        const f = v1.slice();
        f[a + Math.floor((k * (b - a)) / n)] ^= 1 << (k % 8);
        ++v1Total;
        if (!refused(f)) ++v1Accepted;
      }
    }
    console.log(`${ex}: ${refusedN}/${total} damaged files refused (header ${counts.header}, section table ${counts.table}, ` +
      `payload ${counts.payload}, checksum ${counts.checksum}, truncations ${counts.cuts}, appended 1; single-bit flips among them ${counts.bits}); ` +
      `without the checksum (version 1) ${v1Accepted}/${v1Total} single-bit payload flips would pass`);
    assert.equal(refusedN, total);
  });

  test(`${ex}: re-sealed files with bad values or sections are refused by name; version 1 still imports`, () => {
    const good = fileOf(ex);
    const sections = layout(good);
    const sec = (name) => sections.find((s) => s.name === name);
    const reasons = [];
    const expectRefused = (f, re, what) => {
      let msg = null;
      try { lab.restore(f).dispose(); } catch (e) { msg = e.message; }
      assert.ok(msg, `${ex}: ${what} was accepted`);
      assert.match(msg, re, `${ex}: ${what}`);
      reasons.push(`${what}: ${msg}`);
    };
    const f32At = (f, name, i, v) => { new DataView(f.buffer).setFloat32(sec(name).payload[0] + 4 * i, v, true); return seal(f); };
    const u64At = (f, name, i, v) => { new DataView(f.buffer).setBigUint64(sec(name).payload[0] + 8 * i, v, true); return seal(f); };
    if (ex !== 'fm-ot') {
      const theta = ex === 'rbm' ? 'W' : 'params';
      expectRefused(f32At(good.slice(), theta, 0, NaN), /NaN or Inf/, 'NaN parameter');
      expectRefused(f32At(good.slice(), theta, 0, Infinity), /NaN or Inf/, 'Inf parameter');
      expectRefused(f32At(good.slice(), 'losses', 1, NaN), /NaN or Inf/, 'NaN loss');
      if (ex !== 'rbm') {
        expectRefused(f32At(good.slice(), 'adam.v', 0, -1e-3), /negative/, 'Adam v < 0');
        expectRefused(f32At(good.slice(), 'adam.m', 0, NaN), /NaN or Inf/, 'NaN Adam m');
      }
      const r = RNG_AT[ex];
      const zero = good.slice();
      for (let w = 0; w < 4; ++w) u64At(zero, 'state', r + w, 0n);
      expectRefused(zero, /random-number state.*all zero/, 'all-zero RNG');
      expectRefused(u64At(good.slice(), 'state', r + 4, 0x7fc00000n), /random-number state/, 'NaN cached normal');
      expectRefused(u64At(good.slice(), 'state', r + 5, 7n), /random-number state/, 'bad RNG flag');
      expectRefused(u64At(good.slice(), 'state', ex === 'cov1d' ? 1 : ex === 'realnvp' || ex === 'rbm' ? 0 : 1, 4n),
        /step count/, 'step counter ≠ losses');
      if (ex === 'rbm') expectRefused(f32At(good.slice(), 'data', 0, 0.5), /0\/1/, 'non-binary data');
    }
    // A section the model does not have, and a repeated one.
    const extra = (name) => {
      const nm = new TextEncoder().encode(name);
      const add = new Uint8Array(4 + nm.length + 4 + 8 + 3);
      const dv = new DataView(add.buffer);
      dv.setUint32(0, nm.length, true);
      add.set(nm, 4);
      dv.setBigUint64(8 + nm.length, 3n, true);
      const f = new Uint8Array(good.length + add.length);
      f.set(good.subarray(0, good.length - 4));
      f.set(add, good.length - 4);
      new DataView(f.buffer).setUint32(12, sections.length + 1, true);
      return seal(f);
    };
    if (ex === 'fm-ot') {
      // A bad value inside one of the pair's nested run files, every checksum re-sealed.
      const f = good.slice();
      const [a, b] = sec('independent').payload;
      const inner = f.subarray(a, b);
      const v = layout(inner).find((s) => s.name === 'adam.v');
      new DataView(inner.buffer, inner.byteOffset).setFloat32(v.payload[0], -1, true);
      seal(inner);
      expectRefused(seal(f), /CFM model inside the file: .*negative/, 'Adam v < 0 in the nested CFM file');
    }
    expectRefused(extra('pad'), /section 'pad' that this model does not have/, 'unknown section');
    expectRefused(extra('kind'), /appears twice/, 'duplicate section');
    // The wrong size for the model of the file's link.
    const other = lab.create(ex === 'cov1d' ? LINKS.cov1d.replace('hidden=4', 'hidden=5') : ex === 'rbm' ? LINKS.rbm.replace('m=3', 'm=4')
      : ex === 'realnvp' ? LINKS.realnvp.replace('hidden=4', 'hidden=5') : LINKS[ex].replace('hidden=8', 'hidden=9'));
    assert.throws(() => other.load(good), /values, but the model of the file's link has/);
    other.dispose();
    // Version 1: the same sections, no checksum; imports (value checks still apply).
    const v1 = good.slice(0, good.length - 4);
    new DataView(v1.buffer).setUint32(8, 1, true);
    const e1 = lab.restore(v1);
    assert.equal(e1.step, 3);
    e1.dispose();
    console.log(`${ex}: ${reasons.length} re-sealed bad files refused; e.g. ${reasons[0]}`);
  });
}

test("the stored link's problems are returned with the run, not dropped", () => {
  const e = lab.create(LINKS['fm-checkerboard']);
  e.train(2);
  const bytes = e.handle.save(`${e.link}&bogus=1`).slice();  // a file whose link has a problem
  e.dispose();
  const info = JSON.parse(lab.module.checkpointLink(bytes));
  assert.deepEqual(info.issues.map((i) => i.field), ['bogus']);
  const r = lab.restore(bytes);
  assert.equal(r.step, 2);
  assert.deepEqual(r.issues.map((i) => i.field), ['bogus']);
  r.dispose();
  // When the link builds another model, the refusal names the link's problem.
  const f = lab.create(LINKS['fm-checkerboard'].replace('hidden=8', 'hidden=16'));
  const wide = f.handle.save('v=1&ex=fm-checkerboard&hidden=4000&depth=1&batch=4').slice();
  f.dispose();
  assert.throws(() => lab.restore(wide), /the file's link has problems: hidden/);
});
