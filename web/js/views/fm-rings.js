// @ts-check
// Sheet 003 §2: flow matching from N(0, I) to the Olympic rings, Q1–Q5.
import { panel, csvText, analysisBar, table, row } from '../figures.js';
import { drawLogDensity } from '../plot.js';
import { qualityPanel } from '../quality.js';
import { drawRingPoints, drawTrajectories, drawBackdrop, drawMarkers, timeColour, xyCsv } from '../plot-rings.js';

export default {
  id: 'fm-rings',
  lossName: 'CFM loss',
  title: 'Flow matching — Olympic rings (sheet 003 §2)',
  question: '§2 Train v(x, t) by conditional flow matching from x0 ~ N(0, I) to a fixed data set of the five Olympic ' +
    'rings (each axis standardised), then study the learned flow: its progression over t, trajectories, the effect of ' +
    'the time step Δt, and the reverse flow.',
  mount(container, ctx) {
    let last = null;
    const samples = panel(container, {
      id: 'rings-samples', title: 'samples at t = 1', width: 420, height: 420,
      caption: 'Samples x(1) of the learned flow from fixed x(0) ~ N(0, I) (the config\'s solver and steps).',
      csv: () => last && csvText(['x', 'y'], xyCsv(last.samples)),
    });
    container.append(ctx.lossFigure);
    analysisBar(container, ctx, [
      ['progression', 'Q2: samples at t = 0 … 1'],
      ['trajectories', 'Q3: trajectories of 10 points'],
      ['quantization', 'Q4: Δt = 0.002 … 0.2'],
      ['reverse', 'Q5: reverse the flow'],
      ['density', 'exact log-density ln p₁(x)'],
      ['quality', 'quality report: NLL vs the data\'s entropy'],
    ]);
    // Computed once a run is done (2000 exact ln p), or on the button.
    const quality = qualityPanel(container, ctx, (q) => {
      const f3 = (x) => x.toFixed(3);
      return {
        id: 'rings-quality',
        rows: [
          ['NLL −E[ln p₁] of fresh data (nats)', f3(q.nll), `${f3(q.entropy)} (the data's entropy)`, null],
          ['gap = NLL − entropy', f3(q.gap), `≤ ${q.maxGap}`, q.gap <= q.maxGap],
        ],
        note: `Both over the same ${q.n} fresh points of the rings' distribution: ln p₁ exact (reverse flow, ${q.odeSteps} ` +
          'midpoint steps, ∫ Tr ∂v/∂x dt), the entropy from the exact mixture density; no model can go below it.',
        stat: ['NLL gap', f3(q.gap)],
      };
    });
    const boxes = Object.fromEntries(['progression', 'trajectories', 'quantization', 'reverse', 'density'].map((k) => [k, row(container)]));
    const note = (box, text) => {
      const p = document.createElement('p');
      p.className = 'caption-wide';
      p.textContent = text;
      box.append(p);
    };
    const render = {
      density(d) {
        const box = boxes.density;
        box.replaceChildren();
        const f = panel(box, { id: 'rings-density', width: 420, height: 420,
          caption: `ln p₁(x) of the learned flow (step ${d.step}) by the instantaneous change of variables (${d.steps} RK4 ` +
            `steps back to t = 0, exact 2D trace), colour over [max − 10, max]${d.points ? '; circles: the five points' : ''}. ` +
            `∫ p over [−3, 3]² = ${d.integral.toFixed(4)}.`,
          csv: () => csvText(['x', 'y', 'log_p'], Array.from(d.logP, (l, k) => {
            const h = (d.hi - d.lo) / d.m;
            return [d.lo + ((k % d.m) + 0.5) * h, d.lo + (Math.floor(k / d.m) + 0.5) * h, l];
          })) });
        const { frame } = drawLogDensity(f.canvas, d, `ln p₁(x), step ${d.step}`);
        if (!d.points) return;  // your own points: no sheet points to mark
        drawMarkers(frame, d.points, '#fff', 5);
        table(box, 'rings-logp', ['point', 'x', 'y', 'ln p₁(x)'],
          [0, 1, 2, 3, 4].map((i) => [i < 3 ? `inlier ${i + 1}` : `outlier ${i - 2}`, d.points[2 * i], d.points[2 * i + 1], d.logpPoints[i]]),
          'ln p₁ of the five points of sheet 003 §1.5 under the flow-matching model (200 midpoint steps) — compare the ' +
          'RealNVP exercise\'s Q5 table, which gives the normalizing flow\'s exact ln p of the same points.');
      },
      progression(d) {
        const box = boxes.progression;
        box.replaceChildren();
        for (const s of d.snapshots) {
          const f = panel(box, { id: `rings-t${Math.round(10 * s.t)}`, width: 200, height: 200, caption: `t = ${s.t.toFixed(1)}`,
            csv: () => csvText(['x', 'y'], xyCsv(s.points)) });
          drawRingPoints(f.canvas, s.points, `t = ${s.t.toFixed(1)}`);
        }
        note(box, `Sheet 003 §2 Q2 (step ${d.step}): the same ${d.n} samples of N(0, I) pushed along the learned flow, ` +
          `shown at t = 0, 0.2, 0.4, 0.6, 0.8, 1 (${d.steps} ODE steps).`);
      },
      trajectories(d) {
        const box = boxes.trajectories;
        box.replaceChildren();
        const f = panel(box, { id: 'rings-trajectories', width: 420, height: 420,
          caption: `Sheet 003 §2 Q3 (step ${d.step}): trajectories of ${d.n} points from t = 0 (purple, circles) to t = 1 ` +
            `(yellow-green), ${d.steps} ODE steps; grey: the model's samples at t = 1.`,
          csv: () => csvText(['t', 'point', 'x', 'y'], Array.from({ length: d.traj.length / 2 }, (_, j) =>
            [Math.floor(j / d.n) / d.steps, j % d.n, d.traj[2 * j], d.traj[2 * j + 1]])) });
        const fr = drawBackdrop(f.canvas, last ? last.samples : new Float32Array(), `trajectories, step ${d.step}`);
        drawTrajectories(fr, d.traj, d.n, (t) => timeColour(t), 2);
        drawMarkers(fr, d.traj.slice(0, 2 * d.n), timeColour(0));
      },
      quantization(d) {
        const box = boxes.quantization;
        box.replaceChildren();
        for (const r of d.runs) {
          const f = panel(box, { id: `rings-steps${r.steps}`, width: 200, height: 200, caption: `Δt = ${r.dt} (${r.steps} Euler steps)`,
            csv: () => csvText(['x', 'y'], xyCsv(r.points)) });
          drawRingPoints(f.canvas, r.points, `Δt = ${r.dt}`);
        }
        note(box, `Sheet 003 §2 Q4 (step ${d.step}): the same model and the same ${d.n} noise points, integrated with Euler ` +
          'steps of Δt = 0.002, 0.02, 0.05, 0.1, 0.2: coarse steps overshoot and blur the rings.');
      },
      reverse(d) {
        const box = boxes.reverse;
        box.replaceChildren();
        const fine = d.runs[0];
        const f = panel(box, { id: 'rings-reverse', width: 420, height: 420,
          caption: `Sheet 003 §2 Q5 (step ${d.step}): ${d.own ? 'five of your points (circles; standardised per axis)' : 'the five points (circles; 3 inliers, 2 outliers)'} integrated from t = 1 back ` +
            `to t = 0 with Δt = ${fine.dt}; colour by t (yellow-green at t = 1, purple at t = 0, crosses: the inverted points).`,
          csv: () => csvText(['dt', 'point', 'x0', 'y0', 'error'], d.runs.flatMap((r) => r.errors.map((e, i) => [r.dt, i, r.x0[2 * i], r.x0[2 * i + 1], e]))) });
        const fr = drawBackdrop(f.canvas, last ? last.samples : new Float32Array(), `reverse flow, Δt = ${fine.dt}`);
        drawTrajectories(fr, fine.back, 5, (s) => timeColour(1 - s), 2);
        drawMarkers(fr, d.points, '#222', 5);
        const { ctx: c } = fr;
        c.save();
        c.strokeStyle = timeColour(0);
        c.lineWidth = 2;
        for (let i = 0; i < 5; ++i) {
          const x = fr.px(fine.x0[2 * i]), y = fr.py(fine.x0[2 * i + 1]);
          c.beginPath(); c.moveTo(x - 5, y - 5); c.lineTo(x + 5, y + 5); c.moveTo(x - 5, y + 5); c.lineTo(x + 5, y - 5); c.stroke();
        }
        c.restore();
        table(box, 'rings-roundtrip', ['Δt', 'Euler steps', 'p1', 'p2', 'p3', d.own ? 'p4' : 'p4 (outlier)', d.own ? 'p5' : 'p5 (outlier)', 'mean'],
          d.runs.map((r) => [r.dt, r.steps, ...r.errors, r.mean]),
          'Sheet 003 §2 Q5: round-trip error ‖ψ1(ψ1⁻¹(x)) − x‖ of each point (reverse to t = 0, then forward again, same Δt). ' +
          `It falls as Δt falls: mean ${d.runs.map((r) => `${r.mean.toPrecision(2)} at Δt = ${r.dt}`).join(', ')}.`);
      },
    };
    return {
      figures(data) {
        last = data;
        drawRingPoints(samples.canvas, data.samples, `samples at t = 1, step ${data.step} (${data.samples.length / 2} points)`);
        if (data.done) quality.done(data.step);
      },
      analysis(name, data) {
        if (name === 'quality') quality.render(data);
        else if (render[name]) render[name](data);
      },
    };
  },
};
