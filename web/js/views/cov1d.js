// @ts-check
// Sheet 000 §2: the instantaneous change of variables in 1D,
// d ln q(z(t), t)/dt = −f′(z(t), t), from the four steps of the derivation to
// particles carrying their density.
import { panel, table, csvText, analysisBar, row } from '../figures.js';
import { lineChart } from '../chart.js';

const C = { t0: '#0072b2', t1: '#d55e00', t2: '#009e73', grey: '#888' };
const cols = (obj, keys) => keys.map((k) => obj[k]);
// δt slider: 0…60 ↦ δt = 10^(−3 + v/20), i.e. 0.001 … 1.
const dtOf = (v) => 10 ** (-3 + v / 20);

export default {
  id: 'cov1d',
  lossName: 'CFM loss',
  title: 'Change of variables in 1D (sheet 000 §2)',
  question: '§2 A density q(z, t) carried by the flow dz/dt = f(z, t): show that d ln q(z(t), t)/dt = −f′(z(t), t) — ' +
    'an interval [z, z + Δz] is mapped to [x, x + Δx] after δt, its mass is kept, Δx ≈ Δz (1 + f′(z) δt), so the ' +
    'density changes by the ratio 1/(1 + f′δt).',
  mount(container, ctx) {
    let fig = null, der = null, sweep = null, parts = null;
    const r0 = row(container);
    const field = panel(r0, { id: 'cov-field', width: 460, height: 300,
      caption: 'The field f(z, t) at t = 0, ½, 1 (solid) and f′(z, t) at t = 0 (grey).',
      csv: () => fig && csvText(['z', ...fig.fields.flatMap((f) => [`f_t${f.t}`, `df_t${f.t}`])],
        Array.from(fig.zs, (z, i) => [z, ...fig.fields.flatMap((f) => [f.f[i], f.df[i]])])) });
    container.append(ctx.lossFigure);
    analysisBar(container, ctx, [['derivation', 'the four steps at δt'], ['sweep', 'δt → 0: error against δt'],
      ['particles', 'push particles and ln q']]);

    // The δt slider re-asks the derivation (the worker answers in a few ms).
    const sliderRow = row(container);
    const label = document.createElement('label');
    const slider = document.createElement('input');
    slider.type = 'range'; slider.min = '0'; slider.max = '60'; slider.value = '46';
    slider.id = 'cov-dt';
    slider.setAttribute('aria-label', 'δt');
    const dtText = document.createElement('span');
    label.append('δt = ', dtText, ' ', slider);
    sliderRow.append(label);
    const askDerivation = () => {
      dtText.textContent = dtOf(+slider.value).toPrecision(2);
      ctx.analyze('derivation', { dt: dtOf(+slider.value) });
    };
    slider.addEventListener('input', askDerivation);
    dtText.textContent = dtOf(+slider.value).toPrecision(2);

    const r1 = row(container), r2 = row(container), r3 = row(container);
    const render = {
      derivation(d) {
        der = d;
        r1.replaceChildren();
        const f = panel(r1, { id: 'cov-derivation', width: 520, height: 320,
          caption: `Steps 1–3 at z = ${d.z}, Δz = ${d.dz}, δt = ${d.dt.toPrecision(2)}, t = ${d.t}: q(·, t) (blue) and ` +
            `q(·, t + δt) (red); the interval [z, z + Δz] (blue bars) is carried to [x, x + Δx] = ` +
            `[${d.x.toFixed(3)}, ${d.xEnd.toFixed(3)}] (red bars). Mass ${d.massZ.toPrecision(4)} → ${d.massX.toPrecision(4)}; ` +
            `Δx = ${d.dx.toPrecision(4)} vs Δz (1 + f′δt) = ${d.dxLinear.toPrecision(4)}.`,
          csv: () => csvText(['x', 'q_t', 'q_t_plus_dt'], Array.from(d.xs, (x, i) => [x, d.qT[i], d.qNext[i]])) });
        const bar = (x, y, colour) => ({ x: [x, x], y: [0, y], colour });
        lineChart(f.canvas, [
          { x: d.xs, y: d.qT, colour: C.t0, name: 'q(·, t)' }, { x: d.xs, y: d.qNext, colour: C.t1, name: 'q(·, t + δt)' },
          bar(d.z, d.qZ, C.t0), bar(d.z + d.dz, d.qZ, C.t0), bar(d.x, d.qX, C.t1), bar(d.xEnd, d.qX, C.t1),
        ], { title: 'an interval and its image after δt', xlabel: 'z, x', ylabel: 'density' });
        table(r1, 'cov-steps', ['step', 'finite Δz', 'Δz → 0 (linear)', 'the flow\'s density', 'target'], [
          ['(1) mass kept', `${d.massZ.toPrecision(5)} → ${d.massX.toPrecision(5)}`, '', '', ''],
          ['(3) Δx', d.dx, d.dxLinear, '', ''],
          ['density ratio q(x, t+δt)/q(z, t)', d.ratioInterval, d.ratioLinear, d.ratioTrue, ''],
          ['(4) rate (ln q(x, t+δt) − ln q(z, t))/δt', d.rateInterval, d.rateLinear, d.rateTrue, d.target],
          ['|rate − (−f′(z))|', d.errInterval, d.errLinear, d.errTrue, 0],
        ], `Step (4): every rate tends to −f′(z) = ${d.target.toPrecision(4)} as δt → 0; at δt = ${d.dt.toPrecision(2)} ` +
          `the flow's own density gives ${d.rateTrue.toPrecision(5)} (error ${d.errTrue.toPrecision(2)}). Move the δt slider.`);
      },
      sweep(d) {
        sweep = d;
        r2.replaceChildren();
        const dts = d.rows.map((r) => Math.log10(r.dt));
        const lg = (k) => d.rows.map((r) => (r[k] > 0 ? Math.log10(r[k]) : null));
        const f = panel(r2, { id: 'cov-sweep', width: 520, height: 320,
          caption: `δt → 0 at z = ${d.rows[0].z}: log₁₀ |rate − (−f′(z))| against log₁₀ δt. The error falls linearly in δt: ` +
            `slope ${d.slopeLinear.toFixed(3)} (−ln(1 + f′δt)/δt) and ${d.slopeTrue.toFixed(3)} (the flow's density); ` +
            'a slope of 1 is first order.',
          csv: () => csvText(['dt', 'rate_linear', 'rate_true', 'target', 'err_linear', 'err_true'],
            d.rows.map((r) => cols(r, ['dt', 'rateLinear', 'rateTrue', 'target', 'errLinear', 'errTrue']))) });
        lineChart(f.canvas, [{ x: dts, y: lg('errLinear'), colour: C.t0, name: 'linearised ratio', dots: true },
          { x: dts, y: lg('errTrue'), colour: C.t1, name: 'the flow\'s density', dots: true }],
        { title: 'error of the rate against δt (log–log)', xlabel: 'log₁₀ δt', ylabel: 'log₁₀ error' });
      },
      particles(d) {
        parts = d;
        r3.replaceChildren();
        const n = d.n, K = d.snapshots, end = d.z.subarray(K * n), lq = d.logQ.subarray(K * n);
        const w = (d.range[1] - d.range[0]) / d.bins;
        const hx = [], hy = [];
        d.hist.forEach((h, i) => { hx.push(d.range[0] + i * w, d.range[0] + (i + 1) * w); hy.push(h, h); });
        const m = Math.min(n, 400);
        const exact = Number.isFinite(d.maxAbsErr);
        const f = panel(r3, { id: 'cov-particles', width: 520, height: 320,
          caption: `${n} particles from N(μ0, σ0²) pushed to T = ${d.T}: their histogram (grey), the density each particle ` +
            `carries by integrating d ln q/dt = −f′ (red dots, ${m} shown), and q(·, T) ` +
            (exact ? `in closed form (blue); max |ln q carried − ln q exact| = ${d.maxAbsErr.toExponential(2)}`
              : 'of the learned flow, ln q integrated back to t = 0 (blue)') +
            `. L1(histogram, q) = ${d.l1.toFixed(3)} (sampling noise of ${d.bins} bins).`,
          csv: () => csvText(['particle', 'z0', 'z_T', 'ln_q_carried', 'ln_q_exact'],
            Array.from({ length: n }, (_, i) => [i, d.z[i], end[i], lq[i], exact ? d.logQExact[K * n + i] : ''])) });
        lineChart(f.canvas, [
          { x: hx, y: hy, colour: C.grey, name: 'histogram' },
          { x: d.xs, y: d.qCurve, colour: C.t0, name: exact ? 'q(·, T) exact' : 'q(·, T) of the flow' },
          { x: Array.from(end.subarray(0, m)), y: Array.from(lq.subarray(0, m), Math.exp), colour: C.t1, name: 'carried by particles', dots: true },
        ], { title: `particles and densities at T = ${d.T}`, xlabel: 'z', ylabel: 'density', xrange: d.range });
      },
    };
    return {
      figures(data) {
        fig = data;
        ctx.trainable(!data.analytic);
        const colours = [C.t0, C.t1, C.t2];
        lineChart(field.canvas, [
          ...data.fields.map((f, i) => ({ x: data.zs, y: f.f, colour: colours[i], name: `f(z, ${f.t})` })),
          { x: data.zs, y: data.fields[0].df, colour: C.grey, name: 'f′(z, 0)' },
        ], { title: data.analytic ? 'closed-form field: exact, nothing to train' : `learned field, step ${data.step}`, xlabel: 'z', ylabel: 'f' });
      },
      analysis(name, data) { if (render[name]) render[name](data); },
    };
  },
};
