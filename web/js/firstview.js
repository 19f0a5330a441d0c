// @ts-check
// Panels computed on first view: a panel that would stay empty until a
// button is pressed asks for its analysis when it first scrolls into view,
// once the model can answer (ready()).
/**
 * @param {(name: string, args: object) => void} analyze
 * @param {() => boolean} ready
 */
export function watchFirstViews(analyze, ready) {
  let seen = [];  // {el, name, args(), due}
  const ask = () => {
    if (!ready()) return;
    for (const x of seen.filter((y) => y.due && y.el.isConnected)) analyze(x.name, x.args());
    seen = seen.filter((y) => !y.due && y.el.isConnected);
  };
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      observer.unobserve(e.target);
      const item = seen.find((x) => x.el === e.target);
      if (item) item.due = true;
    }
    ask();
  });
  return {
    /** args: an object, or a function giving it when the analysis is asked for */
    add(el, name, args = {}) {
      seen.push({ el, name, args: typeof args === 'function' ? args : () => args, due: false });
      observer.observe(el);
    },
    ask,
    reset() { observer.disconnect(); seen = []; },
  };
}
