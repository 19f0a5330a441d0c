// @ts-check
// Canvas helpers of the RBM view: pixel images (patterns, filters, heat maps).
import { MAPS, colourBar } from './heatmap.js';

// Diverging colour for v in [−1, 1] (blue negative, red positive).
const diverging = (v) => MAPS.diverging((v + 1) / 2);

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
  const bar = mode === 'div' ? 58 : 0;  // signed values get a colour bar on the right
  const top = 22, gap = 4, W = canvas.width - 8 - bar, H = canvas.height - top - 4;
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
  if (bar) signedBar(ctx, canvas.width - bar + 16, top, Math.min(H, 200), scale);
}

// The colour bar of the diverging images, over [−scale, scale].
export function signedBar(ctx, x, y, h, scale, label = '') {
  colourBar(ctx, { x, y, w: 10, h }, 'diverging', -scale, scale, label);
}
