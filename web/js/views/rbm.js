// @ts-check
// Sheet 000 §1: the restricted Boltzmann machine. Training curves (exact
// log-likelihood when min(n, m) ≤ 20), the filters W, Gibbs chains, a drawing
// grid for reconstruction / the 'drawn' data set, and the sheet's (a), (b), (c).
import { panel, csvText, row, button } from '../figures.js';
import { gallery, clear, label } from '../plot-rbm.js';
import { lineChart } from '../chart.js';
import { qualityReport } from '../quality.js';
import { drawing } from './rbm-draw.js';
import { sheetQuestions, fmt } from './rbm-sheet.js';

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

    const drawn = drawing(container, ctx);
    const sheet = sheetQuestions(container, ctx, drawn.grid);

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
          ctx.stat('recon error, training set', `${Number(d.eval.reconTrain).toPrecision(3)} (step ${d.step})`);
          if (d.eval.feGap !== null) ctx.stat('free-energy gap', fmt(d.eval.feGap));
        }
        let wmax = 1e-9;
        for (const w of d.W) wmax = Math.max(wmax, Math.abs(w));
        const cols = new Float32Array(d.n * d.m);  // column j of W as image j
        for (let j = 0; j < d.m; ++j) for (let i = 0; i < d.n; ++i) cols[j * d.n + i] = d.W[i * d.m + j];
        gallery(filters.canvas, cols, d.m, d.height, d.width, `W: ${d.m} filters of ${d.width}×${d.height}, colour scale ±${wmax.toFixed(2)}`, 'div', wmax);
        filters.caption(`Q: what features do the hidden units learn? Column j of W (the weights from unit h_${'j'} to the ${d.n} pixels), ` +
          `step ${d.step}; max |W_ij| = ${wmax.toFixed(3)}. On bars and stripes they become (mixtures of) bars and stripes.`);
        drawn.figures(d);
      },
      analysis(name, d) {
        if (name === 'chains') { chainSweeps += 1; renderChains(d); }
        drawn.analysis(name, d);
        sheet.analysis(name, d);
      },
    };
  },
};
