// Offline: registers the service worker (web/sw.js) and, once the page has
// loaded, hands it the files this visit used (the first visit is not yet
// served through it), so a reload without network works.
if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  window.addEventListener('load', async () => {
    try {
      const reg = await navigator.serviceWorker.register('sw.js');
      await navigator.serviceWorker.ready;
      const page = location.href.split('#')[0];
      const files = performance.getEntriesByType('resource').map((r) => r.name.split('#')[0]);
      (reg.active || navigator.serviceWorker.controller).postMessage({ type: 'cache', urls: [page, ...new Set(files)] });
    } catch {
      /* no offline copy (e.g. storage off): the page works online as before */
    }
  });
}
