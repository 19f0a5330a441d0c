// @ts-check
// Sheet 003 §2, conditional: v(x, t, c) on [x, t, e_c] with a learned class embedding e_c.
import { panel, csvText, analysisBar, row, table } from '../figures.js';
import { drawRingPoints, drawTrajectories, drawBackdrop, drawMarkers, RING_COLOURS, RING_NAMES, xyCsv } from '../plot-rings.js';
import { qualityReport } from '../quality.js';
import { ownQualityReport } from '../own-data.js';

export default {
  id: 'fm-rings-cond',
  lossName: 'CFM loss',
  title: 'Conditional flow matching — Olympic rings (sheet 003 §2)',
  question: '§2 (conditional) Train v(x, t, c) with a learned embedding e_c of the ring c concatenated to the input ' +
    '[x, t, e_c]; then sample the ring you ask for.',
  mount(container, ctx) {
    let last = null, data = null, trajData = null, selected = -1, pending = false, ownAsked = -1;
    const classOf = (cls, asked) => (i) => (asked ? asked[i] : cls >= 0 ? cls : i % 5);
    container.append(ctx.lossFigure);
    const control = document.createElement('label');
    control.textContent = 'Q3: sample ring ';
    const select = document.createElement('select');
    select.name = 'ring-class';
    for (const [v, t] of /** @type {[number, string][]} */ ([[-1, 'all five (i mod 5)'], ...RING_NAMES.map((n, c) => [c, `${c}: ${n}`])])) {
      const o = document.createElement('option');
      o.value = String(v);
      o.textContent = t;
      select.append(o);
    }
    select.addEventListener('change', () => { selected = Number(select.value); pending = true; ctx.analyze('classSamples', { cls: selected }); });
    control.append(select);
    const bar = analysisBar(container, ctx, [
      ['data', 'Q1: training data by class'],
      ['classTrajectories', 'Q2: one trajectory per class'],
    ]);
    bar.append(control);
    const qualityBox = row(container), rowBox = row(container);
    const samples = panel(rowBox, {
      id: 'rings-cond-samples', title: 'class-conditional samples', width: 420, height: 420,
      caption: 'Sheet 003 §2 conditional Q3: samples coloured by the ring they were asked for.',
      csv: () => last && csvText(['x', 'y', 'class'], xyCsv(last.samples).map((p, i) => [...p, classOf(last.cls, last.classes)(i)])),
    });
    const dataPanel = panel(rowBox, {
      id: 'rings-cond-data', title: 'training data', width: 420, height: 420,
      caption: 'Sheet 003 §2 conditional Q1: the training data coloured by ring (drawn when first shown).',
      csv: () => data && csvText(['x', 'y', 'class'], xyCsv(data.points).map((p, i) => [...p, data.labels[i]])),
    });
    const trajPanel = panel(rowBox, {
      id: 'rings-cond-trajectories', title: 'one trajectory per class', width: 420, height: 420,
      caption: 'Sheet 003 §2 conditional Q2: one trajectory per class (drawn when first shown).',
      csv: () => trajData && csvText(['class', 't', 'x', 'y'], trajData.traj.flatMap((tr, c) =>
        xyCsv(tr).map((p, k) => [c, k / trajData.steps, ...p]))),
    });
    ctx.onFirstView(dataPanel.fig, 'data');
    ctx.onFirstView(trajPanel.fig, 'classTrajectories');
    const drawSamples = (d) => {
      last = d;
      const n = d.samples.length / 2;
      const which = d.cls >= 0 ? `ring ${d.cls} (${RING_NAMES[d.cls]})` : d.accuracy === undefined ? 'the classes of your points' : 'rings i mod 5';
      drawRingPoints(samples.canvas, d.samples, `${n} samples asked for ${which}, step ${d.step}`, classOf(d.cls, d.classes));
      if (d.accuracy === undefined) {  // your own points: no rings to be nearest to; the NLL once done
        samples.caption(`${n} samples at t = 1 (step ${d.step}), coloured by the class they were asked for.`);
        if (d.done && ownAsked !== d.step) { ownAsked = d.step; ctx.analyze('quality'); }
        return;
      }
      samples.caption(`Sheet 003 §2 conditional Q3: ${n} samples at t = 1 (step ${d.step}), coloured by the ring they were asked ` +
        `for (${d.cls >= 0 ? RING_NAMES[d.cls] + ' only' : 'blue, black, red, yellow, green in turn'}); ` +
        `${(100 * d.accuracy).toFixed(1)} % have the requested ring as their nearest ring.`);
      ctx.stat('on requested ring', `${(100 * d.accuracy).toFixed(1)} %`);
      const q = d.quality, pc = (x) => `${(100 * x).toFixed(1)} %`;
      qualityReport(qualityBox, 'rings-cond-quality', {
        step: d.step, ok: q.ok, advice: q.advice,
        rows: [
          [`samples on the requested ring (${q.n})`, pc(q.accuracy), `${pc(q.ceiling)} (the data on their own ring)`, null],
          ['gap to the data\'s ceiling', pc(q.gap), `≤ ${pc(q.maxGap)}`, q.ok],
        ],
        note: 'The rings cross, so even the training points are nearer another ring in places: their own rate is the ceiling.',
      });
    };
    return {
      figures(d) {
        if (selected < 0) drawSamples(d);
        else if (!pending) { pending = true; ctx.analyze('classSamples', { cls: selected }); }
      },
      analysis(name, d) {
        if (name === 'quality' && d.own) ownQualityReport(qualityBox, d, ctx, table);
        if (name === 'classSamples') { pending = false; drawSamples(d); }
        if (name === 'data') {
          data = d;
          const counts = [0, 1, 2, 3, 4].map((c) => d.labels.filter((l) => l === c).length);
          drawRingPoints(dataPanel.canvas, d.points, `training data (${d.labels.length} points)`, (i) => d.labels[i]);
          if (d.own) dataPanel.caption(`Your points, standardised per axis (the model's coordinates), coloured by class ` +
            `(${counts.map((k, c) => `class ${c}: ${k}`).filter((_, c) => counts[c]).join(', ')}).`);
          else dataPanel.caption(`Sheet 003 §2 conditional Q1: the fixed training set, standardised, coloured by ring ` +
            `(${RING_NAMES.map((r, c) => `${r} ${counts[c]}`).join(', ')}).`);
        }
        if (name === 'classTrajectories') {
          trajData = d;
          const fr = drawBackdrop(trajPanel.canvas, data ? data.points : last ? last.samples : new Float32Array(), `one trajectory per class, step ${d.step}`);
          for (let c = 0; c < 5; ++c) {
            drawTrajectories(fr, d.traj[c], 1, () => RING_COLOURS[c], 2.5);
            drawMarkers(fr, d.traj[c].slice(-2), RING_COLOURS[c], 4);
          }
          drawMarkers(fr, d.traj[0].slice(0, 2), '#888', 6);
          trajPanel.caption(`Sheet 003 §2 conditional Q2 (step ${d.step}): the same noise point x(0) (grey circle) flowed to t = 1 ` +
            `once per class c, coloured by class (${d.steps} ODE steps); ${d.own ? 'each ends among its class of your points (a class you did not draw: wherever the field leads)' : 'each ends on its own ring (coloured circles)'}.`);
        }
      },
    };
  },
};
