// @ts-check
// Exercise views by id. Each view module exports {id, title, question, mount}.
// mount(container, ctx) draws its panels and returns {figures(data),
// analysis(name, data)}; ctx = {analyze(name, args), stat(name, text)}.
import checkerboard from './fm-checkerboard.js';
import rings from './fm-rings.js';
import ringsCond from './fm-rings-cond.js';
import rbm from './rbm.js';
import realnvp from './realnvp.js';
import cov1d from './cov1d.js';
import ot from './fm-ot.js';

export const views = Object.fromEntries([checkerboard, ot, rings, ringsCond, rbm, realnvp, cov1d].map((v) => [v.id, v]));
