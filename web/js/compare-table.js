// @ts-check
// The numbers of two runs in one table: the settings they differ in, loss,
// the quality numbers their views report, speed and wall time, and whether
// they start from the same parameters.
import { table } from './figures.js';

/**
 * A run as the compare page sees it.
 * @typedef {{label: string, config: object|null, losses: number[], lossName: string, stats: Map<string, string>,
 *   rate: number, wallSeconds: number, wallSteps: number, init: string|undefined, trainable: boolean}} Run
 */

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const fmt = (v, digits = 4) => (Number.isFinite(v) ? v.toPrecision(digits) : '–');

/** Settings both runs use that differ: [field, value A, value B]. */
export function differences(a, b) {
  if (!a || !b) return [];
  return Object.keys(a).filter((k) => k in b && String(a[k]) !== String(b[k])).map((k) => [k, String(a[k]), String(b[k])]);
}

/** Settings only one run uses (runs of two exercises): their names, per run. */
export function ownFields(a, b) {
  if (!a || !b) return [[], []];
  return [Object.keys(a).filter((k) => !(k in b)), Object.keys(b).filter((k) => !(k in a))];
}

/** Whether the two runs start from the same θ (digests of θ at step 0 from the workers). */
export function sameStart(a, b) {
  if (!a.init || !b.init) return 'unknown (a run was restored past step 0)';
  if (a.init !== b.init) {
    const seeds = a.config && b.config && a.config.seed !== b.config.seed;
    return seeds ? `different (seed ${a.config.seed} vs ${b.config.seed})` : 'different (another model or its size)';
  }
  return 'identical θ at step 0 (same seed and model)';
}

/** The table's rows: [measure, run A, run B]. */
export function rows(a, b) {
  const out = [['exercise', a.config ? a.config.ex : '–', b.config ? b.config.ex : '–']];
  for (const [k, va, vb] of differences(a.config, b.config)) if (k !== 'ex') out.push([`setting: ${k}`, va, vb]);
  const [onlyA, onlyB] = ownFields(a.config, b.config);
  if (onlyA.length || onlyB.length) out.push(['settings of its own exercise only', onlyA.join(', ') || '–', onlyB.join(', ') || '–']);
  const step = (r) => (!r.config ? '–' : r.trainable === false ? 'closed form (nothing to train)' : `${r.losses.length} / ${r.config.steps}`);
  out.push(['step', step(a), step(b)]);
  const last = (r) => (r.losses.length ? fmt(r.losses[r.losses.length - 1]) : '–');
  const tail = (r) => (r.losses.length ? fmt(mean(r.losses.slice(-100))) : '–');
  let name = a.lossName;
  if (a.lossName !== b.lossName) {
    out.push(['loss (not the same quantity)', a.lossName, b.lossName]);
    name = 'loss';
  }
  out.push([`${name}, last step`, last(a), last(b)]);
  out.push([`${name}, mean of the last 100 steps (all, if fewer)`, tail(a), tail(b)]);
  // What the views report (quality numbers): every name either run has.
  for (const k of new Set([...a.stats.keys(), ...b.stats.keys()])) out.push([k, a.stats.get(k) || '–', b.stats.get(k) || '–']);
  out.push(['training steps/s (in the worker)', a.rate ? fmt(a.rate, 3) : '–', b.rate ? fmt(b.rate, 3) : '–']);
  const wallRate = (r) => (r.wallSeconds > 0 && r.wallSteps ? fmt(r.wallSteps / r.wallSeconds, 3) : '–');
  out.push(['steps/s of wall time', wallRate(a), wallRate(b)]);
  const wall = (r) => (r.wallSeconds ? `${r.wallSeconds.toFixed(1)} s` : '–');
  out.push(['wall time training (from Train to done)', wall(a), wall(b)]);
  const start = sameStart(a, b);
  out.push(['initial parameters', start, start]);
  return out;
}

/** Redraws the table into box. */
export function render(box, a, b) {
  box.replaceChildren();
  table(box, 'compare-table', ['measure', `run ${a.label}`, `run ${b.label}`], rows(a, b),
    'Both runs train at once in their own workers, sharing this machine\'s cores: steps/s and wall time compare ' +
    'under the same load. Quality numbers appear as each view computes them (some once a run is done).');
}
