// @ts-check
// The sheet's questions on the RBM: (a) couplings W = s·N(0, 1) against
// independent units, (b) P(h|v) by enumeration against the product, (c) the
// exact gradient against finite differences, CD-k and PCD.
import { panel, table, csvText, row, button } from '../figures.js';
import { image, clear, label, signedBar } from '../plot-rbm.js';
import { lineChart } from '../chart.js';

export const fmt = (x, d = 3) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
const exp10 = (x) => (x === null || x === undefined ? '–' : Number(x).toExponential(2));
const bar = (container) => row(container, 'analysis-bar');

// grid(): the drawing grid (its pattern is the v of (b)) → {analysis(name, d)}
export function sheetQuestions(container, ctx, grid) {
  // ---- (a) couplings
  const aBox = document.createElement('div');
  container.append(aBox);
  const aHead = bar(aBox);
  const scaleSel = document.createElement('select');
  scaleSel.name = 'rbm-scale';
  scaleSel.setAttribute('aria-label', 'scale of the random couplings W');
  for (const s of [0, 0.25, 0.5, 1, 2, 4]) scaleSel.append(new Option(`W = ${s} · N(0,1)`, String(s)));
  aHead.append(scaleSel);
  button(aHead, '(a) sample with this W (biases of the model)', () => ctx.analyze('coupling', { scale: Number(scaleSel.value) }), 'coupling');
  const aRow = row(aBox);
  let aData = null;
  const aRuns = [];
  const aMarg = panel(aRow, {
    id: 'rbm-a-marginals', title: 'sampled marginals vs σ(bias)', width: 360, height: 300,
    caption: '(a) Computed when first shown; press the button for another scale.',
    csv: () => aData && csvText(['unit', 'layer', 'sampled', 'sigma_bias', 'exact'], [
      ...Array.from(aData.meanV, (x, i) => [i, 'v', x, aData.sigmaA[i], aData.exactMeanV[i] ?? '']),
      ...Array.from(aData.meanH, (x, j) => [j, 'h', x, aData.sigmaB[j], aData.exactMeanH[j] ?? ''])]),
  });
  const aCorr = panel(aRow, {
    id: 'rbm-a-corr', title: 'corr(v_i, h_j)', width: 360, height: 300,
    caption: 'Sampled correlations corr(v_i, h_j) (n × m; red > 0, blue < 0).',
    csv: () => aRuns.length && csvText(['scale', 'max_err_v', 'max_err_h', 'mean_abs_corr', 'exact_mean_abs_corr'],
      aRuns.map((r) => [r.scale, r.maxErrV, r.maxErrH, r.meanAbsCorr, r.exactMeanAbsCorr ?? ''])),
  });
  ctx.onFirstView(aMarg.fig, 'coupling', () => ({ scale: Number(scaleSel.value) }));
  const aTable = document.createElement('div');
  aBox.append(aTable);

  // ---- (b) conditional independence
  const bBox = document.createElement('div');
  container.append(bBox);
  const bHead = bar(bBox);
  button(bHead, '(b) P(h | v) for the drawn v (or the first pattern)', () => {
    const v = grid() && grid().v.some((x) => x) ? Array.from(grid().v) : undefined;
    ctx.analyze('conditional', { v });
  }, 'conditional');
  let bData = null;
  const bFig = panel(bBox, {
    id: 'rbm-b', title: 'P(h|v) enumeration vs product', width: 460, height: 320,
    caption: '(b) Computed when first shown, and on the button.',
    csv: () => bData && csvText(['h_index', 'p_enumeration', 'p_product'], Array.from(bData.pEnum, (p, k) => [k, p, bData.pProduct[k]])),
  });

  // ---- (c) gradient
  const cBox = document.createElement('div');
  container.append(cBox);
  const cHead = bar(cBox);
  button(cHead, '(c) ∂L/∂W: exact, finite differences, CD-1/5/20, PCD', () => ctx.analyze('gradient', { ks: [1, 5, 20] }), 'gradient');
  let cData = null;
  const cFig = panel(cBox, {
    id: 'rbm-c', title: 'gradient estimates', width: 900, height: 200,
    caption: '(c) Computed when first shown, and on the button.',
    csv: () => cData && csvText(['i', 'j', 'exact', 'fd', ...cData.cd.map((c) => `cd${c.k}`), 'pcd'],
      Array.from(cData.exact, (g, k) => {
        const t = cData.fdIndex.indexOf(k);
        return [Math.floor(k / cData.m), k % cData.m, g, t >= 0 ? cData.fd[t] : '', ...cData.cd.map((c) => c.grad[k]), cData.pcd[k]];
      })),
  });
  ctx.onFirstView(bFig.fig, 'conditional', () => ({ v: grid() && grid().v.some((x) => x) ? Array.from(grid().v) : undefined }));
  ctx.onFirstView(cFig.fig, 'gradient', { ks: [1, 5, 20] });
  const cTable = document.createElement('div');
  cBox.append(cTable);

  return {
    analysis(name, d) {
      if (name === 'coupling') {
        aData = d;
        aRuns.push(d);
        const sv = { x: Array.from(d.sigmaA), y: Array.from(d.meanV), colour: '#0072b2', name: 'v_i', dots: true };
        const sh = { x: Array.from(d.sigmaB), y: Array.from(d.meanH), colour: '#d55e00', name: 'h_j', dots: true };
        const diag = { x: [0, 1], y: [0, 1], colour: '#999' };
        lineChart(aMarg.canvas, [diag, sv, sh], { title: `W = ${d.scale} · N(0,1), ${d.samples} samples`, xlabel: 'σ(bias)', ylabel: 'sampled P(unit = 1)', xrange: [0, 1], yrange: [0, 1] });
        aMarg.caption(`(a) Q: with W = 0, are v and h independent with P(v_i=1) = σ(a_i), P(h_j=1) = σ(b_j)? ` +
          `W = ${d.scale}·N(0,1): max |sampled − σ(a_i)| = ${fmt(d.maxErrV, 4)}, max |sampled − σ(b_j)| = ${fmt(d.maxErrH, 4)}` +
          (d.scale === 0 ? ' (sampling noise only: on the diagonal).' : ' (the coupling moves the marginals off the diagonal).'));
        let cmax = 1e-9;
        for (const c of d.corr) cmax = Math.max(cmax, Math.abs(c));
        const c2 = clear(aCorr.canvas);
        const cell = Math.floor(Math.min(280 / d.m, 260 / d.n));
        image(c2, d.corr, d.n, d.m, 10, 26, cell, 'div', Math.max(cmax, 0.05));
        signedBar(c2, 10 + d.m * cell + 12, 26, d.n * cell, Math.max(cmax, 0.05));
        label(aCorr.canvas, `corr(v_i, h_j), rows i, columns j; scale ±${Math.max(cmax, 0.05).toFixed(2)}`);
        aCorr.caption(`(a) Q: how do correlations between v and h grow with the coupling? Mean |corr(v_i, h_j)|: sampled ${fmt(d.meanAbsCorr, 4)}` +
          (d.exactMeanAbsCorr !== null ? `, exact ${fmt(d.exactMeanAbsCorr, 4)}` : '') + ` at W = ${d.scale}·N(0,1). Try the other scales: the table collects the runs.`);
        aTable.replaceChildren();
        table(aTable, 'rbm-a-table', ['W scale', 'max err v', 'max err h', 'mean |corr| sampled', 'mean |corr| exact'],
          aRuns.map((r) => [r.scale, r.maxErrV, r.maxErrH, r.meanAbsCorr, r.exactMeanAbsCorr ?? '–']),
          '(a) every run so far: at scale 0 the errors are sampling noise and the correlations vanish (exact: 0); they grow with the scale. ' +
          'At large scales the sampled correlations drift from the exact ones: the Gibbs chains (200 chains, 20 burn-in + 50 sweeps) mix slowly.');
      }
      if (name === 'conditional') {
        bData = d;
        const idx = Array.from(d.pEnum, (_, k) => k);
        const lg = (a) => Array.from(a, (p) => Math.log10(Math.max(p, 1e-300)));
        lineChart(bFig.canvas, [{ x: lg(d.pEnum), y: lg(d.pProduct), colour: '#0072b2', name: `${idx.length} states h`, dots: true }],
          { title: `P(h|v) over all 2^${d.m} h`, xlabel: 'log10 P(h|v) by enumeration', ylabel: 'log10 Π σ(±x_j)' });
        bFig.caption(`(b) Q: does P(h|v) factorise into Π_j σ(b_j + (vᵀW)_j)? For the chosen v (${Array.from(d.v).join('')}), ` +
          `enumerating all 2^${d.m} = ${d.pEnum.length} hidden states: Σ P = ${fmt(d.sumEnum, 12)}, max |enumeration − product| = ${exp10(d.maxAbsDiff)} (double rounding): yes.`);
      }
      if (name === 'gradient') {
        cData = d;
        const fdFull = new Float64Array(d.n * d.m);  // 0 where not checked
        d.fdIndex.forEach((k, t) => { fdFull[k] = d.fd[t]; });
        const nFd = d.fd.length;
        const maps = [['exact', d.exact], [nFd < d.n * d.m ? `finite diff. (${nFd} entries)` : 'finite diff.', fdFull], ...d.cd.map((c) => [`CD-${c.k}`, c.grad]), ['PCD', d.pcd]];
        const c = clear(cFig.canvas);
        const w = Math.floor((cFig.canvas.width - 70) / maps.length) - 8;
        const cell = Math.max(1, Math.floor(Math.min(w / d.m, 160 / d.n)));
        maps.forEach(([name, g], k) => {
          image(c, g, d.n, d.m, 8 + k * (w + 8), 30, cell, 'div', d.gradMax);
          label(cFig.canvas, name, 8 + k * (w + 8), 20);
        });
        signedBar(c, cFig.canvas.width - 56, 30, Math.max(40, d.n * cell), d.gradMax);
        cFig.caption(`(c) Q: how good are CD-k and PCD estimates of ∂L/∂W_ij = ⟨v_i h_j⟩_data − ⟨v_i h_j⟩_model? n × m maps, colour scale ±max|exact| = ${fmt(d.gradMax, 4)}. ` +
          `Central finite differences of the exact log-likelihood (ε = 1e-4, ${nFd} of ${d.n * d.m} entries, each two log Z) agree with the exact gradient to ${exp10(d.fdMaxErr)}; ` +
          d.cd.map((e) => `CD-${e.k} max error ${fmt(e.maxErr, 4)}`).join(', ') + `, PCD ${fmt(d.pcdMaxErr, 4)}.`);
        cTable.replaceChildren();
        table(cTable, 'rbm-c-table', ['estimator', 'max |err|', 'rms err', 'max |err| / max |grad|'], [
          ['finite differences', d.fdMaxErr, '–', d.fdMaxErr / d.gradMax],
          ...d.cd.map((e) => [`CD-${e.k}`, e.maxErr, e.rmsErr, e.maxErr / d.gradMax]),
          ['PCD', d.pcdMaxErr, d.pcdRmsErr, d.pcdMaxErr / d.gradMax]],
          '(c) errors against the exact gradient (model term by enumeration). CD-k chains start at the data: on a freshly initialised model ' +
          'the bias shrinks as k grows; on a CD-trained model CD-k is ≈ 0 (a CD fixed point) while the exact gradient is not, and chains in a ' +
          'multimodal model leave their mode slowly, so even CD-20 stays biased. PCD chains, run longer, come closer.');
      }
    },
  };
}
