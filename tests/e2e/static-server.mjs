// A minimal static file server for the release build (dist/), used by the browser tests and the
// benchmark. Loopback only. Like any real host it sends gzip to browsers that accept it, so
// load timings (Lighthouse) see the sizes the budget is about. Usage: node static-server.mjs <dir> <port> [<switch-file>]
// With a switch file, the directory served is the one the file names, read at each request: a
// test "deploys a new build" by writing another directory's name into it.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const fixedRoot = resolve(process.argv[2] ?? 'dist');
const port = Number(process.argv[3] ?? 4173);
const switchFile = process.argv[4];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

createServer(async (req, res) => {
  let root = fixedRoot;
  if (switchFile) {
    try { root = resolve((await readFile(switchFile, 'utf8')).trim()); } catch { /* the fixed root */ }
  }
  const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  let file = normalize(join(root, path));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' });
      res.end(gzipSync(body, { level: 9 }));
    } else {
      res.writeHead(200, headers);
      res.end(body);
    }
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${fixedRoot} on http://127.0.0.1:${port}`));
