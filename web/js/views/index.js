// Exercise views by id. Each view module exports {id, title, question, mount}.
// mount(container, ctx) draws its panels and returns {figures(data),
// analysis(name, data)}; ctx = {analyze(name, args), stat(name, text)}.
import checkerboard from './fm-checkerboard.js';
import rings from './fm-rings.js';
import ringsCond from './fm-rings-cond.js';
import rbm from './rbm.js';
import realnvp from './realnvp.js';

export const views = Object.fromEntries([checkerboard, rings, ringsCond, rbm, realnvp].map((v) => [v.id, v]));
