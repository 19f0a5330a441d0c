// @ts-check
// Messages for the user. Text only (textContent): nothing from a link or a
// file ever reaches the DOM as HTML.
const box = () => document.getElementById('messages');

export function show(lines, kind = 'error') {
  const el = box();
  el.replaceChildren(...lines.map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    return p;
  }));
  el.className = kind;
}

export function clear() {
  box().replaceChildren();
}

// Issues from the core's link parser: [{field, message}].
// Fields the cost model only lowered (core/cost.h) were used, at a smaller
// value: they get their own header, and a notice rather than an error.
const isLowered = (i) => /; lowered from [^;]* to [^;]*$/.test(i.message);
export function showLinkIssues(issues) {
  if (!issues.length) return clear();
  const bad = issues.filter((i) => !isLowered(i)), lowered = issues.filter(isLowered);
  const lines = (list) => list.map((i) => `• ${i.field}: ${i.message}`);
  show([
    ...(bad.length ? ['This link has fields that could not be used; the rest of it was kept:', ...lines(bad)] : []),
    ...(lowered.length ? [bad.length ? 'These fields ask for more work than a browser tab can do at once and were lowered to fit:'
      : 'This link asks for more work than a browser tab can do at once: these fields were lowered to fit, the rest was kept as given:', ...lines(lowered)] : []),
  ], bad.length ? 'error' : 'info');
}
