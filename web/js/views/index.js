// Exercise views by id. Each view module exports {id, title, question, mount}.
// mount(container, ctx) draws its panels and returns {figures(data),
// analysis(name, data)}; ctx = {analyze(name, args), stat(name, text)}.
import checkerboard from './fm-checkerboard.js';
import realnvp from './realnvp.js';

export const views = Object.fromEntries([checkerboard, realnvp].map((v) => [v.id, v]));
