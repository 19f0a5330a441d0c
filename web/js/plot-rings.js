// @ts-check
// Figures of the Olympic-rings flow (sheet 003 §2): points coloured by ring,
// trajectories coloured by t or by class, in standardised coordinates.
import { Frame } from './plot.js';

export const RING_COLOURS = ['#0081c8', '#000000', '#ee334e', '#fcb131', '#00a651'];
export const RING_NAMES = ['blue', 'black', 'red', 'yellow', 'green'];
const EXTENT = 3;

// t ∈ [0, 1] → purple (t = 0) … yellow-green (t = 1).
export function timeColour(t) { return `hsl(${Math.round(270 - 200 * t)}, 75%, ${Math.round(35 + 15 * t)}%)`; }

function frame(canvas, title) {
  const f = new Frame(canvas, EXTENT);
  f.clear();
  f.axes();
  f.title(title);
  return f;
}

// Points, coloured by classOf(i) (a ring index) or one colour.
export function drawRingPoints(canvas, points, title, classOf = null) {
  const f = frame(canvas, title);
  const alpha = points.length / 2 > 3000 ? 0.45 : 0.7;
  const rgba = RING_COLOURS.map((h) => `rgba(${parseInt(h.slice(1, 3), 16)}, ${parseInt(h.slice(3, 5), 16)}, ${parseInt(h.slice(5, 7), 16)}, ${alpha})`);
  f.points(points, classOf ? (i) => rgba[classOf(i)] : () => `rgba(20, 40, 120, ${alpha})`, 2);
  return f;
}

// traj: (steps + 1) × n × 2; colour(k, i) of the segment from snapshot k to k + 1 of point i.
export function drawTrajectories(f, traj, n, colour, width = 1.5) {
  const steps = traj.length / (2 * n) - 1;
  const { ctx } = f;
  ctx.save();
  ctx.lineWidth = width;
  for (let i = 0; i < n; ++i)
    for (let k = 0; k < steps; ++k) {
      const a = 2 * (k * n + i), b = 2 * ((k + 1) * n + i);
      ctx.strokeStyle = colour(k / steps, i);
      ctx.beginPath();
      ctx.moveTo(f.px(traj[a]), f.py(traj[a + 1]));
      ctx.lineTo(f.px(traj[b]), f.py(traj[b + 1]));
      ctx.stroke();
    }
  ctx.restore();
}

// Markers: open circles at the given points.
export function drawMarkers(f, points, colour = '#222', r = 4) {
  const { ctx } = f;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  for (let i = 0; i < points.length / 2; ++i) {
    ctx.beginPath();
    ctx.arc(f.px(points[2 * i]), f.py(points[2 * i + 1]), r, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

// A faint backdrop of the data, for trajectories.
export function drawBackdrop(canvas, data, title) {
  const f = frame(canvas, title);
  f.points(data, () => 'rgba(150, 150, 150, 0.25)', 1.5);
  return f;
}

export const xyCsv = (pts) => Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]);
