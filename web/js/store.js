// @ts-check
// The runs library in the browser's storage (IndexedDB): several runs, each
// the latest checkpoint of one model (key: its link without the sampling
// fields, js/api.js modelKey). Metadata and checkpoint bytes live in two
// stores so the list never reads the weights. Writes never move a run's step
// backwards (two tabs, late saves): the check and the write share one
// transaction, which IndexedDB serialises across tabs.
const DB = 'flowlab';
const META = 'meta';    // key → {key, link, ex, step, size, savedAt, created}
const BYTES = 'bytes';  // key → Uint8Array checkpoint
const LEGACY = 'runs';  // version 1: one record under 'current'

// Bounds of the library; the oldest runs beyond them are dropped (reported).
export const limits = { runs: 12, bytes: 256 * 1024 * 1024 };

let conn = null;
function open() {
  if (conn) return conn;
  conn = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(LEGACY)) db.createObjectStore(LEGACY);
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: 'key' });
      if (!db.objectStoreNames.contains(BYTES)) db.createObjectStore(BYTES);
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the database: let it (we reopen on the next call).
      db.onversionchange = () => { db.close(); conn = null; };
      resolve(db);
    };
    req.onerror = () => { conn = null; reject(req.error); };
    req.onblocked = () => { conn = null; reject(new DOMException('another flowlab tab holds the storage open with an older version; close it', 'BlockedError')); };
  });
  return conn;
}

// Runs fn(stores, done) in one transaction; resolves with what fn passed to
// done() once the transaction has committed (so a quota failure at commit
// rejects).
async function tx(names, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    let result;
    let t;
    try {
      t = db.transaction(names, mode);
      const stores = Object.fromEntries(names.map((n) => [n, t.objectStore(n)]));
      fn(stores, (r) => { result = r; });
    } catch (e) {
      if (t) try { t.abort(); } catch { /* already finished */ }
      reject(e);
      return;
    }
    t.oncomplete = () => resolve(result);
    t.onabort = () => reject(t.error || new DOMException('the storage transaction was aborted', 'AbortError'));
  });
}

const req = (r, then) => { r.onsuccess = () => then(r.result); };

// The library's runs, newest first (metadata only).
export async function list() {
  const all = await tx([META], 'readonly', (s, done) => req(s[META].getAll(), done));
  return (all || []).sort((a, b) => b.savedAt - a.savedAt);
}

export async function meta(key) {
  return (await tx([META], 'readonly', (s, done) => req(s[META].get(key), done))) || null;
}

// The whole run {…meta, bytes}, or null.
export async function get(key) {
  return tx([META, BYTES], 'readonly', (s, done) => req(s[META].get(key), (m) => {
    if (!m) return done(null);
    req(s[BYTES].get(key), (bytes) => done(bytes ? { ...m, bytes } : null));
  }));
}

// record: {key, link, ex, step, bytes}. Returns {saved, stored (the step the
// library holds now), dropped: [meta of runs removed to stay in bounds]}.
// Unless replace (an explicit reset), a run ahead of record.step is kept.
export async function save(record, { replace = false } = {}) {
  const { bytes, ...rest } = record;
  const m = { ...rest, size: bytes.byteLength, savedAt: Date.now() };
  return tx([META, BYTES], 'readwrite', (s, done) => req(s[META].get(m.key), (old) => {
    if (old && !replace && old.step > m.step) return done({ saved: false, stored: old.step, dropped: [] });
    m.created = old ? old.created || old.savedAt : m.savedAt;
    if (old && old.step === m.step && old.link === m.link && old.size === m.size) {
      s[META].put(m);  // the same state again (a reopened run): only its date moves
      return done({ saved: true, stored: m.step, dropped: [] });
    }
    s[META].put(m);
    s[BYTES].put(bytes, m.key);
    req(s[META].getAll(), (all) => {
      const others = all.filter((r) => r.key !== m.key).sort((a, b) => a.savedAt - b.savedAt);
      let count = others.length + 1;
      let total = others.reduce((sum, r) => sum + r.size, m.size);
      const dropped = [];
      for (const r of others) {
        if (count <= limits.runs && total <= limits.bytes) break;
        s[META].delete(r.key);
        s[BYTES].delete(r.key);
        dropped.push(r);
        count -= 1;
        total -= r.size;
      }
      done({ saved: true, stored: m.step, dropped });
    });
  }));
}

export async function remove(key) {
  await tx([META, BYTES], 'readwrite', (s) => { s[META].delete(key); s[BYTES].delete(key); });
}

// The single run stored by the first version of the page, if any.
export async function legacy() {
  return (await tx([LEGACY], 'readonly', (s, done) => req(s[LEGACY].get('current'), done))) || null;
}

// Moves the legacy run into the library under `key` (one transaction; a
// library run of that key further along is kept).
export async function adoptLegacy({ key, ex }) {
  return tx([LEGACY, META, BYTES], 'readwrite', (s, done) => req(s[LEGACY].get('current'), (old) => {
    if (!old) return done(false);
    req(s[META].get(key), (m) => {
      if (!m || m.step <= old.step) {
        const t = old.savedAt || Date.now();
        s[META].put({ key, link: old.link, ex, step: old.step, size: old.bytes.byteLength, savedAt: t, created: t });
        s[BYTES].put(old.bytes, key);
      }
      s[LEGACY].delete('current');
      done(true);
    });
  }));
}
