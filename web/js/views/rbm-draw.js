// @ts-check
// The RBM view's drawing grid (mouse and keyboard) and the mean-field
// reconstruction of what is drawn; the 'drawn' data set is built here.
import { panel, csvText, row, button } from '../figures.js';
import { image, clear, label } from '../plot-rbm.js';
import { fmt } from './rbm-sheet.js';

// → {grid(): the drawn pattern state or null, figures(d), analysis(name, d)}
export function drawing(container, ctx) {
  const drawRow = row(container);
  let grid = null, recon = null;
  const draw = panel(drawRow, {
    id: 'rbm-draw', title: 'draw a pattern', width: 300, height: 300,
    caption: 'Click pixels to draw a pattern v; "reconstruct" shows σ(a + W σ(b + vᵀW)) after the chosen mean-field passes. ' +
      'Dataset "drawn": add patterns, then "train on drawn patterns" (the run restarts at step 0 on them; until then two placeholders, left half and top half, stand in).',
    csv: () => grid && csvText(['pixel', 'v', 'reconstruction'], Array.from(grid.v, (v, k) => [k, v, recon ? recon.recon[k] : ''])),
  });
  const rec = panel(drawRow, {
    id: 'rbm-recon', title: 'reconstruction', width: 300, height: 300,
    caption: 'Reconstruction of the drawn pattern (computed when first shown, and on the button).',
    csv: () => recon && csvText(['pixel', 'p'], Array.from(recon.recon, (p, k) => [k, p])),
  });
  ctx.onFirstView(rec.fig, 'reconstruct', () => ({ v: Array.from(grid.v), sweeps: Number(sweepsSel.value) }));
  const geom = () => {
    const cell = Math.floor(Math.min(260 / grid.w, 260 / grid.h));
    return { cell, x: (300 - cell * grid.w) / 2, y: 30 };
  };
  const drawGrid = () => {
    const c = clear(draw.canvas);
    const g = geom();
    image(c, grid.v, grid.h, grid.w, g.x, g.y, g.cell);
    c.strokeStyle = '#ccc';  // cell lines, so that the pixels to click are visible
    for (let k = 1; k < Math.max(grid.w, grid.h); ++k) {
      if (k < grid.w) c.strokeRect(g.x + k * g.cell, g.y, 0, grid.h * g.cell);
      if (k < grid.h) c.strokeRect(g.x, g.y + k * g.cell, grid.w * g.cell, 0);
    }
    label(draw.canvas, `v (${grid.w}×${grid.h}); ${grid.patterns.length} pattern(s) stored`);
    if (document.activeElement === draw.canvas) {  // the keyboard cursor
      c.strokeStyle = '#d55e00';
      c.lineWidth = 3;
      c.strokeRect(g.x + grid.cx * g.cell + 1.5, g.y + grid.cy * g.cell + 1.5, g.cell - 3, g.cell - 3);
      c.lineWidth = 1;
    }
    draw.canvas.setAttribute('aria-label', `drawing grid, ${grid.w} by ${grid.h}: arrow keys move, Space toggles the pixel; ` +
      `pixel column ${grid.cx + 1}, row ${grid.cy + 1} is ${grid.v[grid.cy * grid.w + grid.cx] ? 'on' : 'off'}`);
  };
  const toggle = (x, y) => {
    grid.v[y * grid.w + x] = 1 - grid.v[y * grid.w + x];
    grid.touched = true;
    drawGrid();
  };
  // The keyboard draws too: arrows move a cursor, Space or Enter toggles its pixel.
  draw.canvas.tabIndex = 0;
  draw.canvas.setAttribute('role', 'application');
  draw.canvas.setAttribute('aria-roledescription', 'drawing grid');
  draw.canvas.addEventListener('focus', () => grid && drawGrid());
  draw.canvas.addEventListener('blur', () => grid && drawGrid());
  draw.canvas.addEventListener('keydown', (e) => {
    if (!grid) return;
    const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (move) {
      grid.cx = Math.min(grid.w - 1, Math.max(0, grid.cx + move[0]));
      grid.cy = Math.min(grid.h - 1, Math.max(0, grid.cy + move[1]));
      drawGrid();
    } else if (e.key === ' ' || e.key === 'Enter') toggle(grid.cx, grid.cy);
    else return;
    e.preventDefault();
  });
  draw.canvas.addEventListener('click', (e) => {
    if (!grid) return;
    const r = draw.canvas.getBoundingClientRect();
    const g = geom();
    const cx = Math.floor((e.clientX - r.left) * (draw.canvas.width / r.width) - g.x) / g.cell;
    const cy = Math.floor((e.clientY - r.top) * (draw.canvas.height / r.height) - g.y) / g.cell;
    const x = Math.floor(cx), y = Math.floor(cy);
    if (x < 0 || y < 0 || x >= grid.w || y >= grid.h) return;
    toggle(x, y);
  });
  const dbar = row(drawRow, 'analysis-bar');
  const sweepsSel = document.createElement('select');
  sweepsSel.name = 'rbm-recon-sweeps';
  sweepsSel.setAttribute('aria-label', 'mean-field passes of the reconstruction');
  for (const s of [1, 2, 5, 20]) sweepsSel.append(new Option(`${s} pass${s > 1 ? 'es' : ''}`, String(s)));
  dbar.append(sweepsSel);
  button(dbar, 'reconstruct', () => ctx.analyze('reconstruct', { v: Array.from(grid.v), sweeps: Number(sweepsSel.value) }), 'reconstruct');
  button(dbar, 'clear', () => { grid.v.fill(0); grid.touched = true; drawGrid(); });
  button(dbar, 'add to drawn patterns', () => { grid.patterns.push(Array.from(grid.v)); drawGrid(); });
  button(dbar, 'train on drawn patterns (dataset drawn)', () => {
    if (grid.patterns.length) ctx.analyze('patterns', { rows: grid.patterns.flat() });
  }, 'patterns');

  return {
    grid: () => grid,
    figures(d) {
      if (!grid || grid.w !== d.width || grid.h !== d.height) {
        grid = { w: d.width, h: d.height, v: new Float32Array(d.n), patterns: [], touched: false, cx: 0, cy: 0 };
        drawGrid();
      }
      if (!grid.touched && d.data && !grid.v.some((x) => x)) {  // start from the first training pattern
        const N = d.data.length / d.n;
        let k = 0;  // the first pattern with something on (bars and stripes starts with the empty one)
        while (k < N - 1 && !d.data.subarray(k * d.n, (k + 1) * d.n).some((x) => x)) k += 1;
        grid.v.set(d.data.subarray(k * d.n, (k + 1) * d.n));
        drawGrid();
      }
    },
    analysis(name, d) {
      if (name === 'reconstruct') {
        recon = d;
        const c = clear(rec.canvas);
        const g = geom();
        image(c, d.recon, d.height, d.width, g.x, g.y, g.cell);
        let err = 0;
        for (let k = 0; k < d.recon.length; ++k) err += (d.recon[k] - d.v[k]) ** 2;
        label(rec.canvas, `P(v' = 1) after ${sweepsSel.value} pass(es)`);
        rec.caption(`Q: what does the model make of a drawn (perhaps noisy) pattern? Mean-field reconstruction; ` +
          `mean squared difference to the drawing ${fmt(err / d.recon.length, 4)}.`);
      }
      if (name === 'patterns') {
        const c = clear(rec.canvas);
        label(rec.canvas, `${d.nTrain} drawn patterns are now the training set (step ${d.step})`, 6, 40);
      }
    },
  };
}
