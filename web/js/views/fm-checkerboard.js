// Sheet 000 §3(a): conditional flow matching from N(0, I) to the checkerboard.
import { panel, csvText } from '../figures.js';
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
    return {
      figures(data) {
        last = data;
        drawSamples(samples.canvas, data.samples, `samples at t = 1, step ${data.step} (${data.samples.length / 2} points)`);
        ctx.stat('on filled squares', `${(100 * data.onSquares).toFixed(1)} %`);
      },
      analysis() {},
    };
  },
};
