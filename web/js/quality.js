// @ts-check
// The quality report of a run (numbers from core/quality.h): a table of each
// measure against its exact reference, and one sentence saying whether the
// run reaches the reference and, if not, what usually fixes it.
import { table, row } from './figures.js';
import { ownQualityReport } from './own-data.js';

// rows: [[measure, this run, reference, reached (bool | null)], …]
export function qualityReport(box, id, { step, rows, ok, advice, note }) {
  box.replaceChildren();
  const fig = table(box, id, ['measure', `run (step ${step})`, 'reference', 'verdict'],
    rows.map(([name, run, ref, reached]) => [name, run, ref, reached === null ? '' : reached ? 'reached' : 'below']), '');
  const verdict = ok ? `At the reference. ${note || ''}`
    : `Below the reference: ${advice}. ${note || ''}`;
  fig.querySelector('figcaption').textContent = verdict.trim();
  fig.classList.add(ok ? 'quality-ok' : 'quality-below');
  return fig;
}

// A view's quality report in a row of its own: asked for once per finished run
// (done(step)), drawn by render(q). report(q) → {id, rows, note, stat: [name, text]};
// a run on your own points gets their report instead.
export function qualityPanel(container, ctx, report) {
  const box = row(container);
  let asked = -1;
  return {
    done(step) { if (asked !== step) { asked = step; ctx.analyze('quality'); } },
    render(q) {
      if (q.own) return ownQualityReport(box, q, ctx, table);
      const { id, rows, note, stat } = report(q);
      qualityReport(box, id, { step: q.step, ok: q.ok, advice: q.advice, rows, note });
      ctx.stat(...stat);
    },
  };
}
