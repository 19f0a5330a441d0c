// The reference CFM training step in TensorFlow.js, for the side-by-side run:
// the same MLP (3→hidden^depth→2, SiLU, PyTorch-style uniform init), the same
// loss ‖v(ψ_t(x0), t) − (x1 − x0)‖² (mean over the batch), Adam(lr = 1e-3),
// checkerboard x1 and N(0, I) x0 drawn in JS (as flowlab draws them in C++).
(function (root) {
  'use strict';
  function checkerboard(n) {
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; ++i) {
      const a = Math.random() * 4 - 2, k = Math.random() < 0.5 ? 0 : 1;
      const b = Math.random() - 2 * k + ((Math.floor(a) + 4) % 2);
      x[2 * i] = 2 * a; x[2 * i + 1] = 2 * b;
    }
    return x;
  }
  function normal(n) {
    const x = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - Math.random())), p = 2 * Math.PI * Math.random();
      x[i] = r * Math.cos(p); x[i + 1] = r * Math.sin(p);
    }
    return x;
  }

  // → { step(): loss, dispose() }
  function makeCfm(tf, { hidden = 256, depth = 3, batch = 1024 } = {}) {
    const dims = [3, ...Array(depth).fill(hidden), 2];
    const vars = [];
    for (let l = 0; l + 1 < dims.length; ++l) {
      const bound = 1 / Math.sqrt(dims[l]);
      vars.push(tf.variable(tf.randomUniform([dims[l], dims[l + 1]], -bound, bound)),
        tf.variable(tf.randomUniform([dims[l + 1]], -bound, bound)));
    }
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const net = (x) => {
      let a = x;
      for (let l = 0; l < vars.length; l += 2) {
        const z = tf.add(tf.matMul(a, vars[l]), vars[l + 1]);
        a = l + 2 < vars.length ? tf.mul(z, tf.sigmoid(z)) : z;
      }
      return a;
    };
    function step() {
      const x1 = checkerboard(batch), x0 = normal(batch), t = new Float32Array(batch);
      const inp = new Float32Array(3 * batch), u = new Float32Array(2 * batch);
      for (let i = 0; i < batch; ++i) {
        t[i] = Math.random();
        for (let k = 0; k < 2; ++k) {
          inp[3 * i + k] = (1 - t[i]) * x0[2 * i + k] + t[i] * x1[2 * i + k];
          u[2 * i + k] = x1[2 * i + k] - x0[2 * i + k];
        }
        inp[3 * i + 2] = t[i];
      }
      const xin = tf.tensor2d(inp, [batch, 3]), target = tf.tensor2d(u, [batch, 2]);
      const loss = opt.minimize(() => tf.mul(tf.sum(tf.squaredDifference(net(xin), target)), 1 / batch), true, vars);
      const l = loss.dataSync()[0];  // waits for the step, like flowlab's returned loss
      tf.dispose([xin, target, loss]);
      return l;
    }
    return { step, dispose: () => { tf.dispose(vars); opt.dispose(); } };
  }

  // Steps/s after `warm` warm-up steps, timing at least minS seconds.
  function benchCfm(tf, opts = {}) {
    const { hidden = 256, depth = 3, batch = 1024, minS = 3, warm = 2 } = opts;
    const m = makeCfm(tf, { hidden, depth, batch });
    try {
      for (let i = 0; i < warm; ++i) m.step();
      let steps = 0;
      const t0 = performance.now();
      let t1 = t0;
      do { m.step(); ++steps; t1 = performance.now(); } while (t1 - t0 < minS * 1000);
      return steps / ((t1 - t0) / 1000);
    } finally { m.dispose(); }
  }

  const api = { makeCfm, benchCfm };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.TfjsCfm = api;
})(typeof self !== 'undefined' ? self : this);
