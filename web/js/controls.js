// The settings form: bounds come from the core's schema, values from the
// config the worker validated. The form never validates on its own.
export function init(form, schema) {
  for (const f of schema) {
    const el = form.elements[f.name];
    if (!el) continue;
    el.title = f.help;
    if (f.choices) {
      el.replaceChildren(...f.choices.map((c) => new Option(c, c)));
    } else {
      el.min = f.min;
      el.max = f.max;
      el.step = f.integer ? '1' : 'any';
    }
  }
}

export function set(form, config, issues = []) {
  const bad = new Set(issues.map((i) => i.field));
  for (const [name, value] of Object.entries(config)) {
    const el = form.elements[name];
    if (!el) continue;
    el.value = String(value);
    el.classList.toggle('invalid', bad.has(name));
  }
}

// Current form values as link fields (strings: the core parses them).
export function read(form) {
  const out = {};
  for (const el of form.elements) if (el.name) out[el.name] = el.value.trim();
  return out;
}
