// @ts-check
// Drawing helpers of the RealNVP view: layer trajectories, a density heatmap.
import { Frame } from './plot.js';
import { heat } from './heatmap.js';

const hue = (t) => `hsl(${Math.round(270 - 220 * t)}, 80%, 45%)`;  // purple (start) → yellow-green (end)

// Points of layer k of a (L + 1) × n × 2 stack.
export function layerPoints(stack, n, k) { return stack.subarray(2 * n * k, 2 * n * (k + 1)); }

export function drawPoints(canvas, points, title, extent = 4) {
  const f = new Frame(canvas, extent);
  f.clear();
  f.points(points);
  f.axes();
  f.title(title);
}

// Paths of n points through L + 1 layers, coloured from start to end.
export function drawTrajectories(canvas, stack, n, title, extent = 4) {
  const f = new Frame(canvas, extent), L = stack.length / (2 * n) - 1, c = f.ctx;
  f.clear();
  for (let i = 0; i < n; ++i)
    for (let k = 0; k < L; ++k) {
      c.strokeStyle = hue(k / L);
      c.beginPath();
      c.moveTo(f.px(stack[2 * (k * n + i)]), f.py(stack[2 * (k * n + i) + 1]));
      c.lineTo(f.px(stack[2 * ((k + 1) * n + i)]), f.py(stack[2 * ((k + 1) * n + i) + 1]));
      c.stroke();
    }
  for (let k = 0; k <= L; ++k) f.points(layerPoints(stack, n, k), () => hue(k / L), 4);
  f.axes();
  f.title(title);
}

// exp(log p) on an m × m grid over [lo, hi]² (rows = y), data overlaid.
export function drawDensity(canvas, d, title) {
  const f = new Frame(canvas, d.hi, true);
  f.clear();
  let top = 0;
  for (const v of d.logp) top = Math.max(top, Math.exp(v));
  const p = Float32Array.from(d.logp, (v) => Math.exp(v));
  heat(f.ctx, p, d.m, d.m, { x: f.px(d.lo), y: f.py(d.hi), w: f.px(d.hi) - f.px(d.lo), h: f.py(d.lo) - f.py(d.hi) }, 'viridis', 0, top, true);
  f.colourBar('viridis', 0, top, 'p(x)');
  f.points(d.data, () => 'rgba(255,255,255,0.35)', 1.2);
  f.axes();
  f.title(title);
}
