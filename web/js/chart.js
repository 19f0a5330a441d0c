// Live loss chart: every loss kept, drawn on a log axis as a min–max band
// per pixel column plus an exponential moving average.
export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.losses = [];
  }
  reset() { this.losses = []; this.draw(); }
  push(values) { for (const v of values) this.losses.push(v); }

  draw() {
    const { ctx, canvas, losses } = this;
    const W = canvas.width, H = canvas.height, L = 44, R = 10, T = 10, B = 26;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = '#888';
    ctx.strokeRect(L, T, W - L - R, H - T - B);
    ctx.fillStyle = '#555';
    ctx.font = '11px system-ui, sans-serif';
    if (!losses.length) {
      ctx.fillText('no training steps yet', L + 10, T + 20);
      return;
    }
    const n = losses.length;
    let lo = Infinity, hi = -Infinity;
    for (const v of losses) if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi > 0)) return;
    const ylo = Math.log10(lo) - 0.05, yhi = Math.log10(hi) + 0.05;
    const X = (i) => L + (i / Math.max(1, n - 1)) * (W - L - R);
    const Y = (v) => T + (yhi - Math.log10(Math.max(v, lo))) / (yhi - ylo) * (H - T - B);
    // Band: min/max of the raw losses per pixel column.
    const cols = W - L - R;
    ctx.fillStyle = 'rgba(47, 91, 211, 0.25)';
    for (let c = 0; c < cols; ++c) {
      const a = Math.floor((c / cols) * n), b = Math.max(a + 1, Math.floor(((c + 1) / cols) * n));
      let mn = Infinity, mx = -Infinity;
      for (let i = a; i < Math.min(b, n); ++i) { mn = Math.min(mn, losses[i]); mx = Math.max(mx, losses[i]); }
      if (mn <= mx) ctx.fillRect(L + c, Y(mx), 1, Math.max(1, Y(mn) - Y(mx)));
    }
    // EMA line.
    ctx.strokeStyle = '#2f5bd3';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let ema = losses[0];
    const alpha = Math.min(1, 20 / n + 0.01);
    const stride = Math.max(1, Math.floor(n / cols));
    for (let i = 0; i < n; ++i) {
      ema += alpha * (losses[i] - ema);
      if (i % stride === 0 || i === n - 1) (i === 0 ? ctx.moveTo : ctx.lineTo).call(ctx, X(i), Y(ema));
    }
    ctx.stroke();
    // Axes: decades on y, steps on x.
    ctx.fillStyle = '#555';
    ctx.textAlign = 'right';
    for (let e = Math.ceil(ylo * 4) / 4; e <= yhi; e += 0.25) {
      ctx.fillText((10 ** e).toPrecision(2), L - 4, Y(10 ** e) + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(`step ${n}`, W - R - 30, H - 8);
    ctx.fillText('0', L, H - 8);
    ctx.textAlign = 'left';
    ctx.fillText(`loss ${losses[n - 1].toFixed(3)}  (EMA ${ema.toFixed(3)})`, L + 6, T + 14);
  }
}
