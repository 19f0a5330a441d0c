// @ts-check
// Sheet 000: §1 RBM, §2 instantaneous change of variables (1D), §3 flow
// matching. Each question: the sheet's words, its formulas, the run that
// answers it and the answer built from that run's data.
import { m, num, csv, xyRows, lossPanel, cloud, range, gridRows, SQUARES, timeColour } from './parts.js';

const BLUE = '#1f6fd0', RED = '#d04a1f', GREEN = '#2a9d3a', GREY = '#999';

// (a)(c) RBM: unit marginals against σ(bias), correlations, the gradient maps.
function marginals(d, title) {
  return {
    title, w: 300, h: 280, x: { label: 'σ(bias)  (probability)', lo: 0, hi: 1 }, y: { label: 'sampled P(unit = 1)', lo: 0, hi: 1 },
    layers: [{ kind: 'line', x: [0, 1], y: [0, 1], colour: GREY, dash: '4 3' },
      { kind: 'markers', pts: Array.from(d.sigmaA).flatMap((s, i) => [s, d.meanV[i]]), colour: BLUE, r: 3, name: 'visible v_i' },
      { kind: 'markers', pts: Array.from(d.sigmaB).flatMap((s, j) => [s, d.meanH[j]]), colour: RED, r: 3, name: 'hidden h_j' }],
    legendLeft: true,
  };
}
function matrix(values, rows, cols, title, label, lim) {
  return { title, w: 230, h: 250, noAxes: false, compact: true, x: { label: `hidden unit j (1…${cols})`, lo: 0.5, hi: cols + 0.5 },
    y: { label: `visible unit i (1…${rows})`, lo: 0.5, hi: rows + 0.5 },
    layers: [{ kind: 'image', rows, cols, grid: [1, 1], values, vmin: -lim, vmax: lim, label, bar: true }] };
}

export default {
  id: '000',
  title: 'Sheet 000 — RBM, instantaneous change of variables, flow matching',
  runs: ['rbm', 'cov1d', 'fm-checkerboard', 'fm-ot'],
  sections: [
    { heading: '1 Restricted Boltzmann Machine',
      intro: [m('E ( 𝐯 , 𝐡 ) = − ∑ _ {i = 1} ^ n a _ i v _ i − ∑ _ {j = 1} ^ m b _ j h _ j − ∑ _ {i , j} v _ i W _ {i j} h _ j'),
        m('P ( 𝐯 , 𝐡 ) = frac( 1 | Z ) e ^ {− E ( 𝐯 , 𝐡 )}')],
      questions: [
        { id: '1a', label: '(a)', run: 'rbm', text: 'What physical system does this model represent if we set W_ij = 0? What role does W_ij play physically?',
          answer(d) {
            const a0 = d.paramagnet, a1 = d.coupled;
            return [
              { p: 'Statement. With W = 0 the energy is a sum of one-unit terms, so the Boltzmann distribution factorises:' },
              { math: m('W = 0 : P ( 𝐯 , 𝐡 ) = ∏ _ i frac( e ^ {a _ i v _ i} | 1 + e ^ {a _ i} ) ∏ _ j frac( e ^ {b _ j h _ j} | 1 + e ^ {b _ j} ) , P ( v _ i = 1 ) = σ ( a _ i )') },
              { p: 'n + m independent two-state spins, each in its own external field (a_i, b_j): an ideal paramagnet — an Ising system without interactions. ' +
                'W_ij is the coupling (exchange interaction) between spin v_i and spin h_j: W_ij > 0 lowers the energy when both are on (they align), ' +
                'W_ij < 0 when they differ. With random-sign couplings between two layers the RBM is a bipartite Ising spin glass; the couplings are what ' +
                'create correlations between units, and so what lets the model represent structure in the data.' },
              { p: `Check (Gibbs sampling, ${a0.samples} samples): at W = 0 the sampled marginals lie on σ(bias) (max error visible ${num(a0.maxErrV)}, hidden ${num(a0.maxErrH)} — sampling noise) ` +
                `and the correlations vanish (mean |corr(v_i, h_j)| ${num(a0.meanAbsCorr)}; exact ${num(a0.exactMeanAbsCorr)}). With the trained W they leave the diagonal ` +
                `(max error ${num(a1.maxErrV)}, ${num(a1.maxErrH)}) and mean |corr| rises to ${num(a1.meanAbsCorr)} (exact ${num(a1.exactMeanAbsCorr)}).` },
              { fig: { id: 'a-couplings', title: '(a) W = 0 is a paramagnet; W couples the units', cols: 3,
                panels: [marginals(a0, 'W = 0: marginals'), marginals(a1, 'trained W: marginals'),
                  matrix(a1.corr, d.figures.n, d.figures.m, 'corr(v_i, h_j), trained W', 'correlation', Math.max(0.05, ...Array.from(a1.corr, Math.abs)))].map((p) => ({ ...p, w: 233, h: 250, compact: true })),
                caption: 'Left: sampled P(unit = 1) against σ(bias) with W = 0 — on the diagonal (independent units in their fields). Middle: the same with the ' +
                  'trained W and its biases — the couplings move the marginals. Right: the correlation between every visible and hidden unit under the trained W.',
                csv: () => csv(['coupling', 'unit', 'index', 'sigma_bias', 'sampled_p'], [['W=0', a0], ['trained', a1]].flatMap(([w, e]) => [
                  ...Array.from(e.sigmaA, (s, i) => [w, 'v', i, s, e.meanV[i]]), ...Array.from(e.sigmaB, (s, j) => [w, 'h', j, s, e.meanH[j]])])) } },
            ];
          } },
        { id: '1b', label: '(b)', run: 'rbm', text: 'Prove that the hidden units are conditionally independent given the visible units.',
          math: [m('P ( 𝐡 | 𝐯 ) = ∏ _ j P ( h _ j | 𝐯 )')],
          answer(d) {
            const c = d.conditional;
            const lg = (a) => Array.from(a, (p) => Math.log10(Math.max(p, 1e-300)));
            const x = lg(c.pEnum), y = lg(c.pProduct), [lo, hi] = range([x, y]);
            return [
              { p: 'Statement. Divide the joint by the marginal; the terms without h cancel, and the rest is a product over j:' },
              { math: m('P ( 𝐡 | 𝐯 ) = frac( e ^ {− E ( 𝐯 , 𝐡 )} | ∑ _ {𝐡 ′} e ^ {− E ( 𝐯 , 𝐡 ′ )} ) = frac( ∏ _ j e ^ {h _ j ( b _ j + ∑ _ i v _ i W _ {i j} )} | ∏ _ j ( 1 + e ^ {b _ j + ∑ _ i v _ i W _ {i j}} ) ) = ∏ _ j P ( h _ j | 𝐯 )') },
              { math: m('P ( h _ j = 1 | 𝐯 ) = σ ( b _ j + ∑ _ i v _ i W _ {i j} ) , σ ( x ) = frac( 1 | 1 + e ^ {− x} )') },
              { p: `Check: for v = ${Array.from(c.v).join('')} (the first training pattern) all 2^${c.m} = ${c.pEnum.length} hidden states enumerated: Σ P(h|v) = ${num(c.sumEnum, 12)}, ` +
                `max |enumeration − product of sigmoids| = ${num(c.maxAbsDiff)} (rounding of doubles).` },
              { fig: { id: 'b-factorisation', title: '(b) P(h | v): enumeration against the product of sigmoids', cols: 1,
                panels: [{ title: `all 2^${c.m} hidden states`, w: 420, h: 340, x: { label: 'log₁₀ P(h | v) by enumeration', lo, hi }, y: { label: 'log₁₀ ∏_j P(h_j | v)', lo, hi },
                  layers: [x.length > 4000 ? { kind: 'density', pts: x.flatMap((v, i) => [v, y[i]]), bins: 160 } : { kind: 'markers', pts: x.flatMap((v, i) => [v, y[i]]), colour: BLUE, r: 2.5, name: 'hidden states h' },
                    { kind: 'line', x: [lo, hi], y: [lo, hi], colour: GREY, dash: '4 3', name: 'equality' }], legendLeft: true }],
                caption: `Every hidden state h: its exact conditional probability (normalised over all states) against the product of the per-unit sigmoids${x.length > 4000 ? ` (${x.length} states: shown as a 2D histogram, colour = number of states)` : ''}. All of them lie on the diagonal.`,
                csv: () => csv(['state', 'p_enum', 'p_product'], Array.from(c.pEnum, (p, k) => [k, p, c.pProduct[k]])) } },
            ];
          } },
        { id: '1c', label: '(c)', run: 'rbm', text: 'Show that the gradient of the log-likelihood with respect to a weight W_ij is the difference of the data and model correlations.',
          math: [m('frac( ∂ ℒ | ∂ W _ {i j} ) = ⟨ v _ i h _ j ⟩ _ data − ⟨ v _ i h _ j ⟩ _ model')],
          answer(d) {
            const g = d.gradient, f = d.figures;
            const fdFull = new Float64Array(g.n * g.m);
            Array.from(g.fdIndex).forEach((k, t) => { fdFull[k] = g.fd[t]; });
            const ex = Array.from(g.fdIndex, (k) => g.exact[k]), [lo, hi] = range([ex, g.fd]);
            const ll = { x: Array.from(f.llSteps), y: Array.from(f.llTrain) };
            return [
              { p: 'Statement. Write ln P(v) as the difference of two log-sums and differentiate; ∂(−E)/∂W_ij = v_i h_j:' },
              { math: m('ℒ = ln ∑ _ 𝐡 e ^ {− E ( 𝐯 , 𝐡 )} − ln ∑ _ {𝐯 ′ , 𝐡} e ^ {− E ( 𝐯 ′ , 𝐡 )}') },
              { math: m('frac( ∂ ℒ | ∂ W _ {i j} ) = ∑ _ 𝐡 P ( 𝐡 | 𝐯 ) v _ i h _ j − ∑ _ {𝐯 ′ , 𝐡} P ( 𝐯 ′ , 𝐡 ) v ′ _ i h _ j = ⟨ v _ i h _ j ⟩ _ data − ⟨ v _ i h _ j ⟩ _ model') },
              { p: `Check (n = ${g.n} visible, m = ${g.m} hidden, exact log Z by enumeration): central finite differences of the exact log-likelihood agree with the formula to ` +
                `${num(g.fdMaxErr)} (max over ${g.fd.length} entries; gradient scale ${num(g.gradMax)}). Sampled estimates of the model term: ` +
                g.cd.map((e) => `CD-${e.k} max error ${num(e.maxErr)}`).join(', ') + `, PCD ${num(g.pcdMaxErr)}.` },
              { fig: { id: 'c-gradient', title: '(c) ∂ℒ/∂W: the formula against finite differences, and training by it', cols: 2,
                panels: [
                  { title: 'formula vs finite differences', w: 350, h: 300, x: { label: '⟨v_i h_j⟩_data − ⟨v_i h_j⟩_model', lo, hi }, y: { label: 'central difference of ℒ (ε = 1e-4)', lo, hi },
                    layers: [{ kind: 'line', x: [lo, hi], y: [lo, hi], colour: GREY, dash: '4 3' }, { kind: 'markers', pts: ex.flatMap((v, i) => [v, g.fd[i]]), colour: BLUE, r: 3, name: 'entries W_ij' }], legendLeft: true },
                  { title: `exact mean log-likelihood (${f.dataset}, ${String(f.sampler).toUpperCase()}-${f.k})`, w: 350, h: 300,
                    x: { label: 'training step', lo: 0, hi: Math.max(1, ...ll.x) }, y: { label: 'ℒ per pattern (nats)', lo: range([ll.y])[0], hi: range([ll.y])[1] },
                    layers: [{ kind: 'line', ...ll, colour: RED, name: 'train set', dots: ll.x.length < 40 }], legendLeft: false },
                ],
                caption: 'Left: every checked entry of ∂ℒ/∂W_ij — the data term minus the model term (enumerated) — against central differences of the exact ℒ. ' +
                  'Right: the exact log-likelihood of the training data while the RBM trains with sampled estimates of this gradient.',
                csv: () => csv(['index', 'exact', 'finite_difference'], Array.from(g.fdIndex, (k, t) => [k, g.exact[k], g.fd[t]])) } },
              { table: { header: ['estimator', 'max |error|', 'rms error', 'max |error| / max |∂ℒ/∂W|'],
                rows: [['finite differences', num(g.fdMaxErr), '–', num(g.fdMaxErr / g.gradMax)], ...g.cd.map((e) => [`CD-${e.k}`, num(e.maxErr), num(e.rmsErr), num(e.maxErr / g.gradMax)]),
                  ['PCD', num(g.pcdMaxErr), num(g.pcdRmsErr), num(g.pcdMaxErr / g.gradMax)]],
                caption: 'Errors of the gradient estimates against the exact gradient (model term by enumeration).' } },
            ];
          } },
      ] },
    { heading: '2 Instantaneous Change of Variables',
      intro: [m('frac( d ln p ( 𝐳 ( t ) ) | d t ) = − Tr ( frac( ∂ f | ∂ 𝐳 ( t ) ) )')],
      questions: [
        { id: '2', label: 'four steps', run: 'cov1d',
          text: 'A distribution q(z) at time t is transformed to p(x) at t + δt by the flow dz/dt = f(z). Write down (1) equal mass in Δz and Δx, (2) how the density changes from t to t + δt in terms of dq/dt, (3) Δx in terms of Δz through f, (4) combine them and let δt → 0 to show d ln q(z)/dt = −f′(z).',
          answer(d) {
            const r = d.derivation, s = d.sweep, p = d.particles;
            const dqdt = (r.qX - r.qZ) / r.dt;
            const rows = s.rows;
            const errs = [['errInterval', 'ln(Δz/Δx)/δt (Δz finite)', BLUE], ['errLinear', '−ln(1 + f′δt)/δt', RED], ['errTrue', '(ln q(x, t+δt) − ln q(z, t))/δt', GREEN]];
            const dts = rows.map((x) => x.dt), allErr = errs.flatMap(([k]) => rows.map((x) => x[k])).filter((v) => v > 0);
            const centres = Array.from({ length: p.bins }, (_, i) => p.range[0] + (i + 0.5) * (p.range[1] - p.range[0]) / p.bins);
            return [
              { p: `Numbers at z = ${r.z}, Δz = ${r.dz}, δt = ${num(r.dt)}, t = ${r.t} of the field in the link (f(z) = ${num(r.f)}, f′(z) = ${num(r.df)}):` },
              { math: m('( 1 ) q ( z ) | Δ z | = p ( x ) | Δ x |') },
              { p: `mass in [z, z + Δz] = ${num(r.massZ, 6)}; mass in [x, x + Δx] = ${num(r.massX, 6)} (under q(·, t + δt); equal up to the O(δt²) error of the step x = z + f(z) δt).` },
              { math: m('( 2 ) p ( x ) = q ( x , t + δ t ) = q ( z , t ) + frac( d q | d t ) δ t + O ( δ t ^ 2 )') },
              { p: `q(z, t) = ${num(r.qZ, 6)}, q(x, t + δt) = ${num(r.qX, 6)}, so dq/dt ≈ (q(x, t+δt) − q(z, t))/δt = ${num(dqdt)}; the limit is −f′(z) q(z) = ${num(-r.df * r.qZ)}.` },
              { math: m('( 3 ) Δ x = Δ z + ( f ( z + Δ z ) − f ( z ) ) δ t = Δ z ( 1 + f′ ( z ) δ t ) + O ( Δ z ^ 2 δ t )') },
              { p: `Δx = ${num(r.dx, 6)}; Δz (1 + f′(z) δt) = ${num(r.dxLinear, 6)}.` },
              { math: m('( 4 ) q Δ z = ( q + frac( d q | d t ) δ t ) Δ z ( 1 + f′ δ t ) ⇒ frac( d q | d t ) = − f′ q + O ( δ t ) ⇒ frac( d | d t ) ln q ( z ) = − f′ ( z )') },
              { p: `Rates of ln q: ln(Δz/Δx)/δt = ${num(r.rateInterval)}, −ln(1 + f′δt)/δt = ${num(r.rateLinear)}, (ln q(x, t+δt) − ln q(z, t))/δt = ${num(r.rateTrue)}; ` +
                `target −f′(z) = ${num(r.target)}. As δt → 0 the error falls as δt^${num(s.slopeTrue, 3)} (fitted log–log slope; first order). ` +
                `Particles carrying ln q by d ln q/dt = −f′ match the histogram of their end points: L1 = ${num(p.l1)}` + (p.maxAbsErr !== null && p.maxAbsErr !== undefined ? `, max |ln q − exact| = ${num(p.maxAbsErr)}.` : '.') },
              { fig: { id: 'cov-derivation', title: '§2 The four steps, δt → 0, and particles carrying ln q', cols: 3,
                panels: [
                  { title: 'steps 1–3: interval carried by the flow', w: 260, h: 250, compact: true, x: { label: 'z, x (position)', lo: r.xs[0], hi: r.xs[r.xs.length - 1] },
                    y: { label: 'density', lo: 0, hi: 1.1 * Math.max(...r.qT, ...r.qNext) },
                    layers: [{ kind: 'line', x: r.xs, y: r.qT, colour: BLUE, name: 'q(·, t)' }, { kind: 'line', x: r.xs, y: r.qNext, colour: RED, name: 'q(·, t+δt)' },
                      ...[[r.z, r.qZ, BLUE], [r.z + r.dz, r.qZ, BLUE], [r.x, r.qX, RED], [r.xEnd, r.qX, RED]].map(([x0, y0, c]) => ({ kind: 'line', x: [x0, x0], y: [0, y0], colour: c, dash: '3 2' }))] },
                  { title: 'step 4: error of the rate against −f′', w: 260, h: 250, compact: true, x: { label: 'δt (time)', lo: Math.min(...dts) / 1.3, hi: Math.max(...dts) * 1.3, log: true },
                    y: { label: '|rate + f′(z)|', lo: Math.min(...allErr) / 2, hi: Math.max(...allErr) * 2, log: true },
                    layers: errs.map(([k, name, c]) => ({ kind: 'line', x: dts, y: rows.map((x) => x[k]), colour: c, name, dots: true })), legendLeft: true },
                  { title: `particles at T = ${p.T}`, w: 260, h: 250, compact: true, x: { label: 'x (position)', lo: p.range[0], hi: p.range[1] },
                    y: { label: 'density', lo: 0, hi: 1.15 * Math.max(...p.hist, ...p.qCurve) },
                    layers: [{ kind: 'line', x: centres.flatMap((c, i) => [c - (p.range[1] - p.range[0]) / (2 * p.bins), c + (p.range[1] - p.range[0]) / (2 * p.bins)]), y: Array.from(p.hist).flatMap((h) => [h, h]), colour: GREY, name: 'histogram' },
                      { kind: 'line', x: p.xs, y: p.qCurve, colour: RED, name: 'q(·, T)' }] },
                ],
                caption: 'Left: q(·, t) and q(·, t + δt); the interval [z, z + Δz] (blue) is carried to [x, x + Δx] (red) with the same mass. Middle: the three estimates of ' +
                  'd ln q/dt against δt, error to −f′(z) on log–log axes. Right: particles pushed to T; their histogram against the density q(·, T).',
                csv: () => csv(['dt', 'err_interval', 'err_linear', 'err_true'], rows.map((x) => [x.dt, x.errInterval, x.errLinear, x.errTrue])) } },
            ];
          } },
      ] },
    { heading: '3 Flow Matching',
      intro: [m('ℒ _ CFM ( θ ) = 𝔼 _ {t ∼ U [ 0 , 1 ] , x _ 1 ∼ q , x _ 0 ∼ p} ‖ v _ t ( ψ _ t ( x _ 0 ) ) − ( x _ 1 − x _ 0 ) ‖ ^ 2 , ψ _ t ( x _ 0 ) = ( 1 − t ) x _ 0 + t x _ 1')],
      questions: [
        { id: '3a', label: '(a)', run: 'fm-checkerboard', text: 'Implement this training procedure and reproduce the setup of Fig. 4 in the paper: samples from a 2D normal distribution converted into a 2D checkerboard distribution.',
          answer(d, run) {
            const f = d.fig4, den = d.density;
            const panels = [...f.progression.map((p) => cloud(p.points, { title: `t = ${p.t.toFixed(2)}`, extent: 4.5, squares: true })),
              ...f.nfe.map((e) => cloud(e.points, { title: `NFE = ${e.nfe}: ${(100 * e.onSquares).toFixed(1)} %`, extent: 4.5, squares: true }))];
            return [
              { p: `Trained ${run.step} steps (loss of the last step ${num(d.losses[d.losses.length - 1])}). Samples on the filled squares: ` +
                f.nfe.map((e) => `NFE ${e.nfe} ${(100 * e.onSquares).toFixed(1)} %`).join(', ') + `. The learned density integrates to ${num(den.integral)} over the plotted square.` },
              { fig: { id: 'loss', title: '§3(a) CFM training loss', cols: 1, panels: [lossPanel([{ values: d.losses, name: 'ℒ_CFM per step' }], { ylabel: 'ℒ_CFM (squared units)' })],
                caption: 'The conditional flow-matching loss of every training step (batch estimate). It does not go to 0: x1 − x0 varies for a given ψ_t.',
                csv: () => csv(['step', 'loss'], Array.from(d.losses, (l, i) => [i + 1, l])) } },
              { fig: { id: 'fig4', title: 'Fig. 4 (Lipman et al. 2022): progression (top) and samples by NFE (bottom)', cols: 4, panels,
                caption: `Top: the same ${f.progression[0].points.length / 2} samples of N(0, I) pushed along the learned flow, at t = 0, 1/3, 2/3, 1 (midpoint, ${f.progressionSteps} steps). ` +
                  'Bottom: samples at t = 1 with 4, 8, 10, 20 function evaluations (midpoint: NFE/2 steps) and their fraction on the filled squares (outlined).',
                csv: () => csv(['panel', 'x', 'y'], [...f.progression.map((p) => [`t=${p.t.toFixed(3)}`, p.points]), ...f.nfe.map((e) => [`nfe=${e.nfe}`, e.points])]
                  .flatMap(([name, pts]) => xyRows(pts).map((r) => [name, ...r]))) } },
              { fig: { id: 'density', title: '§3(a) exact log-density of the learned flow', cols: 1,
                panels: [{ title: `ln p₁(x), ∫p = ${num(den.integral)}`, w: 420, h: 360, x: { label: 'x₁', lo: den.lo, hi: den.hi }, y: { label: 'x₂', lo: den.lo, hi: den.hi },
                  layers: [{ kind: 'heat', m: den.m, lo: den.lo, hi: den.hi, values: den.logP, vmin: Math.max(...den.logP) - 10, vmax: Math.max(...den.logP), label: 'ln p₁(x)  (nats)' }] }],
                caption: `ln p₁(x) by the instantaneous change of variables (${den.steps} RK4 steps back to t = 0, exact trace), colour clipped to [max − 10, max]. ` +
                  'The optimum is ln(1/32) = −3.466 on the squares.',
                csv: () => csv(['x', 'y', 'log_p'], gridRows(den, den.logP)) } },
            ];
          } },
        { id: '3b', label: '(b)', run: 'fm-checkerboard', text: 'Argue theoretically how the optimal velocity field looks at t = 0. Confirm the hypothesis by evaluating the model on a grid for [−0.5, 0.5]² at t = 0.',
          answer(d) {
            const g = d.field0;
            return [
              { p: 'Statement. At t = 0, ψ₀ = x₀ and x₁ is drawn independently of x₀, so the minimiser of the loss is the conditional mean of the target:' },
              { math: m('v * ( x , 0 ) = 𝔼 [ x _ 1 − x _ 0 | x _ 0 = x ] = 𝔼 [ x _ 1 ] − x = − x , 𝔼 [ x _ 1 ] = 0 ( checkerboard )') },
              { p: `Check on the ${g.m} × ${g.m} grid over [−0.5, 0.5]²: E[x1] estimated from data = (${num(g.meanX1[0])}, ${num(g.meanX1[1])}); ` +
                `mean relative error ‖v − v*‖/‖v*‖ = ${num(g.meanRelErr)} (grid points away from the origin), ratio of mean lengths ${num(g.ratioOfMeans)}.` },
              { fig: { id: 'field0', title: '§3(b) v(x, 0) of the model against v*(x, 0) = E[x1] − x', cols: 1,
                panels: [{ title: 'v(x, 0) on [−0.5, 0.5]²', w: 420, h: 400, x: { label: 'x₁', lo: -0.65, hi: 0.65 }, y: { label: 'x₂', lo: -0.65, hi: 0.65 },
                  layers: [{ kind: 'arrows', pts: g.x, vec: g.vStar, colour: GREY, scale: 0.1, name: 'optimum E[x1] − x' }, { kind: 'arrows', pts: g.x, vec: g.v, colour: RED, scale: 0.1, name: 'model v(x, 0)' }] }],
                caption: 'Arrows (length × 0.1): the trained field at t = 0 (red) and the optimum E[x1] − x (grey) at the grid points; they point to the data mean, the origin.',
                csv: () => csv(['x', 'y', 'vx', 'vy', 'vstar_x', 'vstar_y'], xyRows(g.x).map((p, i) => [...p, g.v[2 * i], g.v[2 * i + 1], g.vStar[2 * i], g.vStar[2 * i + 1]])) } },
            ];
          } },
        { id: '3c', label: '(c)', run: 'fm-ot', text: 'Given that flow matching aims to produce integration trajectories which are as straight as possible, why can such a velocity field at t = 0 be suboptimal, e.g. in our example? How can minibatch optimal transport help with this problem?',
          answer(d, run) {
            const c = d.compare, [cfm, ot] = c.models;
            const inBox = (F) => { const pts = [], vec = []; for (let i = 0; i < F.x.length / 2 && pts.length < 2 * 260; ++i) if (Math.abs(F.x[2 * i]) < 2 && Math.abs(F.x[2 * i + 1]) < 2) { pts.push(F.x[2 * i], F.x[2 * i + 1]); vec.push(F.v[2 * i], F.v[2 * i + 1]); } return { pts, vec }; };
            const A = inBox(d.field0[0]), B = inBox(d.field0[1]);
            const optimum = A.pts.map((v) => -v);
            const relErr = (F) => { let s = 0, k = 0; for (let i = 0; i < F.pts.length / 2; ++i) { const n = Math.hypot(F.pts[2 * i], F.pts[2 * i + 1]); if (n > 0.25) { s += Math.hypot(F.vec[2 * i] + F.pts[2 * i], F.vec[2 * i + 1] + F.pts[2 * i + 1]) / n; ++k; } } return s / k; };
            const mean = (F) => { let s = 0; for (let i = 0; i < F.pts.length / 2; ++i) s += Math.hypot(F.vec[2 * i], F.vec[2 * i + 1]); return s / (F.pts.length / 2); };
            const fieldPanel = (F, title, colour, opt) => ({ title, w: 350, h: 330, x: { label: 'x₁', lo: -2.1, hi: 2.1 }, y: { label: 'x₂', lo: -2.1, hi: 2.1 },
              layers: [...(opt ? [{ kind: 'arrows', pts: F.pts, vec: opt, colour: GREY, scale: 0.25, name: 'optimum of CFM: −x' }] : []),
                { kind: 'arrows', pts: F.pts, vec: F.vec, colour, scale: 0.25, name: `${title}` }] });
            const pathPanel = (M, title) => ({ title, w: 350, h: 330, x: { label: 'x₁', lo: -4.5, hi: 4.5 }, y: { label: 'x₂', lo: -4.5, hi: 4.5 },
              layers: [{ kind: 'rects', rects: SQUARES }, { kind: 'paths', traj: M.traj, n: c.nTraj, colourOf: timeColour, width: 0.7, opacity: 0.8 }] });
            const nfePanels = [cfm, ot].flatMap((M) => M.nfe.map((q) => cloud(q.points, { title: `${M.name === 'ot' ? 'OT' : 'CFM'}, NFE ${q.nfe}: ${(100 * q.onSquares).toFixed(0)} %`, extent: 4.5, squares: true })));
            return [
              { p: 'Statement. By (b) the optimal field at t = 0 averages over all targets: v*(x, 0) = E[x1] − x points every x₀ towards the mean (0, 0) — into a gap between the ' +
                'squares — whatever square it will reach. Later the field must turn to the point\'s square, so trajectories bend and cross in distribution (paths of ' +
                'independent pairs x₀, x₁ intersect, and the field averages them). Curved paths need many ODE steps; few-step samples land between the squares. ' +
                'Minibatch OT pairs x₀ and x₁ inside each batch by the assignment minimising Σ‖x₀ − x₁‖²: pairs no longer cross, the conditional paths approximate the ' +
                'optimal-transport map, so v(x, 0) already points to the square x₀ is transported to, the paths are nearly straight, and one or two Euler steps suffice.' },
              { math: m('π * = arg min _ {π ∈ S _ B} ∑ _ {i = 1} ^ B ‖ x _ 0 ^ {( i )} − x _ 1 ^ {( π ( i ) )} ‖ ^ 2 , ℒ _ "OT-CFM" = 𝔼 ‖ v _ t ( ψ _ t ( x _ 0 ^ {( i )} ) ) − ( x _ 1 ^ {( π * ( i ) )} − x _ 0 ^ {( i )} ) ‖ ^ 2') },
              { p: `Check (both models from one seed, ${run.step} steps on the same batches): v(x, 0) of CFM deviates from −x by ${num(relErr(A))} (mean relative, |x| > 0.25), ` +
                `OT-CFM's by ${num(relErr(B))}; mean |v(x, 0)| for |x| < 2: CFM ${num(mean(A))}, OT-CFM ${num(mean(B))}. Straightness: path-length ratio CFM ${num(cfm.straightness.lengthRatio)}, ` +
                `OT ${num(ot.straightness.lengthRatio)} (1 = straight); normalised path energy CFM ${num(cfm.straightness.npe)}, OT ${num(ot.straightness.npe)} (0 = OT map). ` +
                `One Euler step: CFM ${(100 * cfm.nfe[0].onSquares).toFixed(1)} % on the squares (SW2 ${num(cfm.nfe[0].sw2)}), OT-CFM ${(100 * ot.nfe[0].onSquares).toFixed(1)} % (SW2 ${num(ot.nfe[0].sw2)}).` },
              { fig: { id: 'ot-field0', title: '§3(c) v(x, 0): independent CFM against OT-CFM', cols: 2,
                panels: [fieldPanel(A, 'CFM v(x, 0)', BLUE, optimum), fieldPanel(B, 'OT-CFM v(x, 0)', RED, null)],
                caption: 'The learned field at t = 0 at the seed\'s noise points in [−2, 2]² (arrows × 0.25; exact: one Euler step of length 1). CFM (blue) follows its optimum ' +
                  'E[x1] − x = −x (grey): every point heads for the origin. OT-CFM (red) points each x₀ towards the square it is transported to — not to the mean.',
                csv: () => csv(['model', 'x', 'y', 'vx', 'vy'], /** @type {[string, typeof A][]} */ ([['cfm', A], ['ot', B]]).flatMap(([k, F]) => xyRows(F.pts).map((p, i) => [k, ...p, F.vec[2 * i], F.vec[2 * i + 1]]))) } },
              { fig: { id: 'ot-paths', title: '§3(c) trajectories: CFM bends, OT-CFM goes straight', cols: 2,
                panels: [pathPanel(cfm, `CFM: length ratio ${num(cfm.straightness.lengthRatio)}`), pathPanel(ot, `OT-CFM: length ratio ${num(ot.straightness.lengthRatio)}`)],
                caption: `${c.nTraj} trajectories of each model from the same x(0) (midpoint, 20 steps), coloured by t (purple at 0, yellow-green at 1).`,
                csv: () => csv(['model', 'k', 'point', 'x', 'y'], [cfm, ot].flatMap((M) => xyRows(M.traj).map((p, j) => [M.name, Math.floor(j / c.nTraj), j % c.nTraj, ...p]))) } },
              { fig: { id: 'ot-nfe', title: '§3(c) samples with few function evaluations (Euler): CFM (top), OT-CFM (bottom)', cols: 4, panels: nfePanels,
                caption: 'Euler with 1, 2, 4, 8 steps from the same noise; percentage on the filled squares (outlined).',
                csv: () => csv(['model', 'nfe', 'x', 'y'], [cfm, ot].flatMap((M) => M.nfe.flatMap((q) => xyRows(q.points).map((p) => [M.name, q.nfe, ...p])))) } },
              { table: { header: ['model', 'length ratio', 'NPE', 'path energy', 'W2² of endpoints', ...cfm.nfe.map((q) => `NFE ${q.nfe}: on squares / SW2`)],
                rows: [cfm, ot].map((M) => [M.name === 'ot' ? 'OT-CFM' : 'CFM', num(M.straightness.lengthRatio), num(M.straightness.npe), num(M.straightness.pathEnergy), num(M.straightness.w2sq),
                  ...M.nfe.map((q) => `${(100 * q.onSquares).toFixed(1)} % / ${num(q.sw2, 3)}`)]),
                caption: 'Straightness (500 paths, 100 midpoint steps) and few-step quality (3000 samples; sliced W2 to fresh data).' } },
              { fig: { id: 'ot-loss', title: '§3(c) training loss of both models', cols: 1,
                panels: [lossPanel([{ values: d.losses[0], name: 'CFM', colour: BLUE }, { values: d.losses[1], name: 'OT-CFM', colour: RED }], { ylabel: 'loss (squared units)' })],
                caption: 'OT pairing lowers the loss itself: paired targets x₁ − x₀ vary less for a given x_t.',
                csv: () => csv(['step', 'cfm', 'ot'], Array.from(d.losses[0], (l, i) => [i + 1, l, d.losses[1][i]])) } },
            ];
          } },
      ] },
  ],
};
