// 2D figures on a canvas: a density image for many points (a 2D histogram
// through a perceptual colour map), a point cloud for few.
const PALETTE = [  // magma-like stops, dark → bright
  [0, 0, 4], [28, 16, 68], [79, 18, 123], [129, 37, 129], [181, 54, 122],
  [229, 80, 100], [251, 135, 97], [254, 194, 135], [252, 253, 191]];

export function colour(v) {
  const x = Math.min(1, Math.max(0, v)) * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(x));
  const f = x - i;
  return PALETTE[i].map((c, k) => Math.round(c + f * (PALETTE[i + 1][k] - c)));
}

export class Frame {
  constructor(canvas, extent = 5) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.extent = extent;  // the view is [−extent, extent]²
    this.pad = 28;
  }
  get size() { return Math.min(this.canvas.width, this.canvas.height) - 2 * this.pad; }
  px(x) { return this.pad + (x + this.extent) / (2 * this.extent) * this.size; }
  py(y) { return this.pad + (this.extent - y) / (2 * this.extent) * this.size; }

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
    for (let v = -Math.floor(extent); v <= extent; v += 2) {
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
    const img = new ImageData(bins, bins);
    for (let k = 0; k < bins * bins; ++k) {
      const [r, g, b] = colour(Math.sqrt(counts[k] / top));
      img.data.set([r, g, b, 255], 4 * k);
    }
    const off = new OffscreenCanvas(bins, bins);
    off.getContext('2d').putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(off, this.px(-this.extent), this.py(this.extent), this.size, this.size);
  }

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
export function drawSamples(canvas, points, title) {
  const f = new Frame(canvas);
  f.clear();
  if (points.length / 2 >= 5000) {
    f.density(points);
  } else {
    f.points(points);
  }
  f.checkerboardOutline();
  f.axes();
  f.title(title);
}

// ln p on an m × m grid of cell centres over [lo, hi]² (rows = y ascending),
// coloured over [max − span, max] (lower values clip to the darkest colour).
export function drawLogDensity(canvas, g, title, span = 10) {
  const f = new Frame(canvas, g.hi);
  f.clear();
  let top = -Infinity;
  for (const v of g.logP) top = Math.max(top, v);
  const img = new ImageData(g.m, g.m);
  for (let i = 0; i < g.m; ++i)
    for (let j = 0; j < g.m; ++j) {
      const [r, gg, b] = colour((g.logP[i * g.m + j] - (top - span)) / span);
      img.data.set([r, gg, b, 255], 4 * ((g.m - 1 - i) * g.m + j));  // image rows run down, y up
    }
  const off = new OffscreenCanvas(g.m, g.m);
  off.getContext('2d').putImageData(img, 0, 0);
  f.ctx.imageSmoothingEnabled = false;
  f.ctx.drawImage(off, f.px(g.lo), f.py(g.hi), f.px(g.hi) - f.px(g.lo), f.py(g.lo) - f.py(g.hi));
  f.axes();
  f.title(title);
  return { frame: f, top };
}
