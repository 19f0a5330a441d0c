// Benchmark workloads shared by node (bench_node.mjs) and the Chromium page
// (page/index.html): the wasm SIMD128 mul+add peak and flowlab's training
// and sampling loops through the public JS API (web/js/api.js).
// Each timing warms up first (V8 tiers wasm up lazily, TOOLCHAIN.md) and then
// calls in chunks, never one long call.
(function (root) {
  'use strict';
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now()) / 1000;

  // A hand-assembled wasm module: peak(n) runs n iterations of ACC independent
  // chains acc = acc·m + c on f32x4 (one mul and one add per lane: 2 flops).
  // ACC chains cover the mul+add latency on two FP pipes.
  const ACC = 12;
  function peakModule() {
    const b = [];
    const uleb = (v) => { do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; b.push(x); } while (v); };
    const f32x4 = (x) => { const a = new Uint8Array(new Float32Array([x, x, x, x]).buffer); b.push(0xfd, 0x0c, ...a); };
    const M = ACC + 1, C = ACC + 2;
    // code body
    b.push(1, ACC + 2, 0x7b);  // one local group: ACC+2 v128
    f32x4(0.999); b.push(0x21, M);
    f32x4(0.001); b.push(0x21, C);
    for (let i = 1; i <= ACC; ++i) { f32x4(i); b.push(0x21, i); }
    b.push(0x03, 0x40);  // loop
    for (let i = 1; i <= ACC; ++i) {
      b.push(0x20, i, 0x20, M, 0xfd, 0xe6, 0x01, 0x20, C, 0xfd, 0xe4, 0x01, 0x21, i);  // mul, add
    }
    b.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b);  // n -= 1; br_if n; end
    b.push(0x20, 1, 0xfd, 0x1f, 0);
    for (let i = 2; i <= ACC; ++i) b.push(0x20, i, 0xfd, 0x1f, 0, 0x92);
    b.push(0x0b);
    const body = b.splice(0);
    const sec = (id, bytes) => { b.push(id); uleb(bytes.length); b.push(...bytes); };
    const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    const section = (id, fill) => { fill(); const s = b.splice(0); out.push(id); const l = []; let v = s.length; do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; l.push(x); } while (v); out.push(...l, ...s); };
    section(1, () => b.push(1, 0x60, 1, 0x7f, 1, 0x7d));            // type: (i32) → f32
    section(3, () => b.push(1, 0));                                  // function 0 of type 0
    section(7, () => b.push(1, 4, 0x70, 0x65, 0x61, 0x6b, 0, 0));    // export "peak"
    section(10, () => { b.push(1); uleb(body.length); b.push(...body); });
    void sec;
    return new Uint8Array(out);
  }

  async function peak(minS = 1) {
    const { instance } = await WebAssembly.instantiate(peakModule());
    const f = instance.exports.peak;
    const chunk = 2000000;
    const tw = now();
    while (now() - tw < 0.5) f(chunk);  // tier up (V8 swaps in TurboFan between calls)
    let iters = 0;
    const t0 = now();
    let t1 = t0;
    do { f(chunk); iters += chunk; t1 = now(); } while (t1 - t0 < minS);
    return iters * ACC * 8 / (t1 - t0) / 1e9;  // 4 lanes × (mul + add)
  }

  const netName = (hidden, depth) => ['3', ...Array(depth).fill(String(hidden)), '2'].join('-');
  const paramsOf = (hidden, depth) => 3 * hidden + hidden + (depth - 1) * (hidden + 1) * hidden + (hidden + 1) * 2;

  // Training steps/s of the experiment of one link; exp.train(chunk) repeatedly.
  function train(lab, { hidden = 256, depth = 3, batch = 1024, minS = 2 } = {}) {
    const exp = lab.create(`v=1&hidden=${hidden}&depth=${depth}&batch=${batch}&steps=1000000&lr=0.001`);
    try {
      const flops = 6 * paramsOf(hidden, depth) * batch;
      const chunk = Math.max(1, Math.round(0.05e9 / flops));  // ~0.05 GFLOP a call
      exp.train(chunk); exp.train(chunk);  // warm-up
      let steps = 0;
      const t0 = now();
      let t1 = t0;
      do { exp.train(chunk); steps += chunk; t1 = now(); } while (t1 - t0 < minS);
      const sps = steps / (t1 - t0);
      return { net: netName(hidden, depth), batch, steps_per_s: +sps.toFixed(3), gflops: +(sps * flops / 1e9).toFixed(2) };
    } finally { exp.dispose(); }
  }

  // 1000 points × 500 Euler steps through the reference net.
  function sample(lab, { points = 1000, steps = 500, reps = 1 } = {}) {
    const exp = lab.create('v=1&hidden=256&depth=3&batch=1024&steps=1000000');
    try {
      exp.sample(points, { steps: 20, solver: 'euler' });  // warm-up
      const t0 = now();
      for (let r = 0; r < reps; ++r) exp.sample(points, { steps, solver: 'euler' });
      const s = (now() - t0) / reps;
      const P = paramsOf(256, 3);
      return { task: 'sample', net: netName(256, 3), points, euler_steps: steps, seconds: +s.toFixed(4),
        point_steps_per_s: +(points * steps / s).toPrecision(4), gflops: +(2 * P * points * steps / s / 1e9).toFixed(2) };
    } finally { exp.dispose(); }
  }

  // One minibatch-OT pairing (cost matrix + exact assignment, as in training)
  // of x0 ~ N(0, I) and checkerboard x1, over a pool of 8 fixed batches;
  // solver 0 Hungarian, 1 the fast one. Warm-up calls first (V8 tiers up per call).
  function assignment(lab, { batch = 512, solver = 1, minS = 1 } = {}) {
    let s = 0x9e3779b9 ^ batch;
    const uni = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
    const pool = [];
    for (let b = 0; b < 8; ++b) {
      const x0 = new Float32Array(2 * batch), x1 = new Float32Array(2 * batch);
      for (let i = 0; i < batch; ++i) {
        const r = Math.sqrt(-2 * Math.log(uni())), th = 2 * Math.PI * uni();
        x0[2 * i] = r * Math.cos(th), x0[2 * i + 1] = r * Math.sin(th);
        const a = uni() * 4 - 2, k = uni() < 0.5 ? 0 : 1;
        x1[2 * i] = 2 * a, x1[2 * i + 1] = 2 * (uni() - 2 * k + ((Math.floor(a) + 4) % 2));
      }
      pool.push([x0, x1]);
    }
    const small = pool[0].map((x) => x.subarray(0, 64));
    for (let w = 0; w < 20; ++w) lab.module.otPairCost(small[0], small[1], solver);
    lab.module.otPairCost(pool[0][0], pool[0][1], solver);
    let calls = 0;
    const cpu = typeof process !== 'undefined' && process.cpuUsage ? process.cpuUsage() : null;
    const t0 = now();
    let t1 = t0;
    do { const [x0, x1] = pool[calls % 8]; lab.module.otPairCost(x0, x1, solver); ++calls; t1 = now(); } while (t1 - t0 < minS);
    const r = { task: 'ot-assignment', solver: solver ? 'auction-jv' : 'hungarian', batch, ms: +(1e3 * (t1 - t0) / calls).toFixed(3) };
    if (cpu) {  // node: the process's CPU time per call (V8's helper threads included), for loaded machines
      const c = process.cpuUsage(cpu);
      r.cpu_ms = +((c.user + c.system) / 1e3 / calls).toFixed(3);
    }
    return r;
  }

  // Every analysis of the exercises with a neural or particle model, at its
  // defaults on the exercise's default link (the untrained model costs the
  // same as a trained one): seconds of one call, after a few training steps
  // (V8 tiers the kernels up).
  const ANALYSES = ['fm-checkerboard', 'fm-rings', 'fm-rings-cond', 'fm-ot', 'cov1d', 'realnvp'];
  function analyses(lab, emit, extra = {}) {
    for (const ex of ANALYSES) {
      const exp = lab.create(`v=1&ex=${ex}`);
      try {
        exp.train(3);
        for (const name of Object.keys(exp.analyses || {})) {
          const t0 = now();
          let error;
          try { exp.analyze(name); } catch (e) { error = String(e.message || e); }
          emit({ task: 'analysis', ex, name, seconds: +(now() - t0).toFixed(3), ...(error ? { error } : {}), ...extra });
        }
      } finally { exp.dispose(); }
    }
  }

  const api = { peak, peakModule, train, sample, assignment, analyses, netName, paramsOf, now };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.FlowLabBench = api;
})(typeof self !== 'undefined' ? self : this);
