// @ts-check
// Analyses longer than ~0.5 s run in a helper instance of the worker's script
// on a checkpoint of the model (the same wasm: the same bits): the worker
// keeps answering and training. Asking for an analysis again cancels its
// running copy; at most MAX_ASIDE run at once (the oldest is cancelled, with a
// message); a command that changes the model or draws anew cancels them all
// (worker.js). The helper answers {type:'analyzeAside'} in worker.js.
const MAX_ASIDE = 2;

// post(msg): to the page; fail(message): an error to the page.
/** @param {(msg: import('./protocol.js').WorkerOut) => void} post @param {(message: string) => void} fail */
export function asideAnalyses(post, fail) {
  const asides = new Map();  // name → {worker, timer}, oldest first
  // The analysis `name` of the experiment `exp`, estimated to take `seconds`.
  function start(exp, name, args, seconds) {
    end(name);
    if (asides.size >= MAX_ASIDE) {
      const [oldest] = asides.keys();
      end(oldest);
      fail(`The analysis '${oldest}' was cancelled: at most ${MAX_ASIDE} long analyses run at once; ask for it again.`);
    }
    const what = `the analysis '${name}'`;
    // self.location: the worker's own script (this module is imported by it).
    const worker = new Worker(self.location.href, { type: 'module' });
    const t0 = performance.now();
    const timer = setInterval(() => {
      const done = (performance.now() - t0) / 1000;
      post({ type: 'busy', what, seconds: Math.max(0, seconds - done), done, steps: seconds, aside: true });
    }, 500);
    asides.set(name, { worker, timer });
    const mine = () => asides.has(name) && asides.get(name).worker === worker;
    worker.onmessage = ({ data: m }) => {
      if (!mine() || !['analysis', 'error', 'aborted'].includes(m.type)) return;
      end(name);
      if (m.type === 'analysis') post(m);
      else fail(m.type === 'aborted' ? `The analysis '${name}' stopped: ${m.message}. The model is untouched.` : m.message);
    };
    worker.onerror = (e) => {
      e.preventDefault();  // the helper's failure is not this worker's
      if (mine()) { end(name); fail(`The analysis '${name}' failed: ${e.message}`); }
    };
    post({ type: 'busy', what, seconds, done: 0, steps: seconds, aside: true });
    worker.postMessage({ type: 'analyzeAside', bytes: exp.save(), name, args });
  }
  // Ends the analysis `name` running aside, or all of them.
  function end(name) {
    for (const [n, a] of [...asides]) {
      if (name !== undefined && n !== name) continue;
      clearInterval(a.timer);
      a.worker.terminate();
      asides.delete(n);
    }
  }
  return { start, end, get size() { return asides.size; } };
}
