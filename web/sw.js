// Offline copy of the lab (scope: this folder). After the first visit every
// file of the app is in the cache; requests go to the network first (a new
// build is used, and cached, as soon as it is online) and fall back to the
// cache when the network fails. Only complete same-origin 200 responses are
// cached, never errors. A new VERSION (any change of this file installs it)
// drops the caches of older versions.
// Every response it serves carries the cross-origin isolation headers (COOP,
// COEP, CORP), so on a static host that cannot send them the lab is isolated
// from the next load on and its worker runs the pthreads module.
const VERSION = 'flowlab-v2';
// What the training worker loads (the page reports its own files): either module.
const WORKER = ['js/worker.js', 'js/worker-aside.js', 'js/next-task.js', 'gen/flowlab.js', 'gen/flowlab.wasm', 'js/api.js',
  'gen/mt/flowlab.js', 'gen/mt/flowlab.wasm', 'gen/mt/flowlab.worker.js'];
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin' };

self.addEventListener('install', (e) => {
  self.skipWaiting();
  e.waitUntil(caches.open(VERSION).then((c) => Promise.all(WORKER.map((u) => fetchInto(c, new URL(u, self.registration.scope).href)))));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('flowlab-') && k !== VERSION).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The page lists the files it loaded before this worker controlled it.
self.addEventListener('message', (e) => {
  const urls = e.data && e.data.type === 'cache' && Array.isArray(e.data.urls) ? e.data.urls : [];
  e.waitUntil(caches.open(VERSION).then((c) => Promise.all(urls.filter(inScope).map(async (u) => {
    if (!(await c.match(u))) await fetchInto(c, u);
  }))));
});

self.addEventListener('fetch', (e) => {
  if (e.request.method !== 'GET' || !inScope(e.request.url)) return;
  e.respondWith(networkFirst(e.request).then(isolated));
});

// The response with the isolation headers added (an opaque one cannot be rebuilt).
function isolated(res) {
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0) return res;
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

function inScope(url) {
  return typeof url === 'string' && url.startsWith(self.registration.scope);
}

const cacheable = (res) => res.ok && res.status === 200 && res.type === 'basic';

// The copy in the browser's HTTP cache when there is one (the file this visit
// just loaded), else the network: a file is never downloaded twice.
async function fetchInto(cache, url) {
  try {
    const res = await fetch(url, { cache: 'force-cache' });
    if (cacheable(res)) await cache.put(url, res);
  } catch { /* offline now: cached on a later visit */ }
}

async function networkFirst(req) {
  const cache = await caches.open(VERSION);
  try {
    const res = await fetch(req);
    if (cacheable(res)) cache.put(req, res.clone()).catch(() => {});
    return res;
  } catch (err) {
    // Navigations differ in their query; the page is the folder's index.
    const hit = await cache.match(req, { ignoreSearch: req.mode === 'navigate' }) ||
      (req.mode === 'navigate' ? await cache.match(self.registration.scope) : undefined);
    if (hit) return hit;
    throw err;
  }
}
