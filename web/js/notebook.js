// @ts-check
// The notebook bridge: an exercise's report as a Jupyter notebook (nbformat 4)
// that reads the CSVs of the "Download all" zip (same folder) and redraws
// every figure with matplotlib; the sheet's words and formulas (LaTeX) go in
// markdown cells, so the course notebook can take the lab's results in.
const lines = (text) => text.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l));
const md = (text) => ({ cell_type: 'markdown', metadata: {}, source: lines(text) });
const code = (text) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(text) });

// One drawing routine for every CSV the report writes, chosen by its columns:
// step/dt/epoch first → curves; k/layer + point → paths; vx/vy → arrows;
// log_p on x, y → heat map; x, y (+ class) → points; other leading columns
// → one panel of points per group.
const HELPERS = `import csv, math, textwrap
from collections import defaultdict
import matplotlib.pyplot as plt

def read(name):
    with open(name, newline='') as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    def val(s):
        try:
            return float(s)
        except ValueError:
            return s
    return head, [[val(c) for c in r] for r in body]

def groups(head, body, keep):
    keep = [h for h in keep if h in head]
    lead = [i for i, h in enumerate(head) if h not in keep]
    out = defaultdict(list)
    for r in body:
        out[tuple(r[i] for i in lead)].append({h: r[head.index(h)] for h in keep})
    return [h for i, h in enumerate(head) if i in lead], out

def draw(name, title, caption=''):
    head, body = read(name)
    if head[0] in ('step', 'dt') and 'x' not in head:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        xs = [r[0] for r in body]
        for j in range(1, len(head)):
            ys = [r[j] for r in body]
            ax.plot(xs, ys, '-o' if len(xs) < 40 else '-', ms=3, lw=1, label=head[j])
        if head[0] == 'dt':
            ax.set_xscale('log'); ax.set_yscale('log')
        ax.set_xlabel(head[0]); ax.legend()
    elif 'vx' in head:
        names, g = groups(head, body, ['x', 'y', 'vx', 'vy', 'vstar_x', 'vstar_y'])
        fig, axes = plt.subplots(1, len(g), figsize=(4 * len(g), 4), squeeze=False)
        for ax, (key, pts) in zip(axes[0], g.items()):
            X, Y = [p['x'] for p in pts], [p['y'] for p in pts]
            if 'vstar_x' in head:
                ax.quiver(X, Y, [p['vstar_x'] for p in pts], [p['vstar_y'] for p in pts], color='grey', label='optimum')
            ax.quiver(X, Y, [p['vx'] for p in pts], [p['vy'] for p in pts], color='C3', label='model')
            ax.set_title(' '.join(map(str, key))); ax.set_aspect('equal'); ax.set_xlabel('x1'); ax.set_ylabel('x2')
    elif 'log_p' in head and 'x' in head:
        xs = sorted(set(r[head.index('x')] for r in body)); ys = sorted(set(r[head.index('y')] for r in body))
        grid = [[math.nan] * len(xs) for _ in ys]
        for r in body:
            grid[ys.index(r[head.index('y')])][xs.index(r[head.index('x')])] = r[head.index('log_p')]
        top = max(v for row in grid for v in row if v == v)
        fig, ax = plt.subplots(figsize=(5, 4.2))
        im = ax.imshow(grid, origin='lower', extent=[xs[0], xs[-1], ys[0], ys[-1]], vmin=top - 10, vmax=top, cmap='magma')
        fig.colorbar(im, ax=ax, label='ln p (nats)'); ax.set_xlabel('x1'); ax.set_ylabel('x2')
    elif ('k' in head or 'layer' in head) and 'point' in head:
        kk = 'k' if 'k' in head else 'layer'
        names, g = groups(head, body, [kk, 'point', 'x', 'y'])
        fig, axes = plt.subplots(1, len(g), figsize=(4.5 * len(g), 4.5), squeeze=False)
        for ax, (key, pts) in zip(axes[0], g.items()):
            paths = defaultdict(list)
            for p in pts:
                paths[p['point']].append((p[kk], p['x'], p['y']))
            for path in paths.values():
                path.sort()
                ax.plot([p[1] for p in path], [p[2] for p in path], lw=0.8)
                ax.plot(path[0][1], path[0][2], 'o', color='purple', ms=3)
            ax.set_title(' '.join(map(str, key))); ax.set_aspect('equal'); ax.set_xlabel('x1'); ax.set_ylabel('x2')
    elif head[-2:] == ['x', 'y'] or head[-3:] == ['x', 'y', 'class']:
        keep = ['x', 'y', 'class'] if 'class' in head else ['x', 'y']
        names, g = groups(head, body, keep)
        cols = min(4, len(g))
        rows = (len(g) + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 3 * rows), squeeze=False)
        for ax in axes.flat[len(g):]:
            ax.axis('off')
        for ax, (key, pts) in zip(axes.flat, g.items()):
            c = [int(p['class']) for p in pts] if 'class' in head else None
            ax.scatter([p['x'] for p in pts], [p['y'] for p in pts], s=1, c=c, cmap='tab10' if c else None)
            ax.set_title(' '.join(map(str, key))); ax.set_aspect('equal')
    else:
        fig, ax = plt.subplots(figsize=(4.5, 4))
        a, b = head[-2], head[-1]
        ax.scatter([r[-2] for r in body], [r[-1] for r in body], s=8)
        lo = min(min(r[-2], r[-1]) for r in body); hi = max(max(r[-2], r[-1]) for r in body)
        ax.plot([lo, hi], [lo, hi], '--', color='grey')
        if lo > 0 and hi / lo > 1e3:
            ax.set_xscale('log'); ax.set_yscale('log')
        ax.set_xlabel(a); ax.set_ylabel(b)
    fig.suptitle(textwrap.fill(title, 80), fontsize=10)
    fig.tight_layout()
    plt.show()
`;

// {sheet, ex, run: {link, config, step}, questions: [{q, items}], fileName(fig, ext)}:
// items as the report shows them ({p}, {math}, {table}, {fig}), in order.
export function notebook({ sheet, ex, run, questions, fileName }) {
  const cells = [
    md(`# ${sheet.title}\n\nExercise **${ex}**, seed ${run.config.seed}, step ${run.step}.\n\n` +
      `Share link (reproduces the run bit for bit in flowlab): \`#${run.link}\`\n\n` +
      `Settings: ${Object.entries(run.config).map(([k, v]) => `${k} = ${v}`).join(', ')}\n\n` +
      'Put this notebook in the folder of the unpacked "Download all" zip: it reads the CSV files there.'),
    code(HELPERS),
  ];
  for (const { q, items } of questions) {
    const text = [`## ${q.label}`, `*${q.text}*`, ...(q.math || []).map((f) => `$$${f.tex}$$`)];
    for (const it of items) {
      if (it.p) text.push(it.p);
      if (it.math) text.push(`$$${it.math.tex}$$`);
      if (it.table) {
        const row = (r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
        text.push([row(it.table.header), row(it.table.header.map(() => '---')), ...it.table.rows.map(row)].join('\n') + (it.table.caption ? `\n\n${it.table.caption}` : ''));
      }
      if (it.fig) {
        if (text.length) cells.push(md(text.join('\n\n')));
        text.length = 0;
        cells.push(md(`**${it.fig.title}.** ${it.fig.caption || ''}`));
        cells.push(code(`draw(${JSON.stringify(fileName(it.fig, 'csv'))}, ${JSON.stringify(it.fig.title)})`));
      }
    }
    if (text.length) cells.push(md(text.join('\n\n')));
  }
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: cells.map((c, i) => ({ id: `cell-${i}`, ...c })),
  }, null, 1);
}
