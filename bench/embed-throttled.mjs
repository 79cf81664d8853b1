// First-figure time of a one-figure post on a slow connection (issue 19 item 7), printed, never pass/fail:
// the post (one <attn-figure kind="patterns">, the embed's one script tag) and the embeddable folder are served by
// a static server that gzips what it sends (below), to Chromium whose network is throttled through CDP
// (Network.emulateNetworkConditions on the page, which Chromium also applies to its dedicated workers' requests:
// the wasm module's time here is its compressed size over the throughput), cache empty (a new context per run).
// Printed per folder: the requests the post made of the folder (the page's and its worker's: the server's log)
// and the bytes the server sent for them (response bodies as sent, gzipped where gzip applies; HTTP headers not
// counted) with the uncompressed sizes beside; the median time from navigation to the last byte of the folder's
// files (Playwright's request timing: the network's part) and to the figure's data-state="done" (adds compiling
// the wasm module, which overlaps its download, and computing the figure: CPU, which a loaded machine slows).
// The folders' runs are interleaved, one of each per round.
//   node bench/embed-throttled.mjs [--runs 3] [--down-kbit 1600] [--latency-ms 150] [--ref GIT-REF]...
// The folder is built by this tree's scripts/build-dist.sh (needs web/wasm); each --ref builds another commit's
// folder the same way (its web/ and scripts/ from `git archive`, with this tree's web/wasm) and measures it too:
// --ref 9ad2fe2 is the folder before bundling (scripts/bundle.mjs).
// The server gzips every file but the page's own at level 6 (the default of Apache's mod_deflate and of
// `gzip`; nginx's gzip_comp_level defaults to 1), the wasm module included (GitHub Pages and most CDNs compress
// application/wasm; nginx does only when gzip_types names it).
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { contentSecurityPolicy, mimeTypes } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(flag('runs', 3));
const downKbit = Number(flag('down-kbit', 1600));
const latencyMs = Number(flag('latency-ms', 150));
const refs = process.argv.flatMap((arg, index) => (arg === '--ref' ? [process.argv[index + 1]] : []));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kGzipLevel = 6;

const post = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>One attention figure</title>
<script type="module" src="attnrank/attnrank.mjs"></script>
</head>
<body>
<h1>One attention figure</h1>
<p>The attention patterns of one head, computed in your browser:</p>
<attn-figure kind="patterns" n="64" d="8" seed="7"></attn-figure>
</body>
</html>
`;

// A static server for site/ that gzips (kGzipLevel, once per file) when the request accepts it, and logs each
// request's path with the body bytes sent (log is cleared by the caller between runs).
function gzipServer(site, log) {
  const cache = new Map();
  const server = createServer(async (request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = path.join(site, path.normalize(urlPath));
    let body;
    try {
      if (!file.startsWith(site + path.sep)) throw new Error('outside');
      body = await readFile(file);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
      log.push({ path: urlPath, sent: 0, raw: 0, status: 404 });
      return;
    }
    const headers = { 'Content-Type': mimeTypes[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': contentSecurityPolicy,
      'Cache-Control': 'no-cache', 'Vary': 'Accept-Encoding' };
    let sent = body;
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '') && !urlPath.endsWith('.html')) {
      if (!cache.has(file)) cache.set(file, gzipSync(body, { level: kGzipLevel }));
      sent = cache.get(file);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = sent.length;
    response.writeHead(200, headers);
    response.end(sent);
    log.push({ path: urlPath, sent: sent.length, raw: body.length, status: 200 });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

// A site folder with the post and the embeddable folder that build-dist.sh (in tree, a checkout) makes.
async function siteFor(tree) {
  const site = await mkdtemp(path.join(tmpdir(), 'attnrank-throttled-'));
  execFileSync('bash', [path.join(tree, 'scripts', 'build-dist.sh'), path.join(site, 'attnrank')], { stdio: 'pipe' });
  await writeFile(path.join(site, 'post.html'), post);
  return site;
}

// A checkout of ref's web/ and scripts/ (and package.json, for the scripts that read it), with this tree's wasm.
async function checkout(ref) {
  const tree = await mkdtemp(path.join(tmpdir(), 'attnrank-ref-'));
  const archive = execFileSync('git', ['-C', root, 'archive', ref, 'web', 'scripts', 'package.json', 'CMakeLists.txt'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  await cp(path.join(root, 'web', 'wasm'), path.join(tree, 'web', 'wasm'), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));  // a ref that bundles needs rollup
  return tree;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });

// One run of the post at url: { doneMs, lastByteMs, requests } (the figure drawn and the last byte of the folder's
// files received, both in ms after navigation started; the server's log of the run).
async function onePost(url, log) {
  log.length = 0;
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const finished = [];
  page.on('requestfinished', (request) => finished.push(request));  // the page's and its worker's
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs,
    downloadThroughput: (downKbit * 1000) / 8, uploadThroughput: (750 * 1000) / 8 });
  await page.goto(`${url}post.html`, { waitUntil: 'commit' });
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('attn-figure')?.dataset.state), null,
    { timeout: 300_000, polling: 50 });
  const state = await page.$eval('attn-figure', (figure) => `${figure.dataset.state}: ${figure.shadowRoot?.textContent.trim().slice(0, 200)}`);
  if (!state.startsWith('done')) throw new Error(`${url}: the figure ended in ${state}`);
  const { doneMs, timeOrigin } = await page.evaluate(() => ({ doneMs: performance.now(), timeOrigin: performance.timeOrigin }));
  const ends = finished.filter((request) => request.url().includes('/attnrank/'))
    .map((request) => request.timing()).map((timing) => timing.startTime + timing.responseEnd - timeOrigin);
  await context.close();
  return { doneMs, lastByteMs: Math.max(...ends), requests: [...log] };
}

function report(label, results) {
  const requests = results.at(-1).requests;
  const files = requests.filter((request) => request.path !== '/post.html' && request.path !== '/favicon.ico');
  const sent = files.reduce((sum, request) => sum + request.sent, 0);
  const raw = files.reduce((sum, request) => sum + request.raw, 0);
  const wasm = files.filter((request) => request.path.endsWith('.wasm')).reduce((sum, request) => sum + request.sent, 0);
  const seconds = (values) => `${(median(values) / 1000).toFixed(2)} s (${values.map((value) => (value / 1000).toFixed(2)).join(', ')})`;
  console.log(`${label}: ${files.length} requests of the folder (+ the post), ${(sent / 1024).toFixed(0)} KiB sent gzipped ` +
    `(${(raw / 1024).toFixed(0)} KiB uncompressed; the wasm module ${(wasm / 1024).toFixed(0)} KiB of it)\n` +
    `  last byte of the folder received: median ${seconds(results.map((result) => result.lastByteMs))}\n` +
    `  first figure drawn:               median ${seconds(results.map((result) => result.doneMs))}`);
  if (process.argv.includes('--list')) for (const request of files) console.log(`  ${request.path} ${request.sent} B (${request.raw} B)`);
}

console.log(`one-figure post (patterns, n = 64, d = 8), ${downKbit} kbit/s down, ${latencyMs} ms latency, gzip level ${kGzipLevel}:`);
const temporary = [];
const servers = [];
try {
  // The folders first, then the runs interleaved (one of each folder per round), so that each folder meets the
  // same load of the machine.
  const sites = [];
  for (const ref of refs) {
    const tree = await checkout(ref);
    temporary.push(tree);
    sites.push({ label: `${ref} (git archive)`, site: await siteFor(tree) });
  }
  sites.push({ label: 'this tree', site: await siteFor(root) });
  for (const entry of sites) {
    temporary.push(entry.site);
    entry.log = [];
    const { server, url } = await gzipServer(entry.site, entry.log);
    servers.push(server);
    entry.url = url;
    entry.results = [];
  }
  for (let run = 0; run < runs; ++run) {
    for (const entry of sites) entry.results.push(await onePost(entry.url, entry.log));
  }
  for (const entry of sites) report(entry.label, entry.results);
} finally {
  await browser.close();
  for (const server of servers) server.close();
  for (const folder of temporary) await rm(folder, { recursive: true, force: true });
}
