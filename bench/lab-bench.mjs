// One run, one table: the lab's training speed (design-lab.md sections 1-4; issue 15's Performance) for the
// default model (D 64, H 4, L 2, n 64, batch 16) and a few masks, natively (bench/lab_bench.cpp: the
// trainer's step as `attnrank train` runs it) beside PyTorch CPU on one thread (bench/lab_torch_bench.py:
// the same model, batch, f32, forward + backward + clipping + AdamW) and, when a module with the lab
// binding is given, the wasm module under node (bench/lab-bench-wasm.mjs). Each engine runs in its own
// process per configuration (so each peak RSS is that run's), one after another, never in parallel (two
// cores); --rounds alternates the engines that many times and keeps each one's fastest round (the least
// disturbed by other work on the machine). Steps per second from the median CPU time of one step (a
// single-threaded process's CPU time is what the step costs, whatever else the machine runs); the wall
// medians are printed beside them. --full-run also times one default 1,500-step `attnrank train` (with
// its checkpoints) against the issue's target of 2 minutes. A benchmark: never part of scripts/test.sh.
// Usage: node bench/lab-bench.mjs [--build-dir build/lab-bench] [--no-build] [--task lm-vs-mlm]
//   [--configs forward:softmax,bidirectional:softmax,forward:linear] [--steps 100] [--warmup 10]
//   [--rounds 3] [--torch-lib-dir DIR] [--wasm-module DIR] [--web-root DIR] [--no-chromium] [--full-run]
//   [--native-128] [--baseline-build-dir DIR] [--out bench/results]
// The native column takes the kernels' run-time vector path (its kernel_isa column, named in the header:
// avx2 where the CPU has it); --native-128 adds a column of the same build on the 128-bit path (the same
// bits). --baseline-build-dir DIR adds a column of another build's attnrank_lab_bench (e.g. the commit
// before a speed change, built with -DATTNRANK_BUILD_BENCH=ON), interleaved with the others in every
// round so both see the same load; its source commit is in the header.
// Debian's torch calls the system's libblas.so.3 (on this machine the reference BLAS); --torch-lib-dir DIR
// adds a column of the same torch with DIR's libblas.so.3 first on LD_LIBRARY_PATH (OpenBLAS serial, as
// compare.mjs --numpy-lib-dir: `apt-get download libopenblas0-serial` and `dpkg -x`, no install).
// With --wasm-module, the same module also runs in headless Chromium (bench/lab-bench-chromium.mjs: the
// page's lab worker, web/engine/lab-worker.mjs, each step one lab_advance call; CPU time of the worker's
// thread; --web-root serves another copy of web/ with the module; --no-chromium skips it).
// The header names the measured builds' sources: the commit of the source tree the native build dir was
// configured from (its CMakeCache's CMAKE_HOME_DIRECTORY: a git work tree, or an export holding a
// .source-commit file), the same for the wasm module's build dir when the module sits in one, and the
// module's sha256; and which OpenBLAS kernel torch ran with --torch-lib-dir (OPENBLAS_VERBOSE=2's 'Core:'
// line, asked in the --info command only, so the timed runs print nothing extra).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { fileFingerprint, gitSource, loadAverage, machine } from './machine-info.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'build-dir': { type: 'string', default: path.join(root, 'build', 'lab-bench') },
    'no-build': { type: 'boolean', default: false },
    task: { type: 'string', default: 'lm-vs-mlm' },
    configs: { type: 'string', default: 'forward:softmax,bidirectional:softmax,forward:linear' },
    steps: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    'torch-lib-dir': { type: 'string' },
    'wasm-module': { type: 'string' },  // a directory with attnrank-lab.{mjs,wasm} (build-wasm.sh's lab module)
    'web-root': { type: 'string' },  // the copy of web/ that Chromium serves (with --wasm-module's files)
    'no-chromium': { type: 'boolean', default: false },
    'full-run': { type: 'boolean', default: false },
    'native-128': { type: 'boolean', default: false },
    'baseline-build-dir': { type: 'string' },
    out: { type: 'string', default: path.join(root, 'bench', 'results') },
  },
});
const buildDir = path.resolve(values['build-dir']);
const nativeBench = path.join(buildDir, 'attnrank_lab_bench');
const baselineDir = values['baseline-build-dir'] ? path.resolve(values['baseline-build-dir']) : null;
const cli = path.join(buildDir, 'attnrank');
const corpus = path.join(buildDir, 'corpus', 'austen.txt');  // extracted when the build dir is configured
const configs = values.configs.split(',');
const sizes = { n: 64, width: 64, heads: 4, layers: 2, batch: 16 };
const sizeArgs = Object.entries(sizes).flatMap(([key, value]) => [`--${key}`, String(value)]);
const timing = ['--steps', values.steps, '--warmup', values.warmup];
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const torchLibDir = values['torch-lib-dir'] ? path.resolve(values['torch-lib-dir']) : null;
const torchLibEnv = torchLibDir ? { ...oneThread, LD_LIBRARY_PATH: torchLibDir } : null;
const log = (text) => process.stderr.write(`[lab-bench] ${text}\n`);

// Runs a child; resolves to its stdout (with withStderr: { stdout, stderr }), rejects on a non-zero exit
// (with the code, e.g. 3: no lab binding).
function runChild(command, args, env = process.env, { withStderr = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', withStderr ? 'pipe' : 'inherit'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr?.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(withStderr ? { stdout, stderr } : stdout)
      : reject(Object.assign(new Error(`exit ${code}`), { code }))));
  });
}

// The source a build dir was made from: its CMakeCache's CMAKE_HOME_DIRECTORY, described by its git commit
// (and whether src/, bench/ or CMakeLists.txt differ from it now) or, for an exported tree (git archive),
// by the commit written in its .source-commit file.
function buildSource(dir) {
  let home;
  try {
    home = readFileSync(path.join(dir, 'CMakeCache.txt'), 'utf8').match(/^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m)?.[1];
  } catch {
    return { dir, tree: null, commit: 'unknown (no CMakeCache.txt)' };
  }
  if (!home) return { dir, tree: null, commit: 'unknown' };
  if (existsSync(path.join(home, '.git'))) return { dir, tree: home, ...gitSource(home) };
  try {
    return { dir, tree: home, commit: readFileSync(path.join(home, '.source-commit'), 'utf8').trim(), exported: true };
  } catch {
    return { dir, tree: home, commit: 'unknown (not a git tree, no .source-commit)' };
  }
}
const describeSource = (source) => `${source.commit}${source.uncommittedChangesInSrc ? ' + uncommitted changes in src/bench' : ''}`
  + `${source.exported ? ' (exported tree)' : ''} [${path.relative(root, source.dir) || '.'} from ${source.tree ?? '?'}]`;

const parseCsv = (text) => {
  const lines = text.split('\n').filter((line) => line && !line.startsWith('#'));
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell])));
};

function buildNative() {
  mkdirSync(buildDir, { recursive: true });
  if (!existsSync(path.join(buildDir, 'CMakeCache.txt'))) {
    execFileSync('nice', ['-n', '10', 'cmake', '-S', root, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release',
      '-DATTNRANK_BUILD_BENCH=ON'], { stdio: 'ignore' });
  }
  execFileSync('nice', ['-n', '10', 'cmake', '--build', buildDir, '-j2', '--target', 'attnrank_lab_bench', 'attnrank'],
    { stdio: 'ignore' });
}

// One engine, one configuration, one process: its CSV row, or a note saying why there is none.
async function measure(engine, config, vocab) {
  const common = ['--configs', config, ...sizeArgs, ...timing];
  try {
    if (engine === 'native' || engine === 'native128') {
      return parseCsv(await runChild(nativeBench, ['--corpus', corpus, '--task', values.task, ...common,
        ...(engine === 'native128' ? ['--vector-path', '128'] : [])]))[0];
    }
    if (engine === 'baseline') {
      return parseCsv(await runChild(path.join(baselineDir, 'attnrank_lab_bench'), ['--corpus', corpus, '--task',
        values.task, ...common]))[0];
    }
    if (engine === 'torch' || engine === 'torchLib') {
      return parseCsv(await runChild('/usr/bin/python3', [path.join(root, 'bench', 'lab_torch_bench.py'),
        '--vocab', String(vocab), ...common], engine === 'torch' ? oneThread : torchLibEnv))[0];
    }
    if (engine === 'chromium') {
      return parseCsv(await runChild(process.execPath, [path.join(root, 'bench', 'lab-bench-chromium.mjs'),
        '--module', values['wasm-module'], '--corpus', corpus, '--task', values.task, ...common,
        ...(values['web-root'] ? ['--web-root', values['web-root']] : [])]))[0];
    }
    return parseCsv(await runChild(process.execPath, [path.join(root, 'bench', 'lab-bench-wasm.mjs'),
      '--module', values['wasm-module'], '--corpus', corpus, '--task', values.task, ...common]))[0];
  } catch (error) {
    log(`${engine} ${config}: ${error.message}`);
    return { note: error.code === 3 ? 'no lab binding in the module' : 'failed' };
  }
}

const started = new Date();
const startLoad = loadAverage();
if (!values['no-build']) buildNative();
const withChromium = Boolean(values['wasm-module']) && !values['no-chromium'];
const engines = ['native', ...(values['native-128'] ? ['native128'] : []), ...(baselineDir ? ['baseline'] : []),
  'torch', ...(torchLibDir ? ['torchLib'] : []), ...(values['wasm-module'] ? ['wasm'] : []),
  ...(withChromium ? ['chromium'] : [])];
const best = {};  // `${engine} ${config}` -> the round with the smallest median CPU time
const rounds = Math.max(1, Number(values.rounds));
const loads = [startLoad];
for (let round = 0; round < rounds; ++round) {
  for (const config of configs) {
    let vocab;
    for (const engine of engines) {
      const row = await measure(engine, config, vocab);
      vocab ??= row.vocab;  // native runs first: torch gets the task's vocabulary
      const key = `${engine} ${config}`;
      if (!best[key] || (row.median_step_ms_cpu && (!best[key].median_step_ms_cpu
        || Number(row.median_step_ms_cpu) < Number(best[key].median_step_ms_cpu)))) best[key] = row;
      log(`round ${round + 1}/${rounds} ${engine} ${config}: ${row.median_step_ms_cpu ?? row.note} ms CPU per step`);
    }
  }
  loads.push(loadAverage());
}

// The default run end to end: `attnrank train`'s 1,500 steps with its 16 checkpoints, wall and CPU time.
let fullRun = null;
if (values['full-run']) {
  const config = configs[0];
  const [masks, attention] = config.split(':');
  const args = ['train', '--task', values.task, '--masks', masks, '--attention', attention ?? 'softmax',
    '--quiet', '--out', '/dev/null'];
  // time's -o into a file: node's child stdout is a socket, which /dev/stdout cannot be opened on (ENXIO).
  const timeFile = path.join(mkdtempSync(path.join(tmpdir(), 'lab-bench-')), 'time.txt');
  const timed = await runChild('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cli, ...args])
    .then(() => readFileSync(timeFile, 'utf8'))
    .catch((error) => { log(`full run: ${error.message}`); return ''; });
  const [wall, user, system, maxKb] = timed.trim().split(/\s+/).map(Number);
  fullRun = timed ? { command: `attnrank ${args.join(' ')}`, wallS: wall, cpuS: user + system, peakRssKb: maxKb } : null;
}

const number = (row, key) => (row && row[key] !== undefined ? Number(row[key]) : null);
const rows = configs.map((config) => {
  const cell = (engine) => best[`${engine} ${config}`];
  const [native, torch, torchLib, wasm, chromium] = [cell('native'), cell('torch'), cell('torchLib'), cell('wasm'),
    cell('chromium')];
  const [native128, baseline] = [cell('native128'), cell('baseline')];
  const ratio = (top, bottom) => (number(top, 'steps_per_s_cpu') && number(bottom, 'steps_per_s_cpu')
    ? number(top, 'steps_per_s_cpu') / number(bottom, 'steps_per_s_cpu') : null);
  return {
    config,
    native: native?.median_step_ms_cpu ? native : null,
    native128: native128?.median_step_ms_cpu ? native128 : null,
    baseline: baseline?.median_step_ms_cpu ? baseline : null,
    torch: torch?.median_step_ms_cpu ? torch : null,
    torchLib: torchLib?.median_step_ms_cpu ? torchLib : null,
    wasmNode: wasm?.median_step_ms_cpu ? wasm : null,
    wasmChromium: chromium?.median_step_ms_cpu ? chromium : null,
    notes: {
      native: native?.note, native128: native128?.note, baseline: baseline?.note, torch: torch?.note,
      torchLib: torchLib?.note,
      wasmNode: values['wasm-module'] ? wasm?.note : 'not run (give --wasm-module DIR: a module with the lab binding)',
      wasmChromium: withChromium ? chromium?.note : (values['wasm-module'] ? 'not run (--no-chromium)'
        : 'not run (give --wasm-module DIR: a module with the lab binding)'),
    },
    nativeOverTorch: ratio(native, torch),
    nativeOverBaseline: ratio(native, baseline),
    native128OverTorchLib: ratio(native128, torchLib),
    baselineOverTorchLib: ratio(baseline, torchLib),
    nativeOverTorchLib: ratio(native, torchLib),
    wasmOverTorch: ratio(wasm, torch),
    chromiumOverTorch: ratio(chromium, torch),
    chromiumOverTorchLib: ratio(chromium, torchLib),
  };
});

// torch's versions and loaded BLAS; with OPENBLAS_VERBOSE=2 (this command only) OpenBLAS says on stderr
// which kernel its run-time dispatch picked ('Core: Haswell'), recorded as openblasCore.
const torchInfoIn = async (env) => {
  const { stdout, stderr } = await runChild('/usr/bin/python3', [path.join(root, 'bench', 'lab_torch_bench.py'), '--info'],
    { ...env, OPENBLAS_VERBOSE: '2' }, { withStderr: true }).catch(() => ({ stdout: '{}', stderr: '' }));
  const core = stderr.match(/^Core:\s*(.+)$/m)?.[1]?.trim() ?? null;
  return { ...JSON.parse(stdout), openblasCore: core };
};
const torchInfo = await torchInfoIn(oneThread);
const torchLibInfo = torchLibEnv ? await torchInfoIn(torchLibEnv) : null;
const meta = {
  date: started.toISOString(),
  durationS: Math.round((Date.now() - started.getTime()) / 1e3),
  machine: machine(),
  loadAverages: [...loads, loadAverage()],
  versions: { node: process.version, torch: torchInfo.torch ?? 'unknown', torchThreads: torchInfo.threads },
  torchBlasLapack: torchInfo.blas_lapack_loaded ?? [],
  torchLibBlasLapack: torchLibInfo ? torchLibInfo.blas_lapack_loaded ?? [] : null,
  torchOpenblasCore: torchInfo.openblasCore,
  torchLibOpenblasCore: torchLibInfo ? torchLibInfo.openblasCore : null,
  nativeSource: buildSource(buildDir),
  nativeKernels: [...new Set(rows.map((row) => row.native?.kernel_isa).filter(Boolean))],
  baselineSource: baselineDir ? buildSource(baselineDir) : null,
  wasmSource: values['wasm-module'] ? {
    module: path.resolve(values['wasm-module']),
    wasm: fileFingerprint(path.join(values['wasm-module'], 'attnrank-lab.wasm')),
    build: existsSync(path.join(values['wasm-module'], '..', 'CMakeCache.txt'))
      ? buildSource(path.resolve(values['wasm-module'], '..')) : null,
  } : null,
  webRoot: withChromium ? path.resolve(values['web-root'] ?? path.join(root, 'web')) : null,
  benchScripts: gitSource(root),
  settings: { task: values.task, ...sizes, steps: Number(values.steps), warmup: Number(values.warmup), rounds },
  fullRun,
};

const mb = (row) => (row ? `${(row.peak_rss_kb / 1024).toFixed(0)} (${((row.peak_rss_kb - row.base_rss_kb) / 1024).toFixed(0)})` : '-');
const rate = (row, key, note) => (row ? Number(row[key]).toFixed(key === 'steps_per_s_cpu' ? 1 : 0) : note ?? 'n/a');
const fixed = (value) => (value === null ? '-' : value.toFixed(2));
const wallMs = (row) => (row ? Number(row.median_step_ms_wall).toFixed(0) : '-');
const libName = meta.torchLibBlasLapack?.some((file) => /openblas/i.test(file)) ? 'OpenBLAS' : 'lib';
const withLib = Boolean(torchLibDir);
const with128 = Boolean(values['native-128']);
const withBaseline = Boolean(baselineDir);
const titles = ['config', 'native steps/s', ...(with128 ? ['native 128-bit steps/s'] : []),
  ...(withBaseline ? ['baseline steps/s', 'native/baseline'] : []), 'torch steps/s',
  ...(withLib ? [`torch ${libName} steps/s`] : []),
  'native/torch', ...(withLib ? [`native/torch ${libName}`] : []),
  ...(withLib && with128 ? [`native 128-bit/torch ${libName}`] : []),
  ...(withLib && withBaseline ? [`baseline/torch ${libName}`] : []), 'wasm node steps/s', 'wasm Chromium steps/s',
  'Chromium/torch', ...(withLib ? [`Chromium/torch ${libName}`] : []),
  'native tokens/s', 'torch tokens/s', ...(withLib ? [`torch ${libName} tokens/s`] : []), 'Chromium tokens/s',
  'native ms wall', 'torch ms wall', ...(withLib ? [`torch ${libName} ms wall`] : []), 'Chromium ms wall',
  'native MB (run)', 'torch MB (run)', ...(values['wasm-module'] ? ['wasm node MB (run)'] : []),
  ...(withChromium ? ['Chromium MB (run)'] : [])];
const body = rows.map((row) => [
  row.config, rate(row.native, 'steps_per_s_cpu', row.notes.native),
  ...(with128 ? [rate(row.native128, 'steps_per_s_cpu', row.notes.native128)] : []),
  ...(withBaseline ? [rate(row.baseline, 'steps_per_s_cpu', row.notes.baseline), fixed(row.nativeOverBaseline)] : []),
  rate(row.torch, 'steps_per_s_cpu', row.notes.torch),
  ...(withLib ? [rate(row.torchLib, 'steps_per_s_cpu', row.notes.torchLib)] : []),
  fixed(row.nativeOverTorch), ...(withLib ? [fixed(row.nativeOverTorchLib)] : []),
  ...(withLib && with128 ? [fixed(row.native128OverTorchLib)] : []),
  ...(withLib && withBaseline ? [fixed(row.baselineOverTorchLib)] : []),
  rate(row.wasmNode, 'steps_per_s_cpu', row.wasmNode ? null : 'n/a'),
  rate(row.wasmChromium, 'steps_per_s_cpu', row.wasmChromium ? null : 'n/a'),
  fixed(row.chromiumOverTorch), ...(withLib ? [fixed(row.chromiumOverTorchLib)] : []),
  rate(row.native, 'tokens_per_s_cpu'), rate(row.torch, 'tokens_per_s_cpu'),
  ...(withLib ? [rate(row.torchLib, 'tokens_per_s_cpu')] : []), rate(row.wasmChromium, 'tokens_per_s_cpu', '-'),
  wallMs(row.native), wallMs(row.torch), ...(withLib ? [wallMs(row.torchLib)] : []), wallMs(row.wasmChromium),
  mb(row.native), mb(row.torch), ...(values['wasm-module'] ? [mb(row.wasmNode)] : []),
  ...(withChromium ? [mb(row.wasmChromium)] : []),
]);
const widths = titles.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i].length)));
const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
const notes = [...new Set(rows.flatMap((row) => [row.notes.wasmNode, row.notes.wasmChromium]).filter(Boolean))];
const table = [
  `attnrank lab: one training step (batch, forward, backward, clip, AdamW), task ${values.task}, D ${sizes.width}, ` +
    `H ${sizes.heads}, L ${sizes.layers}, n ${sizes.n}, batch ${sizes.batch}, f32, one thread`,
  `date ${meta.date} (${meta.durationS} s), ${meta.machine.cpu}, ${meta.machine.cores} cores, load average ` +
    `${meta.loadAverages.join(' -> ')} (1, 5, 15 min; before, after each round, at the end: other work on the machine)`,
  `torch BLAS/LAPACK loaded: ${meta.torchBlasLapack.join(', ') || 'unknown'} (1 thread)` +
    `${meta.torchOpenblasCore ? `, OpenBLAS kernel (OPENBLAS_VERBOSE=2): ${meta.torchOpenblasCore}` : ''}`,
  ...(meta.torchLibBlasLapack ? [`torch ${libName} (--torch-lib-dir): ${meta.torchLibBlasLapack.join(', ')}; ` +
    `OpenBLAS kernel (OPENBLAS_VERBOSE=2): ${meta.torchLibOpenblasCore ?? 'not reported'}`] : []),
  `node ${meta.versions.node}, torch ${meta.versions.torch} (threads ${meta.versions.torchThreads})`,
  `measured native build: commit ${describeSource(meta.nativeSource)}; kernels' vector path: ` +
    `${meta.nativeKernels.join(', ') || 'not reported'}${with128 ? ' (the 128-bit column: sse2, same build)' : ''}`,
  ...(meta.baselineSource ? [`baseline native build: commit ${describeSource(meta.baselineSource)}`] : []),
  ...(meta.wasmSource ? [`measured wasm module: ${meta.wasmSource.module} (sha256 ${meta.wasmSource.wasm?.sha256 ?? '?'}, ` +
    `${meta.wasmSource.wasm?.modified ?? '?'})${meta.wasmSource.build ? `, commit ${describeSource(meta.wasmSource.build)}` : ''}` +
    `${meta.webRoot ? `; Chromium serves a copy of ${meta.webRoot} with it` : ''}`] : []),
  `bench scripts: commit ${meta.benchScripts.commit}${meta.benchScripts.uncommittedChangesInSrc ? ' + uncommitted changes in src/bench' : ''}`,
  `steps/s and tokens/s (batch * n input tokens per step) from the median CPU time of a step over ${values.steps} steps ` +
    `after ${values.warmup}, the fastest of ${rounds} round(s); 'ms wall': that round's median wall time per step; ` +
    `MB: peak RSS of the process (in parentheses: above its RSS before the model was built); Chromium: the CPU ` +
    `time of the lab worker's thread per lab_advance(id, 1), wall from the page's call to the answer, MB the renderer process`,
  '', line(titles), line(widths.map((w) => '-'.repeat(w))), ...body.map(line),
  ...(notes.length ? ['', ...notes.map((note) => `n/a: ${note}`)] : []),
  ...(fullRun ? ['', `full run: ${fullRun.command}: ${fullRun.wallS} s wall, ${fullRun.cpuS.toFixed(1)} s CPU, ` +
    `peak RSS ${(fullRun.peakRssKb / 1024).toFixed(0)} MB (target: under 2 minutes)`] : []),
].join('\n');
console.log(table);

mkdirSync(values.out, { recursive: true });
const stem = path.join(values.out, `lab-bench-${meta.date.replace(/[:.]/g, '-')}`);
writeFileSync(`${stem}.txt`, `${table}\n`);
writeFileSync(`${stem}.json`, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
log(`wrote ${stem}.{txt,json}`);
