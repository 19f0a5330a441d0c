// @ts-check
// The formulas of the current exercise beside its controls: the sheets'
// own formulas (report/sheet*.js), as MathML, the way the report shows them
// (report/parts.js mathBlock: pieces that wrap after a relation or a comma).
// A piece still wider than the box is scaled down to fit it.
// Loaded on demand so that they never delay the first figure.
let modules = null;

/** @param {HTMLElement} box @param {string} ex */
export async function mountFormulas(box, ex) {
  box.replaceChildren();
  box.dataset.ex = ex;
  modules = modules || Promise.all([import('./report/parts.js'), import('./report/sheet000.js'), import('./report/sheet003.js')]);
  const loaded = await modules.catch(() => null);
  if (!loaded || box.dataset.ex !== ex) return;  // failed, or another exercise was chosen meanwhile
  const [{ mathBlock }, ...sheets] = loaded;
  const formulas = [];
  for (const { default: sheet } of sheets)
    for (const sec of sheet.sections)
      if (sec.questions.some((q) => q.run === ex)) {
        formulas.push(...(sec.intro || []));
        for (const q of sec.questions) if (q.run === ex) formulas.push(...(q.math || []));
      }
  box.append(...formulas.map(mathBlock));
  fit(box);
  if (observer) observer.observe(box);  // its width changes with the window and when the settings unfold
}

/** Each formula's font scaled so that its widest piece fits the box (at most 1, at least 0.5). */
function fit(box) {
  for (const d of /** @type {NodeListOf<HTMLElement>} */ (box.querySelectorAll('.math'))) {
    d.style.fontSize = '';
    const widest = Math.max(0, ...[...d.children].map((x) => x.getBoundingClientRect().width));
    const room = d.clientWidth;
    if (room > 0 && widest > room) d.style.fontSize = `${(parseFloat(getComputedStyle(d).fontSize) * Math.max(0.5, room / widest)).toFixed(2)}px`;
  }
}
const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((es) => es.forEach((e) => fit(/** @type {HTMLElement} */ (e.target))));
