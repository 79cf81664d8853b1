// A tiny dependency-free static file server for web/ (local preview and the browser tests): GET and
// HEAD only, known MIME types (application/wasm, text/javascript for .mjs), no directory listing, no
// path outside the root, and the page's Content-Security-Policy sent as a header as well.
// Usage: node scripts/static-server.mjs [root=web] [port=$PORT or 8000] [host=127.0.0.1]
// Import: startServer({ root, port: 0 }) -> { server, url } (port 0 = a free port).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

export const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',  // the bundled folder's source maps
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.npy': 'application/octet-stream',
};

function send(response, status, text) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

// The file for a URL path inside root, or null. Resolves symlinks so none can lead outside root.
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  let candidate = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  try {
    if ((await stat(candidate)).isDirectory()) candidate = path.join(candidate, 'index.html');
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + path.sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

export async function startServer({ root, port = 0, host = '127.0.0.1' } = {}) {
  const realRoot = await realpath(root);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'method not allowed\n');
      return;
    }
    // The path as sent ('//x' is a path here, not a host: new URL('//x', base) would read it as one, and throws
    // on '//', which once stopped the server); anything unreadable is refused.
    let urlPath;
    try {
      urlPath = new URL(request.url.startsWith('/') ? `http://localhost${request.url}` : request.url).pathname;
    } catch {
      send(response, 400, 'bad request\n');
      return;
    }
    const file = await resolveFile(realRoot, urlPath);
    if (!file) {
      send(response, 404, 'not found\n');
      return;
    }
    const type = mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const { size } = await stat(file);
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': size,
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, url: `http://${host}:${address.port}/` };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(process.argv[2] ?? path.join(here, '..', 'web'));
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8000);
  const host = process.argv[4] ?? '127.0.0.1';
  const { url } = await startServer({ root, port, host });
  console.log(`Serving ${root} at ${url}  (Ctrl-C to stop)`);
}
