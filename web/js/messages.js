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
export function showLinkIssues(issues) {
  if (!issues.length) return clear();
  show(['This link has fields that could not be used; the rest of it was kept:',
    ...issues.map((i) => `• ${i.field}: ${i.message}`)]);
}
