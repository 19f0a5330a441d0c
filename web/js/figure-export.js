// @ts-check
// Figures as descriptions, rendered to SVG (vector: the report, print, the
// SVG download) and from that SVG to PNG at print resolution. A figure is
//   { id, title, caption, cols, panels: [panel], footer: { ex, link, seed, step } }
// a panel
//   { title, w, h, x: {label, lo, hi, log}, y: {…}, layers: [layer], legend: [{name, colour}] }
// and a layer one of
//   {kind:'points', pts, colour | colourOf(i), r}     pts flat [x, y, x, y, …]
//   {kind:'density', pts, bins}                      2D histogram of many points
//   {kind:'heat', m, lo, hi, values, vmin, vmax, label, grey}   m × m cell centres over [lo, hi]², rows = y ascending
//   {kind:'line', x, y, colour, name, width, dash}
//   {kind:'paths', traj, n, colourOf(t, i), width}    (steps + 1) × n × 2, t = 0 first
//   {kind:'arrows', pts, vec, colour, scale}
//   {kind:'markers', pts, colour, shape: 'circle' | 'cross', r}
//   {kind:'rects', rects: [[x0, y0, x1, y1]], colour}
//   {kind:'image', rows, cols, values, grid: [gr, gc], vmin, vmax, grey}  tiles of a matrix (RBM filters)
// A heat layer gets a colour bar, named lines a legend.
import { colour as magma } from './plot.js';

const FONT = 'DejaVu Sans, system-ui, sans-serif';
const M = { l: 52, r: 12, t: 22, b: 40 };  // panel margins (axis labels, title)
const MC = { l: 46, r: 6, t: 18, b: 34 };   // small multiples (panel.compact)
const CBAR = 58;                             // room for a colour bar

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f3 = (v) => (Math.round(v * 100) / 100).toString();
const rgb = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;

export function fileName(fig, ext) {
  const { ex, seed, step } = fig.footer || {};
  return `${ex || 'flowlab'}-${fig.id}-seed${seed ?? 0}-step${step ?? 0}.${ext}`;
}

// Ticks: about five "nice" values over [lo, hi].
function ticks(lo, hi, log) {
  if (log) {
    const out = [];
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); ++e) out.push(10 ** e);
    return out;
  }
  const span = hi - lo || 1, raw = span / 5, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => span / s <= 6);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.abs(v) < 1e-12 * span ? 0 : v);
  return out;
}
const tickText = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(0) : String(+v.toPrecision(4)));

// Word wrap for SVG text (no layout engine): ≤ 0.68 em per character (DejaVu Sans on links).
function wrap(text, width, size) {
  const per = Math.max(10, Math.floor(width / (0.68 * size)));
  const lines = [];
  for (const para of String(text).split('\n')) {
    let line = '';
    // Words longer than a line (links) break anywhere.
    const words = para.split(' ').flatMap((w) => (w.length > per ? w.match(new RegExp(`.{1,${per}}`, 'g')) : [w]));
    for (const w of words) {
      if (line && (line + ' ' + w).length > per) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
    }
    lines.push(line);
  }
  return lines;
}

// A heat map or histogram as a PNG data URL (the only raster inside the SVG).
function rasterUrl(w, h, rgbaAt) {
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let r = 0; r < h; ++r) for (let k = 0; k < w; ++k) img.data.set(rgbaAt(r, k), 4 * (r * w + k));
  ctx.putImageData(img, 0, 0);
  return c.toDataURL('image/png');
}
const shade = (v, grey) => (grey ? [255 * (1 - v), 255 * (1 - v), 255 * (1 - v)].map(Math.round) : magma(v));

let clipId = 0;  // ids are global in a page holding many SVGs
function panelSvg(p, ox, oy) {
  const clip = `fc${++clipId}`;
  const hasBar = p.layers.some((l) => l.kind === 'heat' || (l.kind === 'image' && l.bar));
  const m = p.compact ? MC : M;
  const W = p.w, H = p.h, pw = W - m.l - m.r - (hasBar ? CBAR : 0), ph = H - m.t - m.b;
  const x = p.x, y = p.y;
  const sx = (v) => (x.log ? (Math.log(v) - Math.log(x.lo)) / (Math.log(x.hi) - Math.log(x.lo)) : (v - x.lo) / (x.hi - x.lo)) * pw;
  const sy = (v) => ph - (y.log ? (Math.log(v) - Math.log(y.lo)) / (Math.log(y.hi) - Math.log(y.lo)) : (v - y.lo) / (y.hi - y.lo)) * ph;
  const out = [`<g transform="translate(${ox + m.l},${oy + m.t})">`];
  out.push(`<text x="0" y="-6" font-size="${p.compact ? 11 : 12}" font-weight="600">${esc(p.title || '')}</text>`);
  out.push(`<clipPath id="${clip}"><rect width="${pw}" height="${ph}"/></clipPath><g clip-path="url(#${clip})">`);
  const legend = [...(p.legend || [])];
  let bar = null;
  for (const l of p.layers) {
    if (l.kind === 'heat') {
      const vmin = l.vmin ?? Math.min(...l.values), vmax = l.vmax ?? Math.max(...l.values);
      const url = rasterUrl(l.m, l.m, (r, k) => [...shade((l.values[(l.m - 1 - r) * l.m + k] - vmin) / (vmax - vmin || 1), l.grey), 255]);
      out.push(`<image href="${url}" x="${f3(sx(l.lo))}" y="${f3(sy(l.hi))}" width="${f3(sx(l.hi) - sx(l.lo))}" height="${f3(sy(l.lo) - sy(l.hi))}" preserveAspectRatio="none" image-rendering="pixelated"/>`);
      bar = { vmin, vmax, label: l.label || '', grey: l.grey };
    } else if (l.kind === 'image') {
      // Tiles of rows × cols values in a grid of gr × gc tiles over the whole panel.
      const [gr, gc] = l.grid, pad = 1, tw = l.cols + pad, th = l.rows + pad;
      const vmin = l.vmin ?? Math.min(...l.values), vmax = l.vmax ?? Math.max(...l.values);
      const url = rasterUrl(gc * tw, gr * th, (r, k) => {
        const ti = Math.floor(r / th), tj = Math.floor(k / tw), rr = r % th, kk = k % tw, tile = ti * gc + tj;
        if (rr >= l.rows || kk >= l.cols || tile * l.rows * l.cols >= l.values.length) return [255, 255, 255, 255];
        const v = l.values[tile * l.rows * l.cols + rr * l.cols + kk];
        return [...shade((v - vmin) / (vmax - vmin || 1), l.grey), 255];
      });
      out.push(`<image href="${url}" x="0" y="0" width="${pw}" height="${ph}" preserveAspectRatio="xMidYMid meet" image-rendering="pixelated"/>`);
      if (l.bar) bar = { vmin, vmax, label: l.label || '', grey: l.grey };
    } else if (l.kind === 'density') {
      const bins = l.bins || 120, counts = new Float32Array(bins * bins);
      for (let i = 0; i < l.pts.length / 2; ++i) {
        const bx = Math.floor(((l.pts[2 * i] - x.lo) / (x.hi - x.lo)) * bins), by = Math.floor(((y.hi - l.pts[2 * i + 1]) / (y.hi - y.lo)) * bins);
        if (bx >= 0 && bx < bins && by >= 0 && by < bins) counts[by * bins + bx] += 1;
      }
      const sorted = Array.from(counts).filter((c) => c > 0).sort((a, b) => a - b);
      const top = sorted.length ? sorted[Math.floor(0.995 * (sorted.length - 1))] : 1;
      const url = rasterUrl(bins, bins, (r, k) => { const c = counts[r * bins + k]; return c ? [...magma(Math.sqrt(c / top)), 255] : [255, 255, 255, 255]; });
      out.push(`<image href="${url}" x="0" y="0" width="${pw}" height="${ph}" preserveAspectRatio="none" image-rendering="pixelated"/>`);
    } else if (l.kind === 'points') {
      const r = l.r || 1.3, fixed = l.colour || '#1f3c88';
      const parts = [];
      for (let i = 0; i < l.pts.length / 2; ++i) {
        const fill = l.colourOf ? l.colourOf(i) : fixed;
        parts.push(`<circle cx="${f3(sx(l.pts[2 * i]))}" cy="${f3(sy(l.pts[2 * i + 1]))}" r="${r}"${l.colourOf ? ` fill="${fill}"` : ''}/>`);
      }
      out.push(`<g fill="${fixed}" fill-opacity="${l.opacity ?? 0.6}">${parts.join('')}</g>`);
    } else if (l.kind === 'line') {
      const d = [];
      for (let i = 0; i < l.x.length; ++i) {
        if (!Number.isFinite(l.y[i]) || (y.log && l.y[i] <= 0)) continue;
        d.push(`${d.length ? 'L' : 'M'}${f3(sx(l.x[i]))},${f3(sy(l.y[i]))}`);
      }
      out.push(`<path d="${d.join('')}" fill="none" stroke="${l.colour || '#1f3c88'}" stroke-width="${l.width || 1.5}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
      if (l.dots) for (let i = 0; i < l.x.length; ++i) if (Number.isFinite(l.y[i])) out.push(`<circle cx="${f3(sx(l.x[i]))}" cy="${f3(sy(l.y[i]))}" r="2.5" fill="${l.colour}"/>`);
      if (l.name) legend.push({ name: l.name, colour: l.colour, dash: l.dash });
    } else if (l.kind === 'paths') {
      const steps = l.traj.length / (2 * l.n) - 1;
      const every = Math.max(1, Math.ceil(steps / 60));  // ≤ 60 segments a path keeps the colour ramp smooth
      for (let i = 0; i < l.n; ++i)
        for (let k = 0; k < steps; k += every) {
          const k2 = Math.min(steps, k + every), a = 2 * (k * l.n + i), b = 2 * (k2 * l.n + i);
          out.push(`<line x1="${f3(sx(l.traj[a]))}" y1="${f3(sy(l.traj[a + 1]))}" x2="${f3(sx(l.traj[b]))}" y2="${f3(sy(l.traj[b + 1]))}" stroke="${l.colourOf(k / steps, i)}" stroke-width="${l.width || 1}" stroke-linecap="round" stroke-opacity="${l.opacity ?? 1}"/>`);
        }
    } else if (l.kind === 'arrows') {
      const s = l.scale || 1;
      for (let i = 0; i < l.pts.length / 2; ++i) {
        const x0 = sx(l.pts[2 * i]), y0 = sy(l.pts[2 * i + 1]);
        const x1 = sx(l.pts[2 * i] + s * l.vec[2 * i]), y1 = sy(l.pts[2 * i + 1] + s * l.vec[2 * i + 1]);
        const a = Math.atan2(y1 - y0, x1 - x0), h = Math.min(5, 0.4 * Math.hypot(x1 - x0, y1 - y0));
        out.push(`<path d="M${f3(x0)},${f3(y0)}L${f3(x1)},${f3(y1)}M${f3(x1 - h * Math.cos(a - 0.45))},${f3(y1 - h * Math.sin(a - 0.45))}L${f3(x1)},${f3(y1)}L${f3(x1 - h * Math.cos(a + 0.45))},${f3(y1 - h * Math.sin(a + 0.45))}" stroke="${l.colour}" stroke-width="1.1" fill="none"/>`);
      }
      if (l.name) legend.push({ name: l.name, colour: l.colour });
    } else if (l.kind === 'markers') {
      const r = l.r || 4;
      for (let i = 0; i < l.pts.length / 2; ++i) {
        const cx = sx(l.pts[2 * i]), cy = sy(l.pts[2 * i + 1]);
        const c = l.colourOf ? l.colourOf(i) : l.colour || '#000';
        out.push(l.shape === 'cross'
          ? `<path d="M${f3(cx - r)},${f3(cy - r)}L${f3(cx + r)},${f3(cy + r)}M${f3(cx - r)},${f3(cy + r)}L${f3(cx + r)},${f3(cy - r)}" stroke="${c}" stroke-width="2"/>`
          : `<circle cx="${f3(cx)}" cy="${f3(cy)}" r="${r}" fill="${l.fill || 'none'}" stroke="${c}" stroke-width="1.6"/>`);
        if (l.labels) out.push(`<text x="${f3(cx + r + 2)}" y="${f3(cy - r)}" font-size="10" fill="${c}">${esc(l.labels[i])}</text>`);
      }
      if (l.name) legend.push({ name: l.name, colour: l.colourOf ? '#000' : l.colour || '#000' });
    } else if (l.kind === 'rects') {
      for (const [a, b, c, d] of l.rects)
        out.push(`<rect x="${f3(sx(a))}" y="${f3(sy(d))}" width="${f3(sx(c) - sx(a))}" height="${f3(sy(b) - sy(d))}" fill="none" stroke="${l.colour || 'rgba(40,150,220,0.8)'}" stroke-width="0.8"/>`);
    }
  }
  out.push('</g>');
  // Axes: frame, ticks, labels with units.
  out.push(`<rect width="${pw}" height="${ph}" fill="none" stroke="#555" stroke-width="0.8"/>`);
  if (!p.noAxes) {
    for (const v of ticks(x.lo, x.hi, x.log)) out.push(`<line x1="${f3(sx(v))}" x2="${f3(sx(v))}" y1="${ph}" y2="${ph + 4}" stroke="#555"/><text x="${f3(sx(v))}" y="${ph + 15}" font-size="10" text-anchor="middle">${tickText(v)}</text>`);
    for (const v of ticks(y.lo, y.hi, y.log)) out.push(`<line x1="-4" x2="0" y1="${f3(sy(v))}" y2="${f3(sy(v))}" stroke="#555"/><text x="-6" y="${f3(sy(v) + 3.5)}" font-size="10" text-anchor="end">${tickText(v)}</text>`);
    out.push(`<text x="${pw / 2}" y="${ph + m.b - 8}" font-size="${p.compact ? 10 : 11}" text-anchor="middle">${esc(x.label || '')}</text>`);
    out.push(`<text transform="translate(${10 - m.l},${ph / 2}) rotate(-90)" font-size="${p.compact ? 10 : 11}" text-anchor="middle">${esc(y.label || '')}</text>`);
  }
  if (legend.length) {
    const lw = Math.min(pw - 8, 8 + 6.2 * Math.max(...legend.map((l) => l.name.length)) + 22);
    const lx = p.legendLeft ? 6 : pw - lw - 4;
    out.push(`<g transform="translate(${lx},6)"><rect width="${lw}" height="${legend.length * 14 + 6}" fill="#fff" fill-opacity="0.85" stroke="#bbb" stroke-width="0.6"/>`);
    legend.forEach((l, i) => out.push(`<line x1="5" x2="20" y1="${11 + 14 * i}" y2="${11 + 14 * i}" stroke="${l.colour}" stroke-width="2.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/><text x="25" y="${15 + 14 * i}" font-size="10">${esc(l.name)}</text>`));
    out.push('</g>');
  }
  if (bar) {
    const bx = pw + 12, steps = 64;
    const url = rasterUrl(1, steps, (r) => [...shade(1 - r / (steps - 1), bar.grey), 255]);
    out.push(`<image href="${url}" x="${bx}" y="0" width="12" height="${ph}" preserveAspectRatio="none"/><rect x="${bx}" width="12" height="${ph}" fill="none" stroke="#555" stroke-width="0.6"/>`);
    const sb = (v) => ph - ((v - bar.vmin) / (bar.vmax - bar.vmin || 1)) * ph;
    for (const v of ticks(bar.vmin, bar.vmax)) out.push(`<line x1="${bx + 12}" x2="${bx + 15}" y1="${f3(sb(v))}" y2="${f3(sb(v))}" stroke="#555"/><text x="${bx + 17}" y="${f3(sb(v) + 3.5)}" font-size="9">${tickText(v)}</text>`);
    out.push(`<text transform="translate(${bx + 52},${ph / 2}) rotate(-90)" font-size="10" text-anchor="middle">${esc(bar.label)}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

// The whole figure: title, panels in a grid, caption, footer (link, seed, step).
export function toSvg(fig) {
  const cols = fig.cols || fig.panels.length;
  const rows = [];
  for (let i = 0; i < fig.panels.length; i += cols) rows.push(fig.panels.slice(i, i + cols));
  const width = Math.max(...rows.map((r) => r.reduce((s, p) => s + p.w, 0)));
  const titleLines = wrap(fig.title || '', width - 16, 14 * 1.1);
  const top = 10 + 18 * titleLines.length;
  const body = [];
  let y = top;
  for (const r of rows) {
    let x = 0;
    for (const p of r) { body.push(panelSvg(p, x, y)); x += p.w; }
    y += Math.max(...r.map((p) => p.h));
  }
  const capLines = wrap(fig.caption || '', width - 16, 11);
  const ft = fig.footer || {};
  const footLines = wrap(`flowlab · ${ft.ex || ''} · seed ${ft.seed ?? '–'} · step ${ft.step ?? '–'} · link: #${ft.link || ''}`, width - 16, 9);
  const height = y + 8 + 14 * capLines.length + 6 + 11 * footLines.length + 6;
  const text = (lines, y0, size, dy, fill) => lines.map((l, i) => `<text x="8" y="${y0 + i * dy}" font-size="${size}" fill="${fill}">${esc(l)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    titleLines.map((l, i) => `<text x="8" y="${17 + 18 * i}" font-size="14" font-weight="700">${esc(l)}</text>`).join('') +
    body.join('') +
    text(capLines, y + 18, 11, 14, '#222') +
    text(footLines, y + 18 + 14 * capLines.length + 6, 9, 11, '#666') +
    '</svg>';
}

// PNG at `scale` × the SVG's CSS pixels (3 × ≈ 300 dpi at the printed size).
export async function toPng(svg, scale = 3) {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = Math.round(img.width * scale);
    c.height = Math.round(img.height * scale);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0, c.width, c.height);
    return await new Promise((resolve) => c.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(name, blob) {
  const a = document.createElement('a');
  a.download = name;
  a.href = URL.createObjectURL(blob);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
