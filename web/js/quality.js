// The quality report of a run (numbers from core/quality.h): a table of each
// measure against its exact reference, and one sentence saying whether the
// run reaches the reference and, if not, what usually fixes it.
import { table } from './figures.js';

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
