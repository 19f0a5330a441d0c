// @ts-check
// Figure panels: a canvas, a caption stating what it shows, and export
// buttons (PNG of the canvas, CSV of the numbers behind it).
function download(name, href) {
  const a = document.createElement('a');
  a.download = name;
  a.href = href;
  a.click();
}

// <exercise>-<figure>-seed<k>-step<n>.<ext>, from the page's live run.
function fileName(id, ext) {
  const page = typeof window !== 'undefined' && window.flowlabPage;
  const c = page && page.config;
  return c ? `${c.ex}-${id}-seed${c.seed}-step${page.losses.length}.${ext}` : `flowlab-${id}.${ext}`;
}

export function csvText(header, rows) {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n');
}

// A canvas drawn in CSS pixels (its width and height read as such, its 2D
// context scaled) on a backing store of devicePixelRatio times as many
// pixels: crisp on high-DPI screens, and its PNG export at that resolution.
export function sharpCanvas(width, height) {
  const canvas = document.createElement('canvas');
  const dpr = Math.min(3, Math.max(1, Math.round((window.devicePixelRatio || 1) * 4) / 4));
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.dataset.dpr = String(dpr);
  Object.defineProperty(canvas, 'width', { get: () => width });
  Object.defineProperty(canvas, 'height', { get: () => height });
  canvas.getContext('2d').scale(dpr, dpr);
  return canvas;
}

// opts: {id, title, caption, width, height, csv: () => text | null}
export function panel(container, opts) {
  const fig = document.createElement('figure');
  fig.id = `fig-${opts.id}`;
  const canvas = sharpCanvas(opts.width || 420, opts.height || 420);
  // Its accessible name: the title, else the caption's first clause.
  const name = opts.title || (opts.caption || '').split(/[.:;]/)[0].slice(0, 80).trim() || opts.id;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', name);
  const cap = document.createElement('figcaption');
  cap.textContent = opts.caption || '';
  const bar = document.createElement('div');
  bar.className = 'export';
  const png = document.createElement('button');
  png.type = 'button';
  png.textContent = 'PNG';
  png.title = 'download this figure as PNG';
  png.setAttribute('aria-label', `Download ${name} as PNG`);
  png.addEventListener('click', () => download(fileName(opts.id, 'png'), canvas.toDataURL('image/png')));
  bar.append(png);
  if (opts.csv) {
    const csv = document.createElement('button');
    csv.type = 'button';
    csv.textContent = 'CSV';
    csv.title = 'download the numbers of this figure as CSV';
    csv.setAttribute('aria-label', `Download the numbers of ${name} as CSV`);
    csv.addEventListener('click', () => {
      const text = opts.csv();
      if (text) download(fileName(opts.id, 'csv'), URL.createObjectURL(new Blob([text], { type: 'text/csv' })));
    });
    bar.append(csv);
  }
  fig.append(canvas, cap, bar);
  fig.style.width = `${canvas.width + 18}px`;  // captions wrap to the figure
  container.append(fig);
  return { fig, canvas, caption: (text) => { cap.textContent = text; } };
}

// A row of figures (a div.figure-row appended to the container); kind 'analysis-bar' for a row of buttons.
export function row(container, kind = 'figure-row') {
  const d = document.createElement('div');
  d.className = kind;
  container.append(d);
  return d;
}

// A block of text/numbers answering a question, e.g. a table.
export function table(container, id, header, rows, caption) {
  const fig = document.createElement('figure');
  fig.id = `fig-${id}`;
  const t = document.createElement('table');
  const tr = document.createElement('tr');
  for (const h of header) { const th = document.createElement('th'); th.textContent = h; tr.append(th); }
  t.append(tr);
  for (const r of rows) {
    const row = document.createElement('tr');
    for (const c of r) { const td = document.createElement('td'); td.textContent = typeof c === 'number' ? c.toPrecision(4) : String(c); row.append(td); }
    t.append(row);
  }
  const cap = document.createElement('figcaption');
  cap.textContent = caption || '';
  fig.append(t, cap);
  container.append(fig);
  return fig;
}

// A button; data: the analysis it asks for (data-analysis, which the page disables while it runs).
export function button(parent, text, onClick, data) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (data) b.dataset.analysis = data;
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

// Buttons that ask the worker for an exercise's analyses: [[name, label], …].
export function analysisBar(container, ctx, items) {
  const bar = document.createElement('div');
  bar.className = 'analysis-bar';
  for (const [name, label] of items) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.analysis = name;
    b.textContent = label;
    b.addEventListener('click', () => ctx.analyze(name));
    bar.append(b);
  }
  container.append(bar);
  return bar;
}
