// @ts-check
// Offline: registers the service worker (web/sw.js) and hands it the files
// this visit used — those loaded before it serves the page (the first visit
// is not yet served through it), and those loaded later while it does not
// yet (lazily imported modules) — so a reload without network works.
if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  window.addEventListener('load', async () => {
    try {
      const reg = await navigator.serviceWorker.register('sw.js');
      await navigator.serviceWorker.ready;
      const sent = new Set();
      const send = (names) => {
        const urls = [...new Set(names.map((n) => n.split('#')[0]))].filter((u) => !sent.has(u));
        if (!urls.length) return;
        for (const u of urls) sent.add(u);
        (reg.active || navigator.serviceWorker.controller).postMessage({ type: 'cache', urls });
      };
      send([location.href, ...performance.getEntriesByType('resource').map((r) => r.name)]);
      new PerformanceObserver((list) => send(list.getEntries().map((r) => r.name))).observe({ type: 'resource' });
    } catch {
      /* no offline copy (e.g. storage off): the page works online as before */
    }
  });
}
