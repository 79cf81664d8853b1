// One run, one table: the time of one full stats request (seeded inputs + masked softmax + spectrum +
// statistics; d = 64, f64, seed 7, p = n / 2) per n and pattern, natively, as wasm under node, as wasm in
// headless Chromium through the page's worker, with numpy (LAPACK gesdd) and with a pure-JS SVD
// (ml-matrix) under node and, since session 14, in a worker of the same headless Chromium (the pair that shares
// the browser; --no-js-chromium leaves it out), plus the ratios Chromium/native, Chromium/numpy, JS/Chromium,
// JS Chromium/Chromium. Runs the sub-benchmarks
// one after another (never in parallel: two cores), prints the table, writes CSV, JSON and the text.
// numpy runs up to three times, each column naming the BLAS/LAPACK it loaded, the OpenBLAS kernel and
// its threads: as Debian installs it (here the reference BLAS/LAPACK), on --numpy-lib-dir's single-threaded
// OpenBLAS with the kernel OpenBLAS's own CPU detection picks, and on the same library with
// OPENBLAS_CORETYPE set, in that child's environment only, to the fast kernel for this CPU's flags
// (SkylakeX with avx512f, else Haswell with avx2): the fair baseline, which the Chromium ratio uses.
// A benchmark: never part of scripts/test.sh, never pass/fail.
// Usage: node bench/compare.mjs [--sizes 128,256,512,1024,2048] [--repeats 7] [--budget-s 20]
//   [--out bench/results] [--numpy-lib-dir DIR] [--no-build] [--web-root DIR] [--no-js-chromium]
// --numpy-lib-dir defaults to build/h-bench/openblas/root/usr/lib/x86_64-linux-gnu/openblas-serial when that
// exists (README, Benchmarks: apt-get download libopenblas0-serial + dpkg -x, which installs nothing).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { largeN, planCell, repeatsFor } from './budget.mjs';
import { emscriptenVersion, fileFingerprint, gitSource, loadAverage, machine } from './machine-info.mjs';
import { formatCsv, formatTable, formatTargets, withRatios } from './report.mjs';

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
    'no-js-chromium': { type: 'boolean', default: false },  // leave out ml-matrix in Chromium (the node column stays)
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeats = Math.max(1, Number(values.repeats));
const budgetMs = Number(values['budget-s']) * 1e3;
// OPENBLAS_CORETYPE is ours to set, per column: one inherited from the caller would change the baseline.
const { OPENBLAS_CORETYPE: inheritedCoretype, ...callerEnv } = process.env;
const numpyEnv = { ...callerEnv, ...oneThread };
// --numpy-lib-dir adds columns: numpy with that directory's libblas.so.3 / liblapack.so.3 loaded first.
const defaultLibDir = path.join(buildDir, 'openblas', 'root', 'usr', 'lib', 'x86_64-linux-gnu', 'openblas-serial');
const numpyLibDir = values['numpy-lib-dir'] ? path.resolve(values['numpy-lib-dir'])
  : existsSync(path.join(defaultLibDir, 'libblas.so.3')) ? defaultLibDir : null;
const numpyLibEnv = numpyLibDir ? { ...numpyEnv, LD_LIBRARY_PATH: numpyLibDir } : null;

// OpenBLAS's fast kernel family for this CPU, from the instruction sets /proc/cpuinfo lists (OpenBLAS
// 0.3.21's own detection does not know every CPU and may fall back to 'Prescott', its SSE3 kernels).
function fastOpenblasCore() {
  try {
    const flagsLine = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((line) => line.startsWith('flags'));
    const flags = new Set((flagsLine ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
    if (flags.has('avx512f')) return 'SkylakeX';
    if (flags.has('avx2')) return 'Haswell';
  } catch { /* no /proc: no fast column */ }
  return null;
}
const fastCore = fastOpenblasCore();

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
// chromium-bench.mjs's notes on its method (the page's timer step, the threads' priorities) and the CPU time per
// request of the engine worker's thread and the page's main thread, beside the wall times (JSON only).
const chromiumNotes = chromiumOut.split('\n').filter((line) => /^# (performance\.now|threads)/.test(line)).map((line) => line.slice(2));
const chromiumCpu = Object.fromEntries((chromiumOut ? parseCsv(chromiumOut) : [])
  .filter((row) => row.worker_cpu_ms).map((row) => [`${row.n} ${row.pattern}`,
    { workerMs: Number(row.worker_cpu_ms), mainMs: Number(row.main_cpu_ms) }]));
const numpyScript = path.join(root, 'bench', 'numpy_bench.py');
const numpyInfoIn = async (env) => JSON.parse(await runChild('/usr/bin/python3', [numpyScript, '--info'],
  { env, timeoutMs: 60_000 }).catch(() => '{}'));
const notRun = { cells: new Map(), notes: new Map() };
const numpyInfo = await numpyInfoIn(numpyEnv);
const numpy = await budgetedColumn('numpy', '/usr/bin/python3', [numpyScript, '--d', '64'], numpyEnv);
const numpyLibInfo = numpyLibEnv ? await numpyInfoIn(numpyLibEnv) : null;
const numpyLib = numpyLibEnv
  ? await budgetedColumn('numpy lib', '/usr/bin/python3', [numpyScript, '--d', '64'], numpyLibEnv)
  : notRun;
// The fair baseline: the same OpenBLAS on its fast kernels (only when the library is OpenBLAS).
const numpyFastEnv = numpyLibInfo?.openblas && fastCore ? { ...numpyLibEnv, OPENBLAS_CORETYPE: fastCore } : null;
const numpyFastInfo = numpyFastEnv ? await numpyInfoIn(numpyFastEnv) : null;
const numpyFast = numpyFastEnv
  ? await budgetedColumn(`numpy OPENBLAS_CORETYPE=${fastCore}`, '/usr/bin/python3', [numpyScript, '--d', '64'], numpyFastEnv)
  : notRun;
if (!numpyLibEnv) log('no OpenBLAS for numpy (--numpy-lib-dir): the fair baseline is missing (README, Benchmarks)');
const jsInfo = JSON.parse(await runChild(process.execPath, [path.join(root, 'bench', 'js-svd-bench.mjs'), '--info'],
  { timeoutMs: 60_000 }).catch(() => '{}'));
const js = await budgetedColumn('JS', process.execPath, [path.join(root, 'bench', 'js-svd-bench.mjs'), '--d', '64']);
// The same ml-matrix code in a worker of the headless Chromium the wasm column runs in: the pair that shares the
// browser (ml-matrix ran faster there than under node 20 in session 14's measurement: 1.4-1.75x in CPU time,
// 1.6-3x in wall time).
const jsChromium = values['no-js-chromium'] ? notRun : await budgetedColumn('JS Chromium', process.execPath,
  [path.join(root, 'bench', 'js-svd-bench.mjs'), '--chromium', '--d', '64']);
const wasmAfter = fileFingerprint(wasmFiles[1]);

const rows = [];
for (const n of sizes) {
  for (const pattern of patterns) {
    const key = `${n} ${pattern}`;
    const measured = (column) => column.cells.get(key) ?? null;
    rows.push(withRatios({
      n, pattern, native: measured(native), wasmNode: measured(wasmNode), wasmChromium: measured(wasmChromium),
      numpy: measured(numpy), numpyLib: measured(numpyLib), numpyFast: measured(numpyFast), js: measured(js),
      jsChromium: measured(jsChromium),
      notes: { native: native.failure, wasmNode: wasmNode.failure, wasmChromium: wasmChromium.failure,
        numpy: numpy.notes.get(key) ?? '', numpyLib: numpyLib.notes.get(key) ?? '',
        numpyFast: numpyFast.notes.get(key) ?? '', js: js.notes.get(key) ?? '', jsChromium: jsChromium.notes.get(key) ?? '' },
    }));
  }
}

const meta = {
  date: started.toISOString(),
  durationS: Math.round((Date.now() - started.getTime()) / 1e3),
  machine: machine(),
  loadAverage: { start: startLoad, end: loadAverage() },
  wasmChromium: { notes: chromiumNotes, cpuPerRequest: chromiumCpu },
  versions: { node: process.version, chromium: chromiumOut.match(/^# browser (.*)$/m)?.[1] ?? 'unknown',
    emscripten: emscriptenVersion(), numpy: numpyInfo.numpy ?? 'unknown', python: numpyInfo.python ?? 'unknown',
    mlMatrix: jsInfo['ml-matrix'] ?? 'unknown' },
  numpyBlasLapack: numpyInfo.blas_lapack_loaded ?? [],
  numpyLibBlasLapack: numpyLibInfo ? numpyLibInfo.blas_lapack_loaded ?? [] : null,
  numpyThreads: numpyInfo.threads_env ?? {},
  // What each numpy column ran: OpenBLAS's own report (kernel, build configuration, threads) or null.
  numpyOpenblas: { numpy: numpyInfo.openblas ?? null, numpyLib: numpyLibInfo?.openblas ?? null,
    numpyFast: numpyFastInfo?.openblas ?? null },
  openblasCoretype: { fastForThisCpu: fastCore, setFor: numpyFastEnv ? 'numpyFast' : null,
    ignoredFromCaller: inheritedCoretype ?? null },
  source: { ...gitSource(root), wasm: wasmBefore, wasmChangedDuringRun: wasmBefore?.sha256 !== wasmAfter?.sha256 },
  settings: { sizes, repeats, repeatsFromLargeN: repeatsFor(largeN, repeats), largeN, budgetS: budgetMs / 1e3,
    d: 64, precision: 'f64', seed: 7, prefix: 'n / 2', scale: 1 },
};

// One line's worth on a numpy column's BLAS: the files loaded and, for OpenBLAS, the kernel it ran, its
// build (SINGLE_THREADED for Debian's libopenblas0-serial) and thread count.
function describeBlas(files, openblas) {
  const kernel = openblas
    ? `OpenBLAS kernel ${openblas.core}, ${openblas.threads} thread${openblas.threads === 1 ? '' : 's'} (${openblas.config})`
    : files.length > 0 ? 'no OpenBLAS (reference BLAS/LAPACK), 1 thread' : 'unknown';
  return `${kernel}; loaded ${files.join(', ') || 'unknown'}`;
}
const coreName = (info, fallback) => (info?.openblas ? `numpy OpenBLAS ${info.openblas.core}` : fallback);
const names = { 'numpy lib': coreName(numpyLibInfo, 'numpy lib'), 'numpy fast': coreName(numpyFastInfo, 'numpy fast') };
if (names['numpy lib'] === names['numpy fast']) names['numpy lib'] += ' (detected)';

const headerLines = [
  `attnrank: one full stats request (inputs + attention + spectrum + statistics), d = 64, f64, median ms`,
  `date ${meta.date} (${meta.durationS} s), ${meta.machine.cpu}, ${meta.machine.cores} cores, ` +
    `load average ${meta.loadAverage.start} -> ${meta.loadAverage.end} (other work on the machine: noisy)`,
  `node ${meta.versions.node}, Chromium ${meta.versions.chromium}, emscripten ${meta.versions.emscripten}, ` +
    `numpy ${meta.versions.numpy}, ml-matrix ${meta.versions.mlMatrix}`,
  `numpy (as Debian installs it): ${describeBlas(meta.numpyBlasLapack, meta.numpyOpenblas.numpy)}`,
  ...(meta.numpyLibBlasLapack ? [`${names['numpy lib']} (--numpy-lib-dir, OpenBLAS's own CPU detection): ` +
    `${describeBlas(meta.numpyLibBlasLapack, meta.numpyOpenblas.numpyLib)}`] : []),
  ...(numpyFastInfo ? [`${names['numpy fast']} (OPENBLAS_CORETYPE=${fastCore} for this column only, ` +
    `from the CPU's flags; the fair baseline): ${describeBlas(numpyFastInfo.blas_lapack_loaded ?? [], meta.numpyOpenblas.numpyFast)}`] : []),
  `source: commit ${meta.source.commit}${meta.source.uncommittedChangesInSrc ? ' + uncommitted changes in src/bench' : ''}, ` +
    `wasm ${meta.source.wasm?.sha256 ?? 'missing'}${meta.source.wasmChangedDuringRun ? ' (CHANGED during the run)' : ''}`,
  ...(chromiumNotes.length ? [`wasm Chromium: ${chromiumNotes.join('; ')}`] : []),
  `runs: ${repeats} after a warm-up (${meta.settings.repeatsFromLargeN} from n = ${largeN}); ` +
    `numpy and JS: at most ${meta.settings.budgetS} s per cell, predicted from the previous n`,
];
const table = [formatTable(rows, headerLines, { names }), '', ...formatTargets(rows, { names })].join('\n');
console.log(table);

mkdirSync(values.out, { recursive: true });
const stem = path.join(values.out, `compare-${meta.date.replace(/[:.]/g, '-')}`);
writeFileSync(`${stem}.txt`, `${table}\n`);
writeFileSync(`${stem}.csv`, formatCsv(rows));
writeFileSync(`${stem}.json`, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
log(`wrote ${stem}.{txt,csv,json}`);
