// @ts-check
// Sheet 000 §3(a): conditional flow matching from N(0, I) to the checkerboard.
import { panel, csvText, analysisBar, table, row } from '../figures.js';
import { drawSamples, drawLogDensity, Frame } from '../plot.js';
import { qualityPanel } from '../quality.js';

// Arrows v at points x (both n × 2) in the square [−0.5, 0.5]²; a vector of
// length L is drawn L·scale long in x units.
function drawArrows(canvas, x, v, m, scale, colour, title) {
  const f = new Frame(canvas, 0.6);
  f.clear();
  f.title(title);
  const { ctx } = f;
  ctx.strokeStyle = '#888';
  ctx.strokeRect(f.px(-0.5), f.py(0.5), f.px(0.5) - f.px(-0.5), f.py(-0.5) - f.py(0.5));
  ctx.strokeStyle = ctx.fillStyle = colour;
  ctx.lineWidth = 1.5;
  for (let k = 0; k < m * m; ++k) {
    const x0 = f.px(x[2 * k]), y0 = f.py(x[2 * k + 1]);
    const x1 = f.px(x[2 * k] + scale * v[2 * k]), y1 = f.py(x[2 * k + 1] + scale * v[2 * k + 1]);
    const a = Math.atan2(y1 - y0, x1 - x0), h = Math.min(6, 0.4 * Math.hypot(x1 - x0, y1 - y0));
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - h * Math.cos(a - 0.45), y1 - h * Math.sin(a - 0.45));
    ctx.lineTo(x1 - h * Math.cos(a + 0.45), y1 - h * Math.sin(a + 0.45));
    ctx.fill();
  }
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('−0.5', f.px(-0.5) - 10, f.py(-0.5) + 14);
  ctx.fillText('0.5', f.px(0.5) - 8, f.py(-0.5) + 14);
}

export default {
  id: 'fm-checkerboard',
  lossName: 'CFM loss',
  title: 'Flow matching — checkerboard (sheet 000 §3)',
  question: '§3(a) Train v(x, t) with the CFM loss ‖v(ψt(x0), t) − (x1 − x0)‖², ψt(x0) = (1 − t)·x0 + t·x1, ' +
    'x0 ~ N(0, I), x1 ~ checkerboard, and push N(0, I) samples through dx/dt = v(x, t) from t = 0 to 1.',
  mount(container, ctx) {
    let last = null, own = false;
    const samples = panel(container, {
      id: 'samples', title: 'samples at t = 1', width: 480, height: 480,
      caption: 'Samples x(1) of the learned flow, integrated from the same x(0) ~ N(0, I) at every snapshot; ' +
        'blue outlines: the 8 filled squares (density 1/32 each).',
      csv: () => last && csvText(['x', 'y'], Array.from({ length: last.samples.length / 2 }, (_, i) => [last.samples[2 * i], last.samples[2 * i + 1]])),
    });
    container.append(ctx.lossFigure);
    analysisBar(container, ctx, [
      ['fig4', 'Fig. 4: progression over t and samples per NFE'],
      ['field0', '(b) v(x, t = 0) vs the optimum E[x1] − x'],
      ['density', 'exact log-density ln p₁(x)'],
      ['quality', 'quality report: exact NLL vs ln 32'],
    ]);
    // Computed once a run is done (a few seconds: 2048 exact ln p), or on the button.
    const quality = qualityPanel(container, ctx, (q) => {
      const f3 = (x) => x.toFixed(3);
      return {
        id: 'quality',
        rows: [
          ['exact NLL −E_q[ln p] (nats)', f3(q.nll), `ln 32 = ${f3(q.optimum)} (the data's entropy)`, null],
          ['KL gap = NLL − ln 32', f3(q.klGap), `≤ ${q.maxKl}`, q.klGap <= q.maxKl],
          ['samples on the squares', `${(100 * q.onSquares).toFixed(1)} %`, `≥ ${100 * q.minOnSquares} %`, q.onSquares >= q.minOnSquares],
        ],
        note: `NLL by the midpoint rule over ${q.cells} cell centres of the 8 squares, each ln p exact (reverse flow, ` +
          `${q.odeSteps} midpoint steps, ∫ Tr ∂v/∂x dt); no model can go below ln 32.`,
        stat: ['KL gap', f3(q.klGap)],
      };
    });
    const fig4Box = row(container);
    const field0Box = row(container);
    const renderField0 = (d) => {
      field0Box.replaceChildren();
      const N = d.m * d.m;
      // One arrow scale for both panels: the longest arrow spans 0.9 grid cells.
      let longest = 0;
      for (let k = 0; k < N; ++k) longest = Math.max(longest, Math.hypot(d.v[2 * k], d.v[2 * k + 1]), Math.hypot(d.vStar[2 * k], d.vStar[2 * k + 1]));
      const csv = () => csvText(['x', 'y', 'v_x', 'v_y', 'vstar_x', 'vstar_y'], Array.from({ length: N }, (_, k) =>
        [d.x[2 * k], d.x[2 * k + 1], d.v[2 * k], d.v[2 * k + 1], d.vStar[2 * k], d.vStar[2 * k + 1]]));
      const mx = `(${d.meanX1[0].toFixed(3)}, ${d.meanX1[1].toFixed(3)})`;
      const meanText = d.meanExact ? `E[x1] = ${mx} exactly (the checkerboard is symmetric under x → −x)` : `E[x1] = ${mx} from 100,000 data draws`;
      const skipped = d.excluded ? `, leaving out the ${d.excluded} grid point${d.excluded > 1 ? 's' : ''} where v* = 0 (x = E[x1]: a relative error means nothing there)` : '';
      for (const [key, title, colour] of [['v', `learned v(x, 0), step ${d.step}`, '#0072b2'], ['vStar', 'optimum v*(x, 0) = E[x1] − x', '#d55e00']]) {
        const f = panel(field0Box, { id: `field0-${key}`, width: 320, height: 320, csv,
          caption: key === 'v' ? `(b) The trained field at t = 0 on an ${d.m} × ${d.m} grid over [−0.5, 0.5]²; arrows share one scale ` +
            `(longest = ${longest.toFixed(3)}).`
            : `With x0 ⊥ x1, v*(x, 0) = E[x1 − x0 | x0 = x] = E[x1] − x; ${meanText}.` });
        drawArrows(f.canvas, d.x, d[key], d.m, 0.9 / (d.m - 1) / Math.max(longest, 1e-12), colour, title);
      }
      table(field0Box, 'field0-errors', ['error of v(x, 0) against v*', 'value'], [
        [`mean relative error ‖v − v*‖ / ‖v*‖ (${d.m * d.m - d.excluded} points)`, d.meanRelErr.toFixed(4)],
        [`mean absolute error ‖v − v*‖ (all ${d.m * d.m} points)`, d.meanAbsErr.toFixed(4)],
        ['mean ‖v*‖ (the scale of the field)', d.meanStar.toFixed(4)],
        ['mean ‖v − v*‖ / mean ‖v*‖', d.ratioOfMeans.toFixed(4)],
      ], `(b) step ${d.step}: the relative error over the grid${skipped}; the absolute error counts every point, ` +
        'and divided by the mean ‖v*‖ it does not blow up where v* is small.');
    };
    const densityBox = row(container);
    const renderDensity = (d) => {
      densityBox.replaceChildren();
      const f = panel(densityBox, { id: 'density', width: 420, height: 420,
        caption: `ln p₁(x) of the learned flow (step ${d.step}) by the instantaneous change of variables: x integrated back to ` +
          `t = 0 with ${d.steps} RK4 steps, ln p₁(x) = ln N(x(0); 0, I) − ∫₀¹ Tr ∂v/∂x dt (exact 2D trace). Colour over ` +
          `[max − 10, max] of ln p; ${d.m} × ${d.m} grid. ∫ p over [−5, 5]² = ${d.integral.toFixed(4)}` +
          (own ? ' (your points, standardised per axis).' : `; the data's density is 1/32 (ln = ${Math.log(1 / 32).toFixed(3)}) on the squares.`),
        csv: () => csvText(['x', 'y', 'log_p'], Array.from(d.logP, (l, k) => {
          const h = (d.hi - d.lo) / d.m;
          return [d.lo + ((k % d.m) + 0.5) * h, d.lo + (Math.floor(k / d.m) + 0.5) * h, l];
        })) });
      const { frame } = drawLogDensity(f.canvas, d, `ln p₁(x), step ${d.step}`);
      if (!own) frame.checkerboardOutline();
    };
    const renderFig4 = (d) => {
      fig4Box.replaceChildren();
      const rows = [row(fig4Box, 'figure-row strip'), row(fig4Box, 'figure-row strip')];
      const csvOf = (pts) => () => csvText(['x', 'y'], Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]));
      for (const p of d.progression) {
        const f = panel(rows[0], { id: `fig4-t${p.t.toFixed(2)}`, width: 205, height: 205, csv: csvOf(p.points),
          caption: `t = ${p.t.toFixed(2)}` });
        drawSamples(f.canvas, p.points, `t = ${p.t.toFixed(2)}`, { outline: !own });
      }
      for (const e of d.nfe) {
        const f = panel(rows[1], { id: `fig4-nfe${e.nfe}`, width: 205, height: 205, csv: csvOf(e.points),
          caption: `NFE ${e.nfe} (midpoint, ${e.nfe / 2} steps)` + (e.onSquares === undefined ? '' : `: ${(100 * e.onSquares).toFixed(1)} % on the squares`) });
        drawSamples(f.canvas, e.points, `NFE = ${e.nfe}`, { outline: e.onSquares !== undefined });
      }
      const note = document.createElement('p');
      note.className = 'caption-wide';
      note.textContent = `Fig. 4 of Lipman et al. (2022) at step ${d.step}: top, samples of the learned OT-path flow at t = 0, 1/3, 2/3, 1 ` +
        `(midpoint, ${d.progressionSteps} steps); bottom, the final samples with NFE = 4, 8, 10, 20. The paper uses a 5×512 MLP trained far longer; ` +
        'this run uses the network in the settings.';
      fig4Box.append(note);
    };
    return {
      figures(data) {
        last = data;
        own = data.onSquares === undefined;  // trained on your own points: no squares
        if (own) samples.caption('Samples x(1) of the flow learned from your points (standardised per axis), integrated from the same ' +
          'x(0) ~ N(0, I) at every snapshot.');
        drawSamples(samples.canvas, data.samples, `samples at t = 1, step ${data.step} (${data.samples.length / 2} points)`, { outline: !own });
        if (!own) ctx.stat('on filled squares', `${(100 * data.onSquares).toFixed(1)} %`);
        if (data.done) quality.done(data.step);
      },
      analysis(name, data) {
        if (name === 'fig4') renderFig4(data);
        if (name === 'field0') renderField0(data);
        if (name === 'density') renderDensity(data);
        if (name === 'quality') quality.render(data);
      },
    };
  },
};
