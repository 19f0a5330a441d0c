// @ts-check
// The one line chart of the page: at most six ticks with nice numbers (whole
// decades on log axes), axis titles, margins measured from the labels so
// nothing is clipped, and the legend below the plot, outside the data.
// Series colours are Okabe–Ito (distinguishable under the common colour
// blindnesses).

/** Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
export const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
const FONT = '11px system-ui, sans-serif';
const MAX_TICKS = 6;

/** Nice tick step (1, 2 or 5 × 10^k) giving at most `max` ticks over [lo, hi]. */
function niceStep(lo, hi, max) {
  const raw = (hi - lo) / Math.max(1, max - 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const step = m * p;
    if (Math.floor(hi / step) - Math.ceil(lo / step) + 1 <= max) return step;
  }
  return 10 * p;
}

/**
 * Ticks k·step inside [lo, hi], at most `max` of them.
 * @returns {{ticks: number[], step: number}}
 */
export function niceTicks(lo, hi, max = MAX_TICKS) {
  if (!(hi > lo)) return { ticks: [lo], step: 1 };
  const step = niceStep(lo, hi, max);
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; ++k) ticks.push(k * step);
  return { ticks, step };
}

/** [lo, hi] widened to whole steps of its nice ticks (a non-negative range stays non-negative). */
export function niceDomain(lo, hi, max = MAX_TICKS) {
  if (!(hi > lo)) { const d = Math.abs(lo) * 0.1 || 0.5; return [lo >= 0 && lo - d < 0 ? 0 : lo - d, hi + d]; }
  const step = niceStep(lo, hi, max - 1);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/** Ticks of a log axis over [lo, hi] (values > 0): whole decades (every k-th one when there are many), else 1-2-5. */
export function logTicks(lo, hi, max = MAX_TICKS) {
  const e0 = Math.ceil(Math.log10(lo) - 1e-9), e1 = Math.floor(Math.log10(hi) + 1e-9);
  if (e1 - e0 + 1 >= 2) {
    const every = Math.ceil((e1 - e0 + 1) / max);
    const out = [];
    for (let e = e1; e >= e0; e -= every) out.unshift(Number(`1e${e}`));
    return out;
  }
  const out = [];
  for (let e = e0 - 1; e <= e1; ++e) for (const m of [1, 2, 5]) { const v = Number(`${m}e${e}`); if (v >= lo && v <= hi) out.push(v); }
  return out.length >= 2 && out.length <= max ? out : niceTicks(lo, hi, Math.min(4, max)).ticks.filter((v) => v > 0);
}

/** A tick label: no more digits than the tick step needs; 10ⁿ style for far decades. */
export function tickLabel(v, step = 0) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a) + 1e-9), m = v / 10 ** e;
    const sup = String(e).replace(/-/g, '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[+d]);
    return Math.abs(Math.abs(m) - 1) < 1e-9 ? `${m < 0 ? '−' : ''}10${sup}` : `${+m.toPrecision(2)}·10${sup}`;
  }
  if (!(step > 0)) return String(+v.toPrecision(3)).replace('-', '−');
  return v.toFixed(Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))).replace('-', '−');
}

/**
 * Line/dot chart. series: [{x, y, name?, colour?, dots?, dash?}]; hlines: [{y, name, colour?}].
 * opts: {title, xlabel, ylabel, logY, xrange, yrange, band?: {x, lo, hi, colour}}.
 * @param {HTMLCanvasElement} canvas
 */
export function lineChart(canvas, series, opts = {}) {
  const { title = '', xlabel = '', ylabel = '', hlines = [], logY = false, band = null } = opts;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const W = canvas.width, H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = FONT;
  const coloured = series.map((s, i) => ({ ...s, colour: s.colour || COLOURS[i % COLOURS.length] }));
  const ok = (v) => v !== null && v !== undefined && Number.isFinite(v) && (!logY || v > 0);
  const xs = [], ys = [];
  for (const s of coloured) for (let i = 0; i < s.x.length; ++i) if (ok(s.y[i]) && Number.isFinite(s.x[i])) { xs.push(s.x[i]); ys.push(s.y[i]); }
  for (const h of hlines) if (ok(h.y)) ys.push(h.y);
  if (band) for (let i = 0; i < band.lo.length; ++i) { if (ok(band.lo[i])) ys.push(band.lo[i]); if (ok(band.hi[i])) ys.push(band.hi[i]); }
  const minmax = (a) => a.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
  let [x0, x1] = opts.xrange || (xs.length ? minmax(xs) : [0, 1]);
  if (!(x1 > x0)) x1 = x0 + 1;
  let y0, y1, yt, ystep = 0;
  const [dlo, dhi] = opts.yrange || (ys.length ? minmax(ys) : logY ? [0.1, 1] : [0, 1]);
  if (logY) {
    y0 = Math.log10(dlo); y1 = Math.log10(dhi);
    if (!(y1 > y0)) { y0 -= 0.5; y1 += 0.5; }
    const pad = 0.04 * (y1 - y0);
    y0 -= pad; y1 += pad;
    yt = logTicks(10 ** y0, 10 ** y1);
  } else {
    [y0, y1] = opts.yrange ? [dlo, dhi] : niceDomain(dlo, dhi);
    if (!(y1 > y0)) { y0 -= 0.5; y1 += 0.5; }
    ({ ticks: yt, step: ystep } = niceTicks(y0, y1));
  }
  const { ticks: xt, step: xstep } = niceTicks(x0, x1);
  const ylabels = yt.map((v) => tickLabel(v, logY ? 0 : ystep));
  // Margins from what has to fit: y tick labels and title on the left, the legend rows below.
  const L = 8 + (ylabel ? 16 : 0) + Math.max(...ylabels.map((s) => ctx.measureText(s).width), 10) + 6;
  const lastX = tickLabel(xt[xt.length - 1], xstep);
  const R = Math.max(10, ctx.measureText(lastX).width / 2 + 4);
  const named = [...coloured.filter((s) => s.name), ...hlines.filter((h) => h.name).map((h) => ({ ...h, colour: h.colour || '#555', dash: [4, 3] }))];
  ctx.font = '12px system-ui, sans-serif';
  const legendRows = [];
  let rowW = 0;
  for (const s of named) {
    const w = 26 + ctx.measureText(s.name).width;
    if (!legendRows.length || rowW + w > W - 12) { legendRows.push([]); rowW = 0; }
    legendRows[legendRows.length - 1].push({ s, x: 6 + rowW });
    rowW += w;
  }
  const T = title ? 24 : 8, B = 20 + (xlabel ? 16 : 0) + 16 * legendRows.length + 4;
  const PW = W - L - R, PH = H - T - B;
  const px = (x) => L + (x - x0) / (x1 - x0) * PW;
  const py = (v) => T + (y1 - (logY ? Math.log10(v) : v)) / (y1 - y0) * PH;
  // Grid, ticks.
  ctx.font = FONT;
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#444';
  ctx.textAlign = 'right';
  yt.forEach((v, i) => {
    const y = Math.round(py(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(L + PW, y); ctx.stroke();
    ctx.fillText(ylabels[i], L - 5, y + 4);
  });
  ctx.textAlign = 'center';
  for (const v of xt) {
    const x = Math.round(px(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, T + PH); ctx.stroke();
    ctx.fillText(tickLabel(v, xstep), x, T + PH + 14);
  }
  ctx.strokeStyle = '#888';
  ctx.strokeRect(L + 0.5, T + 0.5, PW, PH);
  // Data, clipped to the plot.
  ctx.save();
  ctx.beginPath(); ctx.rect(L, T, PW, PH); ctx.clip();
  if (band) {
    ctx.fillStyle = band.colour || 'rgba(0, 114, 178, 0.22)';
    for (let i = 0; i < band.x.length; ++i) {
      if (!ok(band.lo[i]) || !ok(band.hi[i])) continue;
      const top = py(band.hi[i]);
      ctx.fillRect(px(band.x[i]), top, Math.max(1, band.w || 1), Math.max(1, py(band.lo[i]) - top));
    }
  }
  for (const h of hlines) {
    if (!ok(h.y)) continue;
    ctx.strokeStyle = h.colour || '#555';
    ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(L, py(h.y)); ctx.lineTo(L + PW, py(h.y)); ctx.stroke();
  }
  for (const s of coloured) {
    ctx.strokeStyle = ctx.fillStyle = s.colour;
    ctx.lineWidth = s.width || 1.6;
    ctx.setLineDash(s.dash || []);
    if (s.dots) {
      for (let i = 0; i < s.x.length; ++i) {
        if (!ok(s.y[i])) continue;
        ctx.beginPath(); ctx.arc(px(s.x[i]), py(s.y[i]), 2.5, 0, 2 * Math.PI); ctx.fill();
      }
      continue;
    }
    ctx.beginPath();
    let on = false;
    for (let i = 0; i < s.x.length; ++i) {
      if (!ok(s.y[i])) { on = false; continue; }
      if (on) ctx.lineTo(px(s.x[i]), py(s.y[i])); else ctx.moveTo(px(s.x[i]), py(s.y[i]));
      on = true;
    }
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
  // Axis titles, title, legend.
  ctx.fillStyle = '#333';
  ctx.textAlign = 'center';
  if (xlabel) ctx.fillText(xlabel, L + PW / 2, T + PH + 29);
  if (ylabel) {
    ctx.save();
    ctx.translate(12, T + PH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(ylabel, 0, 0, PH);
    ctx.restore();
  }
  ctx.textAlign = 'left';
  ctx.font = '13px system-ui, sans-serif';
  if (title) ctx.fillText(title, 6, 16, W - 12);
  ctx.font = '12px system-ui, sans-serif';
  const ly = T + PH + 22 + (xlabel ? 16 : 0);
  legendRows.forEach((row, r) => {
    for (const { s, x } of row) {
      const y = ly + 16 * r + 8;
      ctx.strokeStyle = ctx.fillStyle = s.colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dash || []);
      if (s.dots) { ctx.beginPath(); ctx.arc(x + 9, y - 4, 3, 0, 2 * Math.PI); ctx.fill(); }
      else { ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x + 18, y - 4); ctx.stroke(); }
      ctx.setLineDash([]);
      ctx.fillStyle = '#333';
      ctx.fillText(s.name, x + 22, y);
    }
  });
  return { px, py, plot: { L, T, PW, PH }, xticks: xt, yticks: yt };
}

/**
 * Median of each of `cols` consecutive slices of `v` (at least `minWidth` values wide):
 * a smoothing that steps down right after a spike instead of decaying from it.
 */
export function columnStats(v, cols, minWidth = 9) {
  const n = v.length, x = [], lo = [], hi = [], med = [];
  const per = Math.max(1, n / cols);
  for (let c = 0; c < Math.min(cols, n); ++c) {
    const a = Math.floor(c * per), b = Math.max(a + 1, Math.floor((c + 1) * per));
    let mn = Infinity, mx = -Infinity;
    for (let i = a; i < b; ++i) { mn = Math.min(mn, v[i]); mx = Math.max(mx, v[i]); }
    const h = Math.max(0, Math.ceil((minWidth - (b - a)) / 2));
    const win = Array.prototype.slice.call(v, Math.max(0, a - h), Math.min(n, b + h)).sort((p, q) => p - q);
    x.push((a + b - 1) / 2 + 1); lo.push(mn); hi.push(mx); med.push(win[win.length >> 1]);
  }
  return { x, lo, hi, med };
}

// Live training loss: every loss kept, drawn on a log axis as a min–max band
// per pixel column and a running median.
export class LossChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas, ylabel = 'loss') {
    this.canvas = canvas;
    this.ylabel = ylabel;
    /** @type {number[]} */
    this.losses = [];
    /** Fixed axes (two runs drawn side by side share them); null: fitted to this run. */
    this.xrange = null;
    this.yrange = null;
  }
  reset() { this.losses = []; this.draw(); }
  push(values) { for (const v of values) this.losses.push(v); }
  draw() {
    const { canvas, losses } = this;
    const n = losses.length;
    const s = columnStats(losses, Math.max(50, canvas.width - 80));
    const last = n ? losses[n - 1] : null;
    const colW = (canvas.width - 80) / Math.max(1, Math.min(n, canvas.width - 80));
    // A log axis unless a loss is ≤ 0 (a negative log-likelihood can be).
    const logY = !s.lo.some((v) => v <= 0);
    lineChart(canvas, n ? [{ x: s.x, y: s.med, name: 'running median', colour: COLOURS[0] }] : [], {
      title: n ? `loss ${last.toPrecision(4)} at step ${n}` : 'no training steps yet',
      xlabel: 'training step', ylabel: logY ? `${this.ylabel}, log scale` : this.ylabel, logY, xrange: this.xrange || [0, Math.max(1, n)],
      yrange: this.yrange && (!logY || this.yrange[0] > 0) ? this.yrange : undefined,
      band: n ? { x: s.x, lo: s.lo, hi: s.hi, w: colW, colour: 'rgba(0, 114, 178, 0.22)' } : null,
    });
  }
}
