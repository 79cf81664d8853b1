// Where the time of one full stats request goes (issue 20), natively and as wasm under node: the same
// C++ program (bench/breakdown.cpp, target attnrank_breakdown) built into build/h-bench and, with
// emscripten, into build/h-bench-wasm, each step of analyze()'s seeded softmax f64 request timed on its
// own (medians over rounds, wall and CPU time). Prints one table per n: the steps, the derived parts
// (attention = mask + logits + softmax; bidiagonalisation = SVD total - bidiagonal QR; the rest of the
// statistics = compute_rank_stats - SVD - determinant), and analyze() as a whole beside their sum.
// A benchmark: never part of scripts/test.sh, never pass/fail.
// Usage: node bench/breakdown.mjs [--sizes 256,1024,2048] [--rounds 5] [--patterns bidirectional,forward]
//   [--no-native] [--no-wasm] [--no-build] [--out bench/results] [--native-dir DIR] [--wasm-dir DIR]
// --native-dir / --wasm-dir: another build tree of this work tree to build the program in (a tree made by
// build-wasm.sh or the README's native command: its core objects are reused).
// Env: JOBS (parallel compile jobs, default 1). Rounds from n = 1024 on: half, at least 1 (budget.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { repeatsFor } from './budget.mjs';
import { gitSource, loadAverage, machine } from './machine-info.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '256,1024,2048' },
    rounds: { type: 'string', default: '5' },
    patterns: { type: 'string', default: 'bidirectional,prefix,forward,backward' },
    'no-native': { type: 'boolean', default: false },
    'no-wasm': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'results') },
    'native-dir': { type: 'string', default: path.join(root, 'build', 'h-bench') },
    'wasm-dir': { type: 'string', default: path.join(root, 'build', 'h-bench-wasm') },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Math.max(1, Number(values.rounds));
const jobs = process.env.JOBS ?? '1';
const log = (text) => process.stderr.write(`[breakdown] ${text}\n`);

const engines = [
  { key: 'native', buildDir: path.resolve(values['native-dir']), isWasm: false },
  { key: 'wasm', buildDir: path.resolve(values['wasm-dir']), isWasm: true },
].filter((engine) => !values[`no-${engine.key}`]);
const emEnv = { ...process.env, NODE_PATH: `/usr/share/nodejs${process.env.NODE_PATH ? `:${process.env.NODE_PATH}` : ''}` };

function build(engine) {
  mkdirSync(engine.buildDir, { recursive: true });
  const env = engine.isWasm ? emEnv : process.env;
  if (!existsSync(path.join(engine.buildDir, 'CMakeCache.txt'))) {
    const configure = ['cmake', '-S', root, '-B', engine.buildDir, '-DCMAKE_BUILD_TYPE=Release'];
    if (engine.isWasm) {
      configure.unshift('emcmake');
      configure.push('-DEigen3_DIR=/usr/share/eigen3/cmake', '-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node',
        '-DATTNRANK_BUILD_TESTS=OFF', `-DATTNRANK_WASM_OUT_DIR=${path.join(engine.buildDir, 'module')}`);
    }
    execFileSync(configure[0], configure.slice(1), { env, stdio: 'ignore' });
  }
  // emscripten's node output is CommonJS; the repository's package.json says "type": "module".
  if (engine.isWasm) writeFileSync(path.join(engine.buildDir, 'package.json'), '{ "type": "commonjs" }\n');
  log(`building attnrank_breakdown in ${path.relative(root, engine.buildDir)} (-j${jobs})`);
  execFileSync('nice', ['-n', '5', 'cmake', '--build', engine.buildDir, '-j', jobs, '--target', 'attnrank_breakdown'],
    { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function runChild(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command}: exit ${code}`))));
  });
}

function parseCsv(text) {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell])));
}

const started = new Date();
const startLoad = loadAverage();
const measured = {};  // engine -> n -> pattern -> step -> { wall, cpu }
for (const engine of engines) {
  if (!values['no-build']) build(engine);
  const program = path.join(engine.buildDir, engine.isWasm ? 'attnrank_breakdown.js' : 'attnrank_breakdown');
  measured[engine.key] = {};
  for (const n of sizes) {
    const args = ['--sizes', String(n), '--rounds', String(repeatsFor(n, rounds)), '--patterns', values.patterns];
    log(`${engine.key} n=${n}: ${repeatsFor(n, rounds)} round(s) after a warm-up (load ${loadAverage()})`);
    const stdout = engine.isWasm ? await runChild(process.execPath, [program, ...args]) : await runChild(program, args);
    for (const row of parseCsv(stdout)) {
      const cell = ((measured[engine.key][row.n] ??= {})[row.pattern] ??= {});
      cell[row.step] = { wall: Number(row.median_wall_ms), cpu: Number(row.median_cpu_ms), rounds: Number(row.rounds) };
    }
  }
}
const endLoad = loadAverage();

// The table's lines per step: measured ones, then derived ones (differences of medians, so they carry the
// noise of both).
const lines = [
  ['inputs', 'seeded Q, K', (s) => s.inputs],
  ['logits rank', 'thin QRs of Q, K + d x d SVD', (s) => s.logits_rank],
  ['  QRs', 'logits rank - d x d SVD', (s) => sub(s.logits_rank, s.logits_rank_core_svd)],
  ['  d x d SVD', 'singular_values(R_Q R_K^T)', (s) => s.logits_rank_core_svd],
  ['mask', 'n x n bytes', (s) => s.mask],
  ['logits', 'Q K^T / sqrt(d) (matmul_nt)', (s) => s.logits_gemm],
  ['softmax', 'masked softmax (of a copy)', (s) => s.softmax],
  ['  copy', 'the n x n copy (analyze() has none)', (s) => s.softmax_copy],
  ['SVD', 'singular_values(A), + det unless triangular', (s) => s.svd_total],
  ['  bidiagonalisation', 'SVD - bidiagonal QR', (s) => sub(s.svd_total, s.bidiagonal_qr)],
  ['  bidiagonal QR', 'bidiagonal_singular_values', (s) => s.bidiagonal_qr],
  ['determinant', 'triangular: sum of logs of the diagonal; else in the SVD', (s) => s.log_abs_det],
  ['other statistics', 'rank stats - SVD - determinant', (s) => sub(sub(s.rank_stats_total, s.svd_total), s.log_abs_det)],
  ['sum of the steps', '', (s) => sum([s.inputs, s.logits_rank, s.mask, s.logits_gemm, s.softmax, s.rank_stats_total])],
  ['analyze()', 'the whole request', (s) => s.analyze],
];
function sub(a, b) { return a && b ? { wall: a.wall - b.wall, cpu: a.cpu - b.cpu } : null; }
function sum(parts) {
  return parts.every(Boolean) ? parts.reduce((t, p) => ({ wall: t.wall + p.wall, cpu: t.cpu + p.cpu }), { wall: 0, cpu: 0 }) : null;
}
const fmt = (ms) => (ms === undefined || ms === null ? '-' : Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2));

const source = gitSource(root);
const header = [
  'attnrank: where one stats request goes (seeded, softmax, d = 64, f64, seed 7, p = n / 2), median ms per step',
  `date ${started.toISOString()} (${Math.round((Date.now() - started.getTime()) / 1e3)} s), ${machine().cpu}, ` +
    `${machine().cores} cores, load average ${startLoad} -> ${endLoad} (wall is noisy under load; CPU: the process's own)`,
  `source: commit ${source.commit}${source.uncommittedChangesInSrc ? ' + uncommitted changes in src/bench' : ''}; ` +
    `rounds: ${rounds} after a warm-up (${repeatsFor(1024, rounds)} from n = 1024); each round runs every step once`,
];
const out = [...header];
const patterns = values.patterns.split(',');
for (const n of sizes) {
  for (const pattern of patterns) {
    out.push('', `n = ${n}, ${pattern}`);
    const titles = ['step', 'what', ...engines.flatMap((e) => [`${e.key} wall`, `${e.key} cpu`, `${e.key} %`])];
    const body = lines.map(([name, what, pick]) => [name, what, ...engines.flatMap((e) => {
      const steps = measured[e.key][n]?.[pattern];
      const value = steps ? pick(steps) : null;
      const whole = steps?.analyze;
      return [fmt(value?.wall), fmt(value?.cpu), value && whole ? `${((100 * value.cpu) / whole.cpu).toFixed(0)}%` : '-'];
    })]);
    const widths = titles.map((t, i) => Math.max(t.length, ...body.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
    out.push(line(titles), line(widths.map((w) => '-'.repeat(w))), ...body.map(line));
  }
}
out.push('', '%: share of analyze()\'s CPU time. Derived lines are differences of medians.');
const text = out.join('\n');
console.log(text);
mkdirSync(values.out, { recursive: true });
const stem = path.join(values.out, `breakdown-${started.toISOString().replace(/[:.]/g, '-')}`);
writeFileSync(`${stem}.txt`, `${text}\n`);
writeFileSync(`${stem}.json`, `${JSON.stringify({ header, source, loadAverage: { start: startLoad, end: endLoad },
  settings: { sizes, rounds, patterns }, measured }, null, 2)}\n`);
log(`wrote ${stem}.{txt,json}`);
