// @ts-check
// The formulas of the current exercise beside its controls: the sheets'
// own formulas (report/sheet*.js), as MathML, the way the report shows them.
// Loaded on demand so that they never delay the first figure.
let sheets = null;

/** @param {HTMLElement} box @param {string} ex */
export async function mountFormulas(box, ex) {
  box.replaceChildren();
  box.dataset.ex = ex;
  sheets = sheets || Promise.all([import('./report/sheet000.js'), import('./report/sheet003.js')]);
  const loaded = await sheets.catch(() => []);
  if (box.dataset.ex !== ex) return;  // another exercise was chosen meanwhile
  const formulas = [];
  for (const { default: sheet } of loaded)
    for (const sec of sheet.sections)
      if (sec.questions.some((q) => q.run === ex)) {
        formulas.push(...(sec.intro || []));
        for (const q of sec.questions) if (q.run === ex) formulas.push(...(q.math || []));
      }
  for (const f of formulas) {
    const d = document.createElement('div');
    d.className = 'math';
    d.tabIndex = 0;  // a long formula scrolls sideways: reachable by keyboard
    d.innerHTML = f.mathml;  // built by report/parts.js from the sheets' constant notation
    box.append(d);
  }
}
