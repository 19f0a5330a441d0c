// @ts-check
// Starts the training worker while the page's own modules still load: its
// scripts and the wasm module load meanwhile. main.js takes it over (or
// starts another when this one already failed). A compare link starts none:
// main.js sends it on to compare.html, which starts its own two.
import { readLink } from './state.js';
import { isCompare } from './compare-link.js';

if (!isCompare(readLink())) {
  const boot = { worker: new Worker('js/worker.js', { type: 'module' }), at: performance.now(), failed: null };
  boot.worker.onerror = (e) => {
    e.preventDefault();
    boot.failed = e.message || 'unknown error';
  };
  window.flowlabBoot = boot;
}
