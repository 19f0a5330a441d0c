// Drawing helpers of the RealNVP view: loss curves, layer trajectories, a log-density heatmap.
import { Frame } from './plot.js';

const hue = (t) => `hsl(${Math.round(270 - 220 * t)}, 80%, 45%)`;  // purple (start) → yellow-green (end)

// Curves [{name, colour, ys, dash?}] over xs on a plain chart.
export function drawCurves(canvas, xs, curves, title) {
  const c = canvas.getContext('2d'), W = canvas.width, H = canvas.height, p = 40;
  c.fillStyle = '#fff';
  c.fillRect(0, 0, W, H);
  const all = curves.flatMap((k) => Array.from(k.ys)).filter(Number.isFinite);
  if (!xs.length || !all.length) return;
  const lo = Math.min(...all), hi = Math.max(...all), x0 = xs[0], x1 = Math.max(xs[xs.length - 1], x0 + 1);
  const px = (x) => p + (x - x0) / (x1 - x0) * (W - 2 * p), py = (y) => H - p - (y - lo) / (hi - lo || 1) * (H - 2 * p);
  c.strokeStyle = '#888';
  c.strokeRect(p, p, W - 2 * p, H - 2 * p);
  c.fillStyle = '#333';
  c.font = '11px system-ui, sans-serif';
  c.fillText(hi.toFixed(2), 2, p + 4);
  c.fillText(lo.toFixed(2), 2, H - p);
  c.fillText(`step ${x1}`, W - p - 50, H - p + 14);
  c.font = '13px system-ui, sans-serif';
  c.fillText(title, p, 18);
  curves.forEach((k, j) => {
    c.strokeStyle = k.colour;
    c.setLineDash(k.dash || []);
    c.beginPath();
    xs.forEach((x, i) => (i ? c.lineTo(px(x), py(k.ys[i])) : c.moveTo(px(x), py(k.ys[i]))));
    c.stroke();
    c.setLineDash([]);
    c.fillStyle = k.colour;
    c.fillText(k.name, W - p - 150, p + 16 + 15 * j);
  });
}

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
  const f = new Frame(canvas, d.hi);
  f.clear();
  const img = new ImageData(d.m, d.m);
  let top = 0;
  for (const v of d.logp) top = Math.max(top, Math.exp(v));
  for (let i = 0; i < d.m; ++i)
    for (let j = 0; j < d.m; ++j) {
      const v = Math.exp(d.logp[i * d.m + j]) / top, o = 4 * ((d.m - 1 - i) * d.m + j);
      img.data.set([255 * Math.sqrt(v), 200 * v, 80 + 100 * (1 - v), 255], o);
    }
  const off = new OffscreenCanvas(d.m, d.m);
  off.getContext('2d').putImageData(img, 0, 0);
  f.ctx.drawImage(off, f.px(d.lo), f.py(d.hi), f.px(d.hi) - f.px(d.lo), f.py(d.lo) - f.py(d.hi));
  f.points(d.data, () => 'rgba(255,255,255,0.35)', 1.2);
  f.axes();
  f.title(title);
}
