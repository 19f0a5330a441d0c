// Canvas helpers of the RBM view: pixel images (patterns, filters, heat maps)
// and a small line/scatter chart with axes.
const BLUE = [33, 102, 172], RED = [178, 24, 43], WHITE = [247, 247, 247];

// Diverging colour for v in [−1, 1] (blue negative, red positive).
function diverging(v) {
  const t = Math.min(1, Math.abs(v));
  const c = v < 0 ? BLUE : RED;
  return WHITE.map((w, k) => Math.round(w + t * (c[k] - w)));
}

export function clear(canvas) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return ctx;
}

export function label(canvas, text, x = 6, y = 14) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(text, x, y);
}

// One rows×cols image at (x, y) with square cells of `cell` px. mode 'grey'
// (values in [0, 1], 1 = black) or 'div' (values / scale in [−1, 1]).
export function image(ctx, values, rows, cols, x, y, cell, mode = 'grey', scale = 1) {
  for (let r = 0; r < rows; ++r)
    for (let c = 0; c < cols; ++c) {
      const v = values[r * cols + c];
      const rgb = mode === 'grey' ? Array(3).fill(Math.round(255 * (1 - Math.min(1, Math.max(0, v))))) : diverging(v / scale);
      ctx.fillStyle = `rgb(${rgb.join(',')})`;
      ctx.fillRect(x + c * cell, y + r * cell, cell, cell);
    }
  ctx.strokeStyle = '#aaa';
  ctx.lineWidth = 1;
  ctx.strokeRect(x - 0.5, y - 0.5, cols * cell + 1, rows * cell + 1);
}

// A gallery of `count` images (each h × w, flat in `data`), laid out in a grid
// filling the canvas below a title line.
export function gallery(canvas, data, count, h, w, title, mode = 'grey', scale = 1) {
  const ctx = clear(canvas);
  label(canvas, title);
  if (!count) return;
  const top = 22, gap = 4, W = canvas.width - 8, H = canvas.height - top - 4;
  let best = { cell: 1, cols: count };
  for (let cols = 1; cols <= count; ++cols) {
    const rows = Math.ceil(count / cols);
    const cell = Math.floor(Math.min((W - gap * cols) / (cols * w), (H - gap * rows) / (rows * h)));
    if (cell > best.cell) best = { cell, cols };
  }
  const { cell, cols } = best;
  for (let k = 0; k < count; ++k) {
    const x = 4 + (k % cols) * (w * cell + gap), y = top + Math.floor(k / cols) * (h * cell + gap);
    image(ctx, data.subarray ? data.subarray(k * h * w, (k + 1) * h * w) : data.slice(k * h * w, (k + 1) * h * w), h, w, x, y, cell, mode, scale);
  }
}

// Line chart: series = [{x: [], y: [], colour, name, dots?}], hlines = [{y, colour, name}].
export function chart(canvas, series, { title = '', xlabel = '', ylabel = '', hlines = [], xrange, yrange } = {}) {
  const ctx = clear(canvas);
  const L = 52, R = 10, T = 22, B = 30, W = canvas.width - L - R, H = canvas.height - T - B;
  const xs = series.flatMap((s) => Array.from(s.x)), ys = series.flatMap((s) => Array.from(s.y)).concat(hlines.map((h) => h.y));
  const fin = (a) => a.filter((v) => v !== null && Number.isFinite(v));
  let [x0, x1] = xrange || [Math.min(...fin(xs)), Math.max(...fin(xs))];
  let [y0, y1] = yrange || [Math.min(...fin(ys)), Math.max(...fin(ys))];
  if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; }
  if (!Number.isFinite(y0)) { y0 = 0; y1 = 1; }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const pad = 0.04 * (y1 - y0);
  y0 -= pad; y1 += pad;
  const px = (x) => L + (x - x0) / (x1 - x0) * W, py = (y) => T + (y1 - y) / (y1 - y0) * H;
  ctx.strokeStyle = '#888';
  ctx.strokeRect(L, T, W, H);
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  for (let k = 0; k <= 4; ++k) {
    const yv = y0 + (k / 4) * (y1 - y0), xv = x0 + (k / 4) * (x1 - x0);
    ctx.textAlign = 'right';
    ctx.fillText(yv.toPrecision(3), L - 4, py(yv) + 4);
    ctx.textAlign = 'center';
    ctx.fillText(Math.abs(xv) >= 100 ? Math.round(xv).toString() : xv.toPrecision(2), px(xv), T + H + 14);
  }
  ctx.fillText(xlabel, L + W / 2, T + H + 27);
  ctx.save();
  ctx.translate(12, T + H / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(ylabel, 0, 0);
  ctx.restore();
  for (const h of hlines) {
    ctx.strokeStyle = h.colour;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(L, py(h.y));
    ctx.lineTo(L + W, py(h.y));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const s of series) {
    ctx.strokeStyle = ctx.fillStyle = s.colour;
    ctx.lineWidth = 1.5;
    if (s.dots) {
      for (let i = 0; i < s.x.length; ++i) {
        if (s.y[i] === null || !Number.isFinite(s.y[i])) continue;
        ctx.beginPath();
        ctx.arc(px(s.x[i]), py(s.y[i]), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    } else {
      ctx.beginPath();
      let on = false;
      for (let i = 0; i < s.x.length; ++i) {
        if (s.y[i] === null || !Number.isFinite(s.y[i])) { on = false; continue; }
        if (on) ctx.lineTo(px(s.x[i]), py(s.y[i])); else ctx.moveTo(px(s.x[i]), py(s.y[i]));
        on = true;
      }
      ctx.stroke();
    }
  }
  // Legend and title.
  ctx.textAlign = 'left';
  ctx.font = '12px system-ui, sans-serif';
  let lx = L + 6;
  for (const s of [...series, ...hlines].filter((s) => s.name)) {
    ctx.fillStyle = s.colour;
    ctx.fillRect(lx, T + 6, 10, 3);
    ctx.fillStyle = '#333';
    ctx.fillText(s.name, lx + 14, T + 11);
    lx += 24 + ctx.measureText(s.name).width;
  }
  ctx.fillStyle = '#333';
  ctx.fillText(title, L, 14);
}
