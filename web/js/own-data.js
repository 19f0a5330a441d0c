// @ts-check
// Your own points: draw them (click or drag; a class per stroke from the
// picker) or load a CSV file (x,y[,class]), then train the exercise on them.
// The core encodes, decodes and checks every set (through the worker, the
// `ownData` message); this panel only draws and wires. A bad file leaves the
// drawn points and the current run untouched and says what is wrong, by line.
const EXTENT = 4;  // the square [−4, 4]² of core/own_data.h
const SPACING = 0.12;  // drawing: a point every 0.12 units along a stroke
export const OWN_COLOURS = ['#0081c8', '#222', '#ee334e', '#e0a100', '#00a651'];
export const OWN_EXERCISES = ['fm-checkerboard', 'fm-ot', 'fm-rings', 'fm-rings-cond', 'realnvp'];

// mountOwnData(box, { request(msg) → Promise<result>, apply(data | null), show(lines, kind) })
export function mountOwnData(box, { request, apply, show }) {
  const details = document.createElement('details');
  details.id = 'own-data';
  details.innerHTML = `<summary>Your own points</summary><div class="own-body" hidden>
    <p class="small">Click or drag in the square to draw points; each stroke takes the class picked below
      (the class-conditional exercise learns one field per class). Or load a CSV file of lines <code>x,y</code> or
      <code>x,y,class</code> in [−4, 4]². Up to 512 points travel in the share link; a larger file, up to 20 000, in the exported run.</p>
    <canvas id="own-canvas" width="300" height="300" aria-label="drawing area for your own points"></canvas>
    <div class="own-classes" role="radiogroup" aria-label="class of the next stroke"></div>
    <div class="buttons">
      <button type="button" id="own-train">Train on these points</button>
      <button type="button" id="own-undo">Undo stroke</button>
      <button type="button" id="own-clear">Clear</button>
      <button type="button" id="own-builtin">Built-in data</button>
      <button type="button" id="own-csv-button">Load CSV…</button>
      <input type="file" id="own-csv" accept=".csv,.txt,text/csv,text/plain" hidden aria-label="CSV file of points">
    </div>
    <p id="own-status" class="small" role="status"></p></div>`;
  box.append(details);
  // Folded, its controls are out of the page (a closed details' content still has a layout box in Chromium).
  details.addEventListener('toggle', () => { /** @type {HTMLElement} */ (details.querySelector('.own-body')).hidden = !details.open; });
  const $ = (id) => /** @type {HTMLElement} */ (details.querySelector(`#${id}`));
  const canvas = /** @type {HTMLCanvasElement} */ ($('own-canvas')), ctx = canvas.getContext('2d');
  let strokes = [];  // [{cls, points: [x, y, …]}] in the square's coordinates
  let cls = 0;
  let inUse = false;  // the run trains on these points
  let loaded = null;  // the link text of the set the run trains on
  const picker = details.querySelector('.own-classes');
  OWN_COLOURS.forEach((c, k) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'own-class';
    b.dataset.cls = String(k);
    b.setAttribute('role', 'radio');
    b.style.setProperty('--c', c);
    b.textContent = `class ${k}`;
    b.addEventListener('click', () => { cls = k; render(); });
    picker.append(b);
  });
  const count = () => strokes.reduce((s, t) => s + t.points.length / 2, 0);
  const flat = () => {
    const points = [], labels = [];
    for (const s of strokes) for (let i = 0; i < s.points.length; i += 2) points.push(s.points[i], s.points[i + 1]), labels.push(s.cls);
    return { points, labels };
  };
  const toCanvas = (x, y) => [(x + EXTENT) / (2 * EXTENT) * canvas.width, (EXTENT - y) / (2 * EXTENT) * canvas.height];
  function render() {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#ddd';
    for (let g = -EXTENT; g <= EXTENT; g += 1) {
      const [a] = toCanvas(g, 0), [, b] = toCanvas(0, g);
      ctx.beginPath(); ctx.moveTo(a, 0); ctx.lineTo(a, canvas.height); ctx.moveTo(0, b); ctx.lineTo(canvas.width, b); ctx.stroke();
    }
    const r = count() > 2000 ? 1 : 2.5;
    for (const s of strokes) {
      ctx.fillStyle = OWN_COLOURS[s.cls];
      for (let i = 0; i < s.points.length; i += 2) {
        const [u, v] = toCanvas(s.points[i], s.points[i + 1]);
        ctx.beginPath(); ctx.arc(u, v, r, 0, 2 * Math.PI); ctx.fill();
      }
    }
    for (const b of /** @type {HTMLCollectionOf<HTMLElement>} */ (picker.children)) b.setAttribute('aria-checked', String(Number(b.dataset.cls) === cls));
    const n = count();
    $('own-status').textContent = n ? `${n} point${n === 1 ? '' : 's'} in ${new Set(strokes.map((s) => s.cls)).size} class(es)` +
      (inUse ? ' — the run trains on them.' : ' — not in use yet: press “Train on these points”.') : 'No points: the exercise uses its built-in data.';
  }
  // Drawing: a point where the pointer goes down, then one every SPACING along the drag.
  let drawing = null;
  const at = (e) => {
    const rect = canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * 2 * EXTENT - EXTENT, y = EXTENT - ((e.clientY - rect.top) / rect.height) * 2 * EXTENT;
    return [Math.max(-EXTENT, Math.min(EXTENT, x)), Math.max(-EXTENT, Math.min(EXTENT, y))];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    drawing = { cls, points: at(e) };
    strokes.push(drawing);
    inUse = false;
    render();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = at(e), p = drawing.points, n = p.length;
    if (Math.hypot(x - p[n - 2], y - p[n - 1]) >= SPACING) { p.push(x, y); render(); }
  });
  const end = () => { drawing = null; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  $('own-undo').addEventListener('click', () => { strokes.pop(); inUse = false; render(); });
  $('own-clear').addEventListener('click', () => { strokes = []; inUse = false; render(); });
  $('own-builtin').addEventListener('click', () => { inUse = false; apply(null); render(); });
  $('own-train').addEventListener('click', async () => {
    const { points, labels } = flat();
    const r = await request({ points, labels });
    if (r.error) return show([`Your points: ${r.error}.`]);
    inUse = true;
    loaded = r.data;
    apply(r.data);
    render();
  });
  $('own-csv-button').addEventListener('click', () => $('own-csv').click());
  $('own-csv').addEventListener('change', async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    if (file.size > 4 * 1024 * 1024) return show([`${file.name}: larger than 4 MB; a point set holds at most 20 000 points.`]);
    const r = await request({ csv: await file.text() });
    if (r.error) return show([`${file.name}: ${r.error}. Nothing was changed.`]);
    strokes = setOf(r);
    inUse = true;
    loaded = r.data;
    apply(r.data);
    show([`${file.name}: ${r.n} points loaded${r.linkable ? '' : ' (too many for a share link: export the run to share it)'}.`], 'info');
    render();
  });
  // One stroke per class of a decoded set.
  const setOf = (r) => OWN_COLOURS.map((_, k) => {
    const points = [];
    for (let i = 0; i < r.n; ++i) if (r.labels[i] === k) points.push(r.points[2 * i], r.points[2 * i + 1]);
    return { cls: k, points };
  }).filter((s) => s.points.length);
  render();
  return {
    // A new configuration: shown for the 2D exercises (core own_data_exercise); its set (if any) is drawn.
    // Points drawn since stay until another set arrives (a link, a restored run).
    async config(config) {
      details.hidden = !OWN_EXERCISES.includes(config.ex);
      if (!config.data) { inUse = false; loaded = null; render(); return; }
      if (config.data === loaded) return;
      loaded = config.data;
      const r = await request({ text: config.data });
      if (r.error || loaded !== config.data) return;
      details.open = true;
      strokes = setOf(r);
      inUse = true;
      render();
    },
    get points() { return flat(); },
  };
}

// The quality report of a run on your own points: the NLL of the training
// points (no exact reference exists for a drawn set, so no verdict).
// RealNVP (no ODE: q.odeSteps undefined) also has a held-out split (q.valNll of q.nVal points).
export function ownQualityReport(box, q, ctx, table) {
  box.replaceChildren();
  const rows = [[`NLL −E[ln p${q.odeSteps ? '₁' : ''}] of your ${q.n} training points (nats)`, q.nll.toFixed(3), 'none: the set has no known density']];
  if (q.valNll !== undefined) rows.push([`NLL of your ${q.nVal} held-out points (nats)`, q.valNll.toFixed(3), 'none; above the training NLL when the model memorises']);
  const fig = table(box, 'own-quality', ['measure', `run (step ${q.step})`, 'reference'], rows, '');
  fig.querySelector('figcaption').textContent = (q.odeSteps ? `ln p₁ exact (reverse flow, ${q.odeSteps} midpoint steps, ∫ Tr ∂v/∂x dt; ` +
    'class-conditional: each point given its class)' : 'ln p exact (change of variables through the couplings; the held-out points are ' +
    'a seeded shuffle\'s last share, never trained on)') + ', in the coordinates you drew. It falls as the model fits the points, ' +
    'and keeps falling as it memorises a small set.';
  ctx.stat('NLL of your points', q.nll.toFixed(3));
  // A held-out NLL well above the training NLL: the density peaks on the points it saw.
  if (q.valNll !== undefined && q.valNll > q.nll + 1) {
    const p = document.createElement('p');
    p.id = 'own-memorises';
    p.className = 'warn';
    p.textContent = `The held-out points cost ${(q.valNll - q.nll).toFixed(2)} nats more than the training points: the model ` +
      'memorises your points instead of their shape. Fewer steps or coupling layers, or more points, generalise better.';
    box.append(p);
  }
  return fig;
}
