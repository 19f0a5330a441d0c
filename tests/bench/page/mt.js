// Threads inside a training step (core/parallel.h) in Chromium: the pthreads
// module at 1 and 2 threads, interleaved, same workload as bench.js.
import * as FlowLab from '/js/api.js';

(async function () {
  const quick = new URLSearchParams(location.search).has('quick');
  const minS = quick ? 0.5 : 3;
  const out = [];
  const emit = (o) => { out.push(o); document.getElementById('out').textContent += JSON.stringify(o) + '\n'; };
  try {
    if (!self.crossOriginIsolated) throw new Error('the page is not cross-origin isolated (COOP/COEP missing)');
    const lab = await FlowLab.load({ base: new URL('/gen-mt/', location.href).href, threads: 2 });
    for (const batch of quick ? [1024] : [256, 1024, 4096])
      for (const t of [1, 2]) {
        lab.module.setThreads(t);
        emit({ impl: 'flowlab-wasm-mt-chromium', task: 'train', threads: lab.module.threads(), ...FlowLabBench.train(lab, { hidden: 256, depth: 3, batch, minS }) });
      }
    lab.module.setThreads(2);
    emit({ impl: 'flowlab-wasm-mt-chromium', threads: 2, ...FlowLabBench.sample(lab, {}) });
    FlowLabBench.analyses(lab, (o) => emit({ impl: 'flowlab-wasm-mt-chromium', threads: 2, ...o }));
    lab.module.setThreads(1);
    window.benchResults = out;
  } catch (e) {
    window.benchError = String(e && e.stack || e);
  }
})();
