// Timing of one training step of the lab in headless Chromium: the page's own lab worker
// (web/engine/lab-worker.mjs, driven by lab-client.mjs's LabWorker) running a wasm module with the lab
// binding, the runs, loop and columns of bench/lab-step-timing.mjs (as lab-bench-wasm.mjs), each step one
// lab_advance(id, 1) call through the worker. Per step: the wall time in the page from the
// call to the answer (postMessage both ways included), and the CPU time of the worker's thread alone, read
// from Linux's /proc/<renderer>/task/<thread>/schedstat (nanoseconds on the CPU) before and after the call:
// the step's own cost whatever else the machine runs, as the native and node columns measure theirs (node's
// is its whole process; this is the one thread, so V8's background threads are not counted). Medians after
// a warm-up. The document is a blank page of the served copy's origin (as chromium-bench.mjs). A benchmark,
// never a test.
// Usage: node bench/lab-bench-chromium.mjs --module DIR --corpus FILE [--web-root DIR] [--task lm-vs-mlm]
//   [--configs forward:softmax,...] [--n 64] [--width 64] [--heads 4] [--layers 2] [--batch 16]
//   [--steps 100] [--warmup 10]
// DIR holds attnrank.{mjs,wasm} built with the lab binding; it is served from a temporary copy of web/
// (--web-root: another copy of web/, e.g. the measured commit's) with those two files in its wasm/.
// Prints '# ' comment lines (browser version, worker thread) then CSV with the columns of
// attnrank_lab_bench (base_rss_kb: the renderer process's RSS with the module loaded, before the corpus;
// peak_rss_kb: its peak, VmHWM). Exit 3 when the module has no lab binding.
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openBrowser } from '../tests/e2e/browser.mjs';
import { parseLabBenchArgs, timeConfigs } from './lab-step-timing.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const values = parseLabBenchArgs({ 'web-root': { type: 'string', default: path.join(root, 'web') } });
if (!values.module) {
  process.stderr.write('lab-bench-chromium: --module DIR (attnrank.{mjs,wasm} with the lab binding) is required\n');
  process.exit(2);
}

const readText = (file) => { try { return readFileSync(file, 'utf8'); } catch { return ''; } };

// The processes below this one (Chromium's browser, zygotes, renderers), from /proc's parent links.
async function descendants(pid) {
  const parents = new Map();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // after "pid (comm) "
    if (fields.length > 1) parents.set(Number(entry), Number(fields[1]));
  }
  const found = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of parents) {
      if (found.has(parent) && !found.has(child)) { found.add(child); grew = true; }
    }
  }
  found.delete(pid);
  return [...found];
}

// The one dedicated worker thread among this browser's renderers ('DedicatedWorker thread', cut to 15
// characters in comm): { pid, tid }. Throws when there is not exactly one.
async function findWorkerThread() {
  const threads = [];
  for (const pid of await descendants(process.pid)) {
    if (!readText(`/proc/${pid}/cmdline`).includes('--type=renderer')) continue;
    let tasks = [];
    try { tasks = await readdir(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      if (readText(`/proc/${pid}/task/${tid}/comm`).startsWith('DedicatedWorker')) threads.push({ pid, tid: Number(tid) });
    }
  }
  if (threads.length !== 1) throw new Error(`expected one DedicatedWorker thread in this browser, found ${threads.length}`);
  return threads[0];
}

const threadCpuNs = ({ pid, tid }) => Number(readText(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[0]);
const statusKb = (pid, key) => Number(readText(`/proc/${pid}/status`).match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);

const webRoot = await mkdtemp(path.join(tmpdir(), 'attnrank-lab-bench-web-'));
let browser;
try {
  await cp(path.resolve(values['web-root']), webRoot, { recursive: true, filter: (source) => !source.endsWith(`${path.sep}wasm`) });
  await mkdir(path.join(webRoot, 'wasm'));
  await copyFile(path.join(values.module, 'attnrank-lab.mjs'), path.join(webRoot, 'wasm', 'attnrank-lab.mjs'));
  await copyFile(path.join(values.module, 'attnrank-lab.wasm'), path.join(webRoot, 'wasm', 'attnrank-lab.wasm'));
  browser = await openBrowser({ webRoot });
  const page = await browser.context.newPage();
  const blankUrl = `${browser.serverUrl}lab-bench-blank.html`;
  const corpusUrl = `${browser.serverUrl}lab-bench-corpus.txt`;
  await page.route(blankUrl, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lab bench</title>' }));
  const corpus = values.corpus ? await readFile(values.corpus) : null;
  await page.route(corpusUrl, (route) => route.fulfill({ contentType: 'text/plain', body: corpus ?? '' }));
  await page.goto(blankUrl);
  const hasLab = await page.evaluate(async () => {
    const { LabWorker } = await import('./engine/lab-client.mjs');
    window.worker = new LabWorker();
    await window.worker.ready;
    try {
      await window.worker.call('lab_destroy', -1);
      return true;
    } catch (error) {
      return !/method=lab_destroy is unknown/.test(error.message);
    }
  });
  if (!hasLab) {
    process.stderr.write(`lab-bench-chromium: ${values.module}/attnrank-lab.mjs has no lab binding\n`);
    process.exitCode = 3;
  } else {
    const thread = await findWorkerThread();
    const baseKb = statusKb(thread.pid, 'VmRSS');
    if (corpus) {
      await page.evaluate(async (url) => {
        await window.worker.call('lab_set_corpus', new Uint8Array(await (await fetch(url)).arrayBuffer()));
      }, corpusUrl);
    }
    console.log(`# browser ${browser.context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent))}`);
    console.log(`# worker thread ${thread.tid} in renderer ${thread.pid}; CPU from its schedstat`);
    await timeConfigs(values, {
      start: (config) => page.evaluate((c) => window.worker.call('lab_start', c), config),
      step: async (id) => {
        const cpuStart = threadCpuNs(thread);
        const wallMs = await page.evaluate(async (runId) => {
          const start = performance.now();
          await window.worker.call('lab_advance', runId, 1);
          return performance.now() - start;
        }, id);
        return { cpuMs: (threadCpuNs(thread) - cpuStart) / 1e6, wallMs };
      },
      destroy: (id) => page.evaluate((runId) => window.worker.call('lab_destroy', runId), id),
      baseKb,
      peakKb: () => statusKb(thread.pid, 'VmHWM'),
    });
  }
} finally {
  await browser?.close();
  await rm(webRoot, { recursive: true, force: true });
}
