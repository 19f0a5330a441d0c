// @ts-check
// The one heatmap of the page: values on a grid through a colour map, and a
// colour bar that says what the colours mean. Sequential data use viridis,
// signed data a blue–white–red diverging map (ColorBrewer RdBu); both stay
// readable under the common colour blindnesses and in greyscale.
import { niceTicks, tickLabel } from './chart.js';

const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
const RDBU = [[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199], [239, 138, 98], [178, 24, 43]];
const GREYS = [[255, 255, 255], [0, 0, 0]];

const lerp = (stops) => (t) => {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  return stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
};
/** Colour maps t ∈ [0, 1] → [r, g, b]. */
export const MAPS = { viridis: lerp(VIRIDIS), diverging: lerp(RDBU), grey: lerp(GREYS) };

/**
 * rows × cols values (row 0 on top unless flipY) into the rectangle (x, y, w, h), coloured over [lo, hi].
 * @param {CanvasRenderingContext2D} ctx
 */
export function heat(ctx, values, rows, cols, { x, y, w, h }, map = 'viridis', lo = 0, hi = 1, flipY = false) {
  const f = MAPS[map];
  const img = new ImageData(cols, rows);
  for (let r = 0; r < rows; ++r)
    for (let c = 0; c < cols; ++c) {
      const rgb = f((values[r * cols + c] - lo) / (hi - lo || 1));
      img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * ((flipY ? rows - 1 - r : r) * cols + c));
    }
  const off = new OffscreenCanvas(cols, rows);
  /** @type {OffscreenCanvasRenderingContext2D} */ (off.getContext('2d')).putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x, y, w, h);
  ctx.restore();
}

/**
 * A vertical colour bar at (x, y), w × h, for [lo, hi], with ≤ 5 ticks and a label.
 * ticks: optional [[value, text]] instead of nice ones.
 * @param {CanvasRenderingContext2D} ctx
 */
export function colourBar(ctx, { x, y, w, h }, map, lo, hi, label = '', ticks = null) {
  const f = MAPS[map];
  for (let k = 0; k < h; ++k) {
    const rgb = f(1 - k / Math.max(1, h - 1));
    ctx.fillStyle = `rgb(${rgb.join(',')})`;
    ctx.fillRect(x, y + k, w, 1);
  }
  ctx.save();
  ctx.strokeStyle = '#888';
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.fillStyle = '#444';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'left';
  const nt = niceTicks(lo, hi, 5);
  const marks = ticks || nt.ticks.map((v) => [v, tickLabel(v, nt.step)]);
  for (const [v, text] of marks) {
    const ty = y + (hi - v) / (hi - lo || 1) * h;
    ctx.fillRect(x + w, ty, 3, 1);
    ctx.fillText(text, x + w + 5, ty + 3);
  }
  if (label) {
    ctx.translate(x - 4, y + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(label, 0, 0);
  }
  ctx.restore();
}
