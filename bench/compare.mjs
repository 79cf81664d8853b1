// One run, one table: the time of one full stats request (seeded inputs + masked softmax + spectrum +
// statistics; d = 64, f64, seed 7, p = n / 2) per n and pattern, natively, as wasm under node, as wasm in
// headless Chromium through the page's worker, with numpy (LAPACK gesdd) and with a pure-JS SVD
// (ml-matrix), plus the ratios Chromium/native, Chromium/numpy, JS/Chromium. Runs the five sub-benchmarks
// one after another (never in parallel: two cores), prints the table, writes CSV, JSON and the text.
// A benchmark: never part of scripts/test.sh, never pass/fail.
// Usage: node bench/compare.mjs [--sizes 128,256,512,1024,2048] [--repeats 7] [--budget-s 20]
//   [--out bench/results] [--numpy-lib-dir DIR] [--no-build] [--web-root DIR]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { largeN, planCell, repeatsFor } from './budget.mjs';
import { emscriptenVersion, fileFingerprint, gitSource, loadAverage, machine } from './machine-info.mjs';
import { formatCsv, formatTable, withRatios } from './report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const patterns = ['bidirectional', 'prefix', 'forward', 'backward'];
const buildDir = path.join(root, 'build', 'h-bench');  // our own: build/native and build/wasm belong to others
const nativeBench = path.join(buildDir, 'attnrank_bench');
const wasmFiles = ['attnrank.mjs', 'attnrank.wasm'].map((name) => path.join(root, 'web', 'wasm', name));
// Pin every BLAS to one thread: the wasm module and the native bench are single-threaded.
const oneThread = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BLIS_NUM_THREADS: '1' };

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '128,256,512,1024,2048' },
    repeats: { type: 'string', default: '7' },  // odd, and 3 (odd) from n = 1024: true medians
    'budget-s': { type: 'string', default: '20' },
    out: { type: 'string', default: path.join(root, 'bench', 'results') },
    'numpy-lib-dir': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'web-root': { type: 'string' },  // for Chromium: another copy of web/ (the work tree's may be mid-edit)
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeats = Math.max(1, Number(values.repeats));
const budgetMs = Number(values['budget-s']) * 1e3;
const numpyEnv = { ...process.env, ...oneThread };
// --numpy-lib-dir adds a column: numpy with that directory's libblas.so.3 / liblapack.so.3 loaded first.
const numpyLibDir = values['numpy-lib-dir'] ? path.resolve(values['numpy-lib-dir']) : null;
const numpyLibEnv = numpyLibDir ? { ...numpyEnv, LD_LIBRARY_PATH: numpyLibDir } : null;

const log = (text) => process.stderr.write(`[compare] ${text}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs a sub-benchmark; resolves to its stdout (rejects on a non-zero exit or after timeoutMs, so a
// stuck child cannot hang the comparison). Its stderr passes through.
function runChild(command, args, { env = process.env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(args[0] ?? command)}: ${signal ? `killed (${signal}, timeout)` : `exit ${code}`}`));
    });
  });
}

// CSV rows as objects keyed by header names ('# ' lines are comments), so added columns do not matter.
function parseCsv(text) {
  const lines = text.split('\n').filter((line) => line && !line.startsWith('#'));
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell])));
}

// web/wasm is rebuilt by others: wait until both files exist and have not changed for 10 s.
async function waitForWasm() {
  for (let waited = 0; waited < 600; waited += 5) {
    const ready = wasmFiles.every((file) => existsSync(file) && statSync(file).size > 0
      && Date.now() - statSync(file).mtimeMs > 10_000);
    if (ready) return;
    if (waited === 0) log('web/wasm is missing or being rebuilt: waiting');
    await sleep(5000);
  }
  throw new Error('web/wasm did not settle within 10 minutes');
}

// Incremental build of the native bench from the current work tree (a no-op when up to date).
function buildNative() {
  const logFile = path.join(root, 'build', 'h-bench.build.log');
  mkdirSync(buildDir, { recursive: true });
  try {
    if (!existsSync(path.join(buildDir, 'CMakeCache.txt'))) {
      execFileSync('cmake', ['-S', root, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'ignore' });
    }
    const output = execFileSync('cmake', ['--build', buildDir, '-j2', '--target', 'attnrank_bench'], { encoding: 'utf8' });
    writeFileSync(logFile, output);
  } catch (error) {
    writeFileSync(logFile, String(error.stdout ?? error.message));
    log(`native build failed (see ${path.relative(root, logFile)})${existsSync(nativeBench) ? ': timing the previous binary' : ''}`);
  }
}

const byCell = (rows) => new Map(rows.map((row) => [`${row.n} ${row.pattern}`, Number(row.median_ms)]));

// numpy and JS: one child per n, runs planned from the previous n's slowest pattern within the budget.
async function budgetedColumn(name, command, scriptArgs, env) {
  const cells = new Map();
  const notes = new Map();
  let previous;
  for (const n of sizes) {
    const plan = planCell(n, previous, repeats, budgetMs);
    if (plan.runs === 0) {
      for (const pattern of patterns) notes.set(`${n} ${pattern}`, plan.note);
      continue;
    }
    log(`${name} n=${n}: ${plan.runs} run(s)${plan.warmUp ? ' after a warm-up' : ''}`);
    try {
      const args = [...scriptArgs, '--sizes', String(n), '--repeats', String(plan.runs),
        ...(plan.warmUp ? [] : ['--no-warm-up'])];
      const rows = parseCsv(await runChild(command, args, { env, timeoutMs: 4 * 3 * budgetMs + 60_000 }));
      for (const [key, ms] of byCell(rows)) { cells.set(key, ms); notes.set(key, plan.note); }
      previous = { n, ms: Math.max(...rows.map((row) => Number(row.median_ms))) };
    } catch (error) {
      log(`${name} n=${n} failed: ${error.message}`);
      for (const pattern of patterns) notes.set(`${n} ${pattern}`, 'failed');
      break;
    }
  }
  return { cells, notes };
}

async function wholeColumn(name, command, args) {
  log(`${name}: sizes ${values.sizes}, repeats ${repeats} (${repeatsFor(largeN, repeats)} from n = ${largeN})`);
  try {
    return { cells: byCell(parseCsv(await runChild(command, args, { timeoutMs: 30 * 60_000 }))), failure: null };
  } catch (error) {
    log(`${name} failed: ${error.message}`);
    return { cells: new Map(), failure: 'failed' };
  }
}

const started = new Date();
const startLoad = loadAverage();
if (!values['no-build']) buildNative();
await waitForWasm();
const wasmBefore = fileFingerprint(wasmFiles[1]);
const common = ['--sizes', values.sizes, '--repeats', String(repeats), '--d', '64', '--precision', 'f64'];

const native = await wholeColumn('native', nativeBench, common);
const wasmNode = await wholeColumn('wasm node', process.execPath, [path.join(root, 'bench', 'bench-wasm.mjs'), ...common]);
const chromiumArgs = [path.join(root, 'bench', 'chromium-bench.mjs'), ...common,
  ...(values['web-root'] ? ['--web-root', values['web-root']] : [])];
const chromiumOut = await runChild(process.execPath, chromiumArgs,
  { timeoutMs: 30 * 60_000 }).catch((error) => { log(`wasm Chromium failed: ${error.message}`); return ''; });
const wasmChromium = { cells: chromiumOut ? byCell(parseCsv(chromiumOut)) : new Map(), failure: chromiumOut ? null : 'failed' };
const numpyScript = path.join(root, 'bench', 'numpy_bench.py');
const numpyInfoIn = async (env) => JSON.parse(await runChild('/usr/bin/python3', [numpyScript, '--info'],
  { env, timeoutMs: 60_000 }).catch(() => '{}'));
const numpyInfo = await numpyInfoIn(numpyEnv);
const numpy = await budgetedColumn('numpy', '/usr/bin/python3', [numpyScript, '--d', '64'], numpyEnv);
const numpyLibInfo = numpyLibEnv ? await numpyInfoIn(numpyLibEnv) : null;
const numpyLib = numpyLibEnv
  ? await budgetedColumn('numpy lib', '/usr/bin/python3', [numpyScript, '--d', '64'], numpyLibEnv)
  : { cells: new Map(), notes: new Map() };
const jsInfo = JSON.parse(await runChild(process.execPath, [path.join(root, 'bench', 'js-svd-bench.mjs'), '--info'],
  { timeoutMs: 60_000 }).catch(() => '{}'));
const js = await budgetedColumn('JS', process.execPath, [path.join(root, 'bench', 'js-svd-bench.mjs'), '--d', '64']);
const wasmAfter = fileFingerprint(wasmFiles[1]);

const rows = [];
for (const n of sizes) {
  for (const pattern of patterns) {
    const key = `${n} ${pattern}`;
    const measured = (column) => column.cells.get(key) ?? null;
    rows.push(withRatios({
      n, pattern, native: measured(native), wasmNode: measured(wasmNode), wasmChromium: measured(wasmChromium),
      numpy: measured(numpy), numpyLib: measured(numpyLib), js: measured(js),
      notes: { native: native.failure, wasmNode: wasmNode.failure, wasmChromium: wasmChromium.failure,
        numpy: numpy.notes.get(key) ?? '', numpyLib: numpyLib.notes.get(key) ?? '', js: js.notes.get(key) ?? '' },
    }));
  }
}

const meta = {
  date: started.toISOString(),
  durationS: Math.round((Date.now() - started.getTime()) / 1e3),
  machine: machine(),
  loadAverage: { start: startLoad, end: loadAverage() },
  versions: { node: process.version, chromium: chromiumOut.match(/^# browser (.*)$/m)?.[1] ?? 'unknown',
    emscripten: emscriptenVersion(), numpy: numpyInfo.numpy ?? 'unknown', python: numpyInfo.python ?? 'unknown',
    mlMatrix: jsInfo['ml-matrix'] ?? 'unknown' },
  numpyBlasLapack: numpyInfo.blas_lapack_loaded ?? [],
  numpyLibBlasLapack: numpyLibInfo ? numpyLibInfo.blas_lapack_loaded ?? [] : null,
  numpyThreads: numpyInfo.threads_env ?? {},
  source: { ...gitSource(root), wasm: wasmBefore, wasmChangedDuringRun: wasmBefore?.sha256 !== wasmAfter?.sha256 },
  settings: { sizes, repeats, repeatsFromLargeN: repeatsFor(largeN, repeats), largeN, budgetS: budgetMs / 1e3,
    d: 64, precision: 'f64', seed: 7, prefix: 'n / 2', scale: 1 },
};

const headerLines = [
  `attnrank: one full stats request (inputs + attention + spectrum + statistics), d = 64, f64, median ms`,
  `date ${meta.date} (${meta.durationS} s), ${meta.machine.cpu}, ${meta.machine.cores} cores, ` +
    `load average ${meta.loadAverage.start} -> ${meta.loadAverage.end} (other work on the machine: noisy)`,
  `node ${meta.versions.node}, Chromium ${meta.versions.chromium}, emscripten ${meta.versions.emscripten}, ` +
    `numpy ${meta.versions.numpy}, ml-matrix ${meta.versions.mlMatrix}`,
  `numpy BLAS/LAPACK loaded: ${meta.numpyBlasLapack.join(', ') || 'unknown'} (1 thread)`,
  ...(meta.numpyLibBlasLapack ? [`numpy lib (--numpy-lib-dir): ${meta.numpyLibBlasLapack.join(', ') || 'unknown'} (1 thread)`] : []),
  `source: commit ${meta.source.commit}${meta.source.uncommittedChangesInSrc ? ' + uncommitted changes in src/bench' : ''}, ` +
    `wasm ${meta.source.wasm?.sha256 ?? 'missing'}${meta.source.wasmChangedDuringRun ? ' (CHANGED during the run)' : ''}`,
  `runs: ${repeats} after a warm-up (${meta.settings.repeatsFromLargeN} from n = ${largeN}); ` +
    `numpy and JS: at most ${meta.settings.budgetS} s per cell, predicted from the previous n`,
];
const numpyLibName = meta.numpyLibBlasLapack?.some((file) => /openblas/i.test(file)) ? 'OpenBLAS' : 'lib';
const table = formatTable(rows, headerLines, { numpyLibName });
console.log(table);

mkdirSync(values.out, { recursive: true });
const stem = path.join(values.out, `compare-${meta.date.replace(/[:.]/g, '-')}`);
writeFileSync(`${stem}.txt`, `${table}\n`);
writeFileSync(`${stem}.csv`, formatCsv(rows));
writeFileSync(`${stem}.json`, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
log(`wrote ${stem}.{txt,csv,json}`);
