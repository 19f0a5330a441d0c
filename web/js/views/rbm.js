// Sheet 000 §1: the restricted Boltzmann machine. Training curves (exact
// log-likelihood when min(n, m) ≤ 20), the filters W, Gibbs chains, a drawing
// grid for reconstruction / the 'drawn' data set, and the sheet's (a), (b), (c).
import { panel, table, csvText, row } from '../figures.js';
import { gallery, image, clear, label, signedBar } from '../plot-rbm.js';
import { lineChart } from '../chart.js';
import { qualityReport } from '../quality.js';

const fmt = (x, d = 3) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
const exp10 = (x) => (x === null || x === undefined ? '–' : Number(x).toExponential(2));

function button(parent, text, onClick, data) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (data) b.dataset.analysis = data;
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

const bar = (container) => row(container, 'analysis-bar');

export default {
  id: 'rbm',
  lossName: 'reconstruction error',
  title: 'Restricted Boltzmann machine (sheet 000 §1)',
  question: '§1 E(v, h) = −aᵀv − bᵀh − vᵀWh on binary v ∈ {0,1}ⁿ, h ∈ {0,1}ᵐ. Train by CD-k / PCD on the chosen patterns; ' +
    '(a) W = 0: v and h independent with P(v_i=1) = σ(a_i), P(h_j=1) = σ(b_j); (b) P(h|v) = Π_j σ(b_j + (vᵀW)_j); ' +
    '(c) ∂L/∂W_ij = ⟨v_i h_j⟩_data − ⟨v_i h_j⟩_model, exact vs CD-k vs PCD.',
  mount(container, ctx) {
    let last = null;
    const top = row(container);
    // ---- training curve
    const ll = panel(top, {
      id: 'rbm-ll', title: 'exact log-likelihood', width: 460, height: 280,
      caption: 'Exact average log-likelihood (1/N) Σ ln P(v) of the training (and held-out) patterns over the steps.',
      csv: () => last && last.llSteps && csvText(['step', 'll_train', 'll_test'],
        Array.from(last.llSteps, (s, i) => [s, last.llTrain[i], last.llTest ? last.llTest[i] : ''])),
    });
    // ---- filters
    const filters = panel(top, {
      id: 'rbm-W', title: 'filters W', width: 460, height: 280,
      caption: 'Columns of W as images (one per hidden unit; red > 0, blue < 0).',
      csv: () => last && csvText(['i', 'j', 'W_ij'], Array.from(last.W, (w, k) => [Math.floor(k / last.m), k % last.m, w])),
    });
    const qualityBox = row(container);
    container.append(ctx.lossFigure);

    const renderQuality = (d) => {
      const q = d.quality;
      if (!q.exact) { qualityBox.replaceChildren(); return; }
      const name = d.dataset === 'bars' ? `−ln ${2 * 2 ** d.width - 2}` : '−H(training patterns)';
      qualityReport(qualityBox, 'rbm-quality', {
        step: d.step, ok: q.ok, advice: q.advice,
        rows: [
          ['exact average log-likelihood (train)', fmt(q.ll), `${name} = ${fmt(q.best)} (best possible)`, null],
          ['gap to the best', fmt(q.gap), q.judged ? `≤ ${q.maxGap}` : '–', q.judged ? q.gap <= q.maxGap : null],
          ['best seen in this run', `${fmt(q.peakLl)} at step ${q.peakStep}`, '', null],
          ['weight decay on W', String(Number(q.weightDecay.toPrecision(6))), '', null],
        ],
        note: q.judged
          ? `No model can beat ${name}: the data are ${2 * 2 ** d.width - 2} equally likely patterns.`
          : 'On these patterns the best possible value means memorising the training set; the held-out likelihood is the measure to watch.',
      });
    };

    // ---- Gibbs chains (animated)
    const chainRow = row(container);
    let chainData = null, animating = 0;
    const chains = panel(chainRow, {
      id: 'rbm-chains', title: 'Gibbs chains', width: 460, height: 260,
      caption: 'Block-Gibbs chains v → h → v of the current model (from noise when first shown; the buttons animate 40 sweeps).',
      csv: () => chainData && csvText(['chain', 'pixel', 'v'], Array.from(chainData.chains, (v, k) => [Math.floor(k / chainData.n), k % chainData.n, v])),
    });
    let chainSweeps = 0;
    ctx.onFirstView(chains.fig, 'chains', { B: 16, sweeps: 1, reset: true, fromData: false });
    const cbar = bar(chainRow);
    button(cbar, 'Gibbs chains from noise (animate 40 sweeps)', () => {
      animating = 40; chainSweeps = 0;
      ctx.analyze('chains', { B: 16, sweeps: 1, reset: true, fromData: false });
    }, 'chains');
    button(cbar, 'from data', () => {
      animating = 40; chainSweeps = 0;
      ctx.analyze('chains', { B: 16, sweeps: 1, reset: true, fromData: true });
    });

    // ---- drawing grid
    const drawRow = row(container);
    let grid = null, recon = null;
    const draw = panel(drawRow, {
      id: 'rbm-draw', title: 'draw a pattern', width: 300, height: 300,
      caption: 'Click pixels to draw a pattern v; "reconstruct" shows σ(a + W σ(b + vᵀW)) after the chosen mean-field passes. ' +
        'Dataset "drawn": add patterns, then "train on drawn patterns" (the run restarts at step 0 on them; until then two placeholders, left half and top half, stand in).',
      csv: () => grid && csvText(['pixel', 'v', 'reconstruction'], Array.from(grid.v, (v, k) => [k, v, recon ? recon.recon[k] : ''])),
    });
    const rec = panel(drawRow, {
      id: 'rbm-recon', title: 'reconstruction', width: 300, height: 300,
      caption: 'Reconstruction of the drawn pattern (computed when first shown, and on the button).',
      csv: () => recon && csvText(['pixel', 'p'], Array.from(recon.recon, (p, k) => [k, p])),
    });
    ctx.onFirstView(rec.fig, 'reconstruct', () => ({ v: Array.from(grid.v), sweeps: Number(sweepsSel.value) }));
    const geom = () => {
      const cell = Math.floor(Math.min(260 / grid.w, 260 / grid.h));
      return { cell, x: (300 - cell * grid.w) / 2, y: 30 };
    };
    const drawGrid = () => {
      const c = clear(draw.canvas);
      const g = geom();
      image(c, grid.v, grid.h, grid.w, g.x, g.y, g.cell);
      c.strokeStyle = '#ccc';  // cell lines, so that the pixels to click are visible
      for (let k = 1; k < Math.max(grid.w, grid.h); ++k) {
        if (k < grid.w) c.strokeRect(g.x + k * g.cell, g.y, 0, grid.h * g.cell);
        if (k < grid.h) c.strokeRect(g.x, g.y + k * g.cell, grid.w * g.cell, 0);
      }
      label(draw.canvas, `v (${grid.w}×${grid.h}); ${grid.patterns.length} pattern(s) stored`);
      if (document.activeElement === draw.canvas) {  // the keyboard cursor
        c.strokeStyle = '#d55e00';
        c.lineWidth = 3;
        c.strokeRect(g.x + grid.cx * g.cell + 1.5, g.y + grid.cy * g.cell + 1.5, g.cell - 3, g.cell - 3);
        c.lineWidth = 1;
      }
      draw.canvas.setAttribute('aria-label', `drawing grid, ${grid.w} by ${grid.h}: arrow keys move, Space toggles the pixel; ` +
        `pixel column ${grid.cx + 1}, row ${grid.cy + 1} is ${grid.v[grid.cy * grid.w + grid.cx] ? 'on' : 'off'}`);
    };
    const toggle = (x, y) => {
      grid.v[y * grid.w + x] = 1 - grid.v[y * grid.w + x];
      grid.touched = true;
      drawGrid();
    };
    // The keyboard draws too: arrows move a cursor, Space or Enter toggles its pixel.
    draw.canvas.tabIndex = 0;
    draw.canvas.setAttribute('role', 'application');
    draw.canvas.setAttribute('aria-roledescription', 'drawing grid');
    draw.canvas.addEventListener('focus', () => grid && drawGrid());
    draw.canvas.addEventListener('blur', () => grid && drawGrid());
    draw.canvas.addEventListener('keydown', (e) => {
      if (!grid) return;
      const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
      if (move) {
        grid.cx = Math.min(grid.w - 1, Math.max(0, grid.cx + move[0]));
        grid.cy = Math.min(grid.h - 1, Math.max(0, grid.cy + move[1]));
        drawGrid();
      } else if (e.key === ' ' || e.key === 'Enter') toggle(grid.cx, grid.cy);
      else return;
      e.preventDefault();
    });
    draw.canvas.addEventListener('click', (e) => {
      if (!grid) return;
      const r = draw.canvas.getBoundingClientRect();
      const g = geom();
      const cx = Math.floor((e.clientX - r.left) * (draw.canvas.width / r.width) - g.x) / g.cell;
      const cy = Math.floor((e.clientY - r.top) * (draw.canvas.height / r.height) - g.y) / g.cell;
      const x = Math.floor(cx), y = Math.floor(cy);
      if (x < 0 || y < 0 || x >= grid.w || y >= grid.h) return;
      toggle(x, y);
    });
    const dbar = bar(drawRow);
    const sweepsSel = document.createElement('select');
    sweepsSel.name = 'rbm-recon-sweeps';
    sweepsSel.setAttribute('aria-label', 'mean-field passes of the reconstruction');
    for (const s of [1, 2, 5, 20]) sweepsSel.append(new Option(`${s} pass${s > 1 ? 'es' : ''}`, String(s)));
    dbar.append(sweepsSel);
    button(dbar, 'reconstruct', () => ctx.analyze('reconstruct', { v: Array.from(grid.v), sweeps: Number(sweepsSel.value) }), 'reconstruct');
    button(dbar, 'clear', () => { grid.v.fill(0); grid.touched = true; drawGrid(); });
    button(dbar, 'add to drawn patterns', () => { grid.patterns.push(Array.from(grid.v)); drawGrid(); });
    button(dbar, 'train on drawn patterns (dataset drawn)', () => {
      if (grid.patterns.length) ctx.analyze('patterns', { rows: grid.patterns.flat() });
    }, 'patterns');

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
      const v = grid && grid.v.some((x) => x) ? Array.from(grid.v) : undefined;
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
    ctx.onFirstView(bFig.fig, 'conditional', () => ({ v: grid && grid.v.some((x) => x) ? Array.from(grid.v) : undefined }));
    ctx.onFirstView(cFig.fig, 'gradient', { ks: [1, 5, 20] });
    const cTable = document.createElement('div');
    cBox.append(cTable);

    const renderChains = (d) => {
      chainData = d;
      gallery(chains.canvas, d.chains, d.chains.length / d.n, d.height, d.width, `16 chains after ${chainSweeps} sweep(s), model at step ${d.step}`);
      chains.caption(`Block-Gibbs chains of the model at step ${d.step}, ${chainSweeps} sweep(s) so far: ` +
        'a trained model turns noise into patterns like the training data within a few sweeps; mixing between patterns is slow.');
      if (animating > 0) {
        animating -= 1;
        setTimeout(() => ctx.analyze('chains', { sweeps: 1 }), 80);
      }
    };

    return {
      figures(d) {
        last = d;
        const L = d.llSteps ? d.llSteps.length : 0;
        const nDistinct = d.dataset === 'bars' ? 2 * 2 ** d.width - 2 : null;
        if (d.exact) {
          const series = [{ x: d.llSteps, y: d.llTrain, colour: '#0072b2', name: 'train' }];
          if (d.llTest) series.push({ x: d.llSteps, y: d.llTest, colour: '#d55e00', name: 'held-out' });
          const hlines = nDistinct ? [{ y: -Math.log(nDistinct), colour: '#009e73', name: `optimum −ln ${nDistinct}` }] : [];
          lineChart(ll.canvas, series, { title: `exact log-likelihood, step ${d.step}`, xlabel: 'step', ylabel: '(1/N) Σ ln P(v)', hlines });
          const lt = L ? d.llTrain[L - 1] : null, lh = L && d.llTest ? d.llTest[L - 1] : null;
          ll.caption(`Q: how well does ${d.sampler === 'pcd' ? 'PCD' : 'CD'}-${d.k} training fit the data? Exact average log-likelihood (log Z by enumerating 2^${Math.min(d.n, d.m)} states) ` +
            `every ${d.llEvery} steps: train ${fmt(lt)}${lh !== null ? `, held-out ${fmt(lh)}` : ''}` +
            (nDistinct ? `; the best possible on ${nDistinct} equally likely patterns is −ln ${nDistinct} = ${fmt(-Math.log(nDistinct))}.` : '.'));
          ctx.stat('log-likelihood', fmt(lt));
        } else {
          const c = clear(ll.canvas);
          c.fillStyle = '#333';
          label(ll.canvas, `min(n, m) = ${Math.min(d.n, d.m)} > 20: log Z is not enumerable`, 10, 40);
          if (d.eval) {
            label(ll.canvas, `reconstruction error: train ${fmt(d.eval.reconTrain, 4)}, held-out ${fmt(d.eval.reconTest, 4)}`, 10, 70);
            label(ll.canvas, `free-energy gap F(test) − F(train): ${fmt(d.eval.feGap)}`, 10, 100);
          }
          ll.caption('The exact log-likelihood needs log Z, a sum over 2^min(n, m) states: not shown for min(n, m) > 20. ' +
            'Monitor instead the reconstruction error (loss chart) and the free-energy gap between held-out and training data (overfitting makes it grow).');
        }
        if (d.quality) renderQuality(d);
        if (d.eval) {  // evaluated on full figures only (not the previews while training): say when
          ctx.stat('recon error', `${Number(d.eval.reconTrain).toPrecision(3)} (step ${d.step})`);
          if (d.eval.feGap !== null) ctx.stat('free-energy gap', fmt(d.eval.feGap));
        }
        let wmax = 1e-9;
        for (const w of d.W) wmax = Math.max(wmax, Math.abs(w));
        const cols = new Float32Array(d.n * d.m);  // column j of W as image j
        for (let j = 0; j < d.m; ++j) for (let i = 0; i < d.n; ++i) cols[j * d.n + i] = d.W[i * d.m + j];
        gallery(filters.canvas, cols, d.m, d.height, d.width, `W: ${d.m} filters of ${d.width}×${d.height}, colour scale ±${wmax.toFixed(2)}`, 'div', wmax);
        filters.caption(`Q: what features do the hidden units learn? Column j of W (the weights from unit h_${'j'} to the ${d.n} pixels), ` +
          `step ${d.step}; max |W_ij| = ${wmax.toFixed(3)}. On bars and stripes they become (mixtures of) bars and stripes.`);
        if (!grid || grid.w !== d.width || grid.h !== d.height) {
          grid = { w: d.width, h: d.height, v: new Float32Array(d.n), patterns: [], touched: false, cx: 0, cy: 0 };
          drawGrid();
        }
        if (!grid.touched && d.data && !grid.v.some((x) => x)) {  // start from the first training pattern
          const N = d.data.length / d.n;
          let k = 0;  // the first pattern with something on (bars and stripes starts with the empty one)
          while (k < N - 1 && !d.data.subarray(k * d.n, (k + 1) * d.n).some((x) => x)) k += 1;
          grid.v.set(d.data.subarray(k * d.n, (k + 1) * d.n));
          drawGrid();
        }
      },
      analysis(name, d) {
        if (name === 'chains') { chainSweeps += 1; renderChains(d); }
        if (name === 'reconstruct') {
          recon = d;
          const c = clear(rec.canvas);
          const g = geom();
          image(c, d.recon, d.height, d.width, g.x, g.y, g.cell);
          let err = 0;
          for (let k = 0; k < d.recon.length; ++k) err += (d.recon[k] - d.v[k]) ** 2;
          label(rec.canvas, `P(v' = 1) after ${sweepsSel.value} pass(es)`);
          rec.caption(`Q: what does the model make of a drawn (perhaps noisy) pattern? Mean-field reconstruction; ` +
            `mean squared difference to the drawing ${fmt(err / d.recon.length, 4)}.`);
        }
        if (name === 'patterns') {
          const c = clear(rec.canvas);
          label(rec.canvas, `${d.nTrain} drawn patterns are now the training set (step ${d.step})`, 6, 40);
        }
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
  },
};
