// Minimal static server for web/ (local use and browser tests): correct MIME
// types (wasm streaming needs application/wasm), loopback only. Caching: the
// page is revalidated on every load; scripts and wasm stay fresh for a few
// seconds (the page, its module worker, the pthread workers and the service
// worker load them once, from the browser's HTTP cache) and are then
// revalidated by their ETag, so an edited file shows on the next reload.
// Every response carries the lab's security headers (README, "Serving"): the
// CSP as a header reaches the worker too (a <meta> tag covers only the page).
//   node .ci/static-server.mjs [port] [root]
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

// The page's <meta> policy, plus what only a header can say: who may frame
// the lab. Course sites embed labs in iframes, so any site may.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *";
export const HEADERS = {
  'content-security-policy': CSP,
  // Cross-origin isolation (SharedArrayBuffer for wasm threads); CORP
  // cross-origin lets an isolated course page embed the lab as well.
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
// Long enough for one load (worker and pthreads start within it), short
// enough that an edit made after a load is seen by a reload.
export const FRESH_SECONDS = 10;
const cacheControl = (file) => (file.endsWith('.html') ? 'no-cache' : `max-age=${FRESH_SECONDS}`);

// The file a request path names under root, or an HTTP status for a bad
// request: 400 for a malformed path or escape, 403 outside root.
export function resolvePath(root, reqUrl) {
  const raw = String(reqUrl || '').split(/[?#]/, 1)[0];
  if (!raw.startsWith('/')) return 400;
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 400;  // "/%", "/%E0%A4%A": not a valid percent-encoding
  }
  if (decoded.includes('\0')) return 400;
  const file = path.resolve(root, `.${decoded}`);
  const rel = path.relative(root, file);
  // A sibling such as web-private/ starts with root's name: compare whole segments.
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return 403;
  return file;
}

function send(res, status, body, type = 'text/plain; charset=utf-8', extra = {}) {
  const length = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) };
  for (const [k, v] of Object.entries({ ...HEADERS, 'cache-control': 'no-store', 'content-type': type, ...length, ...extra })) res.setHeader(k, v);
  res.writeHead(status).end(body);
}

export function serve(root = path.join(here, '..', 'web'), port = 8000, host = '127.0.0.1') {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    try {
      let file = resolvePath(root, req.url);
      if (typeof file === 'number') return send(res, file, file === 400 ? 'bad request' : 'forbidden');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      fs.stat(file, (err, st) => {
        if (!err && st.isDirectory()) file = path.join(file, 'index.html');
        fs.readFile(file, (err2, body) => {
          if (err2) return send(res, 404, 'not found');
          const tag = `"${crypto.createHash('sha1').update(body).digest('base64url')}"`;
          const type = TYPES[path.extname(file)] || 'application/octet-stream';
          const validators = { etag: tag, 'cache-control': cacheControl(file) };
          if (String(req.headers['if-none-match'] || '').split(/\s*,\s*/).includes(tag)) return send(res, 304, undefined, type, validators);
          send(res, 200, req.method === 'HEAD' ? undefined : body, type, validators);
        });
      });
    } catch {
      if (!res.headersSent) send(res, 500, 'server error');
      else res.destroy();
    }
  });
  // A malformed request line never reaches the handler: answer it and close.
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 8000);
  const root = process.argv[3] ? path.resolve(process.argv[3]) : undefined;
  serve(root, port).then(() => console.log(`flowlab: http://127.0.0.1:${port}/`));
}
