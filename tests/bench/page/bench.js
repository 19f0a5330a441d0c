// Runs the workloads (workload.js) and leaves window.benchResults for the
// harness: one object per measurement, or window.benchError.
import * as FlowLab from '/js/api.js';

(async function () {
  const params = new URLSearchParams(location.search);
  const quick = params.has('quick');
  const minS = quick ? 0.5 : 3;
  const out = [];
  const emit = (o) => { out.push(o); document.getElementById('out').textContent += JSON.stringify(o) + '\n'; };
  try {
    emit({ impl: 'wasm-simd128-peak-chromium', task: 'peak', gflops: +(await FlowLabBench.peak(quick ? 0.5 : 2)).toFixed(2) });
    const lab = await FlowLab.load();
    const nets = quick ? [{ hidden: 256, batch: 1024 }]
      : [{ hidden: 256, batch: 1024 }, { hidden: 256, batch: 256 }, { hidden: 256, batch: 4096 }];
    for (const n of nets) emit({ impl: 'flowlab-wasm-chromium', task: 'train', ...FlowLabBench.train(lab, { ...n, depth: 3, minS }) });
    emit({ impl: 'flowlab-wasm-chromium', ...FlowLabBench.sample(lab, {}) });
    FlowLabBench.analyses(lab, (o) => emit({ impl: 'flowlab-wasm-chromium', threads: 1, ...o }));
    window.benchResults = out;
  } catch (e) {
    window.benchError = String(e && e.stack || e);
  }
})();
