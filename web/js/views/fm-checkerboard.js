// Sheet 000 §3(a): conditional flow matching from N(0, I) to the checkerboard.
import { panel, csvText, analysisBar } from '../figures.js';
import { drawSamples } from '../plot.js';

export default {
  id: 'fm-checkerboard',
  title: 'Flow matching — checkerboard (sheet 000 §3)',
  question: '§3(a) Train v(x, t) with the CFM loss ‖v(ψt(x0), t) − (x1 − x0)‖², ψt(x0) = (1 − t)·x0 + t·x1, ' +
    'x0 ~ N(0, I), x1 ~ checkerboard, and push N(0, I) samples through dx/dt = v(x, t) from t = 0 to 1.',
  mount(container, ctx) {
    let last = null;
    const samples = panel(container, {
      id: 'samples', title: 'samples at t = 1', width: 480, height: 480,
      caption: 'Samples x(1) of the learned flow, integrated from the same x(0) ~ N(0, I) at every snapshot; ' +
        'blue outlines: the 8 filled squares (density 1/32 each).',
      csv: () => last && csvText(['x', 'y'], Array.from({ length: last.samples.length / 2 }, (_, i) => [last.samples[2 * i], last.samples[2 * i + 1]])),
    });
    container.append(ctx.lossFigure);
    analysisBar(container, ctx, [
      ['fig4', 'Fig. 4: progression over t and samples per NFE'],
    ]);
    const fig4Box = document.createElement('div');
    fig4Box.className = 'figure-row';
    container.append(fig4Box);
    const renderFig4 = (d) => {
      fig4Box.replaceChildren();
      const rows = [document.createElement('div'), document.createElement('div')];
      for (const r of rows) r.className = 'figure-row';
      fig4Box.append(...rows);
      const csvOf = (pts) => () => csvText(['x', 'y'], Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]));
      for (const p of d.progression) {
        const f = panel(rows[0], { id: `fig4-t${p.t.toFixed(2)}`, width: 205, height: 205, csv: csvOf(p.points),
          caption: `t = ${p.t.toFixed(2)}` });
        drawSamples(f.canvas, p.points, `t = ${p.t.toFixed(2)}`);
      }
      for (const e of d.nfe) {
        const f = panel(rows[1], { id: `fig4-nfe${e.nfe}`, width: 205, height: 205, csv: csvOf(e.points),
          caption: `NFE ${e.nfe} (midpoint, ${e.nfe / 2} steps): ${(100 * e.onSquares).toFixed(1)} % on the squares` });
        drawSamples(f.canvas, e.points, `NFE = ${e.nfe}`);
      }
      const note = document.createElement('p');
      note.className = 'caption-wide';
      note.textContent = `Fig. 4 of Lipman et al. (2022) at step ${d.step}: top, samples of the learned OT-path flow at t = 0, 1/3, 2/3, 1 ` +
        '(midpoint, 30 steps); bottom, the final samples with NFE = 4, 8, 10, 20. The paper uses a 5×512 MLP trained far longer; ' +
        'this run uses the network in the settings.';
      fig4Box.append(note);
    };
    return {
      figures(data) {
        last = data;
        drawSamples(samples.canvas, data.samples, `samples at t = 1, step ${data.step} (${data.samples.length / 2} points)`);
        ctx.stat('on filled squares', `${(100 * data.onSquares).toFixed(1)} %`);
      },
      analysis(name, data) {
        if (name === 'fig4') renderFig4(data);
      },
    };
  },
};
