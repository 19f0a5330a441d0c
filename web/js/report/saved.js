// @ts-check
// The report's finished runs, kept in this browser (IndexedDB) by their link:
// a reload of the report finds them instead of training them again.
const DB = 'flowlab-report';
const STORE = 'runs';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(req && req.result); };
    t.onerror = t.onabort = () => { db.close(); reject(t.error); };
  });
}

// record: {link, step, bytes}
export const put = (record) => tx('readwrite', (s) => s.put(record, record.link)).catch(() => {});
export const get = (link) => tx('readonly', (s) => s.get(link)).catch(() => null);
