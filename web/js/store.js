// Browser persistence of the current run (IndexedDB): the latest checkpoint
// of the experiment, so a reload, a crashed tab or a dead worker resumes it.
const DB = 'flowlab';
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
    t.onerror = () => { db.close(); reject(t.error); };
    t.onabort = () => { db.close(); reject(t.error); };
  });
}

// record: {link, step, bytes: Uint8Array, savedAt}
export async function save(record) {
  await tx('readwrite', (s) => s.put(record, 'current'));
}

export async function load() {
  try {
    return (await tx('readonly', (s) => s.get('current'))) || null;
  } catch {
    return null;  // storage disabled (private mode, quota): start fresh
  }
}

export async function clear() {
  await tx('readwrite', (s) => s.delete('current'));
}
