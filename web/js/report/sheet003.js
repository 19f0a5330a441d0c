// @ts-check
// Sheet 003: §1 normalizing flows (RealNVP), §2 flow matching on the
// Olympic rings (unconditional Q1–Q5, conditional Q1–Q3).
import { m, num, csv, xyRows, lossPanel, cloud, range, gridRows, timeColour, RING_COLOURS, RING_NAMES } from './parts.js';
import { SHEET_LOGP, SHEET_LOGPZ } from '../sheet-results.js';

const BLUE = '#1f6fd0', RED = '#d04a1f';
const POINT_NAMES = ['y₁ (inlier)', 'y₂ (inlier)', 'y₃ (inlier)', 'y₄ (outlier)', 'y₅ (outlier)'];
const at = (stack, n, k) => stack.slice(2 * n * k, 2 * n * (k + 1));
// A stack of K snapshots × n points → CSV rows (snapshot, point, x, y).
const stackRows = (stack, n) => xyRows(stack).map((p, j) => [Math.floor(j / n), j % n, ...p]);
const ringOf = (labels) => (i) => RING_COLOURS[labels[i]];

function paths(title, traj, n, extent, extra = [], w = 360, h = 340) {
  return { title, w, h, x: { label: 'x₁ (standardised)', lo: -extent, hi: extent }, y: { label: 'x₂ (standardised)', lo: -extent, hi: extent },
    layers: [...extra, { kind: 'paths', traj, n, colourOf: timeColour, width: 1.6 }] };
}
function densityPanel(title, g, values, label) {
  const top = Math.max(...values);
  return { title, w: 400, h: 340, x: { label: 'x₁ (standardised)', lo: g.lo, hi: g.hi }, y: { label: 'x₂ (standardised)', lo: g.lo, hi: g.hi },
    layers: [{ kind: 'heat', m: g.m, lo: g.lo, hi: g.hi, values, vmin: top - 10, vmax: top, label }] };
}

export default {
  id: '003',
  title: 'Sheet 003 — Flow models: normalizing flows and flow matching on the Olympic rings',
  runs: ['realnvp', 'fm-rings', 'fm-rings-cond'],
  sections: [
    { heading: '1 Normalizing Flows',
      intro: [m('x = f ( z ) , z ∼ 𝒩 ( 0 , I ) , ln p ( x ) = ln p _ z ( f ^ {− 1} ( x ) ) + ln | det frac( ∂ f ^ {− 1} | ∂ x ) |'),
        m('"affine coupling" : x _ b = z _ b ⊙ exp ( s ( z _ a ) ) + b ( z _ a ) , x _ a = z _ a , ln | det | = ∑ s ( z _ a )')],
      questions: [
        { id: 'q1', label: 'Q1: Loss', run: 'realnvp', text: 'Validation loss over the training epochs, with the log-determinant and log p_z(x).',
          answer(d, run) {
            const v = d.validation, rows = [];
            for (let k = 0; k + 3 < v.length; k += 4) rows.push([v[k], v[k + 1], v[k + 2], v[k + 3]]);
            const xs = rows.map((r) => r[0]), last = rows[rows.length - 1] || [0, NaN, NaN, NaN];
            const ys = [1, 2, 3].map((c) => rows.map((r) => r[c])), [lo, hi] = range(ys);
            return [
              { math: m('ℒ _ val = − frac( 1 | N ) ∑ _ n ln p ( x _ n ) = − frac( 1 | N ) ∑ _ n ln p _ z ( f ^ {− 1} ( x _ n ) ) − frac( 1 | N ) ∑ _ n ln | det J _ {f ^ {− 1}} ( x _ n ) |') },
              { p: `After ${run.step} steps: validation loss ${num(last[1])} = ${num(last[2])} (−ln p_z) + ${num(last[3])} (−ln |det|). The data's own entropy is ≈ 1.59 nats, the floor of any model.` },
              { fig: { id: 'q1-validation', title: 'Q1: validation loss and its two terms', cols: 1,
                panels: [{ title: 'validation set', w: 700, h: 280, x: { label: 'training step', lo: 0, hi: Math.max(1, ...xs) }, y: { label: 'nats per point', lo, hi },
                  layers: [{ kind: 'line', x: xs, y: ys[0], colour: '#222', name: 'validation loss −ln p(x)', dots: xs.length < 40 },
                    { kind: 'line', x: xs, y: ys[1], colour: BLUE, name: '−ln p_z(f⁻¹(x))', dots: xs.length < 40 },
                    { kind: 'line', x: xs, y: ys[2], colour: RED, name: '−ln |det J|', dots: xs.length < 40 }] }],
                caption: 'The validation loss (black) is the sum of the prior term (blue) and the log-determinant term (red).',
                csv: () => csv(['step', 'loss', 'neg_log_pz', 'neg_log_det'], rows) } },
              { fig: { id: 'q1-train-loss', title: 'training loss', cols: 1, panels: [lossPanel([{ values: d.losses, name: '−ln p(x), batch' }], { ylabel: 'nats per point', h: 220 })],
                caption: 'Negative log-likelihood of every training batch.', csv: () => csv(['step', 'loss'], Array.from(d.losses, (l, i) => [i + 1, l])) } },
            ];
          } },
        { id: 'q2', label: 'Q2: Sampling', run: 'realnvp', text: '1000 generated samples from different seeds.',
          answer(d) {
            const s = d.seeds;
            return [{ fig: { id: 'q2-seeds', title: 'Q2: 1000 samples for each of three seeds', cols: 3,
              panels: s.samples.map((p, i) => cloud(p, { title: `seed ${s.seeds[i]}`, w: 233, h: 233 })),
              caption: 'x = f(z) for 1000 draws z ~ N(0, I) of each sampling seed.',
              csv: () => csv(['seed', 'x', 'y'], s.samples.flatMap((p, i) => xyRows(p).map((r) => [s.seeds[i], ...r]))) } }];
          } },
        { id: 'q3', label: 'Q3: Sampling over time', run: 'realnvp', text: 'The movement of 1000 noise samples in 2D space during the model\'s forward pass.',
          answer(d) {
            const L = d.layers.layers, n = d.layers.n;
            const ks = [...new Set(Array.from({ length: 8 }, (_, i) => Math.round((i * L) / 7)))];
            return [{ fig: { id: 'q3-layers', title: `Q3: 1000 samples after coupling layers 0…${L}`, cols: 4,
              panels: ks.map((k) => cloud(at(d.layers.points, n, k), { title: k === 0 ? 'layer 0: z' : k === L ? `layer ${k}: x` : `layer ${k}`, extent: 4, w: 175, h: 175 })),
              caption: `The same ${n} samples z ~ N(0, I) (layer 0) after each shown coupling layer of the forward pass; layer ${L} is the model's output x.`,
              csv: () => csv(['layer', 'x', 'y'], stackRows(d.layers.points, n).map(([l, , x, y]) => [l, x, y])) } }];
          } },
        { id: 'q4', label: 'Q4: Sampling trajectories', run: 'realnvp', text: 'Trajectories of 10 noise samples in 2D space during the forward pass.',
          answer(d) {
            const L = d.layers.layers, n = d.layers.n, k = 10;
            const traj = new Float32Array(2 * k * (L + 1));
            for (let l = 0; l <= L; ++l) traj.set(d.layers.points.slice(2 * n * l, 2 * n * l + 2 * k), 2 * k * l);
            return [{ fig: { id: 'q4-trajectories', title: 'Q4: trajectories of 10 samples through the layers', cols: 1,
              panels: [paths(`${L} layers, z (purple) → x (yellow-green)`, traj, k, 4, [{ kind: 'points', pts: d.seeds.samples[0], colour: '#bbb', r: 0.9 },
                { kind: 'markers', pts: traj.slice(0, 2 * k), colour: timeColour(0), r: 3.5 }, { kind: 'markers', pts: traj.slice(2 * k * L), colour: timeColour(1), r: 3.5, fill: timeColour(1) }], 420, 400)],
              caption: 'Each sample joined layer to layer, coloured by layer (purple circles: the noise z; yellow dots: the output x); grey: 1000 samples of the model.',
              csv: () => csv(['layer', 'point', 'x', 'y'], stackRows(traj, k)) } }];
          } },
        { id: 'q5', label: 'Q5: Probability estimation', run: 'realnvp', text: 'Inverse trajectories of 3 points on the rings and 2 outside, and their log-probabilities.',
          answer(d) {
            const p = d.points, L = p.layers, den = d.density;
            const z = p.path.slice(2 * 5 * L), norm = [0, 1, 2, 3, 4].map((i) => Math.hypot(z[2 * i], z[2 * i + 1]));
            const apart = Math.max(...norm.slice(0, 3)) < Math.min(...norm.slice(3));
            return [
              { p: `Distance of f⁻¹(y) from the prior mean (0, 0): inliers ${norm.slice(0, 3).map((v) => num(v, 3)).join(', ')}; outliers ${norm.slice(3).map((v) => num(v, 3)).join(', ')}. ` +
                (apart ? 'The inliers end nearer the centre of N(0, I) than the outliers: ln p_z(f⁻¹(y)) = −‖f⁻¹(y)‖²/2 − ln 2π is higher for them, and ln p(y) follows it (table).'
                  : 'In this run not every inlier ends nearer the centre than the outliers: the flow has not learned the rings well enough yet (train longer).') },
              { fig: { id: 'q5-inverse', title: 'Q5: inverse trajectories, and ln p of the model', cols: 2,
                panels: [paths('y → z through the inverse layers', p.path, 5, 4, [{ kind: 'markers', pts: p.points, colour: '#222', r: 4, labels: ['y₁', 'y₂', 'y₃', 'y₄', 'y₅'] },
                  { kind: 'markers', pts: p.path.slice(2 * 5 * L), colour: timeColour(0), shape: 'cross', r: 4 }], 340, 330),
                densityPanel('ln p(x) of the flow', den, den.logp, 'ln p(x)  (nats)')].map((q, i) => ({ ...q, w: i ? 360 : 340 })),
                caption: 'Left: the five points (circles) through the inverse flow, layer by layer, coloured from yellow-green (data) to purple (crosses: f⁻¹(y)). Right: ln p(x) on a grid (colour clipped to 10 nats below the maximum).',
                csv: () => csv(['layer', 'point', 'x', 'y'], stackRows(p.path, 5)) } },
              { table: { header: ['point', 'y', 'ln p(y)', 'ln p_z(f⁻¹(y))', 'ln |det J|', 'sheet: ln p', 'sheet: ln p_z'],
                rows: [0, 1, 2, 3, 4].map((i) => [POINT_NAMES[i], `(${num(p.points[2 * i])}, ${num(p.points[2 * i + 1])})`, num(p.logp[i]), num(p.logpz[i]), num(p.logdet[i]), SHEET_LOGP[i], SHEET_LOGPZ[i]]),
                caption: 'The model\'s log-probabilities of the five points beside the sheet\'s. The exact ln p of the data density at the inliers is −1.79, −1.85, −1.72; the outliers have density 0.' } },
            ];
          } },
      ] },
    { heading: '2 Flow Matching',
      intro: [m('ℒ _ CFM = 𝔼 _ {t , x _ 0 , x _ 1} ‖ v _ θ ( ψ _ t , t ) − ( x _ 1 − x _ 0 ) ‖ ^ 2 , ψ _ t = ( 1 − t ) x _ 0 + t x _ 1 , x _ {t + Δ t} = x _ t + Δ t v _ θ ( x _ t , t )')],
      questions: [
        { id: 'u1', label: '2.1 Q1: Loss', run: 'fm-rings', text: 'Training loss over epochs.',
          answer(d) {
            return [{ fig: { id: 'u1-loss', title: 'Q1: flow-matching training loss', cols: 1, panels: [lossPanel([{ values: d.losses, name: 'ℒ_CFM per step' }], { ylabel: 'ℒ_CFM (squared units)' })],
              caption: 'The CFM loss of every training batch.', csv: () => csv(['step', 'loss'], Array.from(d.losses, (l, i) => [i + 1, l])) } }];
          } },
        { id: 'u2', label: 'Q2: Flow progression', run: 'fm-rings', text: 'The flow of 1000 samples of N(0, I) over time, at t ∈ {0, 0.2, 0.4, 0.6, 0.8, 1}.',
          answer(d) {
            const g = d.progression;
            return [{ fig: { id: 'u2-progression', title: 'Q2: the flow of 1000 samples over t', cols: 3,
              panels: g.snapshots.map((s) => cloud(s.points, { title: `t = ${s.t.toFixed(1)}`, w: 233, h: 220 })),
              caption: `The same ${g.n} samples of N(0, I) pushed along the learned field, at t = 0, 0.2, …, 1 (${g.steps} ODE steps). Axes: standardised x₁, x₂ in [−3, 3].`,
              csv: () => csv(['t', 'x', 'y'], g.snapshots.flatMap((s) => xyRows(s.points).map((r) => [s.t, ...r]))) } }];
          } },
        { id: 'u3', label: 'Q3: Point trajectory', run: 'fm-rings', text: 'Trajectories of 10 points from the latent space over time.',
          answer(d) {
            const g = d.trajectories;
            return [{ fig: { id: 'u3-trajectories', title: 'Q3: trajectories of 10 points, coloured by t', cols: 1,
              panels: [paths(`${g.steps} ODE steps`, g.traj, g.n, 3, [{ kind: 'points', pts: d.samples, colour: '#bbb', r: 0.9 }, { kind: 'markers', pts: g.traj.slice(0, 2 * g.n), colour: timeColour(0), r: 3.5 }], 420, 400)],
              caption: 'Purple circles: x(0) ~ N(0, I); the path turns yellow-green towards t = 1. Grey: 2000 samples of the model at t = 1.',
              csv: () => csv(['k', 'point', 'x', 'y'], stackRows(g.traj, g.n)) } }];
          } },
        { id: 'u4', label: 'Q4: Time quantization', run: 'fm-rings', text: 'Generated points with different Δt.',
          answer(d) {
            const q = d.quantization;
            return [{ fig: { id: 'u4-quantization', title: 'Q4: the same model and noise at Δt = 0.002 … 0.2 (Euler)', cols: 5,
              panels: q.runs.map((r) => cloud(r.points, { title: `Δt = ${r.dt}`, w: 140, h: 150 })),
              caption: `${q.n} samples from the same x(0) with Euler steps of Δt (1/Δt steps). Coarse steps overshoot the turns of the flow and blur the rings towards the prior mean.`,
              csv: () => csv(['dt', 'x', 'y'], q.runs.flatMap((r) => xyRows(r.points).map((p) => [r.dt, ...p]))) } }];
          } },
        { id: 'u5', label: 'Q5: Reversing the flow', run: 'fm-rings', text: 'The inverse flow of the five points of §1.5, and the forward pass over the inverted points.',
          answer(d) {
            const r = d.reverse, fine = r.runs[0], den = d.density;
            const fwdEnd = d.forward.slice(2 * 5 * fine.steps);
            return [
              { math: m('x _ {t − Δ t} = x _ t − Δ t v _ θ ( x _ t , t ) , t : 1 → 0 ; x _ {t + Δ t} = x _ t + Δ t v _ θ ( x _ t , t ) , t : 0 → 1') },
              { fig: { id: 'u5-reverse-forward', title: 'Q5: (a) the inverse flow of the five points, (b) the forward pass over the inverted points', cols: 2,
                panels: [paths(`(a) t = 1 → 0, Δt = ${fine.dt}`, fine.back, 5, 3, [{ kind: 'points', pts: d.samples, colour: '#ccc', r: 0.8 }, { kind: 'markers', pts: r.points, colour: '#222', r: 4, labels: ['y₁', 'y₂', 'y₃', 'y₄', 'y₅'] }], 350, 340),
                  paths(`(b) t = 0 → 1 from the inverted points`, d.forward, 5, 3, [{ kind: 'points', pts: d.samples, colour: '#ccc', r: 0.8 }, { kind: 'markers', pts: r.points, colour: '#222', r: 5 },
                    { kind: 'markers', pts: fwdEnd, colour: RED, shape: 'cross', r: 3.5 }], 350, 340)],
                caption: '(a) The three inliers and two outliers (circles) integrated back to t = 0 (colour from yellow-green at t = 1 to purple at t = 0). (b) Those end points ' +
                  `integrated forward again with the same Δt: the red crosses land on the circles up to the discretisation error (mean ${num(fine.mean)} at Δt = ${fine.dt}).`,
                csv: () => csv(['direction', 'k', 'point', 'x', 'y'], [...stackRows(fine.back, 5).map((x) => ['back', ...x]), ...stackRows(d.forward, 5).map((x) => ['forward', ...x])]) } },
              { table: { header: ['Δt', 'Euler steps', ...POINT_NAMES, 'mean'], rows: r.runs.map((x) => [x.dt, x.steps, ...x.errors.map((e) => num(e, 3)), num(x.mean, 3)]),
                caption: 'Round-trip error ‖ψ₁(ψ₁⁻¹(y)) − y‖ of each point: it falls with Δt (Euler is not exactly invertible; RealNVP is, to rounding).' } },
              { fig: { id: 'u5-density', title: 'ln p₁ of the flow-matching model', cols: 1,
                panels: [{ ...densityPanel(`ln p₁(x), ∫p = ${num(den.integral)}`, den, den.logP, 'ln p₁(x)  (nats)'), w: 440, h: 360 }],
                caption: `ln p₁(x) by the instantaneous change of variables (${den.steps} RK4 steps, exact trace), clipped to 10 nats below the maximum.`,
                csv: () => csv(['x', 'y', 'log_p'], gridRows(den, den.logP)) } },
              { table: { header: ['point', 'ln p₁ (flow matching)', 'sheet (RealNVP)'], rows: [0, 1, 2, 3, 4].map((i) => [POINT_NAMES[i], num(den.logpPoints[i]), SHEET_LOGP[i]]),
                caption: 'ln p₁ of the five points under the flow-matching model (200 midpoint steps).' } },
            ];
          } },
        { id: 'c1', label: '2.6 Q1: Plotting the input', run: 'fm-rings-cond', text: 'The training data points coloured by their class.',
          answer(d) {
            const g = d.data;
            return [
              { math: m('ℒ = 𝔼 ‖ v _ θ ( ψ _ t , t , e ( c ) ) − ( x _ 1 − x _ 0 ) ‖ ^ 2 , x _ 1 ∼ q ( · | c )') },
              { p: 'e(c): a learned embedding of the class c, concatenated with (x, t) at the input of the network.' },
              { fig: { id: 'c1-data', title: 'Conditional Q1: training data by class', cols: 1,
                panels: [{ ...cloud(g.points, { colourOf: ringOf(g.labels), compact: false, w: 420, h: 330, label: 'x' }), legend: RING_NAMES.map((n, i) => ({ name: `ring ${i}: ${n}`, colour: RING_COLOURS[i] })) }],
                caption: `${g.labels.length} training points, standardised, coloured by ring (class).`,
                csv: () => csv(['x', 'y', 'class'], xyRows(g.points).map((p, i) => [...p, g.labels[i]])) } }];
          } },
        { id: 'c2', label: 'Q2: A point from each class', run: 'fm-rings-cond', text: 'The trajectory of one point per class through time.',
          answer(d) {
            const g = d.classTrajectories;
            const traj = new Float32Array(2 * 5 * (g.steps + 1));
            for (let k = 0; k <= g.steps; ++k) for (let c = 0; c < 5; ++c) traj.set(g.traj[c].slice(2 * k, 2 * k + 2), 2 * (5 * k + c));
            return [{ fig: { id: 'c2-class-trajectories', title: 'Conditional Q2: one trajectory per class from the same noise point', cols: 1,
              panels: [{ ...paths(`${g.steps} ODE steps`, traj, 5, 3, [{ kind: 'points', pts: d.data.points, colourOf: ringOf(d.data.labels), r: 0.6, opacity: 0.25 }], 420, 400),
                layers: [{ kind: 'points', pts: d.data.points, colourOf: ringOf(d.data.labels), r: 0.6, opacity: 0.25 },
                  { kind: 'paths', traj, n: 5, colourOf: (t, i) => RING_COLOURS[i], width: 2 }, { kind: 'markers', pts: traj.slice(2 * 5 * g.steps), colourOf: (i) => RING_COLOURS[i], r: 4 }],
                legend: RING_NAMES.map((n, i) => ({ name: `class ${i}: ${n}`, colour: RING_COLOURS[i] })) }],
              caption: 'Asked for each class, the same x(0) flows to that class\'s ring (circle: x(1)); faint: the training data.',
              csv: () => csv(['k', 'point', 'x', 'y'], stackRows(traj, 5)) } }];  // point = class
          } },
        { id: 'c3', label: 'Q3: Sampling', run: 'fm-rings-cond', text: 'Generated points coloured by their class.',
          answer(d) {
            const g = d.classSamples, n = g.samples.length / 2;
            return [
              { p: `${n} samples, class i mod 5 requested for sample i: ${(100 * g.accuracy).toFixed(1)} % lie nearest to the requested ring.` },
              { fig: { id: 'c3-class-samples', title: 'Conditional Q3: samples coloured by the requested class', cols: 1,
                panels: [{ ...cloud(g.samples, { colourOf: (i) => RING_COLOURS[i % 5], compact: false, w: 420, h: 330, r: 0.9 }), legend: RING_NAMES.map((nm, i) => ({ name: `class ${i}: ${nm}`, colour: RING_COLOURS[i] })) }],
                caption: `Every sample coloured by the class it was asked for; ${(100 * g.accuracy).toFixed(1)} % are nearest to that class's ring.`,
                csv: () => csv(['x', 'y', 'class'], xyRows(g.samples).map((p, i) => [...p, i % 5])) } }];
          } },
      ] },
  ],
};
