// @ts-check
// Sheet 000 §3(c): independent CFM and minibatch OT-CFM side by side.
import { panel, table, csvText, analysisBar, row } from '../figures.js';
import { drawSamples, Frame } from '../plot.js';
import { lineChart, columnStats } from '../chart.js';
import { timeColour } from '../plot-rings.js';

const NAMES = { independent: 'independent CFM', ot: 'OT-CFM' };
const COLOURS = { independent: '#0072b2', ot: '#d55e00' };
const xy = (pts) => Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]);

function drawPaths(canvas, traj, n, title) {
  const f = new Frame(canvas);
  f.clear();
  f.checkerboardOutline();
  f.axes();
  f.title(title);
  const steps = traj.length / (2 * n) - 1;
  const { ctx } = f;
  ctx.lineWidth = 1;
  for (let i = 0; i < n; ++i)
    for (let k = 0; k < steps; ++k) {
      const a = 2 * (k * n + i), b = 2 * ((k + 1) * n + i);
      ctx.strokeStyle = timeColour(k / steps);
      ctx.beginPath();
      ctx.moveTo(f.px(traj[a]), f.py(traj[a + 1]));
      ctx.lineTo(f.px(traj[b]), f.py(traj[b + 1]));
      ctx.stroke();
    }
}

// Labelled bars from 0 (two or three values).
function drawBars(canvas, bars, title) {
  const c = canvas.getContext('2d');
  c.fillStyle = '#fff';
  c.fillRect(0, 0, canvas.width, canvas.height);
  const top = Math.max(...bars.map((b) => b.value)) || 1, L = 30, B = 40, T = 40, H = canvas.height - T - B;
  const w = (canvas.width - L - 20) / bars.length;
  c.font = '12px system-ui, sans-serif';
  c.textAlign = 'center';
  bars.forEach((b, i) => {
    const h = (b.value / top) * H, x = L + i * w + 0.2 * w;
    c.fillStyle = b.colour;
    c.fillRect(x, T + H - h, 0.6 * w, h);
    c.fillStyle = '#222';
    c.fillText(b.value.toPrecision(3), x + 0.3 * w, T + H - h - 6);
    c.fillText(b.label, x + 0.3 * w, T + H + 16);
  });
  c.strokeStyle = '#888';
  c.beginPath(); c.moveTo(L, T + H); c.lineTo(canvas.width - 10, T + H); c.stroke();
  c.textAlign = 'left';
  c.fillText(title, 8, 18);
}

// Running medians per pixel column, so a long loss history draws quickly and spikes do not linger.
function medians(losses, cols) {
  const s = columnStats(losses, cols);
  return { x: s.x, y: s.med };
}

export default {
  id: 'fm-ot',
  lossName: 'OT-CFM loss',
  title: 'Flow matching — minibatch optimal transport (sheet 000 §3(c))',
  question: '§3(c) Pair x0 and x1 inside each batch by an exact optimal assignment under ‖x0 − x1‖² (OT-CFM) instead ' +
    'of independently (CFM). Both models train here from the same seed on the same batches; compare their trajectories, ' +
    'how straight they are, and their samples with few function evaluations.',
  mount(container, ctx) {
    let last = null;
    const r0 = row(container);
    const live = Object.fromEntries(['independent', 'ot'].map((name) => [name, panel(r0, {
      id: `ot-samples-${name}`, width: 360, height: 360,
      caption: `${NAMES[name]}: samples x(1) from the same x(0) ~ N(0, I) (the settings' solver and steps).`,
      csv: () => last && csvText(['x', 'y'], xy(last.models.find((m) => m.name === name).samples)),
    })]));
    const r1 = row(container);
    const losses = panel(r1, { id: 'ot-losses', width: 480, height: 260,
      caption: 'Training loss of both models (the median of the steps under each pixel column). OT pairing lowers the loss itself: paired ' +
        'targets x1 − x0 vary less for a given x_t, so less of the loss is irreducible noise.',
      csv: () => last && csvText(['step', 'loss_independent', 'loss_ot'],
        Array.from(last.lossesOt, (l, i) => [i + 1, last.lossesIndependent[i], l])) });
    r1.append(ctx.lossFigure);
    analysisBar(container, ctx, [['compare', 'trajectories, straightness, NFE 1/2/4/8 of both']]);
    const r2 = row(container), r3 = row(container), r4 = row(container);

    const renderCompare = (d) => {
      for (const r of [r2, r3, r4]) r.replaceChildren();
      for (const m of d.models) {
        const f = panel(r2, { id: `ot-traj-${m.name}`, width: 360, height: 360,
          caption: `${NAMES[m.name]}: ${d.nTraj} trajectories from t = 0 (purple) to 1 (yellow-green), midpoint, 20 steps (step ${d.step}).`,
          csv: () => csvText(['t', 'point', 'x', 'y'], Array.from({ length: m.traj.length / 2 }, (_, j) =>
            [Math.floor(j / d.nTraj) / 20, j % d.nTraj, m.traj[2 * j], m.traj[2 * j + 1]])) });
        drawPaths(f.canvas, m.traj, d.nTraj, `${NAMES[m.name]}, step ${d.step}`);
      }
      const [ind, ot] = d.models;
      const sfig = panel(r2, { id: 'ot-straightness', width: 300, height: 360,
        caption: `Straightness of 500 paths (100 midpoint steps). Normalised path energy |E∫‖v‖²dt − W2²|/W2² (Tong et al. 2023): ` +
          `${ind.straightness.npe.toFixed(4)} (CFM) vs ${ot.straightness.npe.toFixed(4)} (OT-CFM); mean path length / mean ` +
          `displacement: ${ind.straightness.lengthRatio.toFixed(4)} vs ${ot.straightness.lengthRatio.toFixed(4)} (1 = straight).`,
        csv: () => csvText(['model', 'length_ratio', 'path_energy', 'w2_squared', 'npe'],
          d.models.map((m) => [m.name, m.straightness.lengthRatio, m.straightness.pathEnergy, m.straightness.w2sq, m.straightness.npe])) });
      drawBars(sfig.canvas, d.models.map((m) => ({ label: NAMES[m.name], value: m.straightness.npe, colour: COLOURS[m.name] })),
        'normalised path energy (0 = straight OT paths)');
      for (const m of d.models)
        for (const q of m.nfe) {
          const f = panel(m.name === 'independent' ? r3 : r4, { id: `ot-nfe${q.nfe}-${m.name}`, width: 210, height: 210,
            caption: `${NAMES[m.name]}, NFE ${q.nfe} (Euler): ${(100 * q.onSquares).toFixed(1)} % on the squares, SW2 ${q.sw2.toFixed(3)}`,
            csv: () => csvText(['x', 'y'], xy(q.points)) });
          drawSamples(f.canvas, q.points, `${m.name === 'ot' ? 'OT-CFM' : 'CFM'}, NFE ${q.nfe}`);
        }
      if (ind.nfe.length) table(r4, 'ot-quality', ['NFE', 'CFM on squares', 'OT-CFM on squares', 'CFM SW2', 'OT-CFM SW2'],
        ind.nfe.map((q, i) => [String(q.nfe), q.onSquares, ot.nfe[i].onSquares, q.sw2, ot.nfe[i].sw2]),
        `Sample quality at few function evaluations (${ind.nfe[0].points.length / 2} samples, Euler): fraction on the filled ` +
        'squares, and the sliced 2-Wasserstein distance to fresh data (64 directions; lower is better). Straighter paths ' +
        'survive coarse steps: OT-CFM at NFE 1–2 is close to its NFE 8 samples.');
    };

    return {
      figures(data) {
        last = data;
        for (const m of data.models)
          if (m.onSquares === undefined) drawSamples(live[m.name].canvas, m.samples, `${NAMES[m.name]}, step ${data.step}`, { outline: false });
          else drawSamples(live[m.name].canvas, m.samples, `${NAMES[m.name]}, step ${data.step} (${(100 * m.onSquares).toFixed(1)} % on squares)`);
        const cols = losses.canvas.width - 80;
        lineChart(losses.canvas, [
          { ...medians(data.lossesIndependent, cols), colour: COLOURS.independent, name: `${NAMES.independent} (running median)` },
          { ...medians(data.lossesOt, cols), colour: COLOURS.ot, name: `${NAMES.ot} (running median)` },
        ], { title: `loss of both models, step ${data.step}`, xlabel: 'training step', ylabel: 'CFM loss (log scale)', logY: true,
          xrange: [0, Math.max(1, data.lossesOt.length)] });
        if (data.models[0].onSquares !== undefined) ctx.stat('on squares (CFM / OT)', data.models.map((m) => `${(100 * m.onSquares).toFixed(1)} %`).join(' / '));
      },
      analysis(name, data) { if (name === 'compare') renderCompare(data); },
    };
  },
};
