// @ts-check
// Runs f as the next task, without the timer clamp: browsers delay a
// setTimeout(f, 0) to at least 4 ms once timers nest deeply (the spec: past 5
// levels; Chromium: past 100), and a training loop that yields every 40 ms
// nests without end. A MessageChannel message is a task of its own, never
// clamped; messages from the page still run between two.
/** @type {MessageChannel | null} */
let channel = null;  // made on first use: an open port would keep node alive on import
/** @type {(() => void)[]} */
const queue = [];

/** @param {() => void} f */
export function nextTask(f) {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => { const g = queue.shift(); if (g) g(); };
  }
  queue.push(f);
  channel.port2.postMessage(null);
}
