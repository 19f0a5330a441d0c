// @ts-check
// 2D figures on a canvas: a density image for many points (a 2D histogram
// through a perceptual colour map, with its colour bar), a point cloud for few.
import { MAPS, heat, colourBar } from './heatmap.js';

// Sequential colour of v ∈ [0, 1] (viridis: colour-blind safe, also used by the report).
export const colour = MAPS.viridis;

export class Frame {
  // bar: room on the right for a colour bar.
  constructor(canvas, extent = 5, bar = false) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.extent = extent;  // the view is [−extent, extent]²
    this.pad = 28;
    this.right = bar ? 56 : 0;
  }
  get size() { return Math.min(this.canvas.width - this.right, this.canvas.height) - 2 * this.pad; }
  // The colour bar beside the square, for values lo…hi.
  colourBar(map, lo, hi, label, ticks) {
    const x = this.px(this.extent) + 22;
    colourBar(this.ctx, { x, y: this.py(this.extent), w: 10, h: this.size }, map, lo, hi, label, ticks);
  }
  // With a colour bar the square is smaller than the canvas: centred vertically.
  get top() { return Math.max(this.pad, (this.canvas.height - this.size) / 2); }
  px(x) { return this.pad + (x + this.extent) / (2 * this.extent) * this.size; }
  py(y) { return this.top + (this.extent - y) / (2 * this.extent) * this.size; }

  clear() {
    const { ctx, canvas } = this;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }

  // Faint outlines of the checkerboard's 8 filled squares, for reference.
  checkerboardOutline() {
    const { ctx } = this;
    ctx.save();
    ctx.strokeStyle = 'rgba(90, 200, 255, 0.7)';
    ctx.lineWidth = 1;
    for (let u = -2; u < 2; ++u)
      for (let w = -2; w < 2; ++w)
        if ((u + w) % 2 === 0) {
          const x0 = this.px(2 * u), y0 = this.py(2 * w + 2);
          ctx.strokeRect(x0, y0, this.px(2 * u + 2) - x0, this.py(2 * w) - y0);
        }
    ctx.restore();
  }

  axes() {
    const { ctx, extent } = this;
    ctx.save();
    ctx.strokeStyle = '#888';
    ctx.strokeRect(this.px(-extent), this.py(extent), this.size, this.size);
    ctx.fillStyle = '#555';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const step = extent > 3 ? 2 : extent > 1.5 ? 1 : 0.5;
    for (let v = -Math.floor(extent / step) * step; v <= extent + 1e-9; v += step) {
      ctx.fillText(String(v), this.px(v), this.py(-extent) + 14);
      ctx.textAlign = 'right';
      ctx.fillText(String(v), this.px(-extent) - 4, this.py(v) + 4);
      ctx.textAlign = 'center';
    }
    ctx.restore();
  }

  // Density image: counts on a bins×bins grid, sqrt-scaled to the 99.5th
  // percentile so a few dense cells do not wash out the rest.
  density(points, bins = Math.round(Math.min(200, Math.max(60, Math.sqrt(points.length / 2))))) {
    const n = points.length / 2;
    const counts = new Float32Array(bins * bins);
    const scale = bins / (2 * this.extent);
    for (let i = 0; i < n; ++i) {
      const bx = Math.floor((points[2 * i] + this.extent) * scale);
      const by = Math.floor((this.extent - points[2 * i + 1]) * scale);
      if (bx >= 0 && bx < bins && by >= 0 && by < bins) counts[by * bins + bx] += 1;
    }
    const sorted = Array.from(counts).filter((c) => c > 0).sort((a, b) => a - b);
    const top = sorted.length ? sorted[Math.floor(0.995 * (sorted.length - 1))] : 1;
    const shade = counts.map((c) => Math.sqrt(c / top));
    heat(this.ctx, shade, bins, bins, { x: this.px(-this.extent), y: this.py(this.extent), w: this.size, h: this.size });
    return top;
  }

  /** @param {ArrayLike<number>} points @param {(i: number) => string} [colourOf] @param {number} [radius] */
  points(points, colourOf = () => 'rgba(20, 40, 120, 0.55)', radius = 1.6) {
    const { ctx } = this;
    const n = points.length / 2;
    for (let i = 0; i < n; ++i) {
      ctx.fillStyle = colourOf(i);
      ctx.fillRect(this.px(points[2 * i]) - radius / 2, this.py(points[2 * i + 1]) - radius / 2, radius, radius);
    }
  }

  title(text) {
    const { ctx } = this;
    ctx.save();
    ctx.fillStyle = '#222';
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillText(text, this.pad, 18);
    ctx.restore();
  }
}

// Samples as the student sees them: density when there are many, dots otherwise.
// outline: the checkerboard's squares (not for your own points).
export function drawSamples(canvas, points, title, { outline = true } = {}) {
  const dense = points.length / 2 >= 5000;
  const f = new Frame(canvas, 5, dense && canvas.width >= 300);
  f.clear();
  if (dense) {
    const top = f.density(points);
    // sqrt-scaled counts per bin: label the bar in counts.
    if (f.right) f.colourBar('viridis', 0, 1, 'points per bin', [0, 0.25, 0.5, 1].map((t) => [t, String(Math.round(t * t * top))]));
  } else {
    f.points(points);
  }
  if (outline) f.checkerboardOutline();
  f.axes();
  f.title(title);
}

// ln p on an m × m grid of cell centres over [lo, hi]² (rows = y ascending),
// coloured over [max − span, max] (lower values clip to the darkest colour).
export function drawLogDensity(canvas, g, title, span = 10) {
  const f = new Frame(canvas, g.hi, true);
  f.clear();
  let top = -Infinity;
  for (const v of g.logP) top = Math.max(top, v);
  // Rows run up in y: flipped into image rows.
  heat(f.ctx, g.logP, g.m, g.m, { x: f.px(g.lo), y: f.py(g.hi), w: f.px(g.hi) - f.px(g.lo), h: f.py(g.lo) - f.py(g.hi) },
    'viridis', top - span, top, true);
  f.colourBar('viridis', top - span, top, 'ln p');
  f.axes();
  f.title(title);
  return { frame: f, top };
}
