// Embeddable-figure budgets (issue 5), printed, never pass/fail: a post with one figure (transfer of the
// embed's files gzipped, first figure drawn after load on loopback), the transfer of a post with one collapse
// figure (the kinds that start the engine on the figures' wasm module rather than the first: engine-worker.mjs)
// and the ten-figure page of the e2e fixtures (one wasm instance, longest main-thread task). Usage: node bench/embed-speed.mjs [--runs 5]
// (needs web/wasm; builds the embeddable folder with scripts/build-dist.sh into a temp site).
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const site = await mkdtemp(path.join(tmpdir(), 'attnrank-embed-bench-'));
await cp(path.join(root, 'tests', 'e2e', 'fixtures', 'embed-site'), site, { recursive: true });
execFileSync('bash', [path.join(root, 'scripts', 'build-dist.sh'), path.join(site, 'attnrank')], { stdio: 'pipe' });
await writeFile(path.join(site, 'one.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>one figure</title><link rel="icon" href="favicon.ico"><script type="module" src="attnrank/attnrank.mjs"></script></head>
<body><attn-figure kind="patterns" n="64" d="8" scale="1" seed="7"></attn-figure></body></html>\n`);
await writeFile(path.join(site, 'collapse.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>one collapse figure</title><link rel="icon" href="favicon.ico"><script type="module" src="attnrank/attnrank.mjs"></script></head>
<body><attn-figure kind="collapse" n="32" layers="8" seed="7"></attn-figure></body></html>\n`);

const { server, url } = await startServer({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'] });

async function onePost(name = 'one.html') {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const files = new Set();
  page.on('request', (request) => files.add(new URL(request.url()).pathname));
  await page.goto(`${url}${name}`);
  await page.waitForFunction(() => document.querySelector('attn-figure').dataset.state === 'done', null, { timeout: 60_000 });
  const firstFigureMs = await page.evaluate(() => performance.now());
  await context.close();
  return { firstFigureMs, files };
}

const times = [];
let files;
for (let run = 0; run < runs; ++run) {
  const result = await onePost();
  times.push(result.firstFigureMs);
  files = result.files;
}
// The folder's files a post fetched (its own page and icon left out), raw and gzip -9.
async function transfer(fetched) {
  let count = 0;
  let raw = 0;
  let gzipped = 0;
  for (const file of fetched) {
    if (!file.startsWith('/attnrank/')) continue;
    const bytes = await readFile(path.join(site, file));
    count += 1;
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return `${count} files, ${(raw / 1024).toFixed(0)} KB raw, ${(gzipped / 1024).toFixed(0)} KB gzipped (${gzipped} bytes)`;
}
console.log(`one figure (patterns, n = 64, d = 8): first figure drawn ${median(times).toFixed(0)} ms after navigation ` +
  `(median of ${runs}: ${times.map((time) => time.toFixed(0)).join(', ')})`);
console.log(`embed transfer for it: ${await transfer(files)}`);
console.log(`embed transfer for one collapse figure (n = 32, 8 layers): ${await transfer((await onePost('collapse.html')).files)}`);

const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
const page = await context.newPage();
const workers = [];
page.on('worker', (worker) => workers.push(worker.url()));
await page.addInitScript(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
});
await page.goto(`${url}ten.html`);
const count = await page.evaluate(() => document.querySelectorAll('attn-figure').length);
for (let index = 0; index < count; ++index) {
  await page.evaluate((index) => document.querySelectorAll('attn-figure')[index].scrollIntoView(), index);
}
await page.waitForFunction(() => [...document.querySelectorAll('attn-figure')].every((figure) => figure.dataset.state === 'done'),
  null, { timeout: 120_000 });
const doneMs = await page.evaluate(() => performance.now());
const longTasks = await page.evaluate(() => window.longTasks);
console.log(`ten figures: all drawn ${doneMs.toFixed(0)} ms after navigation, ${workers.length} worker(s), ` +
  `longest main-thread task ${Math.max(0, ...longTasks).toFixed(0)} ms (${longTasks.length} over 50 ms)`);
await context.close();
await browser.close();
server.close();
await rm(site, { recursive: true, force: true });
