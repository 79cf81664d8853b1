// Browser end-to-end test of the page (web/index.html) in Debian's Chromium, driven by playwright-core:
// serves web/ on a free loopback port, waits for the result table, checks its numbers against the
// native CLI's JSON, checks that the wasm ran in the worker (not on the main thread), that the console
// has no error and the CSP reported no violation, and saves light and dark screenshots to test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { contentSecurityPolicy, startServer } from '../../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliPath = path.join(root, 'build', 'native', 'attnrank');
const resultsDir = path.join(root, 'test-results');
const chromiumPath = '/usr/bin/chromium';
const kRelativeTolerance = 1e-9;  // forward n = 64: native and wasm agree to ~1e-15 (sigma_min is exactly 0)
const kPageTimeoutMs = 60_000;

// Flags verified on these machines (design.md section 4); playwright adds --headless itself.
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let server;
let serverUrl;
let scratch;
let context;

before(async () => {
  assert.ok(existsSync(path.join(root, 'web', 'wasm', 'attnrank.wasm')), 'web/wasm/ is missing: run ./build-wasm.sh');
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/install-deps.sh`);
  ({ server, url: serverUrl } = await startServer({ root: path.join(root, 'web'), port: 0 }));
  scratch = await mkdtemp(path.join(tmpdir(), 'attnrank-e2e-'));
  await mkdir(path.join(scratch, 'home'));
  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    env: { ...process.env, HOME: path.join(scratch, 'home') },
    viewport: { width: 900, height: 1100 },
  });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// Opens the page with listeners for console errors, page errors and CSP violations attached first.
async function openPage(url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

async function referenceResult(config) {
  const wasmDir = path.join(root, 'web', 'wasm');
  const { default: createAttnrank } = await import(pathToFileURL(path.join(wasmDir, 'attnrank.mjs')).href);
  const attnrank = await createAttnrank({ wasmBinary: await readFile(path.join(wasmDir, 'attnrank.wasm')) });
  return attnrank.analyze(config);
}

function cliJson(args) {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  const run = spawnSync(cliPath, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `attnrank ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

test('the page shows the forward pattern statistics, computed in the worker, with no error', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(serverUrl);
  await page.waitForSelector('body[data-state]', { timeout: kPageTimeoutMs });
  assert.equal(await page.getAttribute('body', 'data-state'), 'done',
    `page failed: ${await page.textContent('#error')}`);

  const rows = await page.$$eval('#result tr[data-key]', (elements) => elements.map((row) => ({
    key: row.dataset.key,
    value: JSON.parse(row.dataset.value),
    text: row.cells[1].textContent,
  })));
  const shown = Object.fromEntries(rows.map(({ key, value }) => [key, value]));
  const shownText = Object.fromEntries(rows.map(({ key, text }) => [key, text]));
  assert.equal(shown.pattern, 'forward');
  assert.equal(shown.n, 64);
  assert.equal(shown.d, 8);
  assert.equal(shown.seed, 7);
  assert.equal(shown.structurally_full_rank, true, 'a causal softmax matrix is structurally full rank');
  assert.equal(shownText.structurally_full_rank, 'yes');

  // Integers, booleans and strings as the native CLI prints them; every number exactly as the same
  // wasm module computes it under node (wasm arithmetic is deterministic), floats near the CLI's.
  const cli = cliJson(['stats', '--pattern', 'forward', '--n', '64', '--d', '8', '--seed', '7', '--json']);
  const reference = await referenceResult({ pattern: 'forward', n: 64, d: 8, seed: 7 });
  assert.equal(shown.numerical_rank_f64, cli.numerical_rank_f64);
  for (const [key, value] of Object.entries(shown)) {
    assert.equal(value, reference[key], `${key}: page vs wasm under node`);
    if (typeof value === 'number' && !Number.isInteger(value)) {
      assert.ok(Math.abs(value - cli[key]) <= kRelativeTolerance * Math.abs(cli[key]), `${key}: page ${value} vs CLI ${cli[key]}`);
    } else {
      assert.equal(value, cli[key], `${key}: page vs CLI`);
    }
  }

  // The SVD ran in the worker: the document itself never fetched the wasm.
  assert.equal(page.workers().length, 1, 'one engine worker');
  const documentResources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(!documentResources.some((name) => name.endsWith('.wasm')), `main thread fetched ${documentResources}`);

  const metaPolicy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(metaPolicy.replace(/\s+/g, ' ').trim(), contentSecurityPolicy);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');

  await mkdir(resultsDir, { recursive: true });
  await page.emulateMedia({ colorScheme: 'light' });
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.screenshot({ path: path.join(resultsDir, 'page-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.screenshot({ path: path.join(resultsDir, 'page-dark.png'), fullPage: true });
  assert.notEqual(lightBackground, darkBackground, 'prefers-color-scheme: dark changes the colours');
  await page.close();
});

test('the server refuses paths outside web/ and serves the right MIME types', async () => {
  const response = await fetch(new URL('/../package.json', serverUrl), { redirect: 'manual' });
  assert.equal(response.status, 404);
  const escaped = await fetch(`${serverUrl}%2e%2e/package.json`);
  assert.equal(escaped.status, 404);
  const wasm = await fetch(new URL('wasm/attnrank.wasm', serverUrl));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const module = await fetch(new URL('main.mjs', serverUrl));
  assert.match(module.headers.get('content-type'), /^text\/javascript/);
  assert.equal(module.headers.get('content-security-policy'), contentSecurityPolicy);
});
