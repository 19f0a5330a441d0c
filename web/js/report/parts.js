// @ts-check
// Building blocks of the sheets' answers: MathML from a compact notation,
// figure panels of the common kinds, CSV tables.
import { timeColour, RING_COLOURS, RING_NAMES } from '../plot-rings.js';

export { timeColour, RING_COLOURS, RING_NAMES };

// Formulas from space-separated tokens: letters → <mi>, numbers → <mn>, the
// rest → <mo>; {…} groups nest; _ and ^ attach to the token before; frac(a|b);
// "words in quotes" are text (with their spaces).
// e.g. m('frac( d ln q | d t ) = − f′ ( z )') → { mathml, tex } (the page shows
// the MathML, the notebook gets the LaTeX).
const MATHML = {
  atom(t) {
    if (/^".*"$/.test(t)) return `<mtext>${t.slice(1, -1).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</mtext>`;
    if (/^[0-9.]+$/.test(t)) return `<mn>${t}</mn>`;
    if (/^[\p{L}\u{1D400}-\u{1D7FF}][\p{L}\p{M}′*]*$/u.test(t)) return `<mi>${t}</mi>`;
    return `<mo>${t.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</mo>`;
  },
  group: (a) => `<mrow>${a}</mrow>`,
  fnSpace: '<mspace width="0.1667em"></mspace>',
  frac: (a, b) => `<mfrac><mrow>${a}</mrow><mrow>${b}</mrow></mfrac>`,
  sqrt: (a) => `<msqrt>${a}</msqrt>`,
  big: (x) => /<mo>[∑∏∫]<\/mo>/.test(x),
  sub: (x, a, big) => (big ? `<munder>${x}${a}</munder>` : `<msub>${x}${a}</msub>`),
  sup: (x, a) => `<msup>${x}${a}</msup>`,
  subsup: (x, a, b, big) => (big ? `<munderover>${x}${a}${b}</munderover>` : `<msubsup>${x}${a}${b}</msubsup>`),
};
const TEX_OF = { '∑': '\\sum', '∏': '\\prod', '∫': '\\int', '∂': '\\partial', '⟨': '\\langle', '⟩': '\\rangle', '‖': '\\|', '−': '-', '∼': '\\sim',
  '⇒': '\\Rightarrow', '⊙': '\\odot', '∈': '\\in', '≈': '\\approx', σ: '\\sigma', θ: '\\theta', ψ: '\\psi', π: '\\pi', δ: '\\delta', Δ: '\\Delta',
  ℒ: '\\mathcal{L}', '𝔼': '\\mathbb{E}', '𝒩': '\\mathcal{N}', '𝐯': '\\mathbf{v}', '𝐡': '\\mathbf{h}', '𝐳': '\\mathbf{z}', '·': '\\cdot', '*': '^*',
  '{': '\\{', '}': '\\}', ln: '\\ln', exp: '\\exp', det: '\\det', Tr: '\\operatorname{Tr}', arg: '\\arg', min: '\\min', '(': '(', ')': ')' };
const TEX = {
  atom(t) {
    if (/^".*"$/.test(t)) return `\\text{${t.slice(1, -1)}} `;
    if (TEX_OF[t]) return `${TEX_OF[t]} `;
    const w = [...t].map((c) => (TEX_OF[c] ? `${TEX_OF[c]} ` : c === '′' ? "'" : c)).join('');
    return /^\p{L}{2,}$/u.test(t) ? `\\mathrm{${w}}` : w;
  },
  group: (a) => `{${a}}`,
  fnSpace: '',  // TeX spaces its operator names itself
  frac: (a, b) => `\\frac{${a}}{${b}}`,
  sqrt: (a) => `\\sqrt{${a}}`,
  big: (x) => /^\\(sum|prod|int) $/.test(x),
  sub: (x, a) => `${x}_{${a}}`,
  sup: (x, a) => `${x}^{${a}}`,
  subsup: (x, a, b) => `${x}_{${a}}^{${b}}`,
};

const FUNCTIONS = new Set(['ln', 'log', 'exp', 'det', 'Tr', 'arg', 'min', 'max']);
// Top-level tokens after which a long formula may break its line.
const BREAK_AFTER = new Set([',', '=', ':', '≈', '⇒', '≤', '≥']);

// The formula in B's markup: a string, or with split, its top level as
// pieces that break after each BREAK_AFTER token (side by side, the formula).
function parse(src, B, split = false) {
  const toks = src.match(/"[^"]*"|frac\(|sqrt\(|\{|\}|\||\)|[_^]|[^\s{}|_^)"]+/g) || [];
  let i = 0;
  const seq = (stop, breaks = null) => {
    const out = [];
    while (i < toks.length && !stop.includes(toks[i])) {
      const t = toks[i++];
      let node;
      if (t === '{') { node = B.group(seq(['}'])); i++; } else if (t === 'frac(') {
        const a = seq(['|']); i++; const b = seq([')']); i++;
        node = B.frac(a, b);
      } else if (t === 'sqrt(') { node = B.sqrt(seq([')'])); i++; } else if (t === '_' || t === '^') {
        const prev = out.pop() || B.group('');
        const a = group();
        if (t === '_' && toks[i] === '^') { i++; node = B.subsup(prev, a, group(), B.big(prev)); } else node = t === '_' ? B.sub(prev, a, B.big(prev)) : B.sup(prev, a);
      } else node = B.atom(t);
      out.push(node);
      // ln p, det J: a thin space after a function's name (not before its parenthesis or its limits).
      if (FUNCTIONS.has(t) && i < toks.length && !['(', '_', '^', '|', ')', '}'].includes(toks[i])) out.push(B.fnSpace);
      if (breaks && BREAK_AFTER.has(t)) breaks.push(out.length);
    }
    return breaks ? out : out.join('');
  };
  // The argument of _ or ^: a {group} or one token.
  const group = () => {
    if (toks[i] === '{') { i++; const g = seq(['}']); i++; return B.group(g); }
    return B.atom(toks[i++]);
  };
  if (!split) return seq([]);
  const breaks = [];
  const nodes = seq([], breaks);
  return [0, ...breaks, nodes.length].filter((k, j, a) => j === 0 || k > a[j - 1])
    .slice(1).map((k, j, ends) => nodes.slice(j ? ends[j - 1] : 0, k).join(''));
}
// mathml: one block formula; pieces: the same as inline formulas that may
// wrap between them (mathBlock); tex: for the notebook.
export const m = (src) => ({
  mathml: `<math display="block">${parse(src, MATHML)}</math>`,
  pieces: parse(src, MATHML, true).map((x) => `<math displaystyle="true">${x}</math>`),
  tex: parse(src, TEX),
});

// A formula as the page and the report show it: its pieces side by side,
// wrapping after a relation or a comma when the line is too narrow.
export function mathBlock(f) {
  const d = document.createElement('div');
  d.className = 'math';
  d.innerHTML = (f.pieces || [f.mathml]).join('\u200b');  // a break opportunity, no space of its own
  return d;
}

// Numbers for text: 4 significant digits, exponent when tiny.
export const num = (v, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : (+v.toPrecision(d)).toString());

export const xyRows = (pts) => Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]);
// Values on an m × m grid of cell centres over [lo, hi]² (rows = y) → rows (x, y, value).
export const gridRows = (g, values) => Array.from(values, (v, k) => { const h = (g.hi - g.lo) / g.m; return [g.lo + ((k % g.m) + 0.5) * h, g.lo + (Math.floor(k / g.m) + 0.5) * h, v]; });
export const csv = (header, rows) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n');

// Every k-th loss (≤ max points), for drawing.
export function thin(values, max = 800) {
  const k = Math.max(1, Math.ceil(values.length / max));
  const x = [], y = [];
  for (let i = 0; i < values.length; i += k) { x.push(i + 1); y.push(values[i]); }
  return { x, y };
}
const range = (arrs, pad = 0.05) => {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrs) for (const v of a) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return [0, 1];
  const s = (hi - lo) || Math.abs(hi) || 1;
  return [lo - pad * s, hi + pad * s];
};
export { range };

// The checkerboard's 8 filled squares (outline).
export const SQUARES = [];
for (let u = -2; u < 2; ++u) for (let w = -2; w < 2; ++w) if ((u + w) % 2 === 0) SQUARES.push([2 * u, 2 * w, 2 * u + 2, 2 * w + 2]);

export function lossPanel(series, { title = 'training loss', ylabel = 'loss', w = 700, h = 260, log = false } = {}) {
  const lines = series.map((s) => ({ kind: 'line', ...thin(s.values), colour: s.colour || '#1f3c88', name: s.name, width: 1.2 }));
  const steps = Math.max(1, ...series.map((s) => s.values.length));
  const [lo, hi] = range(lines.map((l) => l.y));
  return { title, w, h, x: { label: 'training step', lo: 0, hi: steps }, y: { label: ylabel, lo: log ? Math.max(1e-6, lo) : lo, hi, log }, layers: lines };
}

// A point cloud in [−e, e]²: dots, or a 2D histogram when there are many.
/**
 * @param {ArrayLike<number>} pts
 * @param {{title?: string, extent?: number, w?: number, h?: number, colourOf?: ((i: number) => string) | null,
 *   squares?: boolean, compact?: boolean, r?: number, label?: string, layers?: object[]}} [opts]
 */
export function cloud(pts, { title = '', extent = 3, w = 175, h = 175, colourOf = null, squares = false, compact = true, r, label = 'x', layers = [] } = {}) {
  const base = pts.length / 2 > 4000 && !colourOf ? { kind: 'density', pts, bins: 100 } : { kind: 'points', pts, colourOf, r: r || (pts.length / 2 > 1500 ? 0.9 : 1.3) };
  return {
    title, w, h, compact, x: { label: `${label}₁`, lo: -extent, hi: extent }, y: { label: `${label}₂`, lo: -extent, hi: extent },
    layers: [base, ...(squares ? [{ kind: 'rects', rects: SQUARES }] : []), ...layers],
  };
}
