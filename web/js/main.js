// Page wiring: forwards the user's intent to the worker and draws what the
// worker reports. No model math here (core → wasm → worker → page).
import * as state from './state.js';
import * as messages from './messages.js';
import * as controls from './controls.js';
import { LossChart } from './chart.js';
import { drawSamples } from './plot.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const chart = new LossChart($('loss'));
const worker = new Worker('js/worker.js');
let current = null;      // {config, link} as validated by the core
let running = false;
let lastSamples = null;  // {step, data}
let drawPending = false;

// Exposed for tests and for the curious: the page's live state.
window.flowlabPage = { get config() { return current && current.config; }, get link() { return current && current.link; },
  get losses() { return chart.losses; }, get samples() { return lastSamples; }, get running() { return running; } };

function setRunning(r) {
  running = r;
  $('run').textContent = r ? 'Pause' : 'Train';
  $('run').classList.toggle('primary', !r);
  $('step').disabled = r;
}

function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    chart.draw();
    if (lastSamples) {
      drawSamples($('samples'), lastSamples.data,
        `samples at t = 1, step ${lastSamples.step} (${lastSamples.data.length / 2} points)`);
    }
  });
}

const onMessage = {
  ready({ schema }) { controls.init(form, schema); },
  config({ config, link, issues }) {
    current = { config, link };
    controls.set(form, config, issues);
    state.writeLink(link);
    $('exercise').value = config.ex;
    messages.showLinkIssues(issues);
    chart.reset();
    setRunning(false);
    $('stat-step').textContent = '0';
    $('stat-loss').textContent = '–';
  },
  progress({ step, losses, stepsPerSec, running: r }) {
    chart.push(losses);
    setRunning(r);
    $('stat-step').textContent = `${step} / ${current.config.steps}`;
    if (chart.losses.length) $('stat-loss').textContent = chart.losses[chart.losses.length - 1].toFixed(4);
    if (stepsPerSec) $('stat-rate').textContent = stepsPerSec.toFixed(1);
    scheduleDraw();
  },
  samples({ step, data, onSquares }) {
    lastSamples = { step, data, onSquares };
    $('stat-on').textContent = `${(100 * onSquares).toFixed(1)} %`;
    scheduleDraw();
  },
  error({ message }) {
    setRunning(false);
    messages.show([message]);
  },
};

worker.onmessage = (e) => onMessage[e.data.type] && onMessage[e.data.type](e.data);
worker.onerror = (e) => {
  setRunning(false);
  messages.show([`The training worker failed: ${e.message || 'unknown error'}. Reload the page; your link keeps the settings.`]);
  e.preventDefault();
};

// Any edit of the form becomes a link, validated by the core in the worker.
function applyForm() {
  const fields = controls.read(form);
  fields.ex = $('exercise').value;
  const link = ['v=1', ...Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
  worker.postMessage({ type: 'configure', link });
}

form.addEventListener('change', applyForm);
$('exercise').addEventListener('change', applyForm);
$('run').addEventListener('click', () => worker.postMessage({ type: running ? 'pause' : 'run' }));
$('step').addEventListener('click', () => worker.postMessage({ type: 'step' }));
$('reset').addEventListener('click', () => worker.postMessage({ type: 'reset' }));
$('copy-link').addEventListener('click', async () => {
  if (!current) return;
  const { url, copied } = await state.copyLink(current.link);
  $('link-out').textContent = copied ? `Copied: ${url}` : url;
});
$('export-png').addEventListener('click', () => {
  const a = document.createElement('a');
  a.download = `flowlab-samples-step${lastSamples ? lastSamples.step : 0}.png`;
  a.href = $('samples').toDataURL('image/png');
  a.click();
});
$('export-csv').addEventListener('click', () => {
  const rows = ['step,loss', ...chart.losses.map((l, i) => `${i + 1},${l}`)];
  if (lastSamples) rows.push('', 'x,y', ...Array.from({ length: lastSamples.data.length / 2 }, (_, i) => `${lastSamples.data[2 * i]},${lastSamples.data[2 * i + 1]}`));
  const a = document.createElement('a');
  a.download = 'flowlab-run.csv';
  a.href = URL.createObjectURL(new Blob([rows.join('\n')], { type: 'text/csv' }));
  a.click();
});
// A hand-edited hash reconfigures (Copy link always writes a canonical one).
window.addEventListener('hashchange', () => {
  if (!current || state.readLink() !== current.link) worker.postMessage({ type: 'configure', link: state.readLink() });
});

worker.postMessage({ type: 'init', link: state.readLink() });
