// Node side of the benchmark: wasm SIMD peak, flowlab wasm (web/gen) through
// the JS API, TensorFlow.js (wasm backend on one thread, and the cpu backend)
// on the same CFM step. One JSON line per measurement.
//   node tests/bench/bench_node.mjs [--quick] [--skip-tfjs] [--ot]   (--ot: only the assignment lines)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const W = require('./workload.js');
const { benchCfm, paramsOf = W.paramsOf } = require('./tfjs_cfm.js');
const emit = (o) => console.log(JSON.stringify({ ...o, load1: +os.loadavg()[0].toFixed(2) }));
const minS = quick ? 0.5 : 3;

const FlowLab = await import('../../web/js/api.js');
const lab = await FlowLab.load();
const assignments = (sizes, minS) => {
  for (const batch of sizes) for (const solver of [0, 1]) emit({ impl: 'flowlab-wasm-node', ...W.assignment(lab, { batch, solver, minS }) });
};
if (process.argv.includes('--ot')) {
  assignments([128, 256, 512, 1024], 1);
  process.exit(0);
}

emit({ impl: 'wasm-simd128-peak-node', task: 'peak', gflops: +(await W.peak(quick ? 0.5 : 2)).toFixed(2) });
const nets = quick ? [{ hidden: 256, batch: 1024 }]
  : [{ hidden: 256, batch: 1024 }, { hidden: 256, batch: 256 }, { hidden: 256, batch: 4096 },
    { hidden: 64, batch: 1024 }, { hidden: 128, batch: 1024 }, { hidden: 512, batch: 1024 }];
for (const n of nets) emit({ impl: 'flowlab-wasm-node', task: 'train', ...W.train(lab, { ...n, depth: 3, minS }) });
emit({ impl: 'flowlab-wasm-node', ...W.sample(lab, {}) });
assignments(quick ? [512] : [128, 256, 512, 1024], quick ? 0.3 : 1);

// The pthreads build (web/gen/mt): 1 and 2 threads
// inside the step, interleaved; bit-identical results (tests/native/test_parallel.cc).
const mtDir = path.join(here, '..', '..', 'web', 'gen', 'mt');
if (fs.existsSync(path.join(mtDir, 'flowlab.js'))) {
  const mt = await FlowLab.load({ gen: mtDir, threads: 2 });
  for (const batch of quick ? [1024] : [256, 1024, 4096])
    for (const t of [1, 2]) {
      mt.module.setThreads(t);
      emit({ impl: 'flowlab-wasm-mt-node', task: 'train', threads: mt.module.threads(), ...W.train(mt, { hidden: 256, depth: 3, batch, minS }) });
    }
  mt.module.setThreads(1);
}

if (!process.argv.includes('--skip-tfjs')) {
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  // One thread: the multithreaded wasm binary is never picked.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  const backends = [['wasm', 'tfjs-wasm-node'], ['cpu', 'tfjs-cpu-node']];
  for (const [backend, impl] of backends) {
    await tf.setBackend(backend);
    await tf.ready();
    const tnets = quick || backend === 'cpu' ? [{ hidden: 256, batch: 1024 }] : nets.slice(0, 3);
    for (const n of tnets) {
      const sps = benchCfm(tf, { ...n, depth: 3, minS: backend === 'cpu' ? minS : minS, warm: backend === 'cpu' ? 1 : 3 });
      const flops = 6 * W.paramsOf(n.hidden, 3) * n.batch;
      emit({ impl, task: 'train', net: W.netName(n.hidden, 3), batch: n.batch, steps_per_s: +sps.toFixed(3),
        gflops: +(sps * flops / 1e9).toFixed(2), simd: backend === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined });
    }
  }
}

// The pthreads module's workers would keep node alive.
process.exit(0);
