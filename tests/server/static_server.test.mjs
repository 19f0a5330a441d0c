// The static server (.ci/static-server.mjs): bad requests get 400 and never
// stop it, nothing outside its root is served (a sibling folder sharing the
// root's name included), and every response carries the security headers.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, CSP, FRESH_SECONDS } from '../../.ci/static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlab-server-'));
const root = path.join(tmp, 'web');
fs.mkdirSync(path.join(root, 'js'), { recursive: true });
fs.mkdirSync(path.join(tmp, 'web-private'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>lab</title>');
fs.writeFileSync(path.join(root, 'js', 'worker.js'), 'self.onmessage = () => {};');
fs.writeFileSync(path.join(root, 'a b.wasm'), Buffer.from([0, 97, 115, 109]));
fs.writeFileSync(path.join(tmp, 'web-private', 'secret.txt'), 'SECRET');
fs.writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');

const server = await serve(root, 0);
const port = server.address().port;
test.after(() => { server.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

// A raw request: the path is sent exactly as given (like curl --path-as-is).
function raw(requestLine) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => {
      const [head, ...body] = data.split('\r\n\r\n');
      const [status, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(status.split(' ')[1]), headers, body: body.join('\r\n\r\n') });
    });
    s.on('error', reject);
  });
}
const get = (p) => raw(`GET ${p} HTTP/1.1`);

test('bad percent-encodings get 400 and the server keeps serving', async () => {
  for (const p of ['/%', '/%00', '/%E0%A4%A', '/%zz', '/js/%', '/index.html%00.js', '/%C0%AE%C0%AE/secret.txt']) {
    const r = await get(p);
    assert.equal(r.status, 400, p);
    assert.doesNotMatch(r.body, /SECRET/);
  }
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<title>lab<\/title>/);
});

test('nothing outside the root: parent, sibling folder with the root as prefix, encoded slashes', async () => {
  for (const p of ['/../secret.txt', '/../web-private/secret.txt', '/..%2fweb-private%2fsecret.txt',
    '/%2e%2e/web-private/secret.txt', '/js/../../web-private/secret.txt', '/..%5csecret.txt']) {
    const r = await get(p);
    assert.ok([400, 403, 404].includes(r.status), `${p}: ${r.status}`);
    assert.doesNotMatch(r.body, /SECRET/, p);
  }
  assert.equal((await get('/../web-private/secret.txt')).status, 403);
  assert.equal((await get('/nope.js')).status, 404);
});

test('malformed request lines and other methods do not crash it', async () => {
  const r1 = await raw('GET /%\x01 HTTP/1.1');
  assert.equal(r1.status, 400);
  const r2 = await raw('GET http://evil.example/ HTTP/1.1');
  assert.equal(r2.status, 400);
  const r3 = await raw('POST /index.html HTTP/1.1');
  assert.equal(r3.status, 405);
  assert.equal((await get('/a%20b.wasm')).status, 200);
});

test('every response carries CSP (worker included), COOP/COEP, nosniff, framing policy; MIME types', async () => {
  const page = await get('/');
  const worker = await get('/js/worker.js');
  const wasm = await get('/a%20b.wasm');
  const missing = await get('/missing');
  const bad = await get('/%');
  for (const r of [page, worker, wasm, missing, bad]) {
    assert.equal(r.headers['content-security-policy'], CSP);
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], undefined);  // framing is allowed (course sites embed labs)
  }
  assert.match(CSP, /frame-ancestors \*/);
  assert.match(worker.headers['content-type'], /^text\/javascript/);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  // The header policy holds every directive of the page's <meta> policy.
  const html = fs.readFileSync(path.join(here, '..', '..', 'web', 'index.html'), 'utf8');
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  for (const d of meta.split(';').map((x) => x.trim()).filter(Boolean)) assert.ok(CSP.includes(d), d);
});

test('caching: the page is revalidated, scripts stay fresh for a few seconds, an ETag answers 304 until the file changes; errors are never cached', async () => {
  const etagged = (extra) => fetch(`http://127.0.0.1:${port}/js/worker.js`, { headers: extra });
  const page = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const first = await etagged({});
  assert.equal(first.headers.get('cache-control'), `max-age=${FRESH_SECONDS}`);
  const tag = first.headers.get('etag');
  assert.match(tag, /^"[\w-]+"$/);
  const same = await etagged({ 'if-none-match': tag });
  assert.equal(same.status, 304);
  assert.equal(await same.text(), '');
  assert.equal(same.headers.get('content-security-policy'), CSP);
  fs.writeFileSync(path.join(root, 'js', 'worker.js'), 'self.onmessage = () => { /* edited */ };');
  const edited = await etagged({ 'if-none-match': tag });
  assert.equal(edited.status, 200);
  assert.notEqual(edited.headers.get('etag'), tag);
  assert.match(await edited.text(), /edited/);
  assert.equal((await fetch(`http://127.0.0.1:${port}/missing`)).headers.get('cache-control'), 'no-store');
});
