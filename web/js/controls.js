// @ts-check
// The settings form, built from the core's schema for the current exercise:
// bounds and choices come from the core, values from the config the worker
// validated. The form never validates on its own.
const GROUPS = [['data', 'Data'], ['model', 'Model'], ['training', 'Training'], ['sampling', 'Sampling']];

// Fields that only some settings of their exercise use: shown only then.
const datasetDigits = (c) => c.dataset === 'digits';
const learned = (c) => c.field === 'learned';
// Your own points (the link's data field) have no rings to size or thicken.
const builtIn = (c) => !c.data;
const RINGS_DATA = { rings_n: builtIn, thickness: builtIn };
const WHEN = {
  'fm-rings': RINGS_DATA, 'fm-rings-cond': RINGS_DATA, realnvp: RINGS_DATA,
  rbm: { n_train: datasetDigits, n_test: datasetDigits, flip: datasetDigits },
  cov1d: { lambda: (c) => c.field === 'linear', alpha: (c) => c.field === 'sine', omega: (c) => c.field === 'sine',
    beta: (c) => c.field === 'split', m1: learned, m2: learned, s: learned, w1: learned, hidden: learned, depth: learned,
    lr: learned, batch: learned, steps: learned },
};

function usedBy(field, ex) {
  return field.exercises === '' || field.exercises.split(' ').includes(ex);
}

export function build(form, schema, ex) {
  const sets = GROUPS.map(([group, legend]) => {
    const fields = schema.filter((f) => f.group === group && usedBy(f, ex));
    if (!fields.length) return null;
    const set = document.createElement('fieldset');
    const lg = document.createElement('legend');
    lg.textContent = legend;
    set.append(lg);
    for (const f of fields) {
      const label = document.createElement('label');
      label.textContent = `${f.label} `;
      label.title = `${f.name}: ${f.help}`;
      let el;
      if (f.choices) {
        el = document.createElement('select');
        el.append(...f.choices.map((c) => new Option(c, c)));
      } else {
        el = document.createElement('input');
        el.type = 'number';
        el.min = f.min;
        el.max = f.max;
        el.step = f.integer ? '1' : 'any';
      }
      el.name = f.name;
      label.append(el);
      set.append(label);
    }
    return set;
  }).filter(Boolean);
  form.replaceChildren(...sets);
}

// skip: the field the user is typing in (left as typed).
export function set(form, config, issues = [], skip = null) {
  const bad = new Set(issues.map((i) => i.field));
  const when = WHEN[config.ex] || {};
  for (const el of form.elements) if (el.name && when[el.name]) el.closest('label').hidden = !when[el.name](config);
  for (const fs of form.querySelectorAll('fieldset')) fs.hidden = ![...fs.querySelectorAll('label')].some((l) => !l.hidden);
  for (const [name, value] of Object.entries(config)) {
    const el = form.elements[name];
    if (!el || name === skip) continue;
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
