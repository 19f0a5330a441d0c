// The report's file writers in node: the stored zip (checked by `unzip -t`
// when it is installed, and by reading it back here) and the notebook (nbformat 4).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { zip, crc32 } from '../../web/js/zip.js';
import { notebook } from '../../web/js/notebook.js';
import { m } from '../../web/js/report/parts.js';

const has = (cmd) => { try { execFileSync('sh', ['-c', `command -v ${cmd}`]); return true; } catch { return false; } };

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('zip: stored entries read back byte for byte; unzip -t accepts the archive', () => {
  const rnd = new Uint8Array(70000);
  for (let i = 0; i < rnd.length; ++i) rnd[i] = (i * 2654435761) >>> 24;
  const files = [
    { name: 'fm-checkerboard-fig4-seed1-step300.csv', data: 'panel,x,y\nt=0,0.5,-1\n' },
    { name: 'run.flowlab', data: rnd },
    { name: 'ünïcode-name.svg', data: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
    { name: 'empty.txt', data: new Uint8Array(0) },
  ];
  const bytes = zip(files, new Date(2026, 10, 30, 12, 0, 0));
  // Walk the central directory and check each local entry against the input.
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  assert.equal(dv.getUint32(end, true), 0x06054b50);
  assert.equal(dv.getUint16(end + 10, true), files.length);
  let c = dv.getUint32(end + 16, true);
  const dec = new TextDecoder();
  for (const f of files) {
    assert.equal(dv.getUint32(c, true), 0x02014b50);
    const nameLen = dv.getUint16(c + 28, true), off = dv.getUint32(c + 42, true), size = dv.getUint32(c + 24, true);
    assert.equal(dec.decode(bytes.subarray(c + 46, c + 46 + nameLen)), f.name);
    const data = typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data;
    assert.equal(size, data.length);
    const start = off + 30 + dv.getUint16(off + 26, true);
    assert.deepEqual(bytes.subarray(start, start + size), data);
    assert.equal(dv.getUint32(c + 16, true), crc32(data));
    c += 46 + nameLen;
  }
  if (!has('unzip')) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlab-zip-'));
  const file = path.join(dir, 'all.zip');
  fs.writeFileSync(file, bytes);
  const out = execFileSync('unzip', ['-t', file]).toString();
  assert.match(out, /No errors detected/);
  // A damaged byte is caught by the CRC.
  const bad = Uint8Array.from(bytes);
  bad[40 + files[0].name.length] ^= 0xff;
  fs.writeFileSync(file, bad);
  assert.throws(() => execFileSync('unzip', ['-t', file], { stdio: 'pipe' }));
  fs.rmSync(dir, { recursive: true });
});

test('notebook: valid nbformat 4 JSON with markdown formulas and one drawing cell per figure', () => {
  const q = { id: 'q', label: 'Q1: Loss', text: 'Training loss over epochs.', math: [m('frac( d ln q | d t ) = − f′ ( z )')] };
  const footer = { ex: 'fm-rings', seed: 3, step: 40 };
  const items = [{ p: 'Statement.' }, { math: m('v * ( x , 0 ) = − x') }, { fig: { id: 'loss', title: 'loss', caption: 'every step', footer } },
    { table: { header: ['a', 'b|c'], rows: [[1, 2]], caption: 'numbers' } }, { fig: { id: 'fig4', title: 'Fig. 4', caption: '', footer } }];
  const run = { link: 'v=1&ex=fm-rings&seed=3&steps=40', step: 40, config: { ex: 'fm-rings', seed: 3, steps: 40 } };
  const text = notebook({ sheet: { title: 'Sheet 003' }, ex: 'fm-rings', run, questions: [{ q, items }], fileName: (f, e) => `${f.footer.ex}-${f.id}-seed3-step40.${e}` });
  const nb = JSON.parse(text);
  assert.equal(nb.nbformat, 4);
  assert.ok(nb.nbformat_minor >= 5);
  assert.equal(nb.metadata.kernelspec.language, 'python');
  const ids = new Set();
  for (const c of nb.cells) {
    assert.ok(['markdown', 'code'].includes(c.cell_type));
    assert.ok(Array.isArray(c.source) && c.source.every((s) => typeof s === 'string'));
    assert.match(c.id, /^[a-zA-Z0-9-_]{1,64}$/);
    assert.ok(!ids.has(c.id));
    ids.add(c.id);
    if (c.cell_type === 'code') { assert.deepEqual(c.outputs, []); assert.equal(c.execution_count, null); }
    else assert.equal(c.outputs, undefined);
  }
  const src = (c) => c.source.join('');
  const draws = nb.cells.filter((c) => c.cell_type === 'code' && /^draw\(/.test(src(c)));
  assert.deepEqual(draws.map(src), ['draw("fm-rings-loss-seed3-step40.csv", "loss")', 'draw("fm-rings-fig4-seed3-step40.csv", "Fig. 4")']);
  assert.ok(nb.cells.some((c) => c.cell_type === 'markdown' && src(c).includes('$$\\frac{d\\ln q}{dt}=- f\'( z) $$')));
  assert.ok(src(nb.cells[0]).includes('#v=1&ex=fm-rings&seed=3&steps=40'));
  const mdText = nb.cells.filter((c) => c.cell_type === 'markdown').map(src).join('\n');
  assert.ok(mdText.includes('$$v^* ( x,0) =- x$$') && mdText.includes('Statement.'));
  assert.ok(mdText.includes('| a | b\\|c |') && mdText.includes('| 1 | 2 |'));
  // Text, formulas and tables come before the figure they lead to.
  assert.ok(mdText.indexOf('Statement.') < mdText.indexOf('**loss.**') && mdText.indexOf('**loss.**') < mdText.indexOf('| 1 | 2 |'));
});
